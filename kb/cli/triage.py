"""The ``kb triage`` command: options, a progress bar on a terminal, the summary lines.

Kept in its own module so the other commands stay small; the triage work
itself (kb.triage) is imported only when the command runs.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import click

from kb.cli.common import Exit, Failure, articles_option, ensure_folder, plural, url_option
from kb.errors import KbError


def _triage_formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    """Parse --format html,json,csv; reject unknown names."""
    from kb.triage import FORMATS

    chosen = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"{value!r}: choose from {', '.join(FORMATS)}")
    return chosen


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("triage-out"),
    show_default=True,
    help="Folder for the reports.",
)
@click.option(
    "--format",
    "formats",
    default="html,json,csv",
    show_default=True,
    callback=_triage_formats,
    help="Reports to write, comma-separated.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 512),
    default=None,
    help="Worker processes (default: every core).",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Keep logs whose last date (else file time) is on or after YYYY-MM-DD.",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS|local",
    default=None,
    help="Run on a Dask cluster (tcp://host:8786), or 'local' for a LocalCluster.",
)
@url_option(
    "--kb-url",
    ("http", "https", "file"),
    "http://kb.intranet:8000",
    "Link causes to articles: web app base URL, or the static site's index.html URL.",
)
@click.option(
    "--max-size",
    type=click.IntRange(1),
    default=200,
    show_default=True,
    metavar="MB",
    help="Larger files are listed as not analyzed.",
)
@click.option("--no-cache", is_flag=True, help="Analyze every file again; do not touch the cache.")
@articles_option
def triage(
    paths: tuple[str, ...],
    out_dir: Path,
    formats: tuple[str, ...],
    workers: int | None,
    since: Any,
    dask_address: str | None,
    kb_url: str | None,
    max_size: int,
    no_cache: bool,
    articles_dir: Path | None,
) -> None:
    """Triage a share of smsts logs: causes, failing steps, new problems, per machine.

    PATH is a folder (walked recursively for *smsts*.log files and zips of a
    machine's logs), a log file, a zip, or a glob.
    Writes triage.html, triage.json and triage.csv into --out. Exit status: 0 with
    a report, 1 when no log was found, 2 on bad input.
    """
    import datetime as dt
    import time

    from kb.triage import CACHE_NAME, TriageOptions, write_reports
    from kb.triage import triage as run_triage

    if articles_dir is not None and not articles_dir.is_dir():
        raise Failure(f"{articles_dir}: no such articles folder")
    made = not out_dir.exists()
    ensure_folder(out_dir, "--out")  # before the work, not after it
    options = TriageOptions(
        articles_dir=str(articles_dir) if articles_dir else None,
        workers=workers,
        dask=dask_address,
        since=since.date() if since else None,
        cache_path=None if no_cache else str(out_dir / CACHE_NAME),
        max_bytes=max_size * 1024 * 1024,
    )
    bar = None
    shown = 0

    def progress(done: int, total: int) -> None:
        nonlocal bar, shown
        if bar is None and done < total and sys.stderr.isatty():
            bar = click.progressbar(length=total, label="Analyzing logs", file=sys.stderr)
            bar.__enter__()
        if bar is not None:
            bar.update(done - shown)
        shown = done

    started = time.monotonic()
    try:
        result = run_triage(list(paths), options, progress)
    except KbError as exc:
        if made:  # bad input leaves nothing behind: the folder made for it, and its cache
            shutil.rmtree(out_dir, ignore_errors=True)
        raise Failure(str(exc)) from None
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    r = result.report
    stamp = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    try:
        written = write_reports(r, str(out_dir), formats, kb_url, ", ".join(paths), stamp)
    except OSError as exc:
        where = exc.filename or out_dir
        raise Failure(f"--out {out_dir}: cannot write {where}: {exc.strerror or exc}") from None
    click.echo(
        f"{plural(r['logs'], 'log')}: {r['failed']:,} failed on "
        f"{plural(r['failed_machines'], 'machine')}, {r['explained']:,} explained by "
        f"{plural(len(r['by_article']), 'article')}, {r['unexplained']:,} unexplained in "
        f"{plural(len(r['unexplained_clusters']), 'new problem')}; "
        f"{len(r['unreadable']):,} could not be analyzed"
    )
    click.echo(
        f"read {plural(result.analyzed, 'file')} this run, reused {result.cached:,} from the cache, "
        f"in {time.monotonic() - started:.1f} s"
    )
    for path in written:
        click.echo(f"wrote {path}")
    if not r["logs"]:
        if result.found and since:
            found = plural(result.found, "log")
            click.echo(
                f"kb: {found} found, none dated on or after {since.date().isoformat()} "
                "(see --since)",
                err=True,
            )
        else:
            click.echo(f"kb: no smsts*.log file found in {', '.join(paths)}", err=True)
        sys.exit(Exit.NOTHING_FOUND)
