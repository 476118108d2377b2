"""Start the real server (``python -m kb serve``) and a headless Chromium, for tests and scripts.

Used by tests/test_browser.py, benchmarks/screenshots.py and benchmarks/load.py.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
_URL_RE = re.compile(rb"serving [\d,]+ articles? on (http://\S+?)/? ")


def browser_skip_reason() -> str | None:
    """Return why browser tests cannot run here, or None (never skip when CI=true)."""
    if os.environ.get("CI") == "true":
        return None
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is absent (install Debian's chromium package; CI installs it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright for Python is not installed (pip install -e '.[test]')"
    return None


@contextmanager
def running_server(*args: str, timeout: float = 30.0) -> Iterator[str]:
    """Run ``python -m kb serve --port 0`` on loopback; yield its base URL, then stop it."""
    cmd = [sys.executable, "-m", "kb", "serve", "--host", "127.0.0.1", "--port", "0", *args]
    proc = subprocess.Popen(
        cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        url = _read_url(proc, timeout)
        _wait_healthy(url, timeout)
        yield url
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """Stop the server we started, by its PID (SIGTERM, then SIGKILL)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    if proc.stdout:
        proc.stdout.close()


def _read_url(proc: subprocess.Popen, timeout: float) -> str:
    """Read the server's first line ("kb: serving N articles on http://...") for its URL."""
    found: queue.Queue[bytes] = queue.Queue()
    assert proc.stdout is not None
    # A reader thread, so a server that hangs before printing cannot hang the caller.
    threading.Thread(target=lambda: found.put(proc.stdout.readline()), daemon=True).start()
    try:
        line = found.get(timeout=timeout)
    except queue.Empty:
        raise RuntimeError(f"kb serve printed nothing within {timeout}s") from None
    m = _URL_RE.search(line)
    if not m:
        raise RuntimeError(f"kb serve did not start (status {proc.poll()}, output {line!r})")
    return m.group(1).decode()


def _wait_healthy(url: str, timeout: float) -> None:
    """Poll /healthz until the server answers."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)


def launch_chromium(playwright):
    """Launch Debian's headless Chromium (Playwright's own download is not available here)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@contextmanager
def watched_page(browser, base: str) -> Iterator:
    """Open a page that records script errors, CSP violations and requests outside base.

    The caller's test fails afterwards if anything was recorded.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on(
        "request", lambda r: r.url.startswith(base) or page.problems.append("off-site: " + r.url)
    )
    try:
        yield page
        assert page.problems == []
    finally:
        context.close()


def driver_smsts() -> str:
    """Return a CMTrace smsts.log whose Apply Driver Package step fails with 0x80070002.

    The chain ends in the generic failure tail every failed task sequence writes,
    which the analysis page must not show as evidence.
    """
    from datetime import datetime, timedelta

    from tests.logfactory import cmtrace_line

    pkgmgr = (
        'Executing command line: "X:\\windows\\Pkgmgr\\pkgmgr.exe" /o:"C:;C:\\Windows" '
        '/n:"C:\\_SMSTaskSequence\\PkgMgrTemp\\drivers.xml" /l:"C:\\_SMSTaskSequence\\PkgMgrTemp\\PkgMgr"'
    )
    records = [
        ("Start executing an instruction. Instruction name: Apply Driver Package. Instruction pointer: 14", "TSManager", 1),
        ("Applying driver package \"CEN0004A\".", "OSDDriverClient", 1),
        ("Calling Package manager to add drivers to the offline driver store.", "OSDDriverClient", 1),
        (pkgmgr, "OSDDriverClient", 1),
        ("Process completed with exit code 2", "OSDDriverClient", 1),
        ("uExitCode == 0, HRESULT=80070002 (e:\\nts_sms_fre\\sms\\client\\osdeployment\\osddriverclient\\sysprepdriverinstaller.cpp,553)", "OSDDriverClient", 3),
        ("Package manager failed with return code 2", "OSDDriverClient", 3),
        ("AddPnPDriverToStore( pszSource, sTargetSystemDrive, sTargetSystemRoot, wProcessorArchitecture), HRESULT=80070002 (e:\\nts_sms_fre\\sms\\client\\osdeployment\\osddriverclient\\sysprepdriverinstaller.cpp,663)", "OSDDriverClient", 3),
        ("Failed to add driver to driver store. Code 0x80070002", "OSDDriverClient", 3),
        ("Failed to provision driver. Code 0x80070002", "OSDDriverClient", 3),
        ("Exiting with return code 0x80070002", "OSDDriverClient", 1),
        ("Process completed with exit code 2147942402", "TSManager", 1),
        ("Failed to run the action: Apply Driver Package. \r\nThe system cannot find the file specified. (Error: 80070002; Source: Windows)", "TSManager", 3),
        ("The execution of the group (Install Operating System) has failed and the execution has been aborted. An action failed. Operation aborted (Error: 80004004; Source: Windows)", "TSManager", 3),
        ("Failed to run the last action: Apply Driver Package. Execution of task sequence failed. The system cannot find the file specified. (Error: 80070002; Source: Windows)", "TSManager", 3),
        ("Task Sequence Engine failed! Code: enExecutionFail", "TSManager", 3),
        ("Task sequence execution failed with error code 80004005", "TSManager", 3),
        ("Execution engine result code: Failed (80070002)", "TSManager", 3),
    ]  # fmt: skip
    start = datetime(2010, 2, 3, 11, 20, 30)
    lines = [
        cmtrace_line(msg, comp, start + timedelta(seconds=i), 1884, type_)
        for i, (msg, comp, type_) in enumerate(records)
    ]
    return "\r\n".join(lines) + "\r\n"
