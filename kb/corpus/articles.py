"""Articles: Markdown files with YAML front matter, loaded into typed objects.

Loading never raises on a broken article: every problem is collected as a
:class:`Problem` (``path:line: message``) so one bad file cannot hide the others.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kb.corpus import frontmatter, validate
from kb.corpus.format import (
    ID_RE,
    KINDS,
    OPTIONAL_SECTIONS,
    REQUIRED_SECTIONS,
    TODO_MARK,
    fenced_lines,
    first_step,
    split_sections,
)
from kb.corpus.scope import load_scope
from kb.corpus.vocabulary import load_vocabulary
from kb.errors import ArticleError

__all__ = ["ID_RE", "KINDS", "OPTIONAL_SECTIONS", "REQUIRED_SECTIONS", "fenced_lines", "first_step"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an article, reported as ``path:line: message``."""

    path: str
    line: int
    message: str
    severity: str = "error"  # "error", "warning" or "note" (never fails a check)

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.path}:{self.line}: {tag}{self.message}"


@dataclass(frozen=True)
class Signatures:
    """What an admin pastes that points at an article."""

    codes: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()
    logs: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """One curated article."""

    id: str
    title: str
    kind: str
    summary: str
    applies_to: tuple[str, ...]
    signatures: Signatures
    tags: tuple[str, ...]
    sources: tuple[str, ...]
    related: tuple[str, ...]
    examples: tuple[str, ...]
    body: str
    path: str
    sections: dict[str, str] = field(default_factory=dict, compare=False)
    status: str = "published"
    # File line of each front matter key and list item ("examples[2]"), for check reports.
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    body_line: int = 1
    questions: tuple[str, ...] = ()

    @property
    def draft(self) -> bool:
        """Tell whether the article is a draft (``status: draft``)."""
        return self.status == "draft"

    @cached_property
    def codes(self) -> tuple[int, ...]:
        """Return every error code the article cites (signatures first, then body)."""
        from kb.codes import code_values, parse_code

        seen: dict[int, None] = {}
        for text in self.signatures.codes:
            try:
                seen.setdefault(parse_code(text), None)
            except Exception:  # reported by validation, not here
                continue
        for value in code_values(self.body):
            seen.setdefault(value, None)
        return tuple(seen)

    @cached_property
    def excerpts(self) -> tuple[str, ...]:
        """Return the lines of the fenced log excerpts in Symptoms."""
        return tuple(fenced_lines(self.sections.get("Symptoms", "")))

    @cached_property
    def first_step(self) -> str:
        """Return the first numbered step of Resolution, as Markdown text."""
        return first_step(self.sections.get("Resolution", ""))

    def to_dict(self) -> dict:
        """Return the article's metadata as JSON-ready data."""
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "summary": self.summary,
            "applies_to": list(self.applies_to),
            "signatures": {
                "codes": list(self.signatures.codes),
                "lines": list(self.signatures.lines),
                "logs": list(self.signatures.logs),
                "components": list(self.signatures.components),
                "patterns": list(self.signatures.patterns),
            },
            "questions": list(self.questions),
            "tags": list(self.tags),
            "sources": list(self.sources),
            "related": list(self.related),
            "status": self.status,
        }


@dataclass(frozen=True)
class Corpus:
    """Every article of a folder, and every problem found while loading it."""

    root: str
    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]
    vocabulary: tuple[tuple[str, ...], ...] = ()
    scope: tuple[str, ...] = ()  # the product's words (kb.corpus.scope)

    @cached_property
    def by_id(self) -> dict[str, Article]:
        """Return the articles keyed by id."""
        return {a.id: a for a in self.articles}

    @property
    def errors(self) -> list[Problem]:
        """Return the problems that are errors (not warnings)."""
        return [p for p in self.problems if p.severity == "error"]

    def citing(self, value: int) -> list[Article]:
        """Return the articles that cite an error code, in corpus order."""
        return [a for a in self.articles if value in a.codes]


def default_dir() -> Path:
    """Return the articles folder: $KB_ARTICLES, else the bundled copy, else the checkout's."""
    env = os.environ.get("KB_ARTICLES")
    if env:
        return Path(env)
    package = Path(__file__).resolve().parents[1]
    # An installed wheel carries the articles inside the package (see setup.py); a source
    # checkout or an editable install reads the repository's articles/ in place.
    bundled = package / "articles"
    if bundled.is_dir():
        return bundled
    return package.parent / "articles"


def is_bundled(folder: str | os.PathLike[str]) -> bool:
    """Return whether a folder is the copy of the articles installed inside the package."""
    return Path(folder).resolve() == Path(__file__).resolve().parents[1] / "articles"


# The largest bundled article is about 10 KB; a page of megabytes helps no one.
MAX_ARTICLE_BYTES = 1024 * 1024


def article_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Return the article files under the given files and folders, sorted."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(sorted(x for x in p.glob("*.md") if x.name.lower() != "readme.md"))
        elif p.is_file():
            found.append(p)
        else:
            raise ArticleError(f"{p}: no such file or folder")
    return found


