"""Benchmark fleet triage: a generated share of smsts logs, local and on Dask, then a rerun.

Run: .venv/bin/python benchmarks/triage.py [--logs 10000] [--size-kb 50] [--repeat 1]
     [--share DIR]  (reuse or keep the generated share; default: a temporary folder)

Measures, each as the median of --repeat runs: logs/s with 1 and 2 local worker
processes, the scaling ratio, logs/s on a 2-worker Dask LocalCluster (cluster start
included), the rerun time when every result comes from the cache, and the peak
RSS of the whole process tree (this process and its workers; sampled with psutil
when installed, else the getrusage maxima of this process and its children).

Targets on a 2-core machine: >= 100 logs/s with 2 workers, rerun < 10 s, peak RSS < 500 MB.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kb.triage import TriageOptions, triage  # noqa: E402
from tests.fleetgen import generate_fleet  # noqa: E402


class PeakRss:
    """Sample the RSS of this process and all its descendants; keep the maximum."""

    def __init__(self, every: float = 0.1) -> None:
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)

    def __enter__(self) -> PeakRss:
        try:
            import psutil  # noqa: F401
        except ImportError:
            return self
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread.is_alive():
            self._stop.set()
            self._thread.join()
        else:  # no psutil: the largest single process seen by the kernel (kB on Linux)
            self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            self.peak = (self_kb + kids_kb) * 1024


def machine() -> str:
    """Describe the machine the figures come from."""
    try:
        import psutil

        ram = f"{psutil.virtual_memory().total / 2**30:.1f} GiB RAM"
    except ImportError:
        ram = f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB RAM"
    return (
        f"{os.cpu_count()} cores, {ram}, Python {platform.python_version()}, {platform.platform()}"
    )


def timed(paths: list[str], options: TriageOptions) -> tuple[float, int, int]:
    """Run one triage; return (seconds, peak RSS bytes, files analyzed)."""
    with PeakRss() as rss:
        start = time.perf_counter()
        result = triage(paths, options)
        seconds = time.perf_counter() - start
    return seconds, rss.peak, result.analyzed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", type=int, default=10_000, help="logs to generate")
    parser.add_argument("--size-kb", type=int, default=50, help="approximate size of a log")
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure (median)")
    parser.add_argument("--share", type=Path, default=None, help="folder for the generated logs")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask run")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="kb-triage-bench-")
    share = args.share or Path(tmp.name) / "share"
    existing = sorted(share.rglob("*smsts*.log")) if share.is_dir() else []
    if len(existing) != args.logs:
        start = time.perf_counter()
        generate_fleet(share, args.logs, seed=2010, target_bytes=args.size_kb * 1024)
        took = time.perf_counter() - start
        print(f"generated {args.logs} logs in {took:.0f} s", flush=True)
    size = sum(p.stat().st_size for p in share.rglob("*smsts*.log"))
    print(f"share: {args.logs} logs, {size / 2**20:.0f} MB ({size / args.logs / 1024:.0f} KB each)")
    print(f"machine: {machine()}")
    paths = [str(share)]
    runs = [
        ("local, 1 worker", TriageOptions(workers=1)),
        ("local, 2 workers", TriageOptions(workers=2)),
    ]
    if not args.no_dask:
        runs.append(("dask LocalCluster, 2 workers", TriageOptions(workers=2, dask="local")))
    rates: dict[str, float] = {}
    peaks: dict[str, int] = {}
    for label, options in runs:
        samples = [timed(paths, options) for _ in range(args.repeat)]
        seconds = statistics.median(s for s, _, _ in samples)
        rates[label] = args.logs / seconds
        peaks[label] = max(p for _, p, _ in samples)
        print(
            f"{label:30s} {seconds:7.1f} s  {rates[label]:7.1f} logs/s  "
            f"peak RSS {peaks[label] / 2**20:5.0f} MB",
            flush=True,
        )
    print(
        f"scaling 2 workers / 1 worker: {rates['local, 2 workers'] / rates['local, 1 worker']:.2f}x"
    )

    cache = str(Path(tmp.name) / "cache.sqlite3")
    cold = timed(paths, TriageOptions(workers=2, cache_path=cache))
    reruns = [
        timed(paths, TriageOptions(workers=2, cache_path=cache)) for _ in range(max(3, args.repeat))
    ]
    rerun = statistics.median(s for s, _, _ in reruns)
    assert all(n == 0 for _, _, n in reruns), "the rerun analyzed files again"
    print(f"with cache: first run {cold[0]:.1f} s, rerun {rerun:.2f} s (0 files analyzed)")

    best = rates["local, 2 workers"]
    peak = max([*peaks.values(), cold[1], *(p for _, p, _ in reruns)])
    print(
        "targets: 2 workers >= 100 logs/s: {}; rerun < 10 s: {}; peak RSS < 500 MB: {} ({:.0f} MB)".format(
            "yes" if best >= 100 else "NO", "yes" if rerun < 10 else "NO",
            "yes" if peak < 500 * 2**20 else "NO", peak / 2**20,
        )
    )  # fmt: skip
    tmp.cleanup()


if __name__ == "__main__":
    main()
