"""The ``kb`` command line: parse arguments, call the core, format the answer.

Heavy modules (whoosh, flask, markdown) are imported inside the commands that
need them, so ``kb lookup`` starts fast.
"""

from __future__ import annotations

import json
import os
import sys
from enum import IntEnum
from pathlib import Path
from typing import Any

import click

from kb import __version__
from kb.errors import KbError


class Exit(IntEnum):
    """Exit statuses shared by every command."""

    OK = 0
    NOTHING_FOUND = 1
    BAD_INPUT = 2
    INTERNAL = 3


class Failure(click.ClickException):
    """A known error: one line on stderr, exit status 2."""

    exit_code = Exit.BAD_INPUT

    def show(self, file: Any = None) -> None:
        click.echo(f"kb: error: {self.format_message()}", err=True)


def articles_option(func):
    """Add ``--articles DIR`` (default: $KB_ARTICLES or the bundled folder)."""
    return click.option(
        "--articles",
        "articles_dir",
        type=click.Path(path_type=Path),
        default=None,
        help="Folder of articles (default: $KB_ARTICLES or the bundled articles/).",
    )(func)


def load(articles_dir: Path | None):
    """Load the corpus, turning a missing folder into a one-line error."""
    from kb.articles import default_dir, load_corpus

    folder = articles_dir or default_dir()
    if not folder.is_dir():
        raise Failure(f"{folder}: no such articles folder (set --articles or KB_ARTICLES)")
    return load_corpus([folder])


def emit_json(data: Any) -> None:
    """Print one JSON object."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kb")
def cli() -> None:
    """Troubleshoot ConfigMgr 2007 operating system deployment.

    Paste an error code, log lines or a question; get the article that explains
    the cause and the fix.
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Validate articles (default: the whole corpus); report path:line: message."""
    from kb.articles import default_dir, load_corpus

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


@cli.command()
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
    from kb.articles import default_dir
    from kb.authoring import new_article

    try:
        path = new_article(articles_dir or default_dir(), article_id, title, kind)
    except KbError as exc:
        raise Failure(str(exc)) from None
    click.echo(f"wrote {path}; fill in every section, then run: kb check {path}")


@cli.command()
@click.argument("code", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@articles_option
def lookup(code: tuple[str, ...], as_json: bool, articles_dir: Path | None) -> None:
    """Decode an error code in any form and list the articles that cite it."""
    from kb.answers import lookup_answer

    text = " ".join(code)
    try:
        corpus = load(articles_dir)
        answer = lookup_answer(corpus, text)
    except KbError as exc:
        raise Failure(str(exc)) from None
    if as_json:
        emit_json(answer)
        return
    from kb import textout

    click.echo(textout.code_block(answer))
    click.echo()
    click.echo(textout.article_list(answer["articles"], empty="No article cites this code."))


def engine_for(articles_dir: Path | None):
    """Load the search engine (corpus and index) for a command."""
    from kb.search import Engine

    corpus = load(articles_dir)
    return Engine(corpus)


@cli.command()
@click.argument("query", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100))
@articles_option
def search(query: tuple[str, ...], as_json: bool, limit: int, articles_dir: Path | None) -> None:
    """Find the articles that explain a paste, a code or a question.

    With no QUERY, or QUERY '-', the query is read from stdin (pastes are multi-line).
    Exit status: 0 with results, 1 with none, 2 on bad input.
    """
    if not query or query == ("-",):
        stream = click.get_text_stream("stdin")
        if stream.isatty():
            click.echo("Paste log lines, then Ctrl-D (Ctrl-Z Enter on Windows):", err=True)
        text = stream.read()
    else:
        text = " ".join(query)
    try:
        answer = engine_for(articles_dir).search(text, limit)
    except KbError as exc:
        raise Failure(str(exc)) from None
    if as_json:
        emit_json(answer)
    else:
        from kb import textout

        click.echo(textout.search_answer(answer))
    sys.exit(Exit.OK if answer["results"] else Exit.NOTHING_FOUND)


@cli.command()
@click.argument("logfile", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@articles_option
def analyze(logfile: Path, as_json: bool, articles_dir: Path | None) -> None:
    """Explain a whole log: failing action, root error chain, codes, matching articles."""
    try:
        report = engine_for(articles_dir).analyze(logfile)
    except KbError as exc:
        raise Failure(str(exc)) from None
    if as_json:
        emit_json(report)
    else:
        from kb import textout

        click.echo(textout.analysis_report(report))


def main() -> None:
    """Run the CLI; unexpected errors print one line unless KB_DEBUG is set."""
    try:
        cli(prog_name="kb")
    except KbError as exc:  # pragma: no cover - commands convert these already
        click.echo(f"kb: error: {exc}", err=True)
        sys.exit(Exit.BAD_INPUT)
    except Exception as exc:  # pragma: no cover - last resort, no traceback for users
        if os.environ.get("KB_DEBUG"):
            raise
        click.echo(
            f"kb: internal error: {exc.__class__.__name__}: {exc} (set KB_DEBUG=1 for details)",
            err=True,
        )
        sys.exit(Exit.INTERNAL)