def load_corpus(paths: Iterable[str | os.PathLike[str]] | None = None) -> Corpus:
    """Load and validate every article under the given paths (default: the articles folder)."""
    paths = [default_dir()] if paths is None else list(paths)
    files = article_files(paths)
    articles: list[Article] = []
    problems: list[Problem] = []
    for path in files:
        article, found = load_article(path)
        problems.extend(found)
        if article is not None:
            articles.append(article)
    problems.extend(_cross_check(articles))
    root = str(paths[0]) if paths else ""
    vocabulary: tuple[tuple[str, ...], ...] = ()
    scope: tuple[str, ...] = ()
    if paths and Path(paths[0]).is_dir():
        vocabulary, found = load_vocabulary(paths[0])
        problems.extend(Problem(*p) for p in found)
        scope, found = load_scope(paths[0])
        problems.extend(Problem(*p) for p in found)
    return Corpus(
        root=root,
        articles=tuple(articles),
        problems=tuple(problems),
        vocabulary=vocabulary,
        scope=scope,
    )


def load_article(path: str | os.PathLike[str]) -> tuple[Article | None, list[Problem]]:
    """Load one article; return it (or None when unusable) and its problems."""
    p = Path(path)
    name = str(p)
    if not p.is_file():  # a pipe would block, a device (/dev/zero) would never end
        return None, [Problem(name, 1, "not a regular file (a pipe, a device or a broken link)")]
    try:
        with open(p, "rb") as f:
            raw = f.read(MAX_ARTICLE_BYTES + 1)
    except OSError as exc:
        return None, [Problem(name, 1, f"cannot read: {exc.strerror or exc}")]
    if len(raw) > MAX_ARTICLE_BYTES:
        limit = MAX_ARTICLE_BYTES // 1024
        return None, [
            Problem(name, 1, f"larger than {limit:,} KB: an article is read in minutes, not hours")
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(name, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02X})")]
    return parse_article(text, name, stem=p.stem)


def parse_article(text: str, path: str = "<text>", stem: str | None = None):
    """Parse article text; return (Article or None, problems)."""
    problems: list[Problem] = []
    try:
        doc = frontmatter.split(text)
    except frontmatter.FrontMatterError as exc:
        return None, [Problem(path, exc.line, str(exc))]
    try:
        meta, lines, raw = frontmatter.load_yaml(doc.yaml, doc.yaml_line)
    except frontmatter.FrontMatterError as exc:
        return None, [Problem(path, exc.line, str(exc))]

    def report(key: str, message: str, severity: str = "error") -> None:
        problems.append(Problem(path, lines.get(key, doc.yaml_line - 1), message, severity))

    values = validate.fields(meta, report, raw)
    if values is None:
        return None, problems
    if stem is not None and values["id"] != stem:
        report("id", f"id {values['id']!r} differs from the file name {stem!r}.md", "warning")
    sections = split_sections(doc.body)
    validate.body(
        sections,
        doc.body_line,
        values,
        lambda ln, m, s="error": problems.append(Problem(path, ln, m, s)),
    )
    if values["status"] != "draft":
        for i, line in enumerate(text.split("\n"), start=1):
            if TODO_MARK in line:
                problems.append(
                    Problem(
                        path,
                        i,
                        f"{TODO_MARK} left from the draft: fill it in (or mark the "
                        "article status: draft)",
                    )
                )
                break
    sig = values["signatures"]
    article = Article(
        id=values["id"],
        title=values["title"],
        kind=values["kind"],
        summary=values["summary"],
        applies_to=values["applies_to"],
        signatures=Signatures(
            codes=sig.get("codes", ()),
            lines=sig.get("lines", ()),
            logs=sig.get("logs", ()),
            components=sig.get("components", ()),
            patterns=sig.get("patterns", ()),
        ),
        tags=values["tags"],
        sources=values["sources"],
        related=values["related"],
        examples=values["examples"],
        body=doc.body,
        path=path,
        sections={name: content for name, (content, _line) in sections.items()},
        status=values["status"],
        lines=lines,
        body_line=doc.body_line,
        questions=values["questions"],
    )
    return article, problems


def _cross_check(articles: list[Article]) -> list[Problem]:
    """Find duplicate ids and related ids that name no article."""
    problems: list[Problem] = []
    first_seen: dict[str, Article] = {}
    for a in articles:
        if a.id in first_seen:
            problems.append(
                Problem(a.path, 2, f"duplicate id {a.id!r} (also in {first_seen[a.id].path})")
            )
        else:
            first_seen[a.id] = a
    for a in articles:
        for rid in a.related:
            if rid not in first_seen:
                problems.append(Problem(a.path, _related_line(a), f"related: unknown id {rid!r}"))
    return problems


def _related_line(article: Article) -> int:
    """Find the line of the ``related:`` key in an article file (1 when unknown)."""
    try:
        text = Path(article.path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 1
    for i, line in enumerate(text.split("\n"), start=1):
        if line.startswith("related:"):
            return i
    return 1
