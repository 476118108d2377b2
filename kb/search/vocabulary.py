"""Domain vocabulary at work: equivalent phrases rewritten into one, and the product's words.

The groups come from the articles folder's vocabulary.txt (kb.corpus.vocabulary).
The same rewrite runs on the articles when the index is built and on every
paste, in Python and in the browser engine (kb/static/engine/textnorm.js), so
"Windows PE" in a paste meets "WinPE" in an article.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

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


SCOPE_GAP = 3


@dataclass(frozen=True)
class Scope:
    """The product's words as search terms (kb.corpus.scope): entries and word prefixes."""

    entries: tuple[tuple[str, ...], ...]  # an entry's terms, in order, close together
    prefixes: tuple[str, ...]  # a paste's term may start with one of these

    def holds(self, terms: list[str]) -> bool:
        """Tell whether a paste's terms (in order) hold one of the product's words.

        The terms of an entry must follow each other, each at most ``SCOPE_GAP``
        terms after the one before (a word's parts sit between: "Config-Mgr").
        Every paste is in scope when there are no product words.
        """
        if not self.entries and not self.prefixes:
            return True
        at: dict[str, list[int]] = {}
        for n, t in enumerate(terms):
            at.setdefault(t, []).append(n)
        for entry in self.entries:
            ends = at.get(entry[0], [])
            for t in entry[1:]:
                ends = [n for n in at.get(t, []) if any(0 < n - e <= SCOPE_GAP for e in ends)]
            if ends:
                return True
        return any(t.startswith(p) for t in at for p in self.prefixes)


def make_scope(phrases: Iterable[str], article_ids: Iterable[str], rewrite: Rewrite) -> Scope:
    """Read the product's words as search terms; an article id like "KB974014" is one too."""
    from kb.search.textnorm import terms

    entries: dict[tuple[str, ...], None] = {}
    prefixes: dict[str, None] = {}
    for phrase in phrases:
        if phrase.endswith("*"):
            prefixes.setdefault(phrase[:-1].lower(), None)
            continue
        found = tuple(dict.fromkeys(terms(rewrite(phrase))))
        if found:
            entries.setdefault(found, None)
    for i in article_ids:
        if i[:2].upper() == "KB" and i[2:].isdigit():
            entries.setdefault((i.lower(),), None)
    return Scope(tuple(entries), tuple(prefixes))
