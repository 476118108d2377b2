"""Write a new article (from the template, or a drafted text), so adding knowledge takes minutes."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from kb.corpus.articles import ID_RE, KINDS, article_files, load_article
from kb.errors import ArticleError


def new_article(
    folder: str | Path, article_id: str, title: str, kind: str = "troubleshooting"
) -> Path:
    """Create ``<folder>/<id>.md`` from the template; refuse to overwrite any existing id."""
    if kind not in KINDS:
        raise ArticleError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if not title.strip() or "\n" in title:
        raise ArticleError("the title must be one non-empty line")
    target = free_path(folder, article_id)
    template = resources.files("kb").joinpath("data/article_template.md").read_text("utf-8")
    safe_title = title.strip().replace("\\", "\\\\").replace('"', '\\"')
    return _write(target, template.format(id=article_id, title=safe_title, kind=kind))


def write_article(folder: str | Path, article_id: str, text: str) -> Path:
    """Create ``<folder>/<id>.md`` holding text (a drafted article); never overwrite."""
    return _write(free_path(folder, article_id), text)


def free_path(folder: str | Path, article_id: str) -> Path:
    """Return where a new article goes; raise ArticleError when the id is bad or taken."""
    if not ID_RE.match(article_id):
        raise ArticleError(f"{article_id!r} is not a valid id: use letters, digits, '-' and '_'")
    folder = Path(folder)
    if not folder.is_dir():
        raise ArticleError(f"{folder}: no such folder")
    target = folder / f"{article_id}.md"
    if target.exists():
        raise ArticleError(f"{target} already exists")
    for path in article_files([folder]):
        article, _ = load_article(path)
        if article is not None and article.id.lower() == article_id.lower():
            raise ArticleError(f"id {article.id!r} already exists in {path}")
    return target


def _write(target: Path, text: str) -> Path:
    """Write a new file (exclusive create), UTF-8 with LF line ends."""
    with open(target, "x", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return target
