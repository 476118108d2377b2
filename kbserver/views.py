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
MAIN_TOPICS = 6  # topics offered as filters on the articles page
KIND_ORDER = ["troubleshooting", "how-to", "reference"]
LOG_TAG = "logs"  # the how-to articles on collecting and reading logs carry this tag
DRAFT_COMMAND = 'kb new my-problem --title "..." --from-log smsts.log'
CHAIN_SHOWN = 5  # root error lines shown before "show more"
SEARCH_LINES = 8  # root error lines carried by "Search these lines"
SEARCH_LINE_CHARS = 300
SEARCH_CHARS = 1500
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
    """Return the query, or raise QueryError with a message a helpdesk tech understands.

    Browsers send a text box's line breaks as CRLF; they count once, as in the CLI
    and on the static site.
    """
    if text is not None:
        text = text.replace("\r\n", "\n")
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
    """Return the search page's context: results by tier, the paste with matched lines marked."""
    from kbserver.explain import code_kind, paste_lines, result_view

    kinds = {c["hex"]: code_kind(c) for c in answer["codes"]}
    lines, cut = paste_lines(answer["query"], answer["results"], MAX_PASTE_LINES)
    results = [result_view(engine, r, rank, kinds) for rank, r in enumerate(answer["results"], 1)]
    strong = [r for r in results if r["tier"] == "strong"]
    return {
        "title": first_line(answer["query"]),
        "q": answer["query"],
        "answer": answer,
        "results": results,
        "strong": strong,
        "possible": [r for r in results if r["tier"] != "strong"],
        "cited": [] if strong else cited_by_codes(answer["codes"], kinds, results),
        "next_steps": None if strong else next_steps(engine),
        "codes": [code_view(c) for c in answer["codes"]],
        "lines": lines,
        "lines_cut": cut,
        "matched_lines": sum(1 for ln in lines if ln["hits"]),
        "article_ids": engine_ids(engine),
    }


def cited_by_codes(
    codes: list[dict[str, Any]], kinds: dict[str, str], results: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Return the articles citing the query's codes that no result shows, with why they may fit."""
    shown = {r["id"] for r in results}
    out = []
    for c in codes:
        for a in c["articles"]:
            if a["id"] not in shown:
                shown.add(a["id"])
                out.append({**a, "code": c["hex"], "why": code_alone(c["hex"], kinds[c["hex"]])})
    return out


def code_alone(hex_code: str, kind: str) -> str:
    """Return one line saying why a code alone does not pick an article."""
    if kind == "generic":
        return (
            f"It cites {hex_code}, a catch-all code that many unrelated failures print: "
            "the code alone does not say which problem you have."
        )
    if kind == "common":
        return (
            f"It cites {hex_code}, an everyday Windows error that many unrelated failures "
            "print: the code alone does not say which problem you have."
        )
    return f"It cites {hex_code}; compare its symptoms with your log."


def next_steps(engine: Engine, log_kind: str | None = None) -> dict[str, Any]:
    """Return what to do when no article explains a failure: how-tos on logs, a new article.

    ``log_kind`` is the kind of an analyzed log: only a task sequence's log
    (smsts, or a paste of unknown kind) writes "Failed to run the action".
    """
    helps = [
        article_ref(a)
        for a in engine.corpus.articles
        if a.kind != "troubleshooting" and LOG_TAG in a.tags
    ]
    return {
        "articles": sorted(helps, key=_title_key),
        "draft": DRAFT_COMMAND,
        "task_sequence": log_kind in (None, "smsts"),
    }


def code_view(answer: dict[str, Any]) -> dict[str, Any]:
    """Return a lookup object with labels for display (kind, facility, wrapped Win32 code)."""
    from kb.codes import decode, format_hex

    view = dict(answer)
    from kbserver.explain import code_kind

    view["kind_label"] = KIND_LABELS.get(answer["kind"], answer["kind"])
    view["code_kind"] = code_kind(answer)
    win32 = answer.get("win32")
    view["win32_hex"] = None if win32 is None else format_hex(win32)
    view["win32_names"] = [] if win32 is None else list(decode(win32).names)
    return view


def code_context(engine: Engine, value: int) -> dict[str, Any]:
    """Return the code page's context: the lookup object, how specific it is, what to read."""
    from kbserver.explain import code_kind

    answer = code_answer(engine.corpus, value)
    kind = code_kind(answer)
    return {
        "title": answer["hex"],
        "code": code_view(answer),
        "code_kind": kind,
        "code_alone": code_alone(answer["hex"], kind) if kind != "specific" else None,
        "next_steps": next_steps(engine),
        "article_ids": engine_ids(engine),
    }


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
        "sections": article_sections(article.body),
        "meta": article.to_dict(),
        "codes": codes,
        "related": [article_ref(by_id[r]) for r in article.related if r in by_id],
        "article_ids": engine_ids(engine),
    }


