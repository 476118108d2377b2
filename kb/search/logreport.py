"""A log analysis matched against the articles: the report `kb analyze`, the web app and triage give.

A failed run is matched by its root error chain, the failing action, and the
lines of the failing step that hold an article's signature words (whatever
their severity). A log that shows no failure is still matched, by its error
lines and its signature lines: an admin often uploads an excerpt, or the piece
of a rotated log that holds only the errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from kb.logs import kind_from_name
from kb.search.masking import mask

MIN_TERM = 12  # shorter literal pieces of a signature line are too common to watch for
_PIECES = re.compile(r"<[*#]>")
_TRIM = " \t.,;:()[]{}'\"-=+"


def watch_terms(articles: Iterable[Any]) -> tuple[str, ...]:
    """Return the lower-case words the analyzer keeps lines for: each signature line's longest literal piece."""
    terms: list[str] = []
    for a in articles:
        if a.kind != "troubleshooting":
            continue
        for line in a.signatures.lines:
            pieces = [p.strip(_TRIM) for p in _PIECES.split(mask(line).text)]
            best = max(pieces, key=_wordiness, default="")
            if len(best) >= MIN_TERM:
                terms.append(best)
    return tuple(dict.fromkeys(terms))


def _wordiness(piece: str) -> tuple[int, int]:
    """Rank a literal piece by its words (paths and URLs, common in every log, count less)."""
    words = [w for w in piece.split() if not any(c in w for c in "\\/:")]
    return sum(map(len, words)), len(piece)


def failure_query(analysis: Any) -> str:
    """Return the lines of an analysis that describe its failure, as a paste."""
    seen = {(e.part, e.line) for e in analysis.errors}
    lines = [e.message for e in analysis.errors]
    lines += [s.message for s in analysis.signatures if (s.part, s.line) not in seen]
    if analysis.failed_action:
        lines.append(f"Failed to run the action: {analysis.failed_action}")
    return "\n".join(lines)


def evidence_lines(analysis: Any) -> list[Any]:
    """Return the lines of a log that did not fail worth matching: its first errors and signature lines."""
    chosen: dict[tuple[str, int], Any] = {}
    for e in [*analysis.other_errors, *analysis.signatures]:
        chosen.setdefault((e.file, e.line), e)
    return sorted(chosen.values(), key=lambda e: (e.part, e.line))


def analysis_report(engine: Any, analysis: Any, limit: int = 5) -> dict[str, Any]:
    """Return an analysis as JSON-ready data, with the articles that match it."""
    report = analysis.to_dict()
    report["results"] = []
    report["evidence"] = []
    if analysis.failed:
        query = failure_query(analysis)
        answer = engine.search(query, limit) if query.strip() else {"results": []}
        answer["results"] = [r for r in answer["results"] if _fits(engine, r, analysis.kind)]
    else:
        lines = evidence_lines(analysis)
        query = "\n".join(e.message for e in lines)
        answer = engine.search(query, limit) if query.strip() else {"results": []}
        # Without a failure, words in common are not evidence: a line or a code must match.
        answer["results"] = [
            r
            for r in answer["results"]
            if _fits(engine, r, analysis.kind)
            and any(x["type"] in ("code", "line") for x in r.get("reasons", []))
        ]
        if answer["results"]:
            matched = _matched(lines, answer["results"][0])
            report["evidence"] = [e.to_dict() for e in matched]
            ids = ", ".join(r["id"] for r in answer["results"][:3])
            said = report["headline"].rstrip(".")
            report["headline"] = f"{said}, but these lines match: {ids}."
    report["results"] = answer["results"]
    report["strong"] = is_strong(answer)
    return report


# Logs whose failures articles name by their log: an article that names its logs, none
# of this kind, explains some other program's failure (a BITS 404 in ccmsetup.log is
# not the task sequence's download problem of the same code).
_NAMED_KINDS = frozenset({"ccmsetup", "setup", "bdd", "script"})


def _fits(engine: Any, result: dict[str, Any], kind: str) -> bool:
    """Tell whether a result's article can explain a failure in this kind of log."""
    if kind not in _NAMED_KINDS:
        return True
    article = engine.corpus.by_id.get(result["id"])
    logs = article.signatures.logs if article is not None else ()
    return not logs or any(kind_from_name(log) == kind for log in logs)


def is_strong(answer: dict[str, Any]) -> bool:
    """Tell whether an answer's results hold an article that answers firmly (any, without tiers).

    The results may have been filtered after the search, so they decide, not the answer's flag.
    """
    results = answer.get("results") or []
    if results and "confidence" in results[0]:
        return any(r["confidence"] == "strong" for r in results)
    return bool(results) and bool(answer.get("strong", True))


def _matched(lines: list[Any], result: dict[str, Any]) -> list[Any]:
    """Return the lines a result's reasons point at (all of them when no reason names a line)."""
    owner = [i for i, e in enumerate(lines) for _ in e.message.split("\n")]
    picked: set[int] = set()
    for reason in result.get("reasons", []):
        if reason.get("type") == "line" and 1 <= reason.get("line", 0) <= len(owner):
            picked.add(owner[reason["line"] - 1])
        elif reason.get("type") == "code":
            picked.update(i for i, e in enumerate(lines) if reason.get("code") in _hex(e.codes))
    return [lines[i] for i in sorted(picked)] or lines


def _hex(codes: list[int]) -> list[str]:
    """Return codes as the search answer writes them."""
    return [f"0x{c:08X}" for c in codes]
