"""Line evidence: the articles' signature and failure lines, masked, and fuzzy matching.

Each article contributes its curated ``signatures.lines`` and the failure lines
of its Symptoms excerpts, masked (kb.search.masking) and indexed by anchor word. A
pasted line is compared (rapidfuzz ``ratio`` on templates) only with the lines
that share an anchor word with it; lines whose codes differ never match, and
two "Failed to run the action:" lines are compared by their action names.
The static site's JavaScript does the same (kb/static/engine/).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz

from kb.corpus import Article
from kb.search import ranking
from kb.search.masking import Template, is_boilerplate, mask
from kb.search.ranking import PARAMS
from kb.search.signals import Line, Signals
from kb.search.textnorm import COMMON_TERMS

_FAILURE_RE = re.compile(
    r"(?i)\b(?:fail\w*|error\w*|unable|cannot|can't|could not|not found|denied|invalid|"
    r"abort\w*|retry\w*|timed out|not be|does not|404)\b"
)


@dataclass(frozen=True)
class SigLine:
    """One signature or symptom line of an article, masked."""

    article: int
    text: str
    template: Template
    df: int


class LineIndex:
    """The masked lines of every article, indexed by anchor word."""

    def __init__(self, articles: tuple[Article, ...]) -> None:
        """Mask and index the lines of these articles.

        The failure tail every failed run writes (kb.search.masking.BOILERPLATE) never
        counts. ``signatures.lines`` are curated and otherwise always count. A
        Symptoms excerpt line counts only when it reports a failure (a non-zero
        code, or failure wording): excerpts also quote ordinary lines ("Process
        completed with exit code 0") that every log has.
        """
        per_article: list[dict[str, tuple[str, Template]]] = []
        for a in articles:
            found: dict[str, tuple[str, Template]] = {}
            candidates = [(line, True) for line in a.signatures.lines]
            candidates += [(line, False) for line in a.excerpts]
            for raw, curated in candidates:
                text = _strip_component(raw.strip(), a.signatures.components)
                if is_boilerplate(text):
                    continue
                tpl = mask(text)
                if not tpl.anchors or tpl.text in found:
                    continue
                if not curated and not (any(tpl.codes) or _FAILURE_RE.search(text)):
                    continue
                found[tpl.text] = (text, tpl)
            per_article.append(found)
        df: dict[str, int] = defaultdict(int)
        for found in per_article:
            for key in found:
                df[key] += 1
        # The components each article's failure is written by (ranking.own_component).
        self.components = [frozenset(c.lower() for c in a.signatures.components) for a in articles]
        self.sig_lines: list[SigLine] = []
        self.anchor_index: dict[str, list[int]] = defaultdict(list)
        for i, found in enumerate(per_article):
            for key, (text, tpl) in found.items():
                idx = len(self.sig_lines)
                self.sig_lines.append(SigLine(i, text, tpl, df[key]))
                for word in sorted(tpl.anchors):
                    self.anchor_index[word].append(idx)

    def own(self, component: str, article: int) -> bool:
        """Tell whether a pasted line's component may write this article's lines."""
        return ranking.own_component(component, self.components[article])

    def match(
        self, sig: Signals, article_codes: list[frozenset[int]]
    ) -> Iterator[tuple[int, int, tuple[float, float, Line, SigLine]]]:
        """Yield (article, line index, (weight, similarity, pasted line, signature line)) matches."""
        cutoff = PARAMS["line_cutoff"]
        prefix = PARAMS["action_prefix"]
        for line in sig.lines:
            qt = line.template
            candidates: set[int] = set()
            for word in qt.anchors:
                candidates.update(self.anchor_index.get(word, ()))
            for si in sorted(candidates):
                sl = self.sig_lines[si]
                st = sl.template
                if ranking.length_bound(len(qt.text), len(st.text)) < cutoff:
                    continue
                if not ranking.codes_compatible(qt.codes, st.codes):
                    continue
                if qt.text.startswith(prefix) and st.text.startswith(prefix):
                    sim = fuzz.ratio(
                        qt.text[len(prefix) :], st.text[len(prefix) :], score_cutoff=cutoff
                    )
                else:
                    sim = fuzz.ratio(qt.text, st.text, score_cutoff=cutoff)
                if not sim:
                    continue
                letters = sum(len(w) for w in st.anchors if w not in COMMON_TERMS)
                cited = not qt.codes or not qt.codes.isdisjoint(article_codes[sl.article])
                own = self.own(line.component, sl.article)
                w = ranking.line_weight(sim, letters, sl.df, cited, own)
                yield sl.article, si, (w, sim, line, sl)


def _strip_component(line: str, components: tuple[str, ...]) -> str:
    """Drop a trailing component name that blog excerpts append to a log line."""
    head, _, last = line.rpartition(" ")
    if head and last in components:
        return head.rstrip()
    return line
