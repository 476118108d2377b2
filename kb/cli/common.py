"""Shared pieces of the kb command line: exit statuses, one-line failures, common options."""

from __future__ import annotations

import json
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
    from kb.corpus import default_dir, load_corpus

    folder = articles_dir or default_dir()
    if not folder.is_dir():
        raise Failure(f"{folder}: no such articles folder (set --articles or KB_ARTICLES)")
    return load_corpus([folder])


def emit_json(data: Any) -> None:
    """Print one JSON object."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
