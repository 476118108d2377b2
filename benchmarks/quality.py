"""Search quality: the engine against two baselines on the labeled query set.

Prints top-1 accuracy, mean reciprocal rank and the negative-rejection rate,
per split (``tune``: may be used to calibrate; ``check``: held out;
``examples``: every article's own examples), for:

* engine: ``kb.search.engine.Engine`` (codes + fuzzy lines + BM25F, with threshold);
* bm25: Whoosh BM25 alone over each article's whole text (no threshold: any
  matching term returns results, as a docs site's search box does);
* grep-codes: the articles citing any code of the query, in file order.

Splits: ``labeled`` is tune + check; ``all`` adds the examples.

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

Ranker = Callable[[str], list[str]]


def engine_ranker(engine: Engine) -> Ranker:
    """Rank with the full engine (only results above its threshold)."""
    return lambda text: [r["id"] for r in engine.search(text, limit=10)["results"]]


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
            return []
        return [h["id"] for h in searcher.search(q, limit=10)]

    return rank


def grep_ranker(engine: Engine) -> Ranker:
    """Rank the articles citing any code of the query, in file order."""
    from kb.codes import code_values

    def rank(text: str) -> list[str]:
        codes = set(code_values(text))
        return [a.id for a in engine.articles if codes & set(a.codes)]

    return rank


def measure(queries: list[Query], rank: Ranker) -> dict:
    """Return top-1, MRR and negative rejection for one ranker over queries."""
    pos = [q for q in queries if q.expect]
    neg = [q for q in queries if not q.expect]
    top1 = 0
    rr = 0.0
    misses = []
    for q in pos:
        ids = rank(q.text)
        if ids and ids[0] == q.expect:
            top1 += 1
        else:
            misses.append((q.id, q.expect, ids[:3]))
        if q.expect in ids:
            rr += 1.0 / (ids.index(q.expect) + 1)
    rejected = 0
    for q in neg:
        ids = rank(q.text)
        if not ids:
            rejected += 1
        else:
            misses.append((q.id, None, ids[:3]))
    return {
        "positives": len(pos),
        "negatives": len(neg),
        "top1": top1 / len(pos) if pos else None,
        "mrr": rr / len(pos) if pos else None,
        "rejection": rejected / len(neg) if neg else None,
        "misses": misses,
    }


def splits(queries: list[Query]) -> dict[str, list[Query]]:
    """Group queries by split, plus 'all'."""
    out: dict[str, list[Query]] = {}
    for q in queries:
        out.setdefault(q.split, []).append(q)
    out["labeled"] = [q for q in queries if q.split != "examples"]
    out["all"] = queries
    return out


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
    queries = load_queries() + article_examples()
    groups = splits(queries)
    if args.split:
        groups = {args.split: groups[args.split]}
    rankers = {"engine": engine_ranker(engine), "bm25": bm25_ranker(engine),
               "grep-codes": grep_ranker(engine)}  # fmt: skip
    table = {name: {s: measure(qs, r) for s, qs in groups.items()} for name, r in rankers.items()}
    if args.json:
        print(json.dumps(table, indent=2))
        return 0
    print(
        f"{'ranker':<11} {'split':<9} {'pos':>4} {'neg':>4} {'top-1':>7} {'MRR':>7} {'rejected':>9}"
    )
    for name, per in table.items():
        for s, m in per.items():
            mrr = "   -  " if m["mrr"] is None else f"{m['mrr']:.3f} "
            print(f"{name:<11} {s:<9} {m['positives']:>4} {m['negatives']:>4} {fmt(m['top1']):>7}"
                  f" {mrr:>7} {fmt(m['rejection']):>9}")  # fmt: skip
    if args.misses:
        for name, per in table.items():
            for qid, expect, got in per["all"]["misses"]:
                print(f"miss {name}: {qid} expected {expect} got {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
