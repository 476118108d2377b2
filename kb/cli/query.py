"""kb lookup, kb search and kb analyze: ask the knowledge base."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kb.cli.common import Exit, Failure, articles_option, emit_json, load, query_words
from kb.errors import KbError


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("code", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@articles_option
def lookup(code: tuple[str, ...], as_json: bool, articles_dir: Path | None) -> None:
    """Decode an error code in any form and list the articles that cite it."""
    from kb.search import lookup_answer

    text = " ".join(query_words(code))
    try:
        corpus = load(articles_dir)
        answer = lookup_answer(corpus, text)
    except KbError as exc:
        raise Failure(str(exc)) from None
    if as_json:
        emit_json(answer)
        return
    from kb.cli import textout

    click.echo(textout.code_block(answer))
    click.echo()
    click.echo(textout.article_list(answer["articles"], empty="No article cites this code."))


def read_stdin() -> str:
    """Read a paste from stdin in any encoding logs use; never more than the query limit."""
    from kb.errors import LogError
    from kb.logs import decode_bytes, sniff_stream
    from kb.search import MAX_QUERY_CHARS

    if sys.stdin.isatty():
        click.echo("Paste log lines, then Ctrl-D (Ctrl-Z Enter on Windows):", err=True)
    # Up to four bytes a character, plus one to tell "too long" from "just fits".
    limit = 4 * MAX_QUERY_CHARS + 1
    binary = getattr(sys.stdin, "buffer", None)
    # A text-only stream (an embedding host) is taken as it is.
    if binary is None:
        text = sys.stdin.read(limit)
    else:
        data = binary.read(limit)
        try:
            sniff_stream("<stdin>", [data])  # the test kb analyze makes of a log's start
        except LogError:
            raise Failure(
                "<stdin> is binary data, not text: paste log lines, a code or a question"
            ) from None
        text = decode_bytes(data)
    if len(text) > MAX_QUERY_CHARS:  # cut at the read limit: its true length is unknown
        raise Failure(
            f"the query is more than {MAX_QUERY_CHARS:,} characters, the limit "
            "(use kb analyze for a whole log file)"
        )
    return text


def engine_for(articles_dir: Path | None):
    """Load the search engine (corpus and index) for a command."""
    from kb.search import Engine

    corpus = load(articles_dir)
    return Engine(corpus)


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100))
@articles_option
def search(query: tuple[str, ...], as_json: bool, limit: int, articles_dir: Path | None) -> None:
    """Find the articles that explain a paste, a code or a question.

    With no QUERY, or QUERY '-', the query is read from stdin (pastes are multi-line).
    Exit status: 0 when an article explains it (a strong answer), 1 otherwise
    (possibly related articles are still listed), 2 on bad input.
    """
    query = query_words(query)
    text = read_stdin() if not query or query == ("-",) else " ".join(query)
    try:
        answer = engine_for(articles_dir).search(text, limit)
    except KbError as exc:
        raise Failure(str(exc)) from None
    if as_json:
        emit_json(answer)
    else:
        from kb.cli import textout

        click.echo(textout.search_answer(answer))
    sys.exit(Exit.OK if answer["strong"] else Exit.NOTHING_FOUND)


# A log read from stdin is held in memory: bounded like a zip's content.
MAX_STDIN_LOG = 200 * 1024 * 1024


@click.command()
@click.argument("path", metavar="PATH")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@articles_option
def analyze(path: str, as_json: bool, articles_dir: Path | None) -> None:
    """Explain a log, a folder of a machine's logs, or a zip of them ('-': read stdin).

    Prints the failing step, the root error chain, the codes and the matching
    articles; a folder or zip is read as one run (rotated smsts logs stitched, the
    other logs as context). Exit status: 0 when an article answers the failure,
    1 when none does or the run did not fail, 2 on bad input.
    """
    try:
        engine = engine_for(articles_dir)
        if path == "-":
            report = engine.analyze_upload("<stdin>", read_stdin_log())
        else:
            if not path.strip():
                raise Failure("PATH is empty: give a log file, a folder of logs or a zip")
            if not Path(path).exists():
                raise Failure(f"cannot read {path}: no such file or folder")
            report = engine.analyze(path)
    except KbError as exc:
        raise Failure(str(exc)) from None
    if as_json:
        emit_json(report)
    else:
        from kb.cli import textout

        click.echo(textout.analysis_report(report))
    sys.exit(Exit.OK if report["failed"] and report["strong"] else Exit.NOTHING_FOUND)


def read_stdin_log() -> bytes:
    """Read a log (or a zip of logs) from stdin as bytes; refuse one over MAX_STDIN_LOG."""
    from kb.errors import LogError

    binary = getattr(sys.stdin, "buffer", None)
    data = binary.read(MAX_STDIN_LOG + 1) if binary is not None else sys.stdin.read().encode()
    if not data:
        raise LogError("<stdin> is empty: pipe a log (or a zip of logs) into kb analyze -")
    if len(data) > MAX_STDIN_LOG:
        raise LogError(f"<stdin>: more than {MAX_STDIN_LOG // (1024 * 1024)} MB: save it to a file")
    return data
