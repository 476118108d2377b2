"""The search data the static site exports holds exactly what the Python engine ranks with.

The BM25F score the browser recomputes from the exported statistics must equal
Whoosh's own score for every term and article; the line templates and code
classes must be the Engine's.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

import pytest

from kb.search.export import bm25_statistics, search_data, write_script
from kb.search.index import FIELDS
from kb.search.ranking import PARAMS
from tests.conftest import ARTICLES


@lru_cache(maxsize=1)
def engine():
    from kb.corpus.articles import load_corpus
    from kb.search.engine import Engine

    return Engine(load_corpus([ARTICLES]), in_memory=True)


@lru_cache(maxsize=1)
def stats():
    return bm25_statistics(engine())


def decode(flat) -> list[tuple[int, float]]:
    """Decode one gap-encoded posting list as kb/static/engine/engine.js does."""
    out, last, i = [], -1, 0
    while flat and i < len(flat):
        x = flat[i]
        if x > 0:
            last += x
            out.append((last, 1))
        else:
            last -= x
            i += 1
            out.append((last, flat[i]))
        i += 1
    return out


def js_scores(term: str) -> dict[int, float]:
    """Score one term as kb/static/engine/engine.js does, from the exported statistics only."""
    s = stats()
    entry = s["terms"][term]
    b, k1 = PARAMS["bm25_B"], PARAMS["bm25_K1"]
    scores: dict[int, float] = {}
    for field, boost in PARAMS["field_boosts"].items():
        k = FIELDS.index(field)
        postings = decode(entry[2 + k])
        if not postings:
            continue
        idf = s["idf"][str(len(postings))]
        for doc, tf in postings:
            fl = s["lengths"][k][doc]
            part = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / s["avgfl"][k]))) * boost
            scores[doc] = scores.get(doc, 0) + part
    return scores


def whoosh_scores(term: str) -> dict[int, float]:
    """Score one term with Whoosh's own search (an Or of boosted per-field Terms)."""
    from whoosh.query import Or, Term
    from whoosh.scoring import BM25F

    e = engine()
    q = Or([Term(f, term, boost=b) for f, b in PARAMS["field_boosts"].items() if e.df[f].get(term)])
    with e.ix.searcher(weighting=BM25F(B=PARAMS["bm25_B"], K1=PARAMS["bm25_K1"])) as searcher:
        return {e.docnum_to_article[h.docnum]: h.score for h in searcher.search(q, limit=None)}


def test_every_term_scores_as_whoosh_scores_it():
    worst = 0.0
    for term in engine().vocabulary:
        mine, theirs = js_scores(term), whoosh_scores(term)
        assert mine.keys() == theirs.keys(), term
        for doc, score in theirs.items():
            worst = max(worst, abs(mine[doc] - score))
    assert worst < 1e-12


def test_every_term_covers_as_the_engine_computes():
    e = engine()
    for term in e.vocabulary:
        scale = e.query_terms([term])[0][term][0]
        mine = {
            doc: min(1.0, s / (PARAMS["term_saturation"] * scale))
            for doc, s in js_scores(term).items()
        }
        assert mine == e._term_coverage(term, scale), term


def test_statistics_match_the_index():
    e = engine()
    s = stats()
    assert s["N"] == len(e.articles) == len(s["lengths"][0])
    for term, entry in s["terms"].items():
        assert entry[0] == e.total_df[term] and entry[1] == e.df_any[term]
        for k, f in enumerate(FIELDS):
            assert len(decode(entry[2 + k])) == e.df[f].get(term, 0)
    assert s["log_full"] == math.log(max(e.doc_count, 2))
    assert s["importance"]["0"] == math.log(e.doc_count)


def test_lines_codes_and_articles_are_the_engines():
    e = engine()
    data = search_data(e, lambda i: f"articles/{i}.html", lambda md: md, set())
    assert data["params"] == PARAMS
    assert [line[2] for line in data["lines"]] == [sl.template.text for sl in e.sig_lines]
    assert [line[5] for line in data["lines"]] == [sl.df for sl in e.sig_lines]
    assert {int(v): k for v, k in data["code_class"].items()} == {
        v: kind[0] for v, kind in e.code_kind.items()
    }
    assert [a["id"] for a in data["articles"]] == [a.id for a in e.articles]
    assert data["articles"][0]["codes"] == [[v, int(in_sig)] for v, in_sig in _codes_of(e, 0)]


def _codes_of(e, i):
    return [(v, any(j == i and s for j, s in e.code_articles[v])) for v in e.articles[i].codes]


@pytest.mark.parametrize("name", ["KB_INDEX", "KB_CODES"])
def test_the_data_is_a_script_that_assigns_a_global(tmp_path, name):
    path = tmp_path / "data.js"
    size = write_script(path, name, {"a": [1, "é"]})
    text = path.read_text(encoding="ascii")
    assert size == len(text)
    assert text.startswith(f"globalThis.{name}=") and text.endswith(";\n")
    assert json.loads(text[len(f"globalThis.{name}=") : -2]) == {"a": [1, "é"]}
