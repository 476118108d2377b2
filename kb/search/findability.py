"""Findability: each article's examples find it first, and its signature lines are log lines.

An example is what an admin would paste; if it finds another article first (or only a
weak answer), the article will not be found when it matters, or it steals pastes that
belong elsewhere. A signature line that no Symptoms line or example reads like is
usually a heading or a UI label pasted as a signature: it matches no real log.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kb.corpus import Article, Problem
from kb.logs import parse_text
from kb.search.engine import Engine
from kb.search.masking import mask

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")
_LOG_PUNCTUATION_RE = re.compile(r"[.:;=_\\/]|0x")


@dataclass
class Findability:
    """What the check found: problems as ``path:line: message``, and what was checked."""

    articles: int = 0
    examples: int = 0
    lost: int = 0  # examples that do not find their own article first, strongly
    problems: list[Problem] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """Return the one-line verdict, e.g. "17 articles, 90 examples: all find their article"."""
        articles = f"{self.articles} article{'' if self.articles == 1 else 's'}"
        examples = f"{self.examples} example{'' if self.examples == 1 else 's'}"
        head = f"{articles}, {examples}: "
        if not self.lost:
            return head + "all find their article"
        verb = "does" if self.lost == 1 else "do"
        return head + f"{self.lost} {verb} not find their article first as a strong answer"


def check_findability(
    engine: Engine, only: Iterable[str] | None = None, skip: Iterable[str] = ()
) -> Findability:
    """Search every example of the engine's articles; report those not finding theirs first.

    With ``only`` (article ids), report the examples and signature lines of those
    articles, and any other article's example that one of them now wins. Articles
    whose path is in ``skip`` (broken ones, already reported) are counted, not searched.
    """
    chosen = None if only is None else set(only)
    skipped = set(skip)
    found = Findability()
    for article in engine.articles:
        mine = chosen is None or article.id in chosen
        if mine:
            found.articles += 1
        if article.path in skipped:
            continue
        if mine:
            found.examples += len(article.examples)
            found.problems.extend(signature_problems(article))
        for i, example in enumerate(article.examples):
            message = _example_problem(engine, article, example)
            if message is None:
                continue
            winner = message[1]
            if mine or (winner is not None and winner in chosen):  # type: ignore[operator]
                found.lost += 1 if mine else 0
                line = article.lines.get(f"examples[{i}]", 1)
                found.problems.append(Problem(article.path, line, f"examples[{i}]: {message[0]}"))
    return found


def _example_problem(
    engine: Engine, article: Article, example: str
) -> tuple[str, str | None] | None:
    """Return why an example fails its article (and the article to blame), or None.

    The article to blame is the one found first instead, or, when the example finds
    its article first but only as a possible answer, the runner-up that comes close.
    """
    results = engine.search(example, limit=2)["results"]
    if not results:
        return "finds no article (nothing scores above the threshold)", None
    top = results[0]
    if top["id"] != article.id:
        return f"finds {top['id']} first (score {top['score']:.2f}), not {article.id}", top["id"]
    confidence = top.get("confidence")
    if confidence is not None and confidence != "strong":
        message = f"finds {article.id} first, but as a {confidence} answer, not a strong one"
        if len(results) > 1:
            runner = results[1]
            return f"{message} ({runner['id']} comes close: {runner['score']:.2f})", runner["id"]
        return message, None
    return None


def signature_problems(article: Article) -> list[Problem]:
    """Warn about signature lines that read like headings or match no Symptoms line or example.

    Only troubleshooting articles: a how-to's signatures are the paths, commands and
    settings it explains, which no log needs to write.
    """
    if article.kind != "troubleshooting":
        return []
    fenced = [mask(line).text for line in article.excerpts]
    pasted: list[str] = []
    whole: list[str] = []
    for example in article.examples:
        for record in parse_text(example):
            (whole if record.format == "plain" else pasted).append(mask(record.message).text)
    problems = []
    for i, line in enumerate(article.signatures.lines):
        template = mask(line).text
        matched = any(template in t for t in fenced + pasted) or template in whole
        if matched and not is_heading(line):
            continue
        problems.append(
            Problem(
                article.path,
                article.lines.get(f"signatures.lines[{i}]", 1),
                f"signatures.lines[{i}]: "
                + ("reads like a heading" if matched else "no Symptoms log line or example has")
                + f" {line!r}: if it is a heading or a UI label, move it to examples "
                "(as a question) and keep signatures for lines a log writes",
                "warning",
            )
        )
    return problems


def is_heading(line: str) -> bool:
    """Tell whether a line reads like a title (long words capitalized, no log punctuation)."""
    if _LOG_PUNCTUATION_RE.search(line):
        return False
    words = [w for w in _WORD_RE.findall(line) if len(w) >= 4]
    return len(words) >= 5 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)
