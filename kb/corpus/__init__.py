"""The corpus: the article format, loading and validating articles, authoring, rendering.

An article is a Markdown file with YAML front matter (see articles/README.md). Loading
never raises on a broken article; problems are collected as ``path:line: message``.
Rendering (markdown-it) is imported only when a page is rendered.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kb.corpus.articles import (
    Article,
    Corpus,
    Problem,
    article_files,
    default_dir,
    is_bundled,
    load_article,
    load_corpus,
)
from kb.corpus.authoring import free_path, new_article, write_article
from kb.corpus.format import ID_RE, KINDS, OPTIONAL_SECTIONS, REQUIRED_SECTIONS, TODO_MARK

if TYPE_CHECKING:
    from kb.corpus.render import Links, render_inline, render_markdown, slug

_LAZY = {
    "Links": "render",
    "render_inline": "render",
    "render_markdown": "render",
    "slug": "render",
}

__all__ = [
    "ID_RE",
    "KINDS",
    "TODO_MARK",
    "OPTIONAL_SECTIONS",
    "REQUIRED_SECTIONS",
    "Article",
    "Corpus",
    "Links",
    "Problem",
    "article_files",
    "default_dir",
    "free_path",
    "is_bundled",
    "load_article",
    "load_corpus",
    "new_article",
    "render_inline",
    "render_markdown",
    "write_article",
    "slug",
]


def __getattr__(name: str) -> Any:
    """Import the Markdown renderer on first use (it pulls in markdown-it)."""
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
