"""Load the real server with wrk: requests/s, p99 latency and errors per route.

Starts ``kb serve`` on a free loopback port, runs ``wrk --latency`` against each
target in turn, then stops the server by its PID. With ``--processes 1,2`` (the
default) it does so once with one server process and once with two processes sharing
the port (``kb serve --reuse-port``: the kernel deals the connections out), to show
what a second process brings on the same machine. A benchmark, not a test:

    .venv/bin/python benchmarks/load.py [--duration 10] [--connections 32] [--workers 8]
                                        [--processes 1,2]

"search" repeats one URL, as wrk does, so after the first request it measures
the app's answer cache; "search-unique" makes every query different (a Lua
script appends a counter line), so each request runs the whole search engine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser_support import running_server  # noqa: E402

PASTE = "\n".join(
    [
        "Executing command line: OSDSMPClient.exe /capture\tTSManager\t3/2/2010 2:17:05 PM\t2664 (0x0A68)",
        "Failed to import the client certificate store (0x80092024)\tOSDSMPClient\t3/2/2010 2:17:09 PM\t2664 (0x0A68)",
        "Failed to run the action: Capture User State.\tTSManager\t3/2/2010 2:17:09 PM\t2664 (0x0A68)",
    ]
)
SEARCH = "/api/search?q=" + quote(PASTE)
TARGETS = [
    ("lookup", "/api/lookup/0x80070002", None),
    ("search", SEARCH, None),
    ("search-unique", SEARCH, "unique"),
    ("home", "/", None),
]
# Each wrk thread numbers its requests, so no two requests send the same query.
UNIQUE_LUA = """
local counter = 0
local id = 0
function setup(thread) id = id + 1; thread:set("id", id) end
function request()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "%0A" .. id .. "-" .. counter)
end
"""
GOALS = {"lookup": (1000, None), "search": (300, 100.0), "search-unique": (300, 100.0)}
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(url: str, args: argparse.Namespace, script: str | None) -> dict[str, float]:
    """Run wrk once; return requests/s, p50 and p99 in ms, and the error count."""
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(UNIQUE_LUA)
    if script == "unique":
        cmd += ["-s", lua.name]
    try:
        out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    finally:
        Path(lua.name).unlink()
    return parse_wrk(out)


def parse_wrk(out: str) -> dict[str, float]:
    """Read requests/s, latency percentiles and errors from wrk's report."""

    def latency(pct: str) -> float:
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        return round(float(m.group(1)) * _UNITS[m.group(2)], 2) if m else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(non2xx.group(1)) if non2xx else 0
    total = re.search(r"(\d+) requests in", out)
    return {
        "requests": int(total.group(1)) if total else 0,
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": errors,
    }


def verdict(name: str, r: dict[str, float]) -> str:
    """Say whether a target meets its goal."""
    if r["errors"]:
        return "FAIL (errors)"
    goal = GOALS.get(name)
    if goal is None:
        return ""
    rps, p99 = goal
    ok = r["rps"] >= rps and (p99 is None or r["p99_ms"] < p99)
    want = f">= {rps} req/s" + (f", p99 < {p99:g} ms" if p99 else "")
    return ("ok" if ok else "below goal") + f" ({want})"


@contextmanager
def servers(processes: int, workers: int) -> Iterator[str]:
    """Run ``processes`` kb serve processes on one loopback port; yield its base URL."""
    args = ("--workers", str(workers), "--reuse-port")
    with ExitStack() as stack:
        base = stack.enter_context(running_server(*args))
        port = base.rstrip("/").rsplit(":", 1)[1]
        for _ in range(processes - 1):
            stack.enter_context(running_server(*args, "--port", port))
        yield base


def main() -> None:
    """Start the servers, run wrk on every target, print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per target")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=8, help="kb serve --workers")
    parser.add_argument(
        "--processes", default="1,2", help="server processes to compare, comma-separated"
    )
    parser.add_argument("--only", action="append", help="run only these targets")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("load.py: wrk is not installed (apt-get install wrk)")
    counts = [int(n) for n in args.processes.split(",")]
    before = os.getloadavg()[0]  # a shared machine: say how busy it was

    results: dict[int, dict[str, dict[str, float]]] = {}
    for count in counts:
        results[count] = {}
        with servers(count, args.workers) as base:
            for name, path, script in TARGETS:
                if args.only and name not in args.only:
                    continue
                results[count][name] = run_wrk(base + path, args, script)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, "
        f"kb serve --workers {args.workers} --reuse-port, {os.cpu_count()} cores, "
        f"load average before/after {before:.1f}/{os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'procs':>5} {'target':<14} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}  goal"
    )
    for count, by_target in results.items():
        for name, r in by_target.items():
            print(
                f"{count:>5} {name:<14} {r['rps']:>9.1f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} "
                f"{r['errors']:>7}  {verdict(name, r)}"
            )


if __name__ == "__main__":
    main()
