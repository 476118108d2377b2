"""Run the per-file work over many files: in this process, a process pool, or Dask.

Files go out in chunks (one task per chunk, not per file, so scheduling costs stay
small next to the work); results come back in any order and are sorted by the
caller. Every path returns the corpus hash the workers used, so a Dask cluster
whose workers hold other articles is caught instead of mixing answers.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from kb.errors import KbError
from kb.triage.work import triage_chunk

Progress = Callable[[int], None]
MAX_CHUNK = 64


class ExecutionError(KbError):
    """The workers could not be started or reached, or disagree on the articles."""


@dataclass(frozen=True)
class Job:
    """What every chunk needs besides its paths: the articles, the size limit, the corpus hash."""

    articles_dir: str | None
    max_bytes: int
    corpus: str | None = None

    def args(self) -> tuple[str | None, int, str | None]:
        """Return the arguments after the paths of triage_chunk."""
        return (self.articles_dir, self.max_bytes, self.corpus)


def chunks(paths: list[str], workers: int) -> Iterator[list[str]]:
    """Split paths into chunks: about 8 per worker, at most MAX_CHUNK files each."""
    size = max(1, min(MAX_CHUNK, len(paths) // max(1, workers * 8)))
    for i in range(0, len(paths), size):
        yield paths[i : i + size]


def run_serial(paths: list[str], job: Job, progress: Progress) -> tuple[str, list[dict[str, Any]]]:
    """Triage files in this process."""
    corpus = ""
    results: list[dict[str, Any]] = []
    for chunk in chunks(paths, 1):
        out = triage_chunk(chunk, *job.args())
        corpus = out["corpus"]
        results.extend(out["results"])
        progress(len(chunk))
    return corpus, results


def run_pool(
    paths: list[str], job: Job, workers: int, progress: Progress
) -> tuple[str, list[dict[str, Any]]]:
    """Triage files on a local process pool of the given size."""
    results: list[dict[str, Any]] = []
    corpora: set[str] = set()
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {
                pool.submit(triage_chunk, c, *job.args()): len(c) for c in chunks(paths, workers)
            }
            for future in as_completed(futures):
                out = future.result()
                corpora.add(out["corpus"])
                results.extend(out["results"])
                progress(futures[future])
    except (OSError, RuntimeError) as exc:  # BrokenProcessPool is a RuntimeError
        raise ExecutionError(f"the worker processes failed: {exc}") from None
    return _one_corpus(corpora), results


def run_dask(
    paths: list[str], job: Job, address: str, workers: int, progress: Progress
) -> tuple[str, list[dict[str, Any]]]:
    """Triage files on a Dask cluster: an address, or "local" for a LocalCluster."""
    try:
        from distributed import Client, LocalCluster
        from distributed import as_completed as dask_completed
    except ImportError:
        raise ExecutionError(
            "--dask needs Dask distributed: pip install 'dask[distributed]' "
            "(or '.[dask]' from the kb source folder)"
        ) from None
    import logging
    import warnings

    cluster = None
    try:
        if address == "local":
            with warnings.catch_warnings():
                # The scheduler's HTTP endpoint moves off a busy port 8787 and says so.
                warnings.filterwarnings("ignore", message="Port .* is already in use")
                cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.CRITICAL,  # worker shutdown chatter is not news
                )
            client = Client(cluster)
        else:
            client = Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise ExecutionError(f"cannot reach the Dask scheduler {address}: {exc}") from None
    results: list[dict[str, Any]] = []
    corpora: set[str] = set()
    try:
        size = sum(client.ncores().values()) or workers
        batches = list(chunks(paths, size))
        articles_dir, max_bytes, corpus = job.args()
        futures = client.map(
            triage_chunk,
            batches,
            articles_dir=articles_dir,
            max_bytes=max_bytes,
            corpus=corpus,
            pure=False,
        )
        lengths = {f.key: len(b) for f, b in zip(futures, batches, strict=True)}
        for future in dask_completed(futures):
            try:
                out = future.result()
            except Exception as exc:  # e.g. a worker without kb installed cannot unpickle
                raise ExecutionError(
                    f"a Dask task failed: {exc.__class__.__name__}: {exc}"
                ) from None
            corpora.add(out["corpus"])
            results.extend(out["results"])
            progress(lengths[future.key])
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return _one_corpus(corpora), results


def _one_corpus(corpora: set[str]) -> str:
    """Return the single corpus hash all workers used; fail if they differ."""
    if len(corpora) > 1:
        raise ExecutionError(
            "the workers searched different articles (corpus hashes "
            + ", ".join(sorted(corpora))
            + "): install the same kb and articles on every worker"
        )
    return next(iter(corpora), "")


def default_workers() -> int:
    """Return the number of worker processes to use by default: the usable cores."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
