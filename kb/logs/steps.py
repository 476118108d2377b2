"""The messages that mark a run's steps, failures and results, and machine names.

Failure signals (a run failed):
  smsts TSManager   "Failed to run the action: <name>", "Failed to run the last action:
                    <name>. Execution of task sequence failed", "Task Sequence Engine
                    failed!", "Execution engine result code: Failed (n)", "Task Sequence
                    Manager returned code 0x..." and "Task sequence completed 0x..."
                    (non-zero, not a reboot code)
  status messages   "failed executing the action (<name>) in the group (...)"
  ccmsetup          "CcmSetup failed with error code 0x...", "CcmSetup is exiting with
                    return code n" (n not 0 and not 7)
  MDT (BDD.log)     "FAILURE ( 5212 ): ...", "Litetouch deployment failed"
  Windows Setup     "Setup phase change: [...] -> [SetupPhaseError]", "SetupHost:
                    Reporting error event -> [0x...]", "CSetupHost::Execute(n): Result =
                    0x..." (non-zero), "Unhandled exception (code 0x...", "... to handle
                    fatal error"
  execmgr           "Execution is complete for program ... the execution status is Failure"
Weak signals (a component gave up; the run failed unless a later step starts):
  "Exiting with return code 0x8..." (OSD components), "[Script]: ... process failed"
  (MSEndpointMgr scripts), "Unmatched exit code (n) is considered an execution failure".
Reboot, not failure: "Execution engine result code: Reboot (2)" and "Task Sequence
Manager returned code 0x80070BC2" (3010, ERROR_SUCCESS_REBOOT_REQUIRED: the task
sequence asked for a restart and resumes after it), ccmsetup return code 7.
"The execution engine ignored the failure of the action (<name>)" cancels that failure
(continue on error).
"""

from __future__ import annotations

import re
from typing import NamedTuple

# 3010 and 3011 (restart required), 1641 (restart started): a success that needs a restart.
REBOOT_CODES = frozenset({0x80070BC2, 0x80070BC3, 0xBC2, 0xBC3, 0x80070669, 0x669})


class Signal(NamedTuple):
    """What a message says about the run: kind, action named, and if it is a result.

    kind is run, step, done, fail, weak, success, reboot or ignored.
    """

    kind: str
    action: str | None = None
    result: bool = False


