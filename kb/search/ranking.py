"""How evidence becomes a score: every parameter and formula of the ranking.

Three channels give each article a part in 0..1:

* codes: each error code of the paste that the article cites, weighted by how
  specific it is (1 / number of articles citing it), lower for catch-all codes
  and for codes cited only in the body;
* lines: each masked paste line that fuzzy-matches one of the article's
  signature or symptom lines (rapidfuzz ``ratio`` on templates; lines whose
  codes differ never match), weighted by similarity and by how much the
  signature line says (the letters of its anchor words: "Retrying download..."
  says less than "Hash could not be matched for the downloaded content.");
* text: Whoosh BM25F over title, summary, symptoms, signatures and body,
  taken term by term: each term's score saturates at ``term_saturation`` times
  its idf (a common word spread over every field cannot outweigh a rare one).
  Each term also has an importance, ``log(N / (articles holding it + 1))``:
  a word every article has says nothing, and words every failure line holds
  ("error", "failed", "exit code") count for little. The part is the importance-weighted
  share of the query the article covers (unknown words count against it),
  times a confidence that reaches 1 once about ``text_full_terms`` rare terms
  are covered, so a question of only common words cannot score high. Two or
  more words only this article holds in its title or summary add
  ``rare_part`` however long the paste, and a question in words counts the
  text of troubleshooting articles ``question_troubleshooting_text`` as much.

Declared evidence (kb.search.declared: a line matching one of the article's
``signatures.patterns``, a question close to one of its ``questions``) joins
the lines part.

Parts combine as independent evidence, ``1 - (1-a)(1-b)(1-c)``. Two
adjustments follow what an admin's paste says about itself: when it is clearly
a log (it names a failing action, is in a log format, or has several lines with
codes) the text part counts ``log_text_weight`` as much, because log words are
shared by every failure; and when it holds a specific code (not generic, not
common) that an article cites none of, that article's score is multiplied by
``uncited_code_factor``: the article describes another failure. Results below
``threshold`` are not shown.

The score orders results; ``confidence`` then says what a result is worth:
"strong" (the article explains the paste) or "possible" (related), see its
docstring. Strong results come first (``tier_order``). The static site's
JavaScript reads ``PARAMS`` from the built index, so both implementations rank
and tier alike.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

PARAMS: dict = {
    "threshold": 0.26,
    # Confidence tiers (see confidence()): "strong" needs this score and solid evidence.
    "strong_threshold": 0.45,
    "strong_line_weight": 0.45,
    # A pasted line that holds one of the article's signature or failure lines
    # whole (masked, with codes the article cites and this many letters that say
    # something) is strong as soon as the result is shown.
    "exact_line_letters": 8,
    "strong_code_share": 0.3,
    # Words alone are strong only when they fit well, cover most of the paste and
    # the article leads every other one clearly.
    "strong_text": 0.5,
    "strong_text_share": 0.5,
    "strong_margin": 0.12,
    # Declared evidence: a pattern the article describes, a question it answers.
    "pattern_weight": 0.6,
    "question_weight": 0.6,
    "question_overlap": 0.6,
    # A question in words (where/how/what/why/which, no code, not a log): the text
    # part of troubleshooting articles counts this much, so how-to and reference
    # articles come first when both fit.
    "question_troubleshooting_text": 0.85,
    "rare_term_coverage": 0.5,
    "rare_term_gain": 0.2,
    "code_gain": 0.80,
    "generic_code_weight": 0.10,
    "common_code_weight": 0.25,
    "log_text_weight": 0.5,
    "uncited_code_factor": 0.6,
    "common_win32_below": 100,
    "body_code_weight": 0.60,
    "line_cutoff": 78.0,
    "line_floor": 60.0,
    "line_gain": 0.75,
    "line_full_letters": 24,
    "uncited_code_line_weight": 0.5,
    # A pasted line written by a component the article does not list (its
    # signatures.components) is the same text from another failure: boot media's
    # TSMBootstrap printing the network errors an article quotes from OSDSetupHook.
    "foreign_component_line_weight": 0.5,
    # Two "Failed to run the action: X" lines are compared by their action names
    # alone: the shared prefix would make any two failing steps look alike.
    "action_prefix": "failed to run the action: ",
    "text_scale": 1.0,
    "term_saturation": 3.0,
    "text_full_terms": 1.0,
    "common_word_weight": 0.2,
    "max_terms": 48,
    "typo_min_len": 5,
    "bm25_B": 0.75,
    "bm25_K1": 1.2,
    "field_boosts": {"title": 2.0, "summary": 1.5, "symptoms": 1.5, "signatures": 2.0, "body": 1.0},
}


def article_score(code: float, line: float, text: float, log_like: bool, uncited: bool) -> float:
    """Return an article's score from its three parts and the paste's nature."""
    if log_like:
        text *= PARAMS["log_text_weight"]
    score = combine((code, line, text))
    return score * PARAMS["uncited_code_factor"] if uncited else score


def combine(parts: Iterable[float]) -> float:
    """Combine independent pieces of evidence in 0..1 into one value in 0..1."""
    miss = 1.0
    for p in parts:
        miss *= 1.0 - min(max(p, 0.0), 1.0)
    return 1.0 - miss


def code_class(generic: bool, win32: int | None) -> str:
    """Classify a code: "generic" (catch-alls like E_FAIL), "common" or "specific".

    Common codes are the everyday Win32 errors (file not found, access denied,
    bad network path, invalid parameter: Win32 values below ``common_win32_below``,
    plain or wrapped in an HRESULT) that many unrelated failures print.
    """
    if generic:
        return "generic"
    if win32 is not None and win32 < PARAMS["common_win32_below"]:
        return "common"
    return "specific"


def code_weight(df: int, kind: str, in_signatures: bool) -> float:
    """Return one matched code's evidence for one article."""
    w = PARAMS["code_gain"] / max(df, 1)
    if kind == "generic":
        w *= PARAMS["generic_code_weight"]
    elif kind == "common":
        w *= PARAMS["common_code_weight"]
    if not in_signatures:
        w *= PARAMS["body_code_weight"]
    return w


