"""A scored result: one article's evidence turned into parts, a score, reasons and a tier.

The browser engine builds the same objects (kb/static/engine/results.js,
``materialize``): the reasons in the same order, the same rounding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from kb.search import ranking
from kb.search.ranking import PARAMS
from kb.search.textnorm import COMMON_TERMS

# Said of every result of a paste that never shows it is about ConfigMgr (kb.corpus.scope).
OUT_OF_SCOPE = "the paste never says it is about ConfigMgr (no product word, code or log line)"


@dataclass(frozen=True)
class Context:
    """What the paste as a whole says, for every article's result."""

    log_like: bool
    specific: set[int]
    words: dict[str, str]
    errors: list[Any]  # the error lines that hold a code (kb.search.signals.Line)
    has_terms: bool
    question: bool = False
    in_scope: bool = True  # the paste shows it is about ConfigMgr (Engine.in_scope)
    components: tuple[str, ...] = ()  # the components that wrote the paste's lines


def build_result(
    engine: Any, i: int, ev: dict, ctx: Context
) -> tuple[dict[str, Any], float, Callable[[float], str]]:
    """Turn one article's evidence into a scored result with its reasons.

    Returns the result, its raw score, and its tier as a function of the margin
    by which it leads every other article (known once all are scored).
    """
    from kb.codes import decode, format_hex

    a = engine.articles[i]
    reasons: list[dict[str, Any]] = []
    code_part = ranking.combine(w for w, _ in ev["code"])
    for w, value in ev["code"]:
        names = list(decode(value).names)
        label = format_hex(value) + (f" ({names[0]})" if names else "")
        reasons.append(
            {
                "type": "code",
                "code": format_hex(value),
                "names": names,
                "weight": round(w, 4),
                "reason": f"matched {label}",
            }
        )
    declared = ev.get("declared", [])
    line_part = ranking.combine([*(w for w, *_ in ev["line"].values()), *(w for w, *_ in declared)])
    for w, kind, text, line in declared:
        if kind == "pattern":
            reasons.append(
                {
                    "type": "pattern",
                    "line": line.number,
                    "text": line.text,
                    "pattern": text,
                    "weight": round(w, 4),
                    "reason": "the line has what the article describes",
                }
            )
        else:
            reasons.append(
                {
                    "type": "question",
                    "question": text,
                    "weight": round(w, 4),
                    "reason": f"asks what the article answers: '{text}'",
                }
            )
    for w, sim, line, sl in ev["line"].values():
        reasons.append(
            {
                "type": "line",
                "line": line.number,
                "text": line.text,
                "matched": sl.text,
                "similarity": round(sim, 1),
                "weight": round(w, 4),
                "reason": f"matched the line '{sl.text}'",
            }
        )
    text_part = 0.0
    for part, matched in ev["text"]:
        if ctx.question and a.kind == "troubleshooting":
            part *= PARAMS["question_troubleshooting_text"]
        text_part = part
        if matched:
            shown = sorted(matched, key=lambda t: (engine.total_df[t], t))[:8]  # rarest first
            said = list(dict.fromkeys(ctx.words.get(t, t) for t in shown))
            reasons.append(
                {
                    "type": "text",
                    "terms": shown,
                    "words": said,
                    "weight": round(part, 4),
                    "reason": "words: " + ", ".join(said),
                }
            )
    uncited = bool(ctx.specific) and ctx.specific.isdisjoint(engine.article_codes[i])
    score = ranking.article_score(code_part, line_part, text_part, ctx.log_like, uncited)
    if uncited:
        shown = ", ".join(format_hex(v) for v in sorted(ctx.specific))
        reasons.append(
            {
                "type": "penalty",
                "codes": sorted(format_hex(v) for v in ctx.specific),
                "weight": 0.0,
                "reason": f"the article does not cite {shown} from the query",
            }
        )
    foreign = sorted(
        {
            line.component
            for _w, _s, line, _sl in ev["line"].values()
            if not engine.lines.own(line.component, i)
        }
    )
    if foreign:
        reasons.append(
            {
                "type": "component",
                "components": foreign,
                "weight": 0.0,
                "reason": f"written by {', '.join(foreign)}, not a component this article lists",
            }
        )
    if not ctx.in_scope:
        reasons.append({"type": "scope", "weight": 0.0, "reason": OUT_OF_SCOPE})
    reasons.sort(key=lambda r: -r["weight"])
    explained = {line.number for _w, _s, line, _sl in ev["line"].values()}
    tier = partial(
        ranking.confidence,
        score,
        solid_code=bool(ev.get("solid")),
        best_line=max(
            [
                *(w for w, _s, line, sl in ev["line"].values() if engine.decisive(sl, line)),
                # A declared question is words too: it decides only for a paste in scope.
                *(w for w, kind, *_ in declared if kind == "pattern" or ctx.in_scope),
            ],
            default=0.0,
        ),
        text_share=ev.get("share", 0.0 if ctx.has_terms else 1.0),
        # Error lines with codes that no matched line and no cited code explain.
        unexplained=sum(
            1
            for line in ctx.errors
            if line.number not in explained
            and line.template.codes.isdisjoint(engine.article_codes[i])
        ),
        text=text_part,
        # Words decide only about ConfigMgr, and not the words of a log that other
        # components than the article's wrote.
        words_decide=ctx.in_scope
        and not (
            ctx.log_like
            and ctx.components
            and not any(engine.lines.own(c, i) for c in ctx.components)
        ),
        exact_line=any(
            ranking.exact_line(
                line.template.text,
                sl.template.text,
                sum(len(w) for w in sl.template.anchors if w not in COMMON_TERMS),
                line.template.codes <= engine.article_codes[i],
            )
            for _w, _s, line, sl in ev["line"].values()
            if engine.decisive(sl, line)
        ),
    )
    flag = {"draft": True} if a.draft else {}  # only drafts carry the field
    return (
        {
            "id": a.id,
            "title": a.title,
            "score": round(score, 4),
            "confidence": "possible",  # set by the engine once every article is scored
            "parts": {
                "codes": round(code_part, 4),
                "lines": round(line_part, 4),
                "text": round(text_part, 4),
            },
            "summary": a.summary,
            "first_step": a.first_step,
            "reasons": reasons,
            **flag,
        },
        score,
        lambda margin: tier(margin=margin),
    )
