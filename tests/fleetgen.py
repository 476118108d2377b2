"""Write a share of collected smsts.log files, and know what each one should say.

The failures come from the corpus (see tests/fleetkinds.py): each smsts.log
excerpt of a troubleshooting article is one failure kind. Its lines are written
into a task sequence run with successful steps before it, ordinary noise
(tests/logfactory.py), random servers, package ids, dates and threads, and the
standard TSManager failure tail after it. Novel failures no
article covers (NOVEL) and successful runs are mixed in. Files are named
``<GUID>-smsts.log``; some machines also have a rotated ``smsts-YYYYMMDD-HHMMSS.log``
in a per-machine folder (named by GUID, or by computer name). Encodings follow
real shares: mostly UTF-8 with a BOM, some UTF-16 LE with a BOM, some no BOM.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from tests.fleetkinds import NOVEL, WINDOWS_TEXT, Kind, corpus_kinds
from tests.logfactory import cmtrace_line, ordinary_messages

__all__ = ["NOVEL", "Kind", "LogTruth", "corpus_kinds", "encode", "generate_fleet", "render_log"]

_PLACEHOLDER = re.compile(r"<([A-Za-z][A-Za-z_ ]{0,40})>")
_ERRORISH = re.compile(r"(?i)\b(fail\w*|error|unable|cannot|could not)\b|HRESULT=")
# Lines TSManager writes as warnings (type 2), though they are the failure's signature.
_WARNING = re.compile(r"WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED")
_NAMES = ["LON", "NYC", "PAR", "BER", "SYD", "TOR", "MAD", "OSL"]
_SERVERS = [
    "SCCMDP01",
    "DP-{site}-02.corp.contoso.com",
    "CM{n}.fabrikam.local",
    "SMSDP{n}",
    "DP{n}-BRANCH",
]


@dataclass(frozen=True)
class LogTruth:
    """What a generated log should be found to say."""

    path: str
    machine: str  # client GUID (upper case)
    name: str  # computer name written in the log
    failed: bool
    article: str | None
    cluster: str | None  # the novel kind's key, for unexplained failures
    kind: str | None  # the failure kind's key (None for a successful run)
    day: str
    encoding: str


class _Writer:
    """Accumulate the CMTrace records of one log with advancing time and threads."""

    def __init__(self, rng: random.Random, start: datetime) -> None:
        self.rng = rng
        self.when = start
        self.bias = rng.choice([480, 300, 0, -60, -120])
        self.threads = [rng.randrange(300, 4000) * 4 for _ in range(3)]
        self.out: list[str] = []

    def add(
        self, message: str, component: str, type_: int | None = None, thread: int | None = None
    ) -> None:
        self.when += timedelta(milliseconds=self.rng.randint(0, 400))
        if type_ is None:
            type_ = 3 if _ERRORISH.search(message) else 2 if _WARNING.search(message) else 1
        line = cmtrace_line(
            message, component, self.when, thread or self.threads[0], type_, bias=self.bias
        )
        self.out.append(line)

    def noise(self, n: int, quiet: bool = False) -> None:
        for message, component in ordinary_messages(self.rng, n):
            # Inside the failing step, keep the lines that would start a new step or err.
            if quiet and (
                _ERRORISH.search(message)
                or "Instruction name" in message
                or "action (" in message
                or "RebootSystem" in message
                or re.search(r"0x[0-9A-Fa-f]{8}|HRESULT", message)
            ):
                continue
            self.add(message, component, thread=self.rng.choice(self.threads))


def _fill(rng: random.Random, template: str, values: dict[str, str]) -> str:
    """Fill {name} fields (novel kinds) and <Placeholder>s (article excerpts), one value per name."""

    def value(name: str) -> str:
        key = name.lower()
        if key not in values:
            if "server" in key:
                values[key] = rng.choice(_SERVERS).format(
                    site=rng.choice(_NAMES), n=rng.randint(1, 99)
                )
            elif "drive" in key:
                values[key] = rng.choice("CDEF")
            elif "share" in key:
                values[key] = "SMSPKG" + rng.choice("CDEF")
            elif key in ("n", "n2"):
                values[key] = str(rng.randint(1, 4 if key == "n2" else 99))
            elif key in ("line", "bytes", "mb"):
                values[key] = str(rng.randint(100, 3000 if key == "line" else 90000))
            elif key == "ver":
                values[key] = f"{rng.randint(1, 9)}.{rng.randint(0, 9)}"
            elif "guid" in key:
                values[key] = "{" + _guid(rng) + "}"
            else:  # package, task sequence and other ids: a site code and five hex digits
                values[key] = (
                    rng.choice(["CEN", "P01", "LAB", "HQ1"]) + f"{rng.randrange(16**5):05X}"
                )
        return values[key]

    text = _PLACEHOLDER.sub(lambda m: value(m.group(1)), template)
    return re.sub(r"\{(\w+)\}", lambda m: value(m.group(1)), text)


def _detail(code: int) -> str:
    """Return the '(Error: ...; Source: ...)' text TSManager writes for a code."""
    text, source = WINDOWS_TEXT.get(code, ("Unknown error", "Unknown"))
    return f"{text} (Error: {code:08X}; Source: {source})"


def _failure_tail(w: _Writer, kind: Kind, group: str, messages: list[str]) -> None:
    """Write what TSManager logs after a step fails, skipping what the block already holds."""
    has = "\n".join(messages)
    if "Failed to run the action:" not in has:
        w.add(f"Process completed with exit code {kind.code}", "TSManager", 1)
        w.add("!" + "-" * 92 + "!", "TSManager", 1)
        w.add(f"Failed to run the action: {kind.action}.\n{_detail(kind.code)}", "TSManager", 3)
    for message in (
        "Sending status message . . .",
        f"Set a global environment variable _SMSTSLastActionRetCode={kind.code}",
        "Set a global environment variable _SMSTSLastActionSucceeded=false",
        "Clear local default environment",
        f"Let the parent group ({group}) decides whether to continue execution",
    ):
        w.add(message, "TSManager", 1)
    if "The execution of the group" not in has:
        w.add(
            f"The execution of the group ({group}) has failed and the execution has been aborted. "
            "An action failed.\nOperation aborted (Error: 80004004; Source: Windows)",
            "TSManager",
            3,
        )
    if "Failed to run the last action" not in has:
        w.add(
            f"Failed to run the last action: {kind.action}. Execution of task sequence failed.\n"
            f"{_detail(kind.code)}",
            "TSManager",
            3,
        )
    w.add("Sending status message . . .", "TSManager", 1)
    w.add("Task Sequence Engine failed! Code: enExecutionFail", "TSManager", 3)
    w.add("*" * 76, "TSManager", 1)
    w.add(f"Task sequence execution failed with error code {kind.code:08X}", "TSManager", 3)
    for message in (
        "Cleaning Up. Removing Authenticator",
        "Cleaning up task sequence folder",
        "Successfully unregistered Task Sequencing Environment COM Interface.",
        "Cleaning up task sequencing logging",
    ):
        w.add(message, "TSManager", 1)


_STEPS = (
    "Gather|Restart in Windows PE|Partition Disk 0|Apply Operating System|Apply Windows Settings|"
    "Apply Network Settings|Apply Device Drivers|Setup windows and ConfigMgr|Install Updates|"
    "Install Office 2007|Enable BitLocker"
).split("|")
_GROUPS = "Install Operating System|Setup Operating System|Install Applications|State Restore"
_GROUPS = _GROUPS.split("|")


def render_log(
    rng: random.Random, kind: Kind | None, name: str, start: datetime, target_bytes: int = 12_000
) -> str:
    """Return the text of one task sequence run: successful steps, then kind's failure (or success)."""
    w = _Writer(rng, start)
    w.add("Successfully intialized Logging for TS Manager.", "TSManager")
    w.add("Task sequence execution engine started", "TSManager")
    w.add(f"Set a global environment variable _SMSTSMachineName={name}", "TSManager")
    w.add(f"Set a global environment variable OSDComputerName={name}", "TSManager")
    steps = rng.randint(3, 7)
    tail_room = 4_000 if kind else 1_000
    per_step = max(2, (target_bytes - tail_room) // (230 * (steps + 1)))
    for i, action in enumerate(rng.sample(_STEPS, steps)):
        w.add(
            f"Start executing an instruction. Instruction name: {action}. Instruction pointer: {i + 1}",
            "TSManager",
        )
        w.noise(per_step + rng.randint(-2, 2))
        w.add("Process completed with exit code 0", "TSManager")
        w.add(
            f"Successfully completed the action ({action}) with the exit win32 code 0", "TSManager"
        )
    group = rng.choice(_GROUPS)
    if kind is None:
        w.noise(per_step)
        w.add("Task sequence completed 0x00000000", "TSManager")
        w.add(
            "The task sequence execution engine successfully completed the task sequence",
            "TSManager",
        )
        w.add("Cleaning up task sequencing logging", "TSManager")
        return "\r\n".join(w.out) + "\r\n"
    w.add(
        f"Start executing an instruction. Instruction name: {kind.action}. Instruction pointer: {steps + 1}",
        "TSManager",
    )
    w.noise(per_step // 2, quiet=True)
    values: dict[str, str] = {}
    messages = [_fill(rng, message, values) for message, _ in kind.lines]
    for message, (_, component) in zip(messages, kind.lines, strict=True):
        w.add(message, component)
    _failure_tail(w, kind, group, messages)
    return "\r\n".join(w.out) + "\r\n"


def encode(text: str, encoding: str) -> bytes:
    """Return a log's bytes: "utf-8-sig", "utf-16-le-bom" or "utf-8"."""
    if encoding == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode(encoding)


def _guid(rng: random.Random) -> str:
    """Return a random GUID in upper case, without braces."""
    a, b, c, d, e = (rng.getrandbits(n) for n in (32, 16, 16, 16, 48))
    return f"{a:08X}-{b:04X}-{c:04X}-{d:04X}-{e:012X}"


def generate_fleet(
    root: str | Path,
    logs: int = 200,
    *,
    seed: int = 7,
    articles_dir: str | None = None,
    target_bytes: int = 12_000,
    explained: float = 0.5,
    novel: float = 0.25,
    second_log: float = 0.1,
    days: int = 10,
) -> list[LogTruth]:
    """Write about ``logs`` smsts logs under root; return the truth about each file.

    Failure kinds are dealt round-robin so each article and each novel kind shows up
    several times; ``second_log`` of the machines also get an older rotated log.
    """
    rng = random.Random(seed)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    kinds, novel_kinds = corpus_kinds(articles_dir), list(NOVEL)
    first_day = datetime(2010, 2, 8)
    truths: list[LogTruth] = []
    made = 0
    dealt = {"article": 0, "novel": 0}
    while made < logs:
        guid, name = _guid(rng), f"{rng.choice(_NAMES)}-WKS-{rng.randint(1, 9999):04d}"
        count = 2 if rng.random() < second_log and made + 2 <= logs else 1
        by_name = rng.random() < 0.5
        latest = first_day + timedelta(
            days=rng.randrange(days), seconds=rng.randint(20_000, 60_000)
        )
        for i in range(count):
            roll = rng.random()
            kind = None
            if roll < explained + novel:
                pool = "article" if roll < explained else "novel"
                choices = kinds if pool == "article" else novel_kinds
                kind = choices[dealt[pool] % len(choices)]
                dealt[pool] += 1
            start = latest
            if i == 0 and count == 2:  # the older log, rotated into a per-machine folder
                start -= timedelta(days=1, seconds=rng.randint(0, 9_000))
                folder = root / ("by-name" if by_name else "") / (name if by_name else guid)
                path = folder / f"smsts-{start:%Y%m%d-%H%M%S}.log"
            else:
                path = root / f"{guid}-smsts.log"
            enc = rng.choices(["utf-8-sig", "utf-16-le-bom", "utf-8"], weights=[8, 1, 1])[0]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(encode(render_log(rng, kind, name, start, target_bytes), enc))
            # A folder named by the client GUID is that machine's logs: triage reports it whole.
            unit = path.parent if path.parent.name == guid else path
            truths.append(
                LogTruth(
                    path=str(unit.resolve()),
                    machine=guid,
                    name=name,
                    failed=kind is not None,
                    article=kind.article if kind else None,
                    cluster=kind.key if kind and not kind.article else None,
                    kind=kind.key if kind else None,
                    day=start.date().isoformat(),
                    encoding=enc,
                )
            )
            made += 1
    return truths