# Lower-case words one of which every signal contains: most lines are ruled out by
# these substring tests alone, far faster than any regex over them.
SIGNAL_KEYWORDS = (
    "fail",
    "result",
    "returned code",
    "exiting with",
    "instru",
    "running action",
    "ccmsetup",
    "setup phase",
    "deployment toolkit",
    "successfully completed",
    "execution is complete",
    "error event",
    "fatal",
    "unhandled exception",
    "logging for",
    "logging begin",
    "unmatched exit",
    "sequence completed",
)
# Narrower than SIGNAL_KEYWORDS: lower-cased words every signal pattern below holds (the
# error words aside), and those every machine-name pattern holds. A line without any
# of these, nor an error word, can be no signal and name no machine (the prefilter
# skips it; tests/test_prefilter.py checks the words against the patterns).
PREFILTER_WORDS = (
    "executing an instru",
    "running action: ",
    "successfully completed the action (",
    "engine result code",
    "returned code",
    "exiting with",
    "task sequence completed",
    "csetuphost::execute(",
    "execution is complete for program",
    "logging for",
    "ccmsetup started in process",
    "setuphost logging begin",
    "deployment toolkit version",
    "setup phase change",
    "could not successfully complete",
    "engine successfully completed",
    "manager successfully completed execution",
    "unmatched exit code",
    "computername",
    "machinename",
    "computer name",
    "netbios",
    "running on",
    "hostname",
)
_I = re.IGNORECASE
# One search instead of a test per keyword: most lines hold none.
_ANY_KEYWORD = re.compile("|".join(map(re.escape, SIGNAL_KEYWORDS))).search
_SIMPLE: list[tuple[re.Pattern[str], str, bool]] = [
    (
        re.compile(r"Successfully in\w*ali[sz]ed Logging for (?:TS|Task Sequence) Manager"),
        "run",
        False,
    ),
    (re.compile(r"^==========\[ ccmsetup started in process"), "run", False),
    (re.compile(r"SetupHost Logging Begin"), "run", False),
    (re.compile(r"^Microsoft Deployment Toolkit version:"), "step", False),
    (re.compile(r"^Setup phase change: \[\w+\] -> \[SetupPhaseError\]"), "fail", False),
    (re.compile(r"^Setup phase change: "), "step", False),
    (re.compile(r"Task Sequence Engine failed!|Task sequence execution failed", _I), "fail", True),
    (
        re.compile(r"task sequence execution engine failed execution of a task sequence", _I),
        "fail",
        True,
    ),
    (re.compile(r"task sequence manager could not successfully complete", _I), "fail", True),
    (
        re.compile(r"task (?:\w+ )+?engine successfully completed (?:the|a) task sequence", _I),
        "success",
        False,
    ),
    (re.compile(r"task sequence manager successfully completed execution", _I), "success", True),
    (re.compile(r"^FAILURE \(\s*-?\d+\s*\):"), "fail", True),
    (re.compile(r"Litetouch deployment failed", _I), "fail", True),
    (re.compile(r"SetupHost: Reporting error event -> \["), "fail", True),
    (re.compile(r"Unhandled exception \(code 0x|to handle fatal error"), "fail", True),
    (re.compile(r"^\[\w+\]: .* process failed\b"), "weak", False),
    (
        re.compile(r"Unmatched exit code \(-?\d+\) is considered an execution failure"),
        "weak",
        False,
    ),
]
_STEP = re.compile(r"Start executing an instru\w*\. Instruction name: (.*?)\. Instruction pointer")
_RUNNING = re.compile(r"^Running action: (.+)")
_DONE = re.compile(r"^Successfully completed the action \((.+)\) with the exit win32 code 0")
_FAILED_ACTION = re.compile(r"Failed to run the (?:last )?action: ([^\n]+)", _I)
_STATUS_ACTION = re.compile(
    r"failed executing the action \((.+?)\)(?: in the group \(| with|\.|$)", _I
)
_IGNORED = re.compile(r"ignored the failure of the action \((.+?)\)(?: and|\.|$)", _I)
_ENGINE = re.compile(r"Execution engine result code: (\w+)")
_TSM_CODE = re.compile(r"Task Sequence Manager returned code (0x[0-9A-Fa-f]+|-?\d+)", _I)
_CCMSETUP_FAILED = re.compile(r"CcmSetup failed with error code", _I)
_CCMSETUP_EXIT = re.compile(r"CcmSetup is exiting with return code (-?\d+)", _I)
_EXITING = re.compile(r"^Exiting with (?:return )?code (0x[0-9A-Fa-f]{8})")
_TS_COMPLETED = re.compile(r"^Task sequence completed (0x[0-9A-Fa-f]+)", _I)
_SETUPHOST = re.compile(r"CSetupHost::Execute\(\d+\): Result = (0x[0-9A-Fa-f]+)")
_EXECMGR = re.compile(r"Execution is complete for program .*the execution status is (\w+)")
_NAME_TAIL = re.compile(
    r"(?:\.\s*|\s+)(?:Error[:\s]\s*-?\w+|Execution of task sequence failed)\.?$", _I
)


def _int(text: str) -> int:
    """Parse a hex (0x...) or decimal code, as an unsigned 32-bit value."""
    value = int(text, 16) if text.lower().startswith("0x") else int(text)
    return value & 0xFFFFFFFF


def action_name(raw: str) -> str | None:
    """Clean an action name: "Apply Drivers. Error 1" -> "Apply Drivers"."""
    name = raw.split("\n", 1)[0].strip()
    name = _NAME_TAIL.sub("", name)
    return name.rstrip(". ").strip() or None


def classify(message: str, low: str | None = None) -> Signal | None:
    """Return what a message says about the run, or None for most messages.

    ``low`` is the message lower-cased, when the caller has it already.
    """
    low = message.lower() if low is None else low
    if _ANY_KEYWORD(low) is None:
        return None
    if m := _STEP.search(message):
        return Signal("step", m.group(1))
    if m := _RUNNING.match(message):
        return Signal("step", action_name(m.group(1)))
    if m := _DONE.match(message):
        return Signal("done", m.group(1))
    if m := _FAILED_ACTION.search(message):
        return Signal("fail", action_name(m.group(1)))
    if m := _STATUS_ACTION.search(message):
        return Signal("fail", m.group(1).strip())
    if m := _IGNORED.search(message):
        return Signal("ignored", m.group(1).strip())
    if m := _ENGINE.search(message):
        word = m.group(1).lower()
        return Signal(word if word in ("success", "reboot") else "fail", None, True)
    if m := _TSM_CODE.search(message):
        return _by_code(_int(m.group(1)))
    if _CCMSETUP_FAILED.search(message):
        return Signal("fail", None, True)
    if m := _CCMSETUP_EXIT.search(message):
        code = int(m.group(1))
        kind = "success" if code == 0 else "reboot" if code in (7, 3010, 1641) else "fail"
        return Signal(kind, None, True)
    if m := _EXITING.match(message):
        code = _int(m.group(1))
        return Signal("weak", None, True) if code & 0x80000000 else None
    if m := _TS_COMPLETED.match(message):
        return _by_code(_int(m.group(1)))
    if m := _SETUPHOST.search(message):
        return _by_code(_int(m.group(1)))
    if m := _EXECMGR.search(message):
        status = m.group(1).lower()
        return Signal("success" if status.startswith("success") else "fail", None, True)
    for pattern, kind, result in _SIMPLE:
        if pattern.search(message):
            return Signal(kind, None, result)
    return None


