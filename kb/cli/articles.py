"""kb check and kb new: validate the corpus, start an article."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kb.cli.common import Exit, Failure, articles_option
from kb.errors import KbError


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Validate articles (default: the whole corpus); report path:line: message."""
    from kb.corpus import default_dir, load_corpus

    try:
        corpus = load_corpus(list(paths) or [default_dir()])
    except KbError as exc:
        raise Failure(str(exc)) from None
    for problem in corpus.problems:
        click.echo(str(problem), err=problem.severity == "error")
    errors = len(corpus.errors)
    warnings = len(corpus.problems) - errors
    if errors:
        click.echo(f"{errors} error(s), {warnings} warning(s) in {len(corpus.articles)} article(s)")
        sys.exit(Exit.NOTHING_FOUND)
    click.echo(
        f"{len(corpus.articles)} articles OK" + (f", {warnings} warning(s)" if warnings else "")
    )


@click.command()
@click.argument("article_id", metavar="ID")
@click.option("--title", required=True, help="The article's title.")
@click.option(
    "--kind",
    type=click.Choice(["troubleshooting", "how-to", "reference"]),
    default="troubleshooting",
    show_default=True,
)
@articles_option
def new(article_id: str, title: str, kind: str, articles_dir: Path | None) -> None:
    """Write a new article from the template (never overwrites)."""
    from kb.corpus import default_dir, new_article

    try:
        path = new_article(articles_dir or default_dir(), article_id, title, kind)
    except KbError as exc:
        raise Failure(str(exc)) from None
    click.echo(f"wrote {path}; fill in every section, then run: kb check {path}")
