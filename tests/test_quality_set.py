"""The labeled quality set is well formed (structure only, not engine results)."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import datetime

from tests import logfactory
from tests.quality import ARTICLES, FORMS, _articles, article_examples, article_ids, load_queries

GENERIC = {"0x80004005", "80004005", "2147500037", "0x80070002", "80070002", "2147942402"}


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def test_size_negatives_splits_and_forms():
    queries = load_queries()
    assert len(queries) >= 100
    assert sum(q.expect is None for q in queries) >= 20
    assert set(FORMS) == {q.form for q in queries}
    splits = Counter(q.split for q in queries)
    assert set(splits) == {"tune", "check"}
    assert 0.5 <= splits["tune"] / len(queries) <= 0.7


def test_every_article_has_four_positives_in_several_forms():
    queries = load_queries()
    for aid in article_ids():
        mine = [q for q in queries if q.expect == aid]
        assert len(mine) >= 4, aid
        assert len({q.form for q in mine}) >= 2, aid
        assert {q.split for q in mine} == {"tune", "check"}, aid


def test_long_pastes():
    long = [q for q in load_queries() if q.form == "long-paste"]
    assert len(long) >= 8
    for q in long:
        assert 30 <= len(q.text.splitlines()) <= 100, q.id


def test_queries_do_not_repeat_article_examples_and_build_deterministically():
    examples = {_norm(q.text) for q in article_examples()}
    assert examples
    first = load_queries()
    assert first == load_queries()
    assert not [q.id for q in first if _norm(q.text) in examples]


def test_clipboard_forms():
    for q in load_queries():
        if q.form == "cmtrace-copy":
            assert "\t" in q.text, q.id
        if q.form == "cmtrace-spaces":
            assert "\t" not in q.text, q.id
        for decimal, hexa in re.findall(r"\b(\d+) \(0x([0-9A-F]{4})\)", q.text):
            assert int(decimal) == int(hexa, 16), q.id


def test_render_formats():
    when = datetime(2011, 3, 2, 14, 5, 9, 318000)
    raw = logfactory.cmtrace_line("Hello", "TSManager", when, 1744, bias=480)
    assert raw.startswith('<![LOG[Hello]LOG]!><time="14:05:09.318+480" date="03-02-2011" ')
    assert 'component="TSManager" context="" type="1" thread="1744" file="' in raw
    copy = logfactory.cmtrace_copy_line("Hello", "TSManager", when, 1744)
    assert copy == "Hello\tTSManager\t3/2/2011 2:05:09 PM\t1744 (0x06D0)"


def test_noise_is_ordinary_and_deterministic():
    messages = logfactory.ordinary_messages(random.Random(7), 3000)
    assert messages == logfactory.ordinary_messages(random.Random(7), 3000)
    assert len({m for m, _ in messages}) > 500
    text = "\n".join(m for m, _ in messages).lower()
    for meta in _articles(ARTICLES).values():
        for code in meta["signatures"]["codes"]:
            if code not in GENERIC:
                assert code.lower() not in text, code
                assert code.lower().removeprefix("0x") not in text, code
    failing = [m for m, _ in messages if re.search(r"(?i)fail|error", m)]
    assert len(failing) < len(messages) * 0.08


def test_wrap_in_noise_keeps_cmtrace_lines_and_puts_them_near_the_end():
    raw = '<![LOG[Kept as is]LOG]!><time="01:02:03.004+000" date="01-02-2010" component="X" context="" type="1" thread="1" file="">'
    for form in logfactory.FORMS:
        text = logfactory.wrap_in_noise(
            [raw, "Important thing failed InstallSoftware"], 40, 5, form
        )
        lines = text.splitlines()
        assert len(lines) == 42
        assert raw in lines
        position = next(i for i, line in enumerate(lines) if "Important thing failed" in line)
        assert position >= 30
        assert text == logfactory.wrap_in_noise(
            [raw, "Important thing failed InstallSoftware"], 40, 5, form
        )
