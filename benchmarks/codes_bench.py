"""Benchmark the error-code module: decode, extraction, and a cold ``kb lookup``.

Run: .venv/bin/python benchmarks/codes_bench.py [--quick]

Targets: decode > 200k codes/s, extraction > 20 MB/s on a 10 MB smsts-style
CMTrace log, cold ``python -m kb lookup 0x80070002`` < 250 ms (median of 10).

The in-process figures use this process's CPU time, so that other work on a
shared machine does not skew them; the cold lookup is wall time.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kb.codes import decode, extract_codes, known_codes  # noqa: E402

COMMON = [
    0x80070002, 0x80004005, 0x80004004, 0x80070005, 0x80070057, 0x80072EE7, 0x80190194,
    0xC0000006, 0xC0000001, 0x8009030E, 0x80092024, 0x80070BC2, 0x87D00215, 0x80220005,
    2, 3, 5, 53, 64, 87, 1, 3010, 12007, 12029,
]  # fmt: skip

MESSAGES = [
    "Executing command line: smsswd.exe /pkg:P0100023 /install /basevar: /continueOnError:",
    "Process completed with exit code {dec}",
    "Failed to run the action: Apply Driver Package. Error {small}",
    "The system cannot find the file specified. (Error: {hex8}; Source: Windows)",
    "hMap != 0, HRESULT={hex8} (..\\environmentscope.cpp,493)",
    "Set a global environment variable _SMSTSLastActionRetCode=0",
    "Downloaded file from http://dp01.contoso.com:80/SMS_DP_SMSPKG$/P0100023/sccm?/x.cab to C:\\_SMSTaskSequence\\Packages\\P0100023\\x.cab",
    "GetTsRegValue() is unsuccessful. 0x{hex8}.",
    "Expand a string: %SystemRoot%\\system32\\cmd.exe /c copy 10.1.2.3 file",
    "Installation job completed with exit code 0x00000000",
    "Getting policy assignment {{5A1B7C2D-1E3F-4A5B-8C9D-0E1F2A3B4C5D}} ok",
    "Unhandled exception (code 0x{hex8}: IN_PAGE_ERROR) occurred at 0x735E87D4 (+000287D4)",
]


def machine() -> str:
    """Describe the machine the figures come from."""
    load = ", load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.platform()}{load}"
    )


def bench_decode(n: int) -> tuple[float, float]:
    """Return (random codes/s, common codes/s) for decode()."""
    rng = random.Random(1)
    values = [rng.getrandbits(32) for _ in range(n)]
    known = list(known_codes())
    values += [rng.choice(known) for _ in range(n // 4)]
    decode(0x80070002)  # load the tables outside the timing
    start = time.process_time()
    for v in values:
        decode(v)
    random_rate = len(values) / (time.process_time() - start)
    common = COMMON * (n // len(COMMON))
    start = time.process_time()
    for v in common:
        decode(v)
    return random_rate, len(common) / (time.process_time() - start)


def smsts_log(size: int) -> str:
    """Generate an smsts.log-style CMTrace text of about ``size`` characters."""
    rng = random.Random(2)
    lines: list[str] = []
    total = 0
    second = 0
    while total < size:
        second += 1
        hex8 = rng.choice(("80070002", "80004005", "80072ee7", "87d00215", "C0000006"))
        msg = rng.choice(MESSAGES).format(
            dec=rng.choice((0, 2, 2147942402, 3221225478)), small=rng.randint(1, 5), hex8=hex8
        )
        line = (
            f'<![LOG[{msg}]LOG]!><time="{10 + second // 3600 % 12:02d}:{second // 60 % 60:02d}:'
            f'{second % 60:02d}.{rng.randint(0, 999):03d}+240" date="10-15-2019" '
            f'component="{rng.choice(("TSManager", "OSDSetupHook", "InstallSoftware"))}" context="" '
            f'type="{rng.choice("1113")}" thread="{rng.randint(400, 9000)}" file="utils.cpp:{rng.randint(1, 9999)}">\r\n'
        )
        lines.append(line)
        total += len(line)
    return "".join(lines)


def bench_extract(size: int, repeat: int) -> tuple[float, int]:
    """Return (MB/s median over runs, codes found) for extract_codes on a generated log."""
    text = smsts_log(size)
    rates = []
    found = 0
    for _ in range(repeat):
        start = time.process_time()
        found = len(extract_codes(text))
        rates.append(len(text.encode()) / 1e6 / (time.process_time() - start))
    return statistics.median(rates), found


def bench_cold_lookup(runs: int) -> float | None:
    """Return the median wall time in ms of a cold ``python -m kb lookup``, or None."""
    cmd = [sys.executable, "-m", "kb", "lookup", "0x80070002"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"cold lookup: skipped ({' '.join(cmd[1:])} exited {done.returncode}: {reason})")
            return None
        times.append(elapsed * 1000)
    return statistics.median(times)


def main() -> int:
    """Run the benchmarks and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs, fewer runs")
    args = parser.parse_args()
    n, size, repeat, runs = (
        (50_000, 1_000_000, 3, 3) if args.quick else (400_000, 10_000_000, 5, 10)
    )
    print(f"machine: {machine()}")
    random_rate, common_rate = bench_decode(n)
    print(
        f"decode: {random_rate:,.0f} codes/s random+known, {common_rate:,.0f} codes/s common (target > 200,000)"
    )
    rate, found = bench_extract(size, repeat)
    print(
        f"extract: {rate:.1f} MB/s median on a {size / 1e6:.0f} MB smsts-style log, {found:,} codes (target > 20)"
    )
    cold = bench_cold_lookup(runs)
    if cold is not None:
        print(f"cold kb lookup 0x80070002: {cold:.0f} ms median of {runs} (target < 250)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
