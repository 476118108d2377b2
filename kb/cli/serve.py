"""kb serve and kb build: the web app and the static site."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import click

from kb.cli.common import Failure, articles_option, ensure_folder, plural, url_option
from kb.errors import KbError

_DOTTED = re.compile(r"^[0-9.]+$")


def check_host(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Accept an address or host name to listen on; refuse URLs and impossible addresses."""
    import ipaddress

    host = value.strip()
    if "://" in host or "/" in host:
        raise click.BadParameter(
            f"{value!r} is a URL; give only the address to listen on, such as 127.0.0.1, "
            "0.0.0.0 (every IPv4 address) or :: (every address), and the port with --port"
        )
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        ipaddress.ip_address(bare)
        return bare
    except ValueError:
        pass
    if re.fullmatch(r"[^:]+:\d+", bare):
        raise click.BadParameter(
            f"{value!r} holds a port; give the address with --host and the port with --port"
        )
    # Dotted digits that are not an IPv4 address (256.1.1.1) would go to DNS as a name.
    if not bare or _DOTTED.match(bare) or ":" in bare or any(c.isspace() for c in bare):
        raise click.BadParameter(
            f"{value!r} is not an IP address or host name (such as 127.0.0.1 or 0.0.0.0)"
        )
    return bare


def listening_socket(host: str, port: int) -> Any:
    """Bind a socket several ``kb serve`` processes can share (SO_REUSEPORT).

    The kernel deals each new connection to one of the processes listening on the port.
    """
    import socket

    if not hasattr(socket, "SO_REUSEPORT"):
        raise Failure("--reuse-port needs Linux or BSD; on Windows run one process per port")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
    except OSError as exc:
        raise Failure(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    callback=check_host,
    help="Address to listen on (0.0.0.0: every IPv4 address).",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=8,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Requests served at once (waitress threads).",
)
@click.option(
    "--reuse-port",
    is_flag=True,
    help="Let several kb serve processes listen on the same port (Linux).",
)
@articles_option
def serve(host: str, port: int, workers: int, reuse_port: bool, articles_dir: Path | None) -> None:
    """Run the web app with waitress (a production server, pure Python, Windows and Linux)."""
    import logging
    import signal

    from kbserver import create_app, make_server

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if articles_dir is not None and not articles_dir.is_dir():
        raise Failure(f"{articles_dir}: no such articles folder (set --articles or KB_ARTICLES)")
    try:
        app = create_app({"KB_ARTICLES": articles_dir})
    except KbError as exc:
        raise Failure(str(exc)) from None
    if not app.extensions["kb"].corpus.articles:
        from kb.corpus import default_dir

        folder = articles_dir or default_dir()
        raise Failure(f"{folder}: no articles to serve (an article is a NAME.md file)")
    sockets = [listening_socket(host, port)] if reuse_port else None
    try:
        server = make_server(app, host=host, port=port, sockets=sockets, threads=workers)
    except OSError as exc:
        raise Failure(
            f"cannot listen on {host}:{port}: {exc.strerror or exc} "
            "(--host must be an address of this machine, --port a free port)"
        ) from None
    except ValueError:  # waitress could not resolve the host name
        raise Failure(
            f"--host {host}: no address of this machine has that name (try 127.0.0.1 or 0.0.0.0)"
        ) from None
    listening = getattr(server, "effective_listen", None) or [
        (server.effective_host, server.effective_port)
    ]
    articles = plural(len(app.extensions["kb"].corpus.articles), "article")

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    # A service manager's stop (SIGTERM) ends the server as Ctrl-C does; waitress's loop
    # catches the interrupt and closes its sockets.
    signal.signal(signal.SIGTERM, interrupt)
    try:
        for h, p in listening:
            shown = f"[{h}]" if ":" in str(h) else h
            click.echo(f"kb: serving {articles} on http://{shown}:{p}/ (Ctrl-C to stop)")
        server.run()
    except KeyboardInterrupt:  # stopped before the loop started
        server.close()
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
@url_option(
    "--base-url",
    ("http", "https"),
    "https://intranet.corp.example/kb",
    "Absolute URL the site is published at (canonical links, opensearch.xml).",
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

    ensure_folder(out_dir, "--out", parents_only=True)
    try:
        result = build_site(BuildOptions(out_dir, articles_dir, base_url, strict), progress)
    except SiteError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise Failure(str(exc)) from None
    except KbError as exc:
        raise Failure(str(exc)) from None
    except OSError as exc:
        where = exc.filename or out_dir
        raise Failure(f"--out {out_dir}: cannot write {where} ({exc.strerror or exc})") from None
    for warning in result.warnings:
        click.echo(warning, err=True)
    click.echo(result.summary())
