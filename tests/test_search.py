"""The search engine on the real corpus: examples, symptom excerpts, negatives, safety."""

from __future__ import annotations

import random
import re

import pytest

from kb.errors import QueryError
from kb.search.engine import Engine
from tests.conftest import ARTICLES

ENGINE = Engine.load(ARTICLES, in_memory=True)
EXAMPLES = [(a.id, ex) for a in ENGINE.articles for ex in a.examples]


def top(text: str) -> list[str]:
    return [r["id"] for r in ENGINE.search(text)["results"]]


@pytest.mark.parametrize(
    "expected, query", EXAMPLES, ids=[f"{a}-{i}" for i, (a, _) in enumerate(EXAMPLES)]
)
def test_every_article_example_ranks_its_article_first(expected, query):
    assert top(query)[:1] == [expected]


# -- symptom excerpts from another site's log -----------------------------------

_PLACEHOLDER = re.compile(r"<[A-Za-z][A-Za-z0-9_ .-]{0,40}>")
_DATE = re.compile(r"\b\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\b")
_TIME = re.compile(r"\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b")
_PKG = re.compile(r"\b[A-Z]{2,3}[0-9A-F]{5}\b")
_HOST = re.compile(r"(?i)\b(?:[a-z][a-z0-9-]*\.)+(?:local|com|net|corp|lan)\b")
_THREAD = re.compile(r"\b\d{3,5} \(0x[0-9A-F]{3,4}\)")


def another_site(line: str, rng: random.Random) -> str:
    """Change what differs between sites: placeholders, servers, package ids, dates, threads."""
    fills = ["SCCMDP02", "P0200017", "D", "10.20.30.40", "cm-dp-07.fabrikam.local", "CM100045"]
    line = _PLACEHOLDER.sub(lambda m: rng.choice(fills), line)
    line = _HOST.sub("dp09.fabrikam.net", line)
    line = _PKG.sub(lambda m: f"XYZ{rng.randrange(16**5):05X}", line)
    line = _DATE.sub(f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/2011", line)
    line = _TIME.sub(
        f"{rng.randint(0, 23):02}:{rng.randint(0, 59):02}:{rng.randint(0, 59):02}", line
    )
    thread = rng.randint(300, 9000)
    return _THREAD.sub(f"{thread} (0x{thread:04X})", line)


def symptom_blocks():
    for a in ENGINE.articles:
        symptoms = a.sections["Symptoms"]
        for n, block in enumerate(re.findall(r"```[a-z]*\n(.*?)```", symptoms, re.S)):
            if block.strip():
                yield pytest.param(a.id, block, id=f"{a.id}-{n}")


@pytest.mark.parametrize("expected, block", list(symptom_blocks()))
def test_symptom_excerpt_from_another_site_finds_its_article(expected, block):
    rng = random.Random(expected)
    pasted = "\n".join(another_site(line, rng) for line in block.splitlines())
    assert top(pasted)[:1] == [expected], pasted


# -- nothing fits -----------------------------------------------------------------

NEGATIVES = [
    "how long do I boil an egg for a soft yolk",
    "kernel: EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm systemd: reading directory lblock 0",
    "2024/01/02 10:11:12 [error] 1234#0: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: example.org",
    'java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null',
    "0x80004005",
    "*",
]


@pytest.mark.parametrize("query", NEGATIVES)
def test_unrelated_input_returns_nothing(query):
    assert top(query) == []


def test_generic_code_alone_is_decoded_but_matches_nothing():
    answer = ENGINE.search("(Error: 80004005; Source: Windows)")
    assert answer["results"] == []
    assert [c["hex"] for c in answer["codes"]] == ["0x80004005"]
    assert "E_FAIL" in answer["codes"][0]["names"]


# -- reasons ------------------------------------------------------------------------


def test_result_carries_code_and_line_reasons_with_query_line_numbers():
    paste = (
        "Something unrelated happened first\n"
        "Failed to import the client certificate store (0x80092024)\tOSDSMPClient\t3/4/2011 10:12:13 AM\t2212 (0x08A4)\n"
    )
    answer = ENGINE.search(paste)
    first = answer["results"][0]
    assert first["id"] == "KB977203"
    kinds = {r["type"] for r in first["reasons"]}
    assert {"code", "line"} <= kinds
    line = next(r for r in first["reasons"] if r["type"] == "line")
    assert line["line"] == 2
    assert line["matched"] == "Failed to import the client certificate store (0x80092024)"
    assert first["first_step"] and first["summary"]


def test_lines_differing_only_in_their_code_do_not_match():
    right = ENGINE.search("Failed to import the client certificate store (0x80092024)")["results"]
    wrong = ENGINE.search("Failed to import the client certificate store (0x80070005)")["results"]
    assert any(r["type"] == "line" for r in right[0]["reasons"])
    for result in wrong:
        assert not any(r["type"] == "line" for r in result["reasons"])


# -- query text is never query syntax -------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "*",
        "code:0x8007*",
        "title:hash AND NOT body:x",
        '"unbalanced quote',
        r"\\server\share$ (",
        "(((",
        "a OR b",
    ],
)
def test_query_syntax_is_plain_text(query):
    answer = ENGINE.search(query)
    assert isinstance(answer["results"], list)
    assert all(r["score"] >= 0.0 for r in answer["results"])


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "the query is empty: paste an error code, log lines or a question"),
        ("   \n\t ", "the query is empty: paste an error code, log lines or a question"),
        (
            "x" * 200_001,
            "the query is 200,001 characters; the limit is 200,000 (use kb analyze for a whole log file)",
        ),
    ],
)
def test_bad_queries_raise_query_error(text, message):
    with pytest.raises(QueryError) as err:
        ENGINE.search(text)
    assert str(err.value) == message


def test_binary_and_odd_text_do_not_crash():
    junk = "".join(chr(c) for c in range(0, 0x2FF)) + "\ufffd\x00\udcff" * 10
    assert isinstance(ENGINE.search(junk)["results"], list)


# -- the command line -----------------------------------------------------------------


def test_cli_search_json_contract(run):
    result = run("search", "--json", "Hash could not be matched for the downloaded content.")
    assert result.exit_code == 0
    data = result.json()
    assert set(data) == {"query", "codes", "results", "strong"}
    first = data["results"][0]
    assert first["id"] == "ts-hash-mismatch-extended-chars"
    assert data["strong"] is True and first["confidence"] == "strong"
    keys = {"id", "title", "score", "confidence", "reasons", "summary", "first_step", "parts"}
    assert keys <= set(first)
    assert 0.0 < first["score"] <= 1.0
    tiers = [r["confidence"] for r in data["results"]]
    assert set(tiers) <= {"strong", "possible"}
    assert tiers == sorted(tiers, key=lambda t: t != "strong")  # strong ones first
    for tier in ("strong", "possible"):
        scores = [r["score"] for r in data["results"] if r["confidence"] == tier]
        assert scores == sorted(scores, reverse=True)


def test_cli_search_reads_stdin_and_exits_1_when_nothing_fits(run):
    result = run("search", input="how long do I boil an egg\n")
    assert result.exit_code == 1
    assert result.stdout.startswith("No article matches this query.")
    multi = run(
        "search",
        "-",
        input="Retrying download...\nTried all the available http based locations. SMB based locations will be attempted now.\n",
    )
    assert multi.exit_code == 0
    assert multi.stdout.startswith("1. KB2508665:")


def test_cli_search_empty_is_a_usage_error(run):
    result = run("search", input="")
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == "kb: error: the query is empty: paste an error code, log lines or a question"
    )
