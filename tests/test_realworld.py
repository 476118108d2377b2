"""The real-world set (tests/quality/realworld.yaml): its shape, and the bars the engine clears.

The bars are those measured on the held-out ``check`` split (benchmarks/quality.py
prints the full table); the set's cases are admins' own public pastes.
"""

from __future__ import annotations

from collections import Counter

import pytest

from kb.search.engine import Engine
from tests.quality import article_ids
from tests.quality.realworld import load_realworld, split_of

CASES = load_realworld()
ENGINE = Engine.load(in_memory=True)


@pytest.fixture(scope="module")
def answers():
    return {c.id: ENGINE.search(c.text) for c in CASES}


def test_the_set_is_large_enough_and_mostly_hard_negatives():
    assert len(CASES) >= 80
    positives = sum(1 for c in CASES if c.expect)
    assert positives / len(CASES) <= 0.4
    assert {c.expect for c in CASES if c.expect} <= article_ids()


@pytest.mark.xfail(
    strict=True,
    reason="measured 34 positives of 155 cases (21.9%): the stored public posts hold few "
    "more threads whose root cause is one of the articles (three more harvests found 5)",
)
def test_at_least_a_quarter_of_the_set_is_positives():
    positives = sum(1 for c in CASES if c.expect)
    assert positives / len(CASES) >= 0.25


def test_every_case_names_its_source_cause_and_reason():
    for c in CASES:
        assert c.source.startswith("http") and c.source_key and c.root_cause and c.why, c.id
        assert c.text.strip(), c.id


def test_splits_come_from_the_source_and_share_no_source():
    by_split: dict[str, set[str]] = {"tune": set(), "check": set()}
    for c in CASES:
        assert c.split == split_of(c.source_key)
        by_split[c.split].add(c.source_key)
    assert not by_split["tune"] & by_split["check"]
    counts = Counter(c.split for c in CASES if c.expect)
    assert counts["tune"] >= 8 and counts["check"] >= 8


def _rates(answers, split: str):
    chosen = [c for c in CASES if c.split == split]
    pos = [c for c in chosen if c.expect]
    neg = [c for c in chosen if not c.expect]
    top1 = sum(
        1
        for c in pos
        if answers[c.id]["results"][:1] and answers[c.id]["results"][0]["id"] == c.expect
    )
    strong = [c for c in chosen if answers[c.id]["strong"]]
    right = sum(1 for c in strong if c.expect and answers[c.id]["results"][0]["id"] == c.expect)
    neg_strong = sum(1 for c in neg if answers[c.id]["strong"])
    return top1 / len(pos), right / len(strong), neg_strong / len(neg)


# The targets: 90% top-1, 95% strong precision, at most 1 in 20 negatives strong.
# The tune split may be used to choose rules; the check split is only measured.
BARS = {"tune": (0.90, 0.95, 1 / 20), "check": (0.90, 0.95, 1 / 20)}


def _below_bar(reason: str):
    return pytest.mark.xfail(strict=True, reason=reason)


# Targets the engine misses, with what was measured.
BELOW = {
    ("tune", "top1"): _below_bar(
        "rw-tune top-1 measured 14 of 18 (77.8%), target 90%: long narratives from the "
        "second harvest find nothing"
    ),
    ("check", "precision"): _below_bar(
        "rw-check strong precision measured 10 of 11 (90.9%), target 95%: an SMS 1.x "
        "'Phase 4 Complete' question is answered by secondary-site-stuck-upgrade, and "
        "with 16 check positives one wrong strong answer caps it at 16 of 17 (94.1%)"
    ),
}


@pytest.mark.parametrize(
    ("split", "metric"),
    [
        pytest.param(
            split, metric, marks=[BELOW[split, metric]] if (split, metric) in BELOW else []
        )
        for split in ("tune", "check")
        for metric in ("top1", "precision", "negatives_strong")
    ],
)
def test_real_world_bars(answers, split, metric):
    top1, precision, negatives_strong = _rates(answers, split)
    min_top1, min_precision, max_negatives_strong = BARS[split]
    if metric == "top1":
        assert top1 >= min_top1, top1
    elif metric == "precision":
        assert precision >= min_precision, precision
    else:
        assert negatives_strong <= max_negatives_strong, negatives_strong
