"""Turn search results into what a helpdesk reader sees: a tier in words and readable reasons.

A score is not a confidence, so pages never show it as a percentage: each
result says "Explains this error" (strong) or "Possibly related" (possible),
and the raw numbers go in a details element. The search answer says which
tier a result is in (``confidence``); an answer without it (an older engine)
is tiered here by the evidence it holds. The static site's ``site.js`` follows
the same rules, from the same fields.
"""

from __future__ import annotations

from typing import Any

# Without "confidence" in the answer: strong needs a matched line or a specific
# code, and at least this score; words alone are never strong.
FALLBACK_STRONG_SCORE = 0.5
MAX_WORDS = 4
TIERS = {
    "strong": {
        "label": "Explains this error",
        "help": "Lines or codes you gave match what this article describes.",
    },
    "possible": {
        "label": "Possibly related",
        "help": "Some words or a common code match; check its symptoms against your log.",
    },
}
CODE_NOTES = {
    "specific": "few failures print it",
    "common": "weak: an everyday Windows error that many failures print",
    "generic": "weak: a catch-all code that many failures print",
}


def code_kind(code: dict[str, Any]) -> str:
    """Return "specific", "common" or "generic" for a lookup object."""
    from kb.search import code_class

    return code_class(bool(code.get("generic")), code.get("win32"))


def tier(result: dict[str, Any], kinds: dict[str, str]) -> str:
    """Return "strong" or "possible" for a result (its own confidence when it has one)."""
    confidence = result.get("confidence")
    if confidence in TIERS:
        return confidence
    specific = any(
        r["type"] == "code" and kinds.get(r["code"], "specific") == "specific"
        for r in result["reasons"]
    )
    lines = any(r["type"] == "line" for r in result["reasons"])
    strong = (specific or lines) and result["score"] >= FALLBACK_STRONG_SCORE
    return "strong" if strong else "possible"


def rare_words(reason: dict[str, Any]) -> list[str]:
    """Return the query's words of a text reason that say something: not common, rarest first."""
    from kb.search import COMMON_TERMS, stem

    words = reason.get("words") or reason.get("terms") or []
    out = [w for w in words if stem(w.lower()) not in COMMON_TERMS]
    return list(dict.fromkeys(out))[:MAX_WORDS]


def result_view(
    engine: Any, result: dict[str, Any], rank: int, kinds: dict[str, str]
) -> dict[str, Any]:
    """Return one result with its rank, tier and reasons grouped and worded for reading."""
    article = engine.corpus.by_id.get(result["id"])
    level = tier(result, kinds)
    codes = []
    for r in result["reasons"]:
        if r["type"] == "code":
            kind = kinds.get(r["code"], "specific")
            codes.append({**r, "kind": kind, "note": CODE_NOTES[kind]})
    codes.sort(key=lambda c: c["kind"] != "specific")
    lines = sorted((r for r in result["reasons"] if r["type"] == "line"), key=lambda r: r["line"])
    # Words a matched line already shows say nothing more.
    shown = " ".join(r["text"] for r in lines).lower()
    words: list[str] = []
    for r in result["reasons"]:
        if r["type"] == "text":
            words += [w for w in rare_words(r) if w.lower() not in shown]
    return {
        **result,
        "rank": rank,
        "tier": level,
        "tier_label": TIERS[level]["label"],
        "tier_help": TIERS[level]["help"],
        "draft": bool(result.get("draft")),
        "tags": list(article.tags) if article else [],
        "code_reasons": codes,
        "line_reasons": lines,
        "words": words,
        "penalties": [r for r in result["reasons"] if r["type"] == "penalty"],
        "foreign": [r for r in result["reasons"] if r["type"] == "component"],
        "scope": [r for r in result["reasons"] if r["type"] == "scope"],
    }


def paste_lines(
    query: str, results: list[dict[str, Any]], max_lines: int
) -> tuple[list[dict[str, Any]], bool]:
    """Split a paste into numbered lines, marking those a result matched; return (lines, cut).

    A line counts as matched when an article matched it, or when it holds a
    code an article matched: "1 line, 0 matched" is wrong when its code matched.
    """
    from kb.logs import text_lines

    hits: dict[int, list[dict[str, Any]]] = {}
    matched_codes: dict[str, list[int]] = {}
    for rank, result in enumerate(results, 1):
        for reason in result["reasons"]:
            if reason["type"] == "line":
                hits.setdefault(reason["line"], []).append(
                    {"id": result["id"], "rank": rank, "why": f"{reason['similarity']:.0f}% alike"}
                )
            elif reason["type"] == "code":
                matched_codes.setdefault(reason["code"], []).append(rank)
    all_lines = text_lines(query)
    out = []
    for n, text in enumerate(all_lines[:max_lines], 1):
        segments = code_segments(text)
        line_hits = list(hits.get(n, []))
        ranks = {h["rank"] for h in line_hits}
        for s in segments:
            for rank in matched_codes.get(s["code"] or "", []):
                if rank not in ranks:
                    ranks.add(rank)
                    why = f"code {s['code']}"
                    line_hits.append({"id": results[rank - 1]["id"], "rank": rank, "why": why})
        line_hits.sort(key=lambda h: h["rank"])
        out.append({"number": n, "segments": segments, "hits": line_hits})
    return out, len(all_lines) > max_lines


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
