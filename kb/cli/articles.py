"""kb check and kb new: validate the corpus and its findability, start or draft an article."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kb.cli.common import Exit, Failure, articles_option, plural, printable
from kb.errors import KbError


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@articles_option
def check(paths: tuple[str, ...], strict: bool, articles_dir: Path | None) -> None:
    """Validate articles and check that their examples find them; report path:line: message.

    With no PATH, the whole corpus. A FILE is checked against the corpus it belongs
    to: its folder, or --articles.
    """
    from kb.corpus import default_dir, load_corpus
    from kb.search import Engine, check_findability

    if any(not p.strip() for p in paths):
        raise Failure("PATH is empty: give an article file or a folder of articles")
    try:
        roots, targets = _scope(
            tuple(Path(p) for p in paths), articles_dir or (None if paths else default_dir())
        )
        corpus = load_corpus(roots)
    except KbError as exc:
        raise Failure(str(exc)) from None
    if not corpus.articles and not corpus.problems:
        where = ", ".join(str(r) for r in roots) or "''"
        raise Failure(f"{where}: no articles to check (an article is a NAME.md file)")
    chosen = [a for a in corpus.articles if targets is None or _key(a.path) in targets]
    problems = [p for p in corpus.problems if targets is None or _key(p.path) in targets]
    broken = {p.path for p in corpus.problems if p.severity == "error"}
    found = check_findability(
        Engine(corpus, in_memory=True), None if targets is None else [a.id for a in chosen], broken
    )
    problems += found.problems
    for a in chosen:
        if a.draft:
            line = a.lines.get("status", 1)
            problems.append(_note(a.path, line))
    failing = ("error", "warning") if strict else ("error",)
    for problem in sorted(problems, key=lambda p: (p.path, p.line)):
        click.echo(printable(str(problem)), err=problem.severity in failing)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = sum(1 for p in problems if p.severity == "warning")
    counts = (
        f"; {plural(errors, 'error')}, {plural(warnings, 'warning')}" if errors or warnings else ""
    )
    click.echo(found.summary + counts)
    if errors or (strict and warnings):
        sys.exit(Exit.NOTHING_FOUND)


def _scope(paths: tuple[Path, ...], articles_dir: Path | None) -> tuple[list[Path], set | None]:
    """Return the corpus folders (and extra files) to load, and the files to report on."""
    from kb.corpus import article_files

    folders = [p for p in paths if p.is_dir()]
    files = [p for p in paths if not p.is_dir()]
    article_files(files)  # raises for a path that does not exist
    roots = list(dict.fromkeys([*folders, *([articles_dir] if articles_dir else [])]))
    roots += list(dict.fromkeys(f.parent for f in files if not articles_dir))
    listed = {_key(p) for p in article_files(roots)}
    roots += [f for f in files if _key(f) not in listed]  # e.g. a file named README.md
    if not files:
        return roots, None
    return roots, {_key(f) for f in files} | {_key(p) for p in article_files(folders)}


def _key(path: str | Path) -> str:
    """Return a path in a form two spellings of one file share."""
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):  # a symbolic link loop: it is reported as unreadable
        return str(Path(path).absolute())


def _note(path: str, line: int):
    """Report a draft: allowed, searched, and flagged as a draft in results."""
    from kb.corpus import Problem

    return Problem(
        path,
        line,
        "draft (status: draft): found by search and flagged as a draft; fill in the "
        "TODO: parts, then delete the status line",
        "note",
    )


@click.command()
@click.argument("article_id", metavar="ID")
@click.option("--title", help="The article's title (drafts: default from the failure).")
@click.option(
    "--kind",
    type=click.Choice(["troubleshooting", "how-to", "reference"]),
    default="troubleshooting",
    show_default=True,
)
@click.option(
    "--from-log",
    "from_log",
    type=click.Path(path_type=Path),
    help="Draft the article from this failing log (status: draft).",
)
@click.option(
    "--from-cluster",
    "cluster",
    type=int,
    help="Draft the article from new problem N of a triage report (with --triage).",
)
@click.option(
    "--triage",
    "triage_dir",
    type=click.Path(path_type=Path),
    help="The folder kb triage wrote its report to (with --from-cluster).",
)
@articles_option
def new(
    article_id: str,
    title: str | None,
    kind: str,
    from_log: Path | None,
    cluster: int | None,
    triage_dir: Path | None,
    articles_dir: Path | None,
) -> None:
    """Write a new article from the template, or draft one from a failing log (never overwrites)."""
    from kb.corpus import default_dir, is_bundled, new_article

    folder = articles_dir or default_dir()
    if is_bundled(folder):
        raise Failure(
            f"{folder} is the copy of the articles installed with kb; "
            "write new articles into your own folder with --articles DIR (or KB_ARTICLES)"
        )
    try:
        if (cluster is None) != (triage_dir is None):
            raise Failure("--from-cluster N and --triage DIR go together")
        if cluster is not None and from_log is not None:
            raise Failure("give --from-log or --from-cluster, not both")
        if cluster is not None:
            from kb.triage import cluster_example

            from_log = Path(cluster_example(triage_dir, cluster))  # type: ignore[arg-type]
        if from_log is not None:
            if kind != "troubleshooting":
                raise Failure("a drafted article is a troubleshooting article (leave out --kind)")
            path = _shown(_draft(folder, article_id, title, from_log))
            click.echo(
                f"wrote {path} (status: draft): fill in the TODO: parts (summary, sources, "
                f"Cause, Resolution), then run: kb check {path}"
            )
            return
        if title is None:
            raise Failure("--title is required (unless the article is drafted from a log)")
        path = _shown(new_article(folder, article_id, title, kind))
    except KbError as exc:
        raise Failure(str(exc)) from None
    except OSError as exc:
        raise Failure(f"cannot write into {folder}: {exc.strerror or exc}") from None
    click.echo(f"wrote {path}; fill in every section, then run: kb check {path}")


def _draft(folder: Path, article_id: str, title: str | None, log: Path) -> Path:
    """Analyze a log and write the draft article for its failure."""
    from kb.corpus import free_path, write_article
    from kb.logs import analyze_path
    from kb.search import draft_article

    free_path(folder, article_id)  # a bad or taken id fails before the log is read
    if title is not None and (not title.strip() or "\n" in title):
        raise Failure("the title must be one non-empty line")
    if not str(log).strip() or not log.exists():
        raise Failure(f"{log}: no such log file, folder of logs or zip")
    # A log, or a machine's logs in a folder or a zip (triage's example may be either).
    analysis = analyze_path(str(log))
    text = draft_article(analysis, article_id, title and title.strip())
    _warn_if_explained(folder, analysis)
    return write_article(folder, article_id, text)


def _warn_if_explained(folder: Path, analysis) -> None:
    """Say so when an article of the folder already explains the failure: a likely duplicate."""
    from kb.corpus import load_corpus
    from kb.search import Engine

    corpus = load_corpus([folder])
    if not corpus.articles:
        return
    report = Engine(corpus, in_memory=True).match_analysis(analysis, limit=1)
    strong = [r for r in report["results"] if r.get("confidence") == "strong"]
    if strong:
        click.echo(
            printable(
                f"kb: warning: {strong[0]['id']} already explains this failure "
                f"({strong[0]['title']}); if it is the same cause, improve that article instead"
            ),
            err=True,
        )


def _shown(path: Path) -> Path:
    """Return a path relative to the working folder when it lies under it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path
