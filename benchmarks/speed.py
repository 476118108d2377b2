"""Search and analysis speed: latency, cold start, throughput, peak memory, index build.

Measures, and prints with the machine it ran on:

* in-process search latency (p50/p99 after warm-up) for a one-line and a
  50-line paste (targets: p50 < 10 ms, p99 < 50 ms), with the engine's
  per-term caches warm (the usual case: a corpus has a small vocabulary) and
  cleared before every search (the worst case);
* cold ``kb search`` wall time (a new process each run, median of 10);
* ``kb analyze`` throughput and peak RSS on generated 10 MB and 100 MB
  smsts.log files, each run in a fresh process as the command runs it, side by
  side with a bare record-split pass over the same file (targets: >= 50 MB/s on
  one core, at most 3x the bare pass, peak RSS < 250 MB on 100 MB);
* index build time for the corpus and for 5,000 generated articles.

Usage: python benchmarks/speed.py [--quick] [--analyze]
(--quick: 10 MB only, 1,000 articles; --analyze: only kb analyze)
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.logfactory import cmtrace_line, ordinary_messages  # noqa: E402

ONE_LINE = "Failed to import the client certificate store (0x80092024)"
FAILURE = [
    ("Downloaded file from http://SCCMDP07:80/SMS_DP_SMSPKGD%24/CEN00031/Tools/OSDResults/OSDResults.exe to D:\\_SMSTaskSequence\\Packages\\CEN00031\\Tools/OSDResults/OSDResults.exe", "InstallSoftware"),
    ("WinHttpQueryHeaders() returns status code 404 (Not Found)", "InstallSoftware"),
    ("Download() failed with 0x80004005", "InstallSoftware"),
    ("Error downloading file from http://SCCMDP07:80/SMS_DP_SMSPKGD%24/CEN00031/Tools/OSDResults/OSDResults.exe.config to D:\\_SMSTaskSequence\\Packages\\CEN00031\\Tools/OSDResults/OSDResults.exe.config", "InstallSoftware"),
    ("Retrying download...", "InstallSoftware"),
    ("Tried all the available http based locations. SMB based locations will be attempted now.", "InstallSoftware"),
]  # fmt: skip


def machine() -> str:
    """Describe the machine the figures come from."""
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
            mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        pass
    return f"{os.cpu_count()} cores{mem}, {platform.processor() or platform.machine()}, Python {platform.python_version()}"


def pct(values: list[float], p: float) -> float:
    """Return the p-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def fifty_line_paste(rng: random.Random) -> str:
    """Return 44 ordinary CMTrace lines around the 6 that matter."""
    when = datetime(2011, 3, 4, 10, 0, 0)
    lines = []
    for i, (msg, comp) in enumerate(ordinary_messages(rng, 44)):
        lines.append(cmtrace_line(msg, comp, when + timedelta(seconds=i), 1744))
    for msg, comp in FAILURE:
        lines.insert(-3, cmtrace_line(msg, comp, when, 1744, 3 if "fail" in msg.lower() else 1))
    return "\n".join(lines)


