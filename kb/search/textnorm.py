"""Words for full-text search: tokenise, drop noise, stem.

The rules are deliberately small and exact, because the static site's
JavaScript search (kb/static/engine/) implements them again and the two
must produce the same terms for the same text:

1. tokens are runs of ``[A-Za-z0-9_]`` in the original text; a token of ten
   characters or more with an inner ``_`` or with both cases
   (``_SMSTSClientGuid``, ``OSDSetupHook``) also yields its parts of three
   characters or more (``SMSTS``, ``Client``, ``Guid``), after the whole token;
2. each is lower-cased; leading and trailing ``_`` are stripped; tokens shorter
   than 2 are dropped;
3. stop words are dropped, and so are numbers, hex-like tokens and tokens with
   three digits or more (thread ids, times, package ids, dates; codes have their
   own channel in the ranking), except two-digit numbers ("27%", "64-bit") and
   KB numbers: ``kb977203`` stays, and a bare ``977203`` (six or seven digits)
   becomes ``kb977203``;
4. what is left is stemmed by :func:`stem`.
"""

from __future__ import annotations

import re
from functools import lru_cache

TOKEN_RE = re.compile(r"[A-Za-z0-9_]+")
_PART_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# Mixed case is "holds a lower and an upper letter": two searches, linear in the
# token (a pattern like "[a-z].*[A-Z]" backtracks quadratically on one long word).
_LOWER_RE = re.compile(r"[a-z]")
_UPPER_RE = re.compile(r"[A-Z]")
_NUMERIC_RE = re.compile(r"^(?:0x[0-9a-f]+|[0-9a-f]*[0-9][0-9a-f]*)$")
_MANY_DIGITS_RE = re.compile(r"[0-9].*[0-9].*[0-9]")
_KB_NUMBER_RE = re.compile(r"^kb[0-9]+$")
_BARE_KB_RE = re.compile(r"^[0-9]{6,7}$")
_TWO_DIGITS_RE = re.compile(r"^[0-9]{2}$")

STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "don",
        "done",
        "during",
        "each",
        "either",
        "else",
        "for",
        "from",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "let",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "us",
        "very",
        "was",
        "way",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "yes",
        "yet",
        "you",
        "your",
        "yours",
    ]
)


# Words that nearly every deployment failure line or question holds. A corpus of
# a few dozen articles cannot learn from document frequency that they say
# nothing about which problem it is, so the ranking gives them a low importance
# (kb.search.ranking PARAMS["common_word_weight"]); they are still indexed and matched.
_COMMON_WORDS = """
    error errors fail failed fails failing failure code codes exit return returned
    source windows unspecified operation success successful successfully completed
    complete process task sequence sequences log logs file files step steps action
    actions run running ran start started setup install installed installing
    configmgr sccm sms configuration manager computer machine system status result
    problem issue help please message messages get got see seen try tried
    execute executing executed command line lines create created exe tsmanager
    hresult cpp nts_sms_fre nts fre osdeployment framework tscore
    """.split()


def stem(word: str) -> str:
    """Strip a common English suffix (a light stemmer, the same in Python and JS)."""
    w = word
    n = len(w)
    if n > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif n > 5 and w.endswith("ing"):
        w = _undouble(w[:-3])
    elif n > 4 and w.endswith("ed") and not w.endswith("eed"):
        w = _undouble(w[:-2])
    elif n > 4 and w.endswith("es") and w[-3] in "sxzh":
        w = w[:-2]
    elif n > 3 and w.endswith("s") and w[-2] not in "su" and not w.endswith("is"):
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def _undouble(word: str) -> str:
    """Turn 'stopp' into 'stop' after a suffix was removed."""
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        return word[:-1]
    return word


def keep(token: str) -> str | None:
    """Return the indexed form of one lower-cased token, or None to drop it."""
    token = token.strip("_")
    if _TWO_DIGITS_RE.match(token):
        return token
    if _BARE_KB_RE.match(token):
        return "kb" + token
    if len(token) < 2 or token in STOP_WORDS or _NUMERIC_RE.match(token):
        return None
    if _KB_NUMBER_RE.match(token):
        return token
    if _MANY_DIGITS_RE.search(token):
        return None
    stemmed = stem(token)
    # A word can stem to a stop word ("nore" -> "nor"); such a term says as little.
    return None if stemmed in STOP_WORDS else stemmed


@lru_cache(maxsize=65536)
def forms(token: str) -> tuple[str, ...]:
    """Return the indexed forms of one original-case token: itself, then its parts."""
    out: list[str] = []
    whole = keep(token.lower())
    if whole is not None:
        out.append(whole)
    if _NUMERIC_RE.match(token.lower()):  # 0x06D0 is a number, not camelCase
        return tuple(out)
    inner = token.strip("_")
    # Only long identifiers are split: "WinPE" and "ConfigMgr" are words of their own.
    if len(inner) >= 10 and ("_" in inner or (_LOWER_RE.search(inner) and _UPPER_RE.search(inner))):
        parts = [p for piece in inner.split("_") for p in _PART_RE.findall(piece)]
        if len(parts) > 1:
            for part in parts:
                kept = keep(part.lower()) if len(part) >= 3 else None
                if kept is not None:
                    out.append(kept)
    return tuple(out)


def terms(text: str) -> list[str]:
    """Return the search terms of a text, in order (duplicates kept)."""
    out = []
    for m in TOKEN_RE.finditer(text):
        out.extend(forms(m.group()))
    return out


# Two-digit numbers are kept ("27%", "64-bit") but say little: log lines are full of them.
COMMON_TERMS = frozenset([*(stem(w) for w in _COMMON_WORDS), *(f"{n:02}" for n in range(100))])
