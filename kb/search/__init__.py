"""Search: from a paste to ranked articles, each with the reasons it matched.

- ``textnorm``: words, stems and the stop and common word lists
- ``vocabulary``: the domain vocabulary's rewrite of equivalent phrases
- ``masking``: log lines to templates (names, ids, paths, numbers masked)
- ``signals``: what a paste holds (codes, log lines, words)
- ``index``: the Whoosh index of the corpus, cached by content hash
- ``lines``: fuzzy matching of pasted lines to signature lines
- ``declared``: the patterns and questions articles declare, matched to a paste
- ``ranking``: every parameter and formula of the score and the confidence tiers
- ``results``: one article's evidence turned into a result with reasons and a tier
- ``answers``: the JSON-ready answer objects (search results, code lookups)
- ``engine``: the ``Engine`` that ties them together
- ``export``: the engine's data for the browser engine of the static site
- ``draft``: a draft article from a failing log (signatures and Symptoms from its lines)
- ``findability``: whether each article's examples find it first (``kb check``)

Names are imported on first use, so ``kb lookup`` does not load whoosh or rapidfuzz.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kb.search.answers import article_named, article_ref, code_answer, lookup_answer
    from kb.search.draft import TODO, draft_article, suggest_id, suggest_title
    from kb.search.engine import MAX_CODES_SHOWN, Engine
    from kb.search.export import search_data, write_script
    from kb.search.findability import Findability, check_findability
    from kb.search.index import content_hash, open_index
    from kb.search.masking import is_boilerplate, mask
    from kb.search.ranking import PARAMS, code_class
    from kb.search.signals import MAX_QUERY_CHARS
    from kb.search.textnorm import COMMON_TERMS, stem

_LAZY = {
    "TODO": "draft",
    "draft_article": "draft",
    "suggest_id": "draft",
    "suggest_title": "draft",
    "Findability": "findability",
    "check_findability": "findability",
    "COMMON_TERMS": "textnorm",
    "PARAMS": "ranking",
    "code_class": "ranking",
    "is_boilerplate": "masking",
    "Engine": "engine",
    "MAX_CODES_SHOWN": "engine",
    "MAX_QUERY_CHARS": "signals",
    "article_named": "answers",
    "article_ref": "answers",
    "code_answer": "answers",
    "content_hash": "index",
    "lookup_answer": "answers",
    "mask": "masking",
    "open_index": "index",
    "stem": "textnorm",
    "search_data": "export",
    "write_script": "export",
}

__all__ = [
    "TODO",
    "Findability",
    "check_findability",
    "draft_article",
    "suggest_id",
    "suggest_title",
    "COMMON_TERMS",
    "PARAMS",
    "code_class",
    "is_boilerplate",
    "MAX_CODES_SHOWN",
    "MAX_QUERY_CHARS",
    "Engine",
    "article_named",
    "article_ref",
    "code_answer",
    "content_hash",
    "lookup_answer",
    "mask",
    "open_index",
    "search_data",
    "stem",
    "write_script",
]


def __getattr__(name: str) -> Any:
    """Import the module that holds ``name`` on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