def _by_code(code: int) -> Signal:
    """Return the result signal of a process exit code."""
    if code == 0:
        return Signal("success", None, True)
    if code in REBOOT_CODES:
        return Signal("reboot", None, True)
    return Signal("fail", None, True)


# -- error lines ----------------------------------------------------------------------

_ERROR_WORD = re.compile(
    r"\b(?:fail|fails|failed|failure|failing|errors?|unsuccessful|exception|fatal)\b", _I
)
ERROR_KEYWORDS = ("fail", "error", "unsuccessful", "exception", "fatal")
_BENIGN = re.compile(
    r"\b(?:no|0|zero|without) errors?\b|\berror(?:[ _]?code)?\s*[:=]?\s*(?:0x)?0+\b(?![.\d])"
    r"|\b\w+ on errors?\b",
    _I,
)
_DETAIL = re.compile(r"\((?:Error|error): [0-9A-Fa-f]{8}; Source: \w+\)")


def is_error(
    message: str, severity: int | None, codes: list[int], word: bool | None = None
) -> bool:
    """Tell whether a line reports an error, whatever its severity field says.

    ``word`` is has_error_word(message.lower()), when the caller has it already.
    """
    if severity == 3:
        return True
    if any(c & 0x80000000 and c not in REBOOT_CODES for c in codes):
        return True
    if word is None:
        word = has_error_word(message.lower())
    if not word or not _ERROR_WORD.search(message):
        return False
    return bool(_ERROR_WORD.search(_BENIGN.sub(" ", message)))


_LONG_NUMBER = re.compile(r"[0-9A-Fa-f]{7}")


def has_error_word(low: str) -> bool:
    """Tell whether a lower-cased line holds one of the words error lines hold."""
    return any(map(low.__contains__, ERROR_KEYWORDS))


def might_hold_code(message: str) -> bool:
    """Tell whether a line could hold a high-bit code (written with seven digits or more)."""
    return _LONG_NUMBER.search(message) is not None


def is_detail(message: str) -> bool:
    """Tell whether a line is the "(Error: 80070002; Source: Windows)" text of a failure."""
    return bool(_DETAIL.search(message))


# -- machine names --------------------------------------------------------------------

_NAME = r"([A-Za-z0-9][A-Za-z0-9_-]{0,62})"
_MACHINE = [
    (
        re.compile(
            r"\b(?:OSDComputerName|_SMSTSMachineName|OSDNewMachineName)\b(?: is now)? ?= ?\"?"
            + _NAME
        ),
        1,
    ),
    (
        re.compile(r"(?:Computer name is|Set the computer name to|\bComputerName ?=) ?\"?" + _NAME),
        2,
    ),
    (re.compile(r"\bNetBIOS ?name ?[:=] ?\"?" + _NAME, _I), 2),
    (re.compile(r"^\[" + _NAME + r"\] Running on '"), 3),
    (re.compile(r"\bProperty HostName is now = " + _NAME), 4),
]
_NOT_NAMES = frozenset({"localhost", "null", "none", "unknown", "minint"})


def might_name_machine(message: str) -> bool:
    """Tell whether a line could name the machine (every pattern below holds one of these)."""
    return (
        "Name" in message
        or "omputer name" in message
        or "Running on" in message
        or "netbios" in message.lower()
    )


def machine_name(message: str) -> tuple[int, str] | None:
    """Return (priority, name) when a line names the machine (1 is most trusted)."""
    if not might_name_machine(message):
        return None
    for pattern, priority in _MACHINE:
        m = pattern.search(message)
        if m:
            name = m.group(1)
            if name.lower() in _NOT_NAMES or name.isdigit() or len(name) < 2:
                continue
            return priority, name
    return None
