"""Fleet triage, stage by stage: find logs, reuse cached results, analyze the rest,
filter by date, aggregate.

The core never prints: progress goes to the ``progress(done, total)`` callback the
caller gives (the CLI draws a progress bar with it).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kb import __version__
from kb.triage import execute
from kb.triage.aggregate import aggregate
from kb.triage.cache import ResultCache
from kb.triage.walk import find_logs, path_stat
from kb.triage.work import DEFAULT_MAX_BYTES, RESULT_VERSION

ProgressCallback = Callable[[int, int], None]


@dataclass
class TriageOptions:
    """How to run a triage; the defaults suit a local run over the bundled articles."""

    articles_dir: str | None = None
    workers: int | None = None  # None: every usable core
    dask: str | None = None  # a scheduler address, or "local" for a LocalCluster
    since: dt.date | None = None
    cache_path: str | None = None  # None: no cache
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass
class TriageResult:
    """The report data, the per-file results, and how much work the run did."""

    report: dict[str, Any]
    results: list[dict[str, Any]] = field(default_factory=list)
    analyzed: int = 0  # files analyzed in this run
    cached: int = 0  # files whose result came from the cache
    found: int = 0  # log files found, before --since left some out


def triage(
    paths: list[str], options: TriageOptions | None = None, progress: ProgressCallback | None = None
) -> TriageResult:
    """Triage every smsts log under the paths; raise KbError on bad input."""
    opts = options or TriageOptions()
    found = find_logs(paths)
    corpus = corpus_hash(opts.articles_dir)
    stats = _stat_all(found.files)
    cache = None
    if opts.cache_path:
        salt = f"{RESULT_VERSION}:{__version__}:{corpus}:{opts.max_bytes}"
        cache = ResultCache(opts.cache_path, salt)
    try:
        hits = cache.lookup(stats) if cache else {}
        todo = [p for p in found.files if p not in hits]
        total = len(found.files)
        done = len(hits)
        report_progress = progress or (lambda d, t: None)
        report_progress(done, total)

        def advance(n: int) -> None:
            nonlocal done
            done += n
            report_progress(done, total)

        fresh = _analyze(todo, opts, corpus, advance) if todo else []
        if cache:
            cache.store(fresh)
            cache.prune(set(found.files))
    finally:
        if cache:
            cache.close()
    results = sorted([*hits.values(), *fresh], key=lambda r: r["file"])
    results += [
        {"file": path, "status": "unreadable", "reason": why} for path, why in found.unlisted
    ]
    if opts.since:
        results = [r for r in results if keep_since(r, opts.since)]
    results.sort(key=lambda r: r["file"])
    report = aggregate(results, corpus, opts.since.isoformat() if opts.since else None)
    return TriageResult(
        report,
        results,
        analyzed=len(fresh),
        cached=len(hits),
        found=len(found.files) + len(found.unlisted),
    )


def _analyze(
    todo: list[str], opts: TriageOptions, corpus: str, advance: Callable[[int], None]
) -> list[dict[str, Any]]:
    """Analyze files on the chosen executor; check the workers used our articles."""
    workers = opts.workers or execute.default_workers()
    job = execute.Job(opts.articles_dir, opts.max_bytes, corpus)
    if opts.dask:
        used, fresh = execute.run_dask(todo, job, opts.dask, workers, advance)
    elif workers == 1 or len(todo) == 1:
        used, fresh = execute.run_serial(todo, job, advance)
    else:
        _prebuild_index(opts.articles_dir)
        used, fresh = execute.run_pool(todo, job, workers, advance)
    if used and used != corpus:
        raise execute.ExecutionError(
            f"the workers searched other articles (corpus {used}, expected {corpus}): "
            "give every worker the same kb version and --articles folder"
        )
    return fresh


def corpus_hash(articles_dir: str | None) -> str:
    """Return the content hash of the articles a run matches against."""
    from kb.corpus import load_corpus
    from kb.search import content_hash

    corpus = load_corpus(None if articles_dir is None else [articles_dir])
    return content_hash(corpus.articles, corpus.vocabulary)


def _prebuild_index(articles_dir: str | None) -> None:
    """Build the search index once here, so pool workers do not all build it at once."""
    from kb.corpus import load_corpus
    from kb.search import open_index

    corpus = load_corpus(None if articles_dir is None else [articles_dir])
    open_index(corpus.articles, vocabulary=corpus.vocabulary).close()


def _stat_all(files: list[str]) -> dict[str, tuple[int, int]]:
    """Return (size, mtime_ns) of every file that can be stat'ed."""
    stats = {}
    for path in files:
        try:
            stats[path] = path_stat(path)
        except OSError:
            continue
    return stats


def keep_since(result: dict[str, Any], since: dt.date) -> bool:
    """Tell whether a log is on or after a date: its last date, else its file's mtime."""
    day = result.get("last_date") or ""
    if not day:
        mtime = result.get("mtime_ns")
        if mtime is None:
            try:
                mtime = os.stat(result["file"]).st_mtime_ns
            except OSError:
                return True  # an unreadable file of unknown age is shown, not hidden
        day = dt.date.fromtimestamp(mtime / 1e9).isoformat()
    return day >= since.isoformat()


FORMATS = ("html", "json", "csv")


def write_reports(
    report: dict[str, Any],
    out_dir: str,
    formats: tuple[str, ...] = FORMATS,
    kb_url: str | None = None,
    inputs: str = "",
    generated: str | None = None,
) -> list[str]:
    """Write triage.html/.json/.csv into out_dir; return the paths written."""
    from kb.triage import report_data

    os.makedirs(out_dir, exist_ok=True)
    written = []
    for fmt in FORMATS:
        if fmt not in formats:
            continue
        path = os.path.join(out_dir, f"triage.{fmt}")
        if fmt == "json":
            report_data.write_json(report, path)
        elif fmt == "csv":
            report_data.write_csv(report, path)
        else:
            from kb.triage.report_html import html_text

            text = html_text(report, os.path.abspath(out_dir), kb_url, inputs, generated)
            report_data.write_atomic(path, text)
        written.append(path)
    return written
