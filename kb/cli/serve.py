"""kb serve and kb build: the web app and the static site."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from kb.cli.common import Failure, articles_option
from kb.errors import KbError


@click.command()
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


@click.command()
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
