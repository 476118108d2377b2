"""Domain vocabulary at work: rewrite equivalent phrases into one before words are read.

The groups come from the articles folder's vocabulary.txt (kb.corpus.vocabulary).
The same rewrite runs on the articles when the index is built and on every
paste, in Python and in the browser engine (kb/static/engine/textnorm.js), so
"Windows PE" in a paste meets "WinPE" in an article.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

Rewrite = Callable[[str], str]


def phrase_pattern(phrase: str) -> str:
    """Return the regular expression of one phrase: separators match '-', '_', spaces or nothing."""
    parts = re.split(r"[ _-]+", phrase)
    return "[ \\t_-]*".join(re.escape(p) for p in parts if p)


def pattern_source(groups: Iterable[tuple[str, ...]]) -> str:
    """Return one regular expression matching every non-canonical phrase, longest first."""
    phrases = sorted({p for g in groups for p in g[1:]}, key=lambda p: (-len(p), p))
    if not phrases:
        return ""
    alternatives = "|".join(phrase_pattern(p) for p in phrases)
    return f"(?<![A-Za-z0-9_])(?:{alternatives})(?![A-Za-z0-9_])"


def canonical_forms(groups: Iterable[tuple[str, ...]]) -> dict[str, str]:
    """Return each phrase's canonical phrase, keyed by the phrase with separators removed."""
    return {_key(p): g[0] for g in groups for p in g[1:]}


def _key(text: str) -> str:
    """Return a matched text's lookup key: lower case, no separators."""
    return re.sub(r"[ \t_-]+", "", text.lower())


def make_rewrite(groups: Iterable[tuple[str, ...]]) -> Rewrite:
    """Return a function that rewrites every listed phrase of a text into its canonical one."""
    groups = tuple(groups)
    source = pattern_source(groups)
    if not source:
        return lambda text: text
    # re.ASCII: case folding of ASCII letters only, as JavaScript's "i" flag does here.
    regex = re.compile(source, re.IGNORECASE | re.ASCII)
    canon = canonical_forms(groups)

    def rewrite(text: str) -> str:
        return regex.sub(lambda m: " " + canon[_key(m.group())] + " ", text)

    return rewrite
