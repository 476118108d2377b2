"""The search data of the static site: everything kb/static/engine/ needs to rank alike.

The browser engine reimplements kb.search.engine. To rank exactly as Python does it
must see exactly what Python sees, so nothing here is recomputed from the
articles: the BM25F statistics (document frequencies, term weights, quantized
field lengths) are read from the Whoosh index of a built Engine, and the
signature line templates are the Engine's own. Logarithms are exported as
values (per document frequency) so the result does not depend on the browser's
libm. The layout is compact (postings are flat gap-encoded arrays) because a
corpus of thousands of articles is loaded by every visitor.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kb.logs import KNOWN_COMPONENTS
from kb.search import ranking
from kb.search.engine import CURATED_FIELDS, MAX_CODES_SHOWN, Engine
from kb.search.masking import BOILERPLATE
from kb.search.masking import MAX_LINE as MASK_MAX_LINE
from kb.search.ranking import PARAMS
from kb.search.signals import MAX_LINES, MAX_QUERY_CHARS
from kb.search.textnorm import COMMON_TERMS, STOP_WORDS
from kb.search.vocabulary import canonical_forms, pattern_source

FORMAT_VERSION = 3
CLASS_LETTERS = {"generic": "g", "common": "c", "specific": "s"}


def search_data(
    engine: Engine,
    article_url: Callable[[str], str],
    first_step_html: Callable[[str], str],
    code_pages: set[int],
) -> dict[str, Any]:
    """Return the search index of an engine as JSON-ready data (see kb/static/engine/)."""
    from kb.search.index import FIELDS

    return {
        "version": FORMAT_VERSION,
        "params": PARAMS,
        "fields": list(FIELDS),
        "limits": {
            "max_query_chars": MAX_QUERY_CHARS,
            "max_lines": MAX_LINES,
            "mask_max_line": MASK_MAX_LINE,
            "max_codes_shown": MAX_CODES_SHOWN,
        },
        "stop_words": sorted(STOP_WORDS),
        "common_terms": sorted(COMMON_TERMS),
        "boilerplate": list(BOILERPLATE),
        "components": sorted(KNOWN_COMPONENTS),
        "articles": [
            article_entry(engine, i, article_url, first_step_html)
            for i in range(len(engine.articles))
        ],
        "lines": signature_lines(engine),
        "code_class": {str(v): CLASS_LETTERS[kind] for v, kind in sorted(engine.code_kind.items())},
        "code_pages": sorted(code_pages),
        "bm25": bm25_statistics(engine),
        "vocabulary": {
            "pattern": pattern_source(engine.vocabulary_groups),
            "canon": canonical_forms(engine.vocabulary_groups),
        },
        "curated_fields": [FIELDS.index(f) for f in CURATED_FIELDS],
        "scope": {
            "entries": [list(entry) for entry in engine.scope.entries],
            "prefixes": list(engine.scope.prefixes),
        },
    }


def article_entry(
    engine: Engine,
    i: int,
    article_url: Callable[[str], str],
    first_step_html: Callable[[str], str],
) -> dict[str, Any]:
    """Return what a result shows of one article, and the codes it cites."""
    a = engine.articles[i]
    in_sig = engine.signature_codes[i]
    return {
        "id": a.id,
        "title": a.title,
        "summary": a.summary,
        "first_step": a.first_step,
        "first_step_html": first_step_html(a.first_step) if a.first_step else "",
        "url": article_url(a.id),
        "tags": list(a.tags),
        "kind": a.kind,
        "codes": [[v, 1 if v in in_sig else 0] for v in a.codes],
        "patterns": list(a.signatures.patterns),
        "components": sorted(engine.lines.components[i]),
        "questions": [[text, sorted(terms)] for text, terms in engine.declared.questions[i]],
        **({"draft": True} if a.draft else {}),
    }


def signature_lines(engine: Engine) -> list[list[Any]]:
    """Return the Engine's signature line templates: [article, text, template, codes, anchors, df]."""
    return [
        [
            sl.article,
            sl.text,
            sl.template.text,
            sorted(sl.template.codes),
            sorted(sl.template.anchors),
            sl.df,
        ]
        for sl in engine.sig_lines
    ]


def bm25_statistics(engine: Engine) -> dict[str, Any]:
    """Return the BM25F statistics of the engine's Whoosh index, by article position.

    ``terms[t]`` is ``[total_df, df_any, p_0 .. p_4]`` with one posting list per
    field (0 when the field lacks the term). A posting list is flat: a gap from
    the previous article (the first from -1) for a weight of 1, or a negative gap
    followed by the weight.
    """
    from kb.search.index import FIELDS

    reader = engine.ix.reader()
    try:
        n = reader.doc_count_all()
        avgfl = [(reader.field_length(f) / (n or 1)) or 1 for f in FIELDS]
        lengths = [[0] * len(engine.articles) for _ in FIELDS]
        for docnum, i in engine.docnum_to_article.items():
            for k, f in enumerate(FIELDS):
                lengths[k][i] = reader.doc_field_length(docnum, f, 1)
        terms: dict[str, list[Any]] = {}
        for t in engine.vocabulary:
            entry: list[Any] = [engine.total_df[t], engine.df_any[t]]
            for f in FIELDS:
                entry.append(_postings(reader, f, t, engine.docnum_to_article) or 0)
            terms[t] = entry
    finally:
        reader.close()
    dfs = {0} | {d for per_field in engine.df.values() for d in per_field.values()}
    dfs_any = {0} | set(engine.df_any.values())
    return {
        "N": n,
        "avgfl": avgfl,
        "lengths": lengths,
        "terms": terms,
        # ranking.idf and the importance of kb.search.ranking.term_importance, by df.
        "idf": {str(d): ranking.idf(engine.doc_count, d) for d in sorted(dfs)},
        "importance": {
            str(d): max(0.0, math.log(engine.doc_count / (d + 1))) for d in sorted(dfs_any)
        },
        "log_full": math.log(max(engine.doc_count, 2)),
    }


def _postings(reader: Any, field: str, term: str, to_article: dict[int, int]) -> list[float]:
    """Return one term's postings in one field, gap-encoded (see bm25_statistics)."""
    if not reader.doc_frequency(field, term):
        return []
    pairs = sorted((to_article[d], w) for d, w in reader.postings(field, term).items_as("weight"))
    out: list[float] = []
    last = -1
    for i, w in pairs:
        gap = i - last
        last = i
        if w == 1:
            out.append(gap)
        else:
            out.extend((-gap, int(w) if float(w).is_integer() else w))
    return out


def write_script(path: Path, global_name: str, data: Any) -> int:
    """Write data as a script that assigns it to a global (loads from file:// too); return bytes."""
    body = json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    text = f"globalThis.{global_name}={body};\n"
    path.write_text(text, encoding="ascii")
    return len(text)