def length_bound(len_a: int, len_b: int) -> float:
    """Return the best ratio two strings of these lengths could reach."""
    total = len_a + len_b
    return 100.0 if total == 0 else 200.0 * min(len_a, len_b) / total


def codes_compatible(a: frozenset[int], b: frozenset[int]) -> bool:
    """Tell whether two lines' codes allow a match (disjoint non-empty sets do not)."""
    return not a or not b or not a.isdisjoint(b)


def line_weight(
    similarity: float, letters: int, df: int, codes_cited: bool = True, own_component: bool = True
) -> float:
    """Return one matched line's evidence.

    ``letters`` counts the letters of the line's anchor words that are not
    common words (how much the line says); ``df`` is how many articles have
    the line; ``codes_cited`` is false when the pasted line holds codes the
    article never cites, and ``own_component`` false when another component
    than the article's wrote it (the same words, another failure).
    """
    p = PARAMS
    closeness = (similarity - p["line_floor"]) / (100.0 - p["line_floor"])
    info = min(1.0, letters / p["line_full_letters"])
    weight = p["line_gain"] * closeness * info / max(df, 1)
    if not codes_cited:
        weight *= p["uncited_code_line_weight"]
    if not own_component:
        weight *= p["foreign_component_line_weight"]
    return weight


def own_component(component: str, declared: frozenset[str]) -> bool:
    """Tell whether a pasted line's component may have written an article's line.

    ``declared`` holds the article's ``signatures.components`` in lower case; a
    line without a component, or an article that lists none, is never foreign.
    """
    return not component or not declared or component.lower() in declared


def idf(doc_count: int, df: int) -> float:
    """Return Whoosh's idf: log(N / (df + 1)) + 1."""
    return math.log(doc_count / (df + 1)) + 1.0


def term_weight(doc_count: int, dfs: Iterable[int]) -> float:
    """Return a query term's weight: its best idf over the fields that hold it.

    ``dfs`` are the term's document frequencies in each field; a term no field
    holds gets the idf of a term seen nowhere.
    """
    return max((idf(doc_count, df) for df in dfs if df > 0), default=idf(doc_count, 0))


def term_coverage(score: float, weight: float) -> float:
    """Return how fully one article covers one term, from the term's BM25F score."""
    if weight <= 0.0:
        return 0.0
    return min(1.0, score / (PARAMS["term_saturation"] * weight))


def term_importance(doc_count: int, df_any: int, common: bool = False) -> float:
    """Return how much a term says: log(N / (articles holding it + 1)), never negative.

    Words common to every deployment failure (kb.search.textnorm.COMMON_TERMS) say less
    than their document frequency in a small corpus suggests.
    """
    value = max(0.0, math.log(doc_count / (df_any + 1)))
    return value * PARAMS["common_word_weight"] if common else value


def text_part(covered: float, total: float, doc_count: int) -> float:
    """Return the text channel's part from the covered and total importance of the query."""
    if total <= 0.0 or covered <= 0.0:
        return 0.0
    full = PARAMS["text_full_terms"] * math.log(max(doc_count, 2))
    confidence = min(1.0, covered / full)
    return min(1.0, PARAMS["text_scale"] * (covered / total) * confidence)


