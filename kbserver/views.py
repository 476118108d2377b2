"""Build the plain dicts that pages render and the JSON API returns; no request needed.

One function per answer (datasette's habit): ``/search`` and ``/api/search``
both come from :func:`search_answer`; the page context adds only what a page
shows on top of it. The static-site build calls the same ``*_context``
functions, so nothing here reads a Flask request or builds a URL.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kb.errors import QueryError
from kb.search import article_ref, code_answer

if TYPE_CHECKING:
    from kb.corpus import Article
    from kb.search import Engine

SearchFunc = Callable[[str, int], dict[str, Any]]
DEFAULT_LIMIT = 10
CACHE_MAX_QUERY = 8_000  # characters; longer queries are searched every time
MAX_LIMIT = 100
# A paste longer than this many lines is shown cut: the matched lines come first anyway.
MAX_PASTE_LINES = 2000
HOME_TOPICS = 24
KIND_LABELS = {
    "hresult": "HRESULT",
    "hresult-win32": "HRESULT wrapping a Win32 error",
    "ntstatus": "NTSTATUS",
    "win32": "Win32 error",
}
EXAMPLES = (
    "0x80070002",
    "Hash could not be matched for the downloaded content.",
    "Failed to import the client certificate store (0x80092024)",
    "task sequence fails on 64-bit boot image",
)


def check_query(text: str | None, max_chars: int) -> str:
    """Return the query, or raise QueryError with a message a helpdesk tech understands."""
    if text is None or not text.strip():
        raise QueryError("The query is empty: paste an error code, log lines or a question.")
    if len(text) > max_chars:
        raise QueryError(
            f"The query is {len(text):,} characters; the limit is {max_chars:,}. "
            "Paste only the red lines, or upload the whole log file to have it analyzed."
        )
    return text


def search_answer(
    search: SearchFunc, text: str | None, max_chars: int, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    """Return the search object (``kb search --json``) for a query; raise QueryError."""
    return search(check_query(text, max_chars), limit)


def cached_search(engine: Engine, size: int) -> SearchFunc:
    """Return engine.search behind an LRU cache of answers to short queries (size 0: none).

    The knowledge base does not change while the app runs, so an answer can be
    reused: a shared link, a reload, the same error pasted by ten technicians.
    Answers are shared between requests, so callers must not modify them.
    """
    if size <= 0:
        return engine.search
    cached = lru_cache(maxsize=size)(engine.search)

    def search(text: str, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
        if len(text) > CACHE_MAX_QUERY:  # a whole pasted log is unique: don't hold it
            return engine.search(text, limit)
        return cached(text, limit)

    search.cache_info = cached.cache_info  # type: ignore[attr-defined]
    return search


def search_context(engine: Engine, answer: dict[str, Any]) -> dict[str, Any]:
    """Return the search page's context: the answer, and the paste with matched lines marked."""
    lines, cut = paste_lines(answer["query"], answer["results"])
    return {
        "title": first_line(answer["query"]),
        "q": answer["query"],
        "answer": answer,
        "results": [result_view(engine, r, rank) for rank, r in enumerate(answer["results"], 1)],
        "codes": [code_view(c) for c in answer["codes"]],
        "lines": lines,
        "lines_cut": cut,
        "matched_lines": sum(1 for ln in lines if ln["hits"]),
        "article_ids": engine_ids(engine),
    }


def result_view(engine: Engine, result: dict[str, Any], rank: int) -> dict[str, Any]:
    """Return one search result with its rank and reasons grouped by type."""
    article = engine.corpus.by_id.get(result["id"])
    return {
        **result,
        "rank": rank,
        "tags": list(article.tags) if article else [],
        "code_reasons": [r for r in result["reasons"] if r["type"] == "code"],
        "line_reasons": sorted(
            (r for r in result["reasons"] if r["type"] == "line"), key=lambda r: r["line"]
        ),
        "text_reasons": [r for r in result["reasons"] if r["type"] == "text"],
    }


def paste_lines(query: str, results: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], bool]:
    """Split a paste into numbered lines, marking those a result matched; return (lines, cut)."""
    from kb.logs import text_lines

    hits: dict[int, list[dict[str, Any]]] = {}
    for rank, result in enumerate(results, 1):
        for reason in result["reasons"]:
            if reason["type"] == "line":
                hits.setdefault(reason["line"], []).append(
                    {"id": result["id"], "rank": rank, "similarity": reason["similarity"]}
                )
    all_lines = text_lines(query)
    out = [
        {"number": n, "segments": code_segments(text), "hits": hits.get(n, [])}
        for n, text in enumerate(all_lines[:MAX_PASTE_LINES], 1)
    ]
    return out, len(all_lines) > MAX_PASTE_LINES


