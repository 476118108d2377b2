"""Search quality on the labeled query set: the bars the engine must keep clearing.

The quality set is the labeled queries plus every article's own examples; the
threshold was chosen on the "tune" split (with the examples) and the "check"
split is held out. benchmarks/quality.py prints the full table with both
baselines, and the labeled queries alone.
"""

from __future__ import annotations

import pytest

from kb.search.engine import Engine
from tests.quality import article_examples, load_queries

ENGINE = Engine.load(in_memory=True)
QUERIES = load_queries() + article_examples()


def top_ids(text: str) -> list[str]:
    return [r["id"] for r in ENGINE.search(text)["results"]]


@pytest.fixture(scope="module")
def outcomes():
    return {q.id: (q, top_ids(q.text)) for q in QUERIES}


def rates(outcomes, split: str | None = None):
    chosen = [(q, ids) for q, ids in outcomes.values() if split in (None, q.split)]
    pos = [(q, ids) for q, ids in chosen if q.expect]
    neg = [(q, ids) for q, ids in chosen if not q.expect]
    top1 = sum(1 for q, ids in pos if ids[:1] == [q.expect]) / len(pos)
    rejected = sum(1 for _, ids in neg if not ids) / len(neg)
    return top1, rejected


def test_top1_at_least_95_percent(outcomes):
    top1, _ = rates(outcomes)
    misses = [
        (q.id, q.expect, ids[:2])
        for q, ids in outcomes.values()
        if q.expect and ids[:1] != [q.expect]
    ]
    assert top1 >= 0.95, misses


def test_negatives_rejected_at_least_90_percent(outcomes):
    _, rejected = rates(outcomes)
    wrong = [(q.id, ids[:2]) for q, ids in outcomes.values() if not q.expect and ids]
    assert rejected >= 0.90, wrong


def test_held_out_split_clears_the_same_bars(outcomes):
    top1, rejected = rates(outcomes, "check")
    assert top1 >= 0.95 and rejected >= 0.90


def test_long_pastes_find_the_few_lines_that_matter(outcomes):
    long_ones = [(q, ids) for q, ids in outcomes.values() if q.form == "long-paste" and q.expect]
    assert len(long_ones) >= 5
    assert all(ids[:1] == [q.expect] for q, ids in long_ones), [(q.id, ids) for q, ids in long_ones]