def solid_code(df: int, kind: str, in_signatures: bool) -> bool:
    """Tell whether a matched code alone can say which failure it is.

    Only a specific code (not a catch-all, not an everyday Win32 error) that one
    article alone cites, in its signatures, is that precise.
    """
    return df == 1 and kind == "specific" and in_signatures


# "<the code's message> (Error: 80070002; Source: Windows)": the line a task
# sequence writes to spell out a code (the same test in JavaScript).
CODE_MESSAGE_RE = re.compile(r"\(Error: [0-9A-Fa-f]{8}; Source: [A-Za-z]+\)[ \t]*$")


def line_decides(kinds: list[str], text: str) -> bool:
    """Tell whether a signature line can make an answer strong.

    A line that only spells out a catch-all or everyday Win32 code ("The system
    cannot find the file specified. (Error: 80070002; Source: Windows)") says
    nothing but its code: many failures print it.
    """
    if "specific" in kinds or not kinds:
        return True
    return not CODE_MESSAGE_RE.search(text)


def exact_line(pasted: str, signature: str, letters: int, cited: bool) -> bool:
    """Tell whether a pasted line holds one of the article's signature or failure lines whole.

    ``pasted`` and ``signature`` are the masked templates; ``letters`` counts the
    signature line's letters that say something; ``cited`` says the pasted
    line's codes are all codes the article cites.
    """
    return cited and letters >= PARAMS["exact_line_letters"] and signature in pasted


def rare_term(df_any: int, common: bool, coverage: float, curated: bool) -> bool:
    """Tell whether a covered term is one only this article holds (NetXtreme, pkgmgr, 974571).

    The article must hold it where its author says what it is about (title,
    questions, summary): a small corpus has many words that only one body or
    one quoted log line happens to use.
    """
    return df_any == 1 and curated and not common and coverage >= PARAMS["rare_term_coverage"]


def rare_part(count: int) -> float:
    """Return the text evidence of ``count`` rare terms, however long the paste around them.

    One rare word alone is one key word: it adds nothing here.
    """
    if count < 2:
        return 0.0
    miss = 1.0
    for _ in range(count):  # a product, not **: JavaScript's pow may differ in the last bit
        miss *= 1.0 - PARAMS["rare_term_gain"]
    return 1.0 - miss


def confidence(
    score: float,
    solid_code: bool,
    best_line: float,
    text_share: float,
    unexplained: int,
    text: float = 0.0,
    margin: float = 0.0,
    exact_line: bool = False,
    words_decide: bool = True,
) -> str:
    """Return "strong" when the evidence shows the article's failure, else "possible".

    A pasted line that holds one of the article's own lines whole (``exact_line``,
    unless that line only spells out a common code) is strong on its own. Otherwise strong needs ``strong_threshold`` and one
    solid piece of evidence: a distinctive
    signature line (or a question the article declares it answers, or a pattern
    it declares); or a code only this article cites, when the rest of the paste
    is mostly about it (``text_share`` of its words covered) and no other error
    line with a code goes unexplained; or words that fit well (``text``), cover
    most of the paste (``text_share``) and put the article ahead of every other
    by ``margin``, when words may decide (``words_decide``: the paste shows it is
    about ConfigMgr, kb.corpus.scope, and is not a log written by components
    the article does not list). One shared code among unexplained lines, key
    words of a title, a generic code plus filler, the words of another
    component's lines, or a question that never says it is about ConfigMgr stay
    "possible".
    """
    p = PARAMS
    if exact_line and score >= p["threshold"]:
        return "strong"
    if score < p["strong_threshold"]:
        return "possible"
    if best_line >= p["strong_line_weight"]:
        return "strong"
    if solid_code and text_share >= p["strong_code_share"] and unexplained == 0:
        return "strong"
    if (
        words_decide
        and text >= p["strong_text"]
        and text_share >= p["strong_text_share"]
        and margin >= p["strong_margin"]
    ):
        return "strong"
    return "possible"


def margin(raw: float, raws: list[float]) -> float:
    """Return by how much a score leads every other article's (``raws``: all, best first).

    Negative when another article scores higher; 0 when another ties it.
    """
    if raw < raws[0]:
        return raw - raws[0]
    if len(raws) > 1 and raws[1] == raw:
        return 0.0
    return raw - (raws[1] if len(raws) > 1 else 0.0)


def overlap(asked: frozenset[str], declared: frozenset[str]) -> float:
    """Return how alike a question and a declared question are: shared terms / all terms."""
    union = len(asked | declared)
    return len(asked & declared) / union if union else 0.0


def tier_order(result: dict) -> tuple:
    """Sort key of results: strong before possible, then by score, then by id."""
    return (result["confidence"] != "strong", -result["score"], result["id"])
