"""Which log a text is (task sequence, ccmsetup, Windows Setup, MDT, script...) and how to word its verdict.

A log is known by its file name first (ConfigMgr and Windows name their logs
consistently: ``smsts-20100215-101112.log``, ``ccmsetup.log``, ``setupact.log``,
``BDD.log``), else by what it holds: the components of its first records, its
format, and the lines only one kind of log writes.
"""

from __future__ import annotations

import re
from collections import Counter

from kb.codes import format_hex

KINDS = ("smsts", "ccmsetup", "setup", "bdd", "script", "cmtrace", "text")

KIND_LABELS = {
    "smsts": "task sequence log (smsts.log)",
    "ccmsetup": "client installation log (ccmsetup.log)",
    "setup": "Windows Setup log (setupact.log, setuperr.log)",
    "bdd": "MDT log (BDD.log)",
    "script": "script log (ApplyDriverPackage.log and the like)",
    "cmtrace": "other CMTrace log",
    "text": "plain text",
}
# Who failed, as a sentence starts: "ccmsetup failed with 0x80190194".
_ACTORS = {
    "smsts": "The task sequence",
    "ccmsetup": "ccmsetup",
    "setup": "Windows Setup",
    "bdd": "The MDT deployment",
    "script": "The script",
    "cmtrace": "The run this log records",
    "text": "The run this log records",
}
_NAMES = [
    (re.compile(r"smsts", re.I), "smsts"),
    (re.compile(r"^ccmsetup", re.I), "ccmsetup"),
    (re.compile(r"^setup(?:act|err)", re.I), "setup"),
    (re.compile(r"^(?:bdd|litetouch|zti\w*)\b", re.I), "bdd"),
    (re.compile(r"^(?:apply)?driverpackage|^invoke-cm", re.I), "script"),
]
_LOG_EXTENSION = re.compile(r"\.(?:log|lo_|txt)$", re.I)

# Components each kind of log writes; the first records of a log are counted.
_SMSTS_COMPONENTS = frozenset(
    "TSManager TSMBootstrap TSBootShell TSPxe TsProgressUI InstallSoftware InstallApplication "
    "OSDSetupHook OSDSetupWindows OSDDriverClient OSDSMPClient OSDApplyOS ApplyOperatingSystem "
    "OSDUserStateCapture OSDUserStateRestore OSDNetSettings OSDWinSettings OSDDiskPart OSDJoin "
    "OSDPrepareOS SMSTSRebootAction RunPowerShellScript OSDRunPowerShellScript".split()
)
_MDT_PREFIXES = ("ZTI", "LiteTouch", "LTI", "BDD", "Wizard")
_SCRIPT_COMPONENTS = frozenset({"ApplyDriverPackage", "Invoke-CMApplyDriverPackage"})
_SCRIPT_LINE = re.compile(r"^\[\w+\]: ")


def kind_from_name(name: str) -> str | None:
    """Return the kind a log's file name tells (None for a name such as upload.log)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if not _LOG_EXTENSION.search(base) and "." in base:
        return None
    for pattern, kind in _NAMES:
        if pattern.search(base):
            return kind
    return None


class KindClues:
    """What the first records of a log say about its kind."""

    def __init__(self) -> None:
        self.components: Counter[str] = Counter()
        self.script_lines = 0
        self.mdt_lines = 0

    def add(self, component: str, message: str) -> None:
        """Count one record's component and the kind-specific lines it may be."""
        if component:
            self.components[component] += 1
        if _SCRIPT_LINE.match(message):
            self.script_lines += 1
        if message.startswith("Microsoft Deployment Toolkit version"):
            self.mdt_lines += 1

    def kind(self, fmt: str) -> str:
        """Return the kind these clues and the log's format point to."""
        votes: Counter[str] = Counter()
        for component, n in self.components.items():
            if component in _SMSTS_COMPONENTS:
                votes["smsts"] += n
            elif component.lower() == "ccmsetup":
                votes["ccmsetup"] += n
            elif component in _SCRIPT_COMPONENTS:
                votes["script"] += n
            elif component.startswith(_MDT_PREFIXES):
                votes["bdd"] += n
        votes["script"] += self.script_lines
        votes["bdd"] += 10 * self.mdt_lines
        votes = +votes  # drop the kinds with no vote
        if votes:
            return max(sorted(votes), key=lambda k: votes[k])
        if fmt == "setupact":
            return "setup"
        if fmt in ("cmtrace", "cmtrace-copy"):
            return "cmtrace"
        return "text"


def actor(kind: str) -> str:
    """Return who runs in a log of this kind: "The task sequence", "ccmsetup", "Windows Setup"."""
    return _ACTORS.get(kind, _ACTORS["text"])


def headline(
    kind: str, failed: bool, action: str | None, code: int | None, reboot: bool, result: str | None
) -> str:
    """Say in one sentence what a log's run came to."""
    who = actor(kind)
    if failed:
        text = f"{who} failed"
        if action:
            text += f" at the step “{action}”" if kind == "smsts" else f" in “{action}”"
        if code is not None:
            text += f" with {format_hex(code)}"
        return text + "."
    if reboot:
        said = f" ({result})" if result else ""
        return f"{who} ended asking for a restart{said}: a success, not a failure."
    if result:  # the log shows how the run ended, and it was no failure
        return f"{who} ended without a failure ({result})."
    return "The run did not fail (or this log does not show its end)."