def article_sections(body: str) -> list[dict[str, str]]:
    """Return the standard sections the body has, in order, with their anchors (#resolution)."""
    import re

    from kb.corpus import OPTIONAL_SECTIONS, REQUIRED_SECTIONS, slug

    present = set(re.findall(r"(?m)^## +(.+?) *$", body))
    names = [n for n in (*REQUIRED_SECTIONS, *OPTIONAL_SECTIONS) if n in present]
    return [{"title": n, "anchor": slug(n)} for n in names]


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
    everything = sorted(
        ({**article_summary(a), "draft": a.draft} for a in engine.corpus.articles), key=_title_key
    )
    counts = {g["tag"]: len(g["articles"]) for g in tags}
    topics = sorted((t for t, n in counts.items() if n > 1), key=lambda t: (-counts[t], t))
    kinds = sorted({a["kind"] for a in everything}, key=KIND_ORDER.index)
    return {
        "title": "Articles",
        "tags": tags,
        "articles": everything,
        "count": len(everything),
        "kinds": [{"kind": k, "count": sum(a["kind"] == k for a in everything)} for k in kinds],
        "topics": [{"tag": t, "count": counts[t]} for t in topics[:MAIN_TOPICS]],
    }


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
    from kbserver.explain import code_kind, code_segments, result_view

    answers = [code_answer(engine.corpus, parse_code(h)) for h in report["codes"]]
    kinds = {c["hex"]: code_kind(c) for c in answers}
    chain, generic = [], 0
    for e in report["errors"]:
        if e["message"] == report.get("result"):
            continue  # shown above as the result
        if is_generic_line(e["message"]):
            generic += 1
        else:
            chain.append({**e, "segments": code_segments(e["message"])})

    def lines(key: str) -> list[dict[str, Any]]:
        return [{**e, "segments": code_segments(e["message"])} for e in report.get(key, [])]

    others = lines("other_errors")
    results = [result_view(engine, r, rank, kinds) for rank, r in enumerate(report["results"], 1)]
    return {
        "title": f"Analysis of {report['file']}",
        "report": report,
        "answer": results[0] if results else None,
        "errors": chain[:CHAIN_SHOWN],
        "more_errors": chain[CHAIN_SHOWN:],
        "generic_errors": generic,
        "other_errors": others,
        "evidence": lines("evidence"),
        "context": lines("context"),
        "logs": report.get("logs", []),
        "search_q": chain_query(chain),
        "codes": [code_view(c) for c in answers],
        "results": results,
        "next_steps": None if results else next_steps(engine, report.get("kind")),
        "article_ids": engine_ids(engine),
    }


def is_generic_line(message: str) -> bool:
    """Tell whether an error line is the generic failure tail (it says that, never what, failed)."""
    from kb.search import is_boilerplate

    lines = [ln for ln in message.splitlines() if ln.strip()]
    return all(is_boilerplate(ln) for ln in lines)


def chain_query(chain: list[dict[str, Any]]) -> str:
    """Return the root error lines as one search query, capped (it travels in a URL)."""
    out: list[str] = []
    size = 0
    for e in chain[:SEARCH_LINES]:
        line = e["message"].replace("\r", " ").replace("\n", " ").strip()[:SEARCH_LINE_CHARS]
        if size + len(line) > SEARCH_CHARS:
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)


def home_context(engine: Engine) -> dict[str, Any]:
    """Return the home page's context: article count, example queries, the common tags."""
    counts: dict[str, int] = {}
    for a in engine.corpus.articles:
        for tag in a.tags:
            counts[tag] = counts.get(tag, 0) + 1
    # A tag on one article is no topic to browse by: the article list has those.
    shared = [(t, n) for t, n in counts.items() if n > 1]
    topics = sorted(shared, key=lambda kv: (-kv[1], kv[0]))[:HOME_TOPICS]
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