def code_segments(text: str) -> list[dict[str, str | None]]:
    """Split a line into text and error-code pieces, so pages can link each code."""
    from kb.codes import extract_codes, format_hex

    out: list[dict[str, str | None]] = []
    pos = 0
    for found in extract_codes(text):
        if found.start < pos:
            continue
        if found.start > pos:
            out.append({"text": text[pos : found.start], "code": None})
        out.append({"text": text[found.start : found.end], "code": format_hex(found.value)})
        pos = found.end
    if pos < len(text) or not out:
        out.append({"text": text[pos:], "code": None})
    return out


def code_view(answer: dict[str, Any]) -> dict[str, Any]:
    """Return a lookup object with labels for display (kind, facility, wrapped Win32 code)."""
    from kb.codes import decode, format_hex

    view = dict(answer)
    view["kind_label"] = KIND_LABELS.get(answer["kind"], answer["kind"])
    win32 = answer.get("win32")
    view["win32_hex"] = None if win32 is None else format_hex(win32)
    view["win32_names"] = [] if win32 is None else list(decode(win32).names)
    return view


def code_context(engine: Engine, value: int) -> dict[str, Any]:
    """Return the code page's context: the lookup object of a code value."""
    answer = code_answer(engine.corpus, value)
    return {"title": answer["hex"], "code": code_view(answer), "article_ids": engine_ids(engine)}


def article_context(engine: Engine, article: Article) -> dict[str, Any]:
    """Return the article page's context: metadata, cited codes, related articles."""
    from kb.codes import decode, format_hex, parse_code
    from kb.errors import CodeError

    by_id = engine.corpus.by_id
    signature_codes = []
    for text in article.signatures.codes:
        try:
            signature_codes.append(format_hex(parse_code(text)))
        except CodeError:
            continue
    codes = []
    for value in article.codes:
        info = decode(value)
        codes.append(
            {
                "hex": info.hex,
                "names": list(info.names),
                "description": info.description,
                "in_signatures": info.hex in signature_codes,
            }
        )
    return {
        "title": article.title,
        "article": article,
        "meta": article.to_dict(),
        "codes": codes,
        "related": [article_ref(by_id[r]) for r in article.related if r in by_id],
        "article_ids": engine_ids(engine),
    }


def articles_index_context(engine: Engine) -> dict[str, Any]:
    """Return the articles index: every article, grouped by tag, tags by name."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for a in engine.corpus.articles:
        for tag in a.tags or ("untagged",):
            groups.setdefault(tag, []).append(article_summary(a))
    tags = [
        {"tag": tag, "anchor": "tag-" + tag, "articles": sorted(refs, key=lambda r: r["title"])}
        for tag, refs in sorted(groups.items(), key=lambda kv: kv[0].lower())
    ]
    everything = sorted((article_summary(a) for a in engine.corpus.articles), key=_title_key)
    return {"title": "Articles", "tags": tags, "articles": everything, "count": len(everything)}


def article_summary(article: Article) -> dict[str, Any]:
    """Return an article ref with its kind and tags (the /api/articles entries)."""
    return {**article_ref(article), "kind": article.kind, "tags": list(article.tags)}


def article_detail(article: Article, html: str) -> dict[str, Any]:
    """Return /api/articles/<id>: metadata, cited codes, Markdown body and rendered HTML."""
    from kb.codes import format_hex

    return {
        **article.to_dict(),
        "examples": list(article.examples),
        "codes": [format_hex(v) for v in article.codes],
        "first_step": article.first_step,
        "body": article.body,
        "html": html,
    }


def analyze_context(engine: Engine, report: dict[str, Any]) -> dict[str, Any]:
    """Return the analyze page's context: the report, its codes decoded, results ranked."""
    from kb.codes import parse_code

    errors = [{**e, "segments": code_segments(e["message"])} for e in report["errors"]]
    others = [
        {**e, "segments": code_segments(e["message"])} for e in report.get("other_errors", [])
    ]
    codes = [code_view(code_answer(engine.corpus, parse_code(h))) for h in report["codes"]]
    return {
        "title": f"Analysis of {report['file']}",
        "report": report,
        "errors": errors,
        "other_errors": others,
        "codes": codes,
        "results": [result_view(engine, r, rank) for rank, r in enumerate(report["results"], 1)],
        "article_ids": engine_ids(engine),
    }


def home_context(engine: Engine) -> dict[str, Any]:
    """Return the home page's context: article count, example queries, the common tags."""
    counts: dict[str, int] = {}
    for a in engine.corpus.articles:
        for tag in a.tags:
            counts[tag] = counts.get(tag, 0) + 1
    topics = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:HOME_TOPICS]
    return {
        "title": None,
        "count": len(engine.corpus.articles),
        "examples": EXAMPLES,
        "topics": [{"tag": t, "count": n} for t, n in topics],
    }


def engine_ids(engine: Engine) -> frozenset[str]:
    """Return every article id (to link ids written in Markdown text)."""
    return frozenset(engine.corpus.by_id)


def first_line(text: str, width: int = 70) -> str:
    """Return the first non-empty line of a query, shortened for a page title."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


def _title_key(ref: dict[str, Any]) -> str:
    return ref["title"].lower()
