"""Declared evidence: the patterns and questions an article declares in its front matter.

``signatures.patterns`` are regular expressions for what an article describes in
words (a downloaded file name with extended characters); ``questions`` are the
short questions it answers. A pasted line that matches a pattern, or a
question in words close to a declared one, counts like a matched signature line.
The browser engine does the same (kb/static/engine/engine.js, ``matchDeclared``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kb.corpus import Article
from kb.search import ranking
from kb.search.ranking import PARAMS
from kb.search.signals import Signals
from kb.search.textnorm import terms

# (weight, "pattern" or "question", the pattern or question, the pasted line or None)
Found = tuple[float, str, str, object]


class Declared:
    """Every article's compiled patterns and its questions' terms."""

    def __init__(self, articles: tuple[Article, ...], rewrite: Callable[[str], str]) -> None:
        """Compile the patterns and read the questions (with the vocabulary's rewrite)."""
        self.patterns = [tuple(re.compile(p) for p in a.signatures.patterns) for a in articles]
        self.questions = [
            tuple((q, frozenset(terms(rewrite(q)))) for q in a.questions) for a in articles
        ]

    def match(self, sig: Signals) -> dict[int, list[Found]]:
        """Return each article's declared evidence: patterns first (one line each), then a question."""
        found: dict[int, list[Found]] = {}
        for i, patterns in enumerate(self.patterns):
            for pattern in patterns:
                line = next((ln for ln in sig.lines if pattern.search(ln.text)), None)
                if line is not None:
                    found.setdefault(i, []).append(
                        (PARAMS["pattern_weight"], "pattern", pattern.pattern, line)
                    )
        if not sig.question:
            return found
        asked = frozenset(sig.terms)
        for i, questions in enumerate(self.questions):
            best = max(((ranking.overlap(asked, q), text) for text, q in questions), default=None)
            if best is not None and best[0] >= PARAMS["question_overlap"]:
                found.setdefault(i, []).append(
                    (PARAMS["question_weight"], "question", best[1], None)
                )
        return found