def search_latency() -> None:
    """Print in-process search latency for a one-line and a 50-line paste, warm and cold."""
    from kb.search.engine import Engine
    from kb.search.signals import MAX_QUERY_CHARS

    engine = Engine.load()
    paste = fifty_line_paste(random.Random(5))
    assert engine.search(paste)["results"][0]["id"] == "KB2508665"
    # The worst pastes for the reader: one word at the length limit, in one case and
    # in mixed case (its parts are split out).
    longest = MAX_QUERY_CHARS - 1
    word, mixed = "a" * longest, "aB" * (longest // 2)
    for name, text in (
        ("1-line paste", ONE_LINE),
        ("50-line paste", paste),
        ("one long word", word),
        ("one Mixed word", mixed),
    ):
        runs = 300 if len(text) < 10_000 else 10  # a long word takes a tenth of a second
        for _ in range(min(runs, 20)):
            engine.search(text)
        for label, clear in (("warm: terms seen before", False), ("cold: every term new", True)):
            times = []
            for _ in range(runs if not clear else max(runs // 3, 5)):
                if clear:
                    engine.clear_caches()
                t = time.perf_counter()
                engine.search(text)
                times.append((time.perf_counter() - t) * 1000)
            print(f"search latency, {name:<14} p50 {pct(times, 50):6.2f} ms   "
                  f"p99 {pct(times, 99):6.2f} ms   ({label})")  # fmt: skip


def cold_search() -> None:
    """Print the median wall time of `kb search` in a new process."""
    cmd = [sys.executable, "-m", "kb", "search", ONE_LINE]
    subprocess.run(cmd, capture_output=True, check=True)  # builds the cached index once
    times = []
    for _ in range(10):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    print(f"cold `kb search` (new process): median {statistics.median(times) * 1000:.0f} ms")


def write_log(path: Path, megabytes: int) -> None:
    """Write a CMTrace smsts.log of about this size that fails at the end."""
    rng = random.Random(megabytes)
    when = datetime(2011, 3, 4, 8, 0, 0)
    target = megabytes * 1024 * 1024
    size = 0
    with open(path, "w", encoding="utf-8-sig", newline="\r\n") as fh:
        while size < target:
            for msg, comp in ordinary_messages(rng, 500):
                line = cmtrace_line(msg, comp, when, rng.randint(300, 9000)) + "\n"
                fh.write(line)
                size += len(line) + 1
                when += timedelta(milliseconds=rng.randint(1, 900))
        for msg, comp in FAILURE:
            fh.write(cmtrace_line(msg, comp, when, 1744, 3 if "fail" in msg.lower() else 1) + "\n")
        fh.write(
            cmtrace_line(
                "Failed to run the action: Use Toolkit Package.\nUnspecified error (Error: 80004005; Source: Windows)",
                "TSManager",
                when,
                1744,
                3,
            )
            + "\n"
        )


_CHILD = """
import re, resource, sys, time
w0, c0 = time.perf_counter(), time.process_time()
from kb.search.engine import Engine
engine = Engine.load()
import kb.logs  # startup, like loading the engine: compiling the log patterns
w1, c1 = time.perf_counter(), time.process_time()
report = engine.analyze(sys.argv[1])  # what `kb analyze` does
w2, c2 = time.perf_counter(), time.process_time()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
# The bare record-split pass: read and decode the file, split it into CMTrace records
# with one regex and take each record's fields; no analysis at all.
RECORD = re.compile(r'<!\\[LOG\\[(.*?)\\]LOG\\]!><time="([^"]*)"\\s+date="([^"]*)"\\s+'
                    r'component="([^"]*)"\\s+context="[^"]*"\\s+type="([^"]*)"\\s+thread="([^"]*)"', re.S)
w3, c3 = time.perf_counter(), time.process_time()
with open(sys.argv[1], "rb") as fh:
    text = fh.read().decode("utf-8-sig")
records = sum(1 for m in RECORD.finditer(text) if m.groups())
w4, c4 = time.perf_counter(), time.process_time()
print(w2 - w0, c2 - c1, peak, c4 - c3, w2 - w1, w4 - w3, report["failed_action"].replace(" ", "_"),
      report["results"][0]["id"] if report["results"] else "-")
"""


def analyze_throughput(sizes: list[int]) -> None:
    """Print kb analyze throughput, its ratio to a bare record-split pass, and peak RSS.

    Each run is a fresh process, as the command runs it. Figures: the analysis of
    the log alone (CPU time of the one process: the machines are shared, and CPU
    time is what one core gives), the bare pass (read, decode, split into CMTrace
    records with one regex, take the fields) in the same process, their ratio, and
    the whole process in wall time (imports and engine load included, a fixed cost
    of about half a second).
    """
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sizes:
            path = Path(tmp) / f"smsts-{mb}mb.log"
            write_log(path, mb)
            actual = path.stat().st_size / 1024 / 1024
            runs = []
            for _ in range(5 if mb <= 10 else 1):
                out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True,
                                     text=True, check=True, cwd=ROOT).stdout.split()  # fmt: skip
                runs.append([float(x) for x in out[:6]] + [out[6:]])
            whole, alone, _, bare, alone_wall, bare_wall = (
                statistics.median(r[i] for r in runs) for i in range(6)
            )
            peak = max(r[2] for r in runs)
            print(f"kb analyze {actual:6.1f} MB: analysis {alone * 1000:.0f} ms CPU "
                  f"({actual / alone:.1f} MB/s on one core; wall {alone_wall * 1000:.0f} ms), "
                  f"bare record-split pass {bare * 1000:.0f} ms CPU ({actual / bare:.0f} MB/s; "
                  f"wall {bare_wall * 1000:.0f} ms), ratio {alone / bare:.2f}x; whole process "
                  f"{actual / whole:.1f} MB/s wall, peak RSS {peak:.0f} MB, "
                  f"found: {' '.join(runs[0][6])}")  # fmt: skip


def index_build(count: int) -> None:
    """Print index build time for the corpus and for `count` generated articles."""
    from kb.corpus.articles import load_corpus
    from kb.search.index import build_in_memory

    corpus = load_corpus()
    t = time.perf_counter()
    build_in_memory(corpus.articles)
    print(
        f"index build, corpus ({len(corpus.articles)} articles): {(time.perf_counter() - t) * 1000:.0f} ms"
    )
    with tempfile.TemporaryDirectory() as tmp:
        generate_articles(Path(tmp), count)
        many = load_corpus([tmp])
        assert not many.errors, many.errors[:3]
        t = time.perf_counter()
        build_in_memory(many.articles)
        print(
            f"index build, {len(many.articles):,} generated articles: {time.perf_counter() - t:.1f} s"
        )


def generate_articles(folder: Path, count: int) -> None:
    """Write `count` articles varied from the real ones (ids, codes, words, lines)."""
    rng = random.Random(count)
    sources = [p for p in sorted((ROOT / "articles").glob("*.md")) if p.name != "README.md"]
    words = [
        w
        for w in (ROOT / "articles" / "KB2508665.md").read_text(encoding="utf-8").split()
        if w.isalpha()
    ]
    for n in range(count):
        text = sources[n % len(sources)].read_text(encoding="utf-8")
        old_id = text.split("\nid: ", 1)[1].split("\n", 1)[0]
        new_id = f"gen-{n:05d}"
        text = text.replace(f"id: {old_id}", f"id: {new_id}", 1)
        text = re.sub(r"(?m)^related: \[.*\]$", "related: []", text, count=1)
        extra = " ".join(rng.choice(words) for _ in range(rng.randint(50, 300)))
        text = text.replace("## Cause\n", f"## Cause\n\n{extra}\n\n", 1)
        (folder / f"{new_id}.md").write_text(text, encoding="utf-8")


def main() -> int:
    """Run every measurement and print it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--analyze", action="store_true", help="only kb analyze")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    if args.analyze:
        analyze_throughput([10] if args.quick else [10, 100])
        return 0
    search_latency()
    cold_search()
    analyze_throughput([10] if args.quick else [10, 100])
    index_build(1000 if args.quick else 5000)
    return 0


if __name__ == "__main__":
    shutil.rmtree(ROOT / ".kb-cache", ignore_errors=True)
    raise SystemExit(main())
