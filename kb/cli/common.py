"""Shared pieces of the kb command line: exit statuses, one-line failures, common options."""

from __future__ import annotations

import json
import os
import re
from enum import IntEnum
from pathlib import Path
from typing import Any

import click


class Exit(IntEnum):
    """Exit statuses shared by every command."""

    OK = 0
    NOTHING_FOUND = 1
    BAD_INPUT = 2
    INTERNAL = 3


# Terminal controls: ESC and the other C0 and C1 controls (not tab or newline), and the
# bidirectional overrides. A log line or an article could hold them to clear the
# screen, set the window title or the clipboard, hide text or reverse a code.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Return text safe to print on a terminal: every control shown as U+FFFD."""
    return _UNPRINTABLE.sub("\ufffd", text)


class Failure(click.ClickException):
    """A known error: one line on stderr, exit status 2."""

    exit_code = Exit.BAD_INPUT

    def show(self, file: Any = None) -> None:
        click.echo(printable(f"kb: error: {self.format_message()}"), err=True)


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
    """Load the corpus, turning a missing folder into a one-line error.

    Articles that cannot be used are reported on stderr as ``kb check`` reports them,
    so a broken article is never silently left out of the answers.
    """
    from kb.corpus import default_dir, load_corpus

    folder = articles_dir or default_dir()
    if not folder.is_dir():
        raise Failure(f"{folder}: no such articles folder (set --articles or KB_ARTICLES)")
    corpus = load_corpus([folder])
    for problem in corpus.errors:
        click.echo(f"kb: warning: {problem}", err=True)
    if corpus.errors:
        left_out = plural(len(corpus.errors), "error")
        click.echo(f"kb: warning: {left_out} in the articles; run: kb check {folder}", err=True)
    return corpus


def ensure_folder(folder: Path, option: str, parents_only: bool = False) -> None:
    """Create a folder the command will write to (or its parents), or fail naming the fix."""
    try:
        blocked = next(
            (p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None
        )
    except OSError as exc:  # a parent folder we may not look into
        raise Failure(
            f"{option} {folder}: cannot look at {exc.filename or folder} ({exc.strerror or exc}); "
            "choose a folder you can write to"
        ) from None
    if blocked is not None:
        raise Failure(
            f"{option} {folder}: {blocked} is a file, not a folder; choose another folder"
        )
    where = folder.absolute().parent if parents_only else folder
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Failure(
            f"{option} {folder}: cannot create the folder ({exc.strerror or exc}); "
            "choose a folder you can write to"
        ) from None
    if not os.access(where, os.W_OK | os.X_OK):
        raise Failure(f"{option} {folder}: {where} is read-only for you; choose another folder")


# A negative decimal or hex number is a code (-2147024894), not an option.
_NEGATIVE_NUMBER = re.compile(r"-(?:0[xX][0-9A-Fa-f]+|[0-9]+)")


def query_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """Return a command's query words, refusing any that is an unknown option.

    Commands that take codes let click pass unknown options through
    (``ignore_unknown_options``) so that ``-2147024894`` reaches them as a code;
    ``--bogus`` must still be an error, as it is for every other command.
    """
    for word in words:
        if word.startswith("-") and word != "-" and not _NEGATIVE_NUMBER.fullmatch(word):
            raise click.NoSuchOption(word.split("=", 1)[0], ctx=click.get_current_context())
    return words


def plural(count: int, word: str, many: str | None = None) -> str:
    """Return ``1 article`` or ``2 articles`` (``many`` for irregular plurals)."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def url_option(name: str, schemes: tuple[str, ...], example: str, help: str):
    """Add an option that takes an absolute URL with one of these schemes."""

    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is None:
            return None
        from pathlib import PurePosixPath, PureWindowsPath
        from urllib.parse import urlsplit

        if "file" in schemes:  # a path to the static site's index.html, Windows or POSIX
            for flavour in (PureWindowsPath, PurePosixPath):
                if flavour(value).is_absolute() and not value.startswith("//"):
                    if not value.lower().endswith(".html"):
                        raise click.BadParameter(
                            f"{value!r} is a folder or a file other than a page: give the "
                            "static site's index.html (e.g. D:\\publish\\kb\\index.html)"
                        )
                    return flavour(value).as_uri()

        try:
            parts = urlsplit(value.strip())
            valid = parts.scheme.lower() in schemes and bool(parts.netloc or parts.scheme == "file")
            valid = valid and not any(c.isspace() for c in value.strip()) and parts.port != -1
            # A file: link goes to the static site's page, never to a folder.
            valid = valid and (
                parts.scheme.lower() != "file" or parts.path.lower().endswith(".html")
            )
        except ValueError:  # a bad port or a broken IPv6 address
            valid = False
        if not valid:
            wanted = " or ".join(f"{s}://" for s in schemes)
            raise click.BadParameter(f"{value!r} is not an absolute {wanted} URL (e.g. {example})")
        return value.strip()

    return click.option(name, default=None, metavar="URL", callback=check, help=help)


def emit_json(data: Any) -> None:
    """Print one JSON object."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
