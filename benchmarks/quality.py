"""Search quality: the engine against two baselines on the labeled and real-world sets.

Prints top-1 accuracy, mean reciprocal rank, the negative-rejection rate, the
precision of strong answers and how many negatives got a strong answer, per
split (``tune``: may be used to calibrate; ``check``: held out; ``examples``:
every article's own examples; ``rw-tune`` and ``rw-check``: the real-world set
of admins' public pastes, tests/quality/realworld.yaml), for:

* engine: ``kb.search.engine.Engine`` (codes + fuzzy lines + BM25F, with threshold);
* bm25: Whoosh BM25 alone over each article's whole text (no threshold: any
  matching term returns results, as a docs site's search box does);
* grep-codes: the articles citing any code of the query, in file order.

Splits: ``labeled`` is tune + check; ``all`` adds the examples. A baseline
has no tiers: each of its first answers counts as a strong one.

Usage: python benchmarks/quality.py [--json] [--split NAME]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kb.search.engine import Engine  # noqa: E402
from tests.quality import Query, article_examples, load_queries  # noqa: E402
from tests.quality.realworld import load_realworld  # noqa: E402

# A ranker returns the ids it lists, best first, and whether its first is a strong answer.
Ranker = Callable[[str], tuple[list[str], bool]]


def engine_ranker(engine: Engine) -> Ranker:
    """Rank with the full engine (only results above its threshold, strong ones first)."""

    def rank(text: str) -> tuple[list[str], bool]:
        answer = engine.search(text, limit=10)
        return [r["id"] for r in answer["results"]], answer["strong"]

    return rank


def bm25_ranker(engine: Engine) -> Ranker:
    """Rank with plain Whoosh BM25 over each article's whole text."""
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.filedb.filestore import RamStorage
    from whoosh.qparser import OrGroup, QueryParser
    from whoosh.scoring import BM25F

    from kb.search.index import analyzer

    schema = Schema(id=ID(stored=True), content=TEXT(analyzer=analyzer()))
    ix = RamStorage().create_index(schema)
    w = ix.writer()
    for a in engine.articles:
        w.add_document(id=a.id, content=f"{a.title}\n{a.summary}\n{a.body}")
    w.commit()
    searcher = ix.searcher(weighting=BM25F())
    parser = QueryParser("content", ix.schema, group=OrGroup)

    def rank(text: str) -> list[str]:
        # What a docs site does: the text goes through a query parser as typed.
        try:
            q = parser.parse(text[:20000])
        except Exception:
            return [], False
        ids = [h["id"] for h in searcher.search(q, limit=10)]
        return ids, bool(ids)

    return rank


def grep_ranker(engine: Engine) -> Ranker:
    """Rank the articles citing any code of the query, in file order."""
    from kb.codes import code_values

    def rank(text: str) -> list[str]:
        codes = set(code_values(text))
        ids = [a.id for a in engine.articles if codes & set(a.codes)]
        return ids, bool(ids)

    return rank


def measure(queries: list[Query], rank: Ranker) -> dict:
    """Return top-1, MRR, rejection and strong-answer figures for one ranker over queries."""
    pos = [q for q in queries if q.expect]
    neg = [q for q in queries if not q.expect]
    top1 = 0
    rr = 0.0
    strong = strong_right = 0
    misses = []
    for q in pos:
        ids, is_strong = rank(q.text)
        if ids and ids[0] == q.expect:
            top1 += 1
        else:
            misses.append((q.id, q.expect, ids[:3]))
        if q.expect in ids:
            rr += 1.0 / (ids.index(q.expect) + 1)
        if is_strong:
            strong += 1
            strong_right += ids[0] == q.expect
    rejected = neg_strong = 0
    for q in neg:
        ids, is_strong = rank(q.text)
        if not ids:
            rejected += 1
        else:
            misses.append((q.id, None, ids[:3]))
        neg_strong += is_strong
    strong += neg_strong
    return {
        "positives": len(pos),
        "negatives": len(neg),
        "top1": top1 / len(pos) if pos else None,
        "mrr": rr / len(pos) if pos else None,
        "rejection": rejected / len(neg) if neg else None,
        "strong_precision": strong_right / strong if strong else None,
        "strong_answers": strong,
        "negatives_strong": neg_strong,
        "misses": misses,
    }


def splits(queries: list[Query]) -> dict[str, list[Query]]:
    """Group queries by split, plus 'all'."""
    out: dict[str, list[Query]] = {}
    for q in queries:
        out.setdefault(q.split, []).append(q)
    out["labeled"] = [q for q in queries if q.split in ("tune", "check")]
    out["all"] = [q for q in queries if not q.split.startswith("rw-")]
    return out


def realworld_queries() -> list[Query]:
    """Return the real-world cases as queries of the splits rw-tune and rw-check."""
    return [
        Query(c.id, c.expect, f"rw-{c.split}", c.form, c.text)
        for c in sorted(load_realworld(), key=lambda c: (c.split != "tune", c.id))
    ]


def fmt(value: float | None) -> str:
    """Format a rate as a percentage."""
    return "   -  " if value is None else f"{100 * value:5.1f}%"


def main() -> int:
    """Run every ranker on every split and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--split", default=None)
    parser.add_argument("--misses", action="store_true", help="list the queries each ranker missed")
    args = parser.parse_args()

    engine = Engine.load(in_memory=True)
    queries = load_queries() + article_examples() + realworld_queries()
    groups = splits(queries)
    if args.split:
        groups = {args.split: groups[args.split]}
    rankers = {"engine": engine_ranker(engine), "bm25": bm25_ranker(engine),
               "grep-codes": grep_ranker(engine)}  # fmt: skip
    table = {name: {s: measure(qs, r) for s, qs in groups.items()} for name, r in rankers.items()}
    if args.json:
        print(json.dumps(table, indent=2))
        return 0
    print(f"{'ranker':<11} {'split':<9} {'pos':>4} {'neg':>4} {'top-1':>7} {'MRR':>7}"
          f" {'rejected':>9} {'strong prec.':>13} {'neg. strong':>12}")  # fmt: skip
    for s in groups:
        for name, per in table.items():
            m = per[s]
            mrr = "   -  " if m["mrr"] is None else f"{m['mrr']:.3f} "
            neg_strong = f"{m['negatives_strong']}/{m['negatives']}" if m["negatives"] else "-"
            print(f"{name:<11} {s:<9} {m['positives']:>4} {m['negatives']:>4} {fmt(m['top1']):>7}"
                  f" {mrr:>7} {fmt(m['rejection']):>9} {fmt(m['strong_precision']):>13}"
                  f" {neg_strong:>12}")  # fmt: skip
    if args.misses:
        for name, per in table.items():
            for s in ("all", "rw-tune", "rw-check"):
                for qid, expect, got in per.get(s, {"misses": []})["misses"]:
                    print(f"miss {name} {s}: {qid} expected {expect} got {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
