"""The ``kb`` command line: parse arguments, call the core, format the answer.

Heavy modules (whoosh, flask, markdown) are imported inside the commands that
need them, so ``kb lookup`` starts fast.
"""

from __future__ import annotations

import os
import sys

import click

from kb import __version__
from kb.cli.articles import check, new
from kb.cli.common import Exit
from kb.cli.query import analyze, lookup, search
from kb.cli.serve import build, serve
from kb.cli.triage import triage
from kb.errors import KbError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kb")
def cli() -> None:
    """Troubleshoot ConfigMgr 2007 operating system deployment.

    Paste an error code, log lines or a question; get the article that explains
    the cause and the fix.
    """


for _command in (check, new, lookup, search, analyze, serve, build, triage):
    cli.add_command(_command)


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
