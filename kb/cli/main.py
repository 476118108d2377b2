"""The ``kb`` command line: parse arguments, call the core, format the answer.

Heavy modules (whoosh, flask, markdown) are imported inside the commands that
need them, so ``kb lookup`` starts fast.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from kb import __version__
from kb.cli.articles import check, new
from kb.cli.common import Exit, plural
from kb.cli.query import analyze, lookup, search
from kb.cli.serve import build, serve
from kb.cli.triage import triage
from kb.errors import KbError

INTERRUPTED = 130  # the shells' status for a command stopped by Ctrl-C (128 + SIGINT)
BROKEN_PIPE = 141  # the shells' status for a writer whose reader went away (128 + SIGPIPE)


class KbGroup(click.Group):
    """A click group whose usage errors are one line on stderr, like every other error."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Run a command; report usage errors and Ctrl-C in one line."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:  # plain "kb": the help, as asked
            click.echo(exc.ctx.get_help())
            sys.exit(Exit.OK)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else "kb"
            message = exc.format_message().rstrip(".")
            click.echo(f"kb: error: {message} (see {where} --help)", err=True)
            sys.exit(Exit.BAD_INPUT)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except (click.Abort, KeyboardInterrupt):
            click.echo("kb: stopped", err=True)
            sys.exit(INTERRUPTED)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        sys.exit(Exit.OK)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a reader that went away (``kb search ... | head``) is no error.

        Caught here, before click's own handler, which would exit 1 ("nothing found").
        """
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            from click.utils import PacifyFlushWrapper

            sys.stdout = PacifyFlushWrapper(sys.stdout)  # no second error when Python exits
            sys.exit(BROKEN_PIPE)


def show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """Print the version and how many articles the default folder holds, then exit."""
    if not value or ctx.resilient_parsing:
        return
    from kb.corpus import article_files, default_dir

    folder = default_dir()
    try:
        articles = plural(len(article_files([folder])), "article")
    except KbError:
        articles = "no articles"
    click.echo(f"kb {__version__} ({articles} in {folder})")
    ctx.exit()


@click.group(cls=KbGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=show_version,
    help="Show the version and the number of articles, then exit.",
)
def cli() -> None:
    """Troubleshoot ConfigMgr 2007 operating system deployment.

    Paste an error code, log lines or a question; get the article that explains
    the cause and the fix.
    """


for _command in (check, new, lookup, search, analyze, serve, build, triage):
    cli.add_command(_command)


def main(args: list[str] | None = None) -> None:
    """Run the CLI (on sys.argv, or on args); unexpected errors print one line."""
    try:
        cli(args=args, prog_name="kb")
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
