"""The product's words at work: does a paste show it is about ConfigMgr?

The entries come from the articles folder's scope.txt (kb.corpus.scope), read
as search terms the way a paste is read; the browser engine does the same
(kb/static/engine/textnorm.js, ``makeScope``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kb.search.textnorm import terms
from kb.search.vocabulary import Rewrite

# How far apart the words of one entry may be (a word's parts sit between: "Config-Mgr").
SCOPE_GAP = 3


@dataclass(frozen=True)
class Scope:
    """The product's words as search terms (kb.corpus.scope): entries and word prefixes."""

    entries: tuple[tuple[str, ...], ...]  # an entry's terms, in order, close together
    prefixes: tuple[str, ...]  # a paste's term may start with one of these

    def holds(self, sequence: list[str]) -> bool:
        """Tell whether a paste's terms (in order, repeats kept) hold one of the product's words.

        The terms of an entry must follow each other, each at most ``SCOPE_GAP``
        terms after the one before (a word's parts sit between: "Config-Mgr").
        Every paste is in scope when there are no product words.
        """
        if not self.entries and not self.prefixes:
            return True
        at: dict[str, list[int]] = {}
        for n, t in enumerate(sequence):
            at.setdefault(t, []).append(n)
        for entry in self.entries:
            ends = at.get(entry[0], [])
            for t in entry[1:]:
                ends = [n for n in at.get(t, []) if any(0 < n - e <= SCOPE_GAP for e in ends)]
            if ends:
                return True
        return any(t.startswith(p) for t in at for p in self.prefixes)


def make_scope(phrases: Iterable[str], article_ids: Iterable[str], rewrite: Rewrite) -> Scope:
    """Read the product's words as search terms; an article id like "KB974014" is one too.

    Without product words (no scope.txt) every paste is in scope: the article ids
    alone would put every paste that does not name one out of it.
    """
    phrases = list(phrases)
    if not phrases:
        return Scope((), ())
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
