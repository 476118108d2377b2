"""The ``kb`` command line: parse arguments, call the core, format the answer.

Heavy modules (whoosh, flask, markdown) are imported inside the commands that
need them, so ``kb lookup`` starts fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from kb import __version__
from kb.clikit import Exit, Failure, articles_option, emit_json, load
from kb.errors import KbError
from kb.triage_command import triage


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


@cli.command(context_settings={"ignore_unknown_options": True})
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


def read_stdin() -> str:
    """Read a paste from stdin in any encoding logs use; never more than the query limit."""
    from kb.logs import decode_bytes
    from kb.signals import MAX_QUERY_CHARS

    if sys.stdin.isatty():
        click.echo("Paste log lines, then Ctrl-D (Ctrl-Z Enter on Windows):", err=True)
    # Up to four bytes a character, plus one to tell "too long" from "just fits".
    limit = 4 * MAX_QUERY_CHARS + 1
    binary = getattr(sys.stdin, "buffer", None)
    if binary is None:  # a text-only stream (an embedding host): take it as it is
        return sys.stdin.read(limit)
    return decode_bytes(binary.read(limit))


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
    text = read_stdin() if not query or query == ("-",) else " ".join(query)
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
        # A large log is read in a second process while this one analyzes it.
        report = engine_for(articles_dir).analyze(logfile, pipelined=True)
    except KbError as exc:
        raise Failure(str(exc)) from None
    if as_json:
        emit_json(report)
    else:
        from kb import textout

        click.echo(textout.analysis_report(report))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=8,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Requests served at once (waitress threads).",
)
@articles_option
def serve(host: str, port: int, workers: int, articles_dir: Path | None) -> None:
    """Run the web app with waitress (a production server, pure Python, Windows and Linux)."""
    import logging

    from waitress import create_server

    from kbserver import create_app

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if articles_dir is not None and not articles_dir.is_dir():
        raise Failure(f"{articles_dir}: no such articles folder (set --articles or KB_ARTICLES)")
    try:
        app = create_app({"KB_ARTICLES": articles_dir})
    except KbError as exc:
        raise Failure(str(exc)) from None
    limit = app.config["MAX_CONTENT_LENGTH"] or 0
    try:
        server = create_server(
            app,
            host=host,
            port=port,
            threads=workers,
            ident="kb",
            # Refuse huge bodies before buffering them; Flask answers a friendly 413 below this.
            max_request_body_size=limit + (1 << 20) if limit else 1 << 30,
        )
    except OSError as exc:
        raise Failure(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    listening = getattr(server, "effective_listen", None) or [
        (server.effective_host, server.effective_port)
    ]
    articles = len(app.extensions["kb"].corpus.articles)
    for h, p in listening:
        shown = f"[{h}]" if ":" in str(h) else h
        click.echo(f"kb: serving {articles} articles on http://{shown}:{p}/ (Ctrl-C to stop)")
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("kb: stopped")


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Folder to write the site to.",
)
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="Absolute URL the site is published at (canonical links, opensearch.xml).",
)
@click.option("--strict", is_flag=True, help="Fail on article warnings too.")
@articles_option
def build(out_dir: Path, base_url: str | None, strict: bool, articles_dir: Path | None) -> None:
    """Build the static site: pages and in-browser search, no server code (also build.py)."""
    from kb.site import BuildOptions, SiteError, build_site

    def progress(label: str, items: Any, length: int) -> Any:
        if not sys.stderr.isatty():  # a log or a pipe gets the summary line only
            return items

        def shown() -> Any:
            label_text = f"kb build: {label}"
            with click.progressbar(items, length=length, label=label_text, file=sys.stderr) as bar:
                yield from bar

        return shown()

    try:
        result = build_site(BuildOptions(out_dir, articles_dir, base_url, strict), progress)
    except SiteError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise Failure(str(exc)) from None
    except KbError as exc:
        raise Failure(str(exc)) from None
    for warning in result.warnings:
        click.echo(warning, err=True)
    click.echo(result.summary())


cli.add_command(triage)


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
