"""Find what failed in a log: the failing action, its root error chain, and the codes.

The severity field cannot be trusted (a successful task sequence logs many type=3
lines, MDT writes ERROR lines as type=1, ccmsetup's final failure is type=1), so
the verdict comes from message text; see :mod:`kb.logs.steps` for the signals.

One pass, bounded memory: for the step being run only its first error lines and a
window of its latest ones are kept, and the failing step's are frozen when it fails.
The root error chain is picked from those: the failure line, the earliest lines
carrying the failure's specific (non-generic) code, the step's first error lines,
then its latest ones, at most MAX_ERRORS, in log order.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from os import PathLike
from typing import Any

from kb.codes import code_values, format_hex
from kb.logs.reader import CountedLines, LogRecord, dominant_format, iter_text_lines, parse_lines
from kb.logs.steps import (
    Signal,
    classify,
    has_error_word,
    is_detail,
    is_error,
    machine_name,
    might_hold_code,
)
from kb.logs.text import text_lines

MAX_ERRORS = 12
MAX_MESSAGE = 4000
MAX_CODES = 200
_STEP_HEAD = 8
_STEP_TAIL = 64
_FIRST_OF_STEP = 3
_CODE_LINES = 6
_AFTER = 16
# Codes that say only "something failed": the chain looks past them for a specific one.
GENERIC_CODES = frozenset({0x80004005, 0x80004004, 0x80070001, 0x1, 0x80070BC2})


@dataclass(frozen=True)
class ErrorLine:
    """An error-level line of a log, with the codes it carries."""

    line: int
    component: str
    message: str
    codes: list[int]

    def to_dict(self) -> dict[str, Any]:
        """Return the line as JSON-ready data, codes as hex strings."""
        return {
            "line": self.line,
            "component": self.component,
            "message": self.message,
            "codes": [format_hex(c) for c in self.codes],
        }


@dataclass
class Analysis:
    """What a log says about its run: whether it failed, where, and why."""

    file: str
    format: str
    lines: int
    records: int
    failed: bool
    failed_action: str | None
    errors: list[ErrorLine]
    codes: list[int]
    result: str | None
    machine: str | None
    first_date: str = ""
    last_date: str = ""
    failure_date: str = ""
    failure_line: int | None = None
    reboot: bool = False
    error_count: int = 0
    other_errors: list[ErrorLine] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the analysis as JSON-ready data."""
        return {
            "file": self.file,
            "format": self.format,
            "lines": self.lines,
            "records": self.records,
            "failed": self.failed,
            "failed_action": self.failed_action,
            "errors": [e.to_dict() for e in self.errors],
            "codes": [format_hex(c) for c in self.codes],
            "result": self.result,
            "machine": self.machine,
            "first_date": self.first_date,
            "last_date": self.last_date,
            "failure_date": self.failure_date,
            "failure_line": self.failure_line,
            "reboot": self.reboot,
            "error_count": self.error_count,
            "other_errors": [e.to_dict() for e in self.other_errors],
        }


@dataclass
class _Episode:
    """A failure being followed: its trigger, frozen step errors, and codes."""

    strong: bool
    action: str | None
    trigger: ErrorLine
    step_errors: list[ErrorLine]
    date: str
    codes: list[int] = field(default_factory=list)
    details: list[ErrorLine] = field(default_factory=list)
    after: list[ErrorLine] = field(default_factory=list)
    after_done: bool = False
    closed: bool = False


class _Analyzer:
    """Feed records in log order, then call finish()."""

    def __init__(self) -> None:
        self.records = 0
        self.last_line = 0
        self.formats: Counter[str] = Counter()
        self.dates: list[str] = []
        self.date = ""
        self.codes: dict[int, None] = {}
        self.error_count = 0
        self.first_errors: list[ErrorLine] = []
        self.step_head: list[ErrorLine] = []
        self.step_tail: deque[ErrorLine] = deque(maxlen=_STEP_TAIL)
        self.episode: _Episode | None = None
        self.verdict: str | None = None
        self.result: str | None = None
        self.machine: tuple[int, str] | None = None
        self.expect_detail = False

    def feed(self, r: LogRecord) -> None:
        """Take the next record."""
        self.records += 1
        self.last_line = max(self.last_line, r.line + r.message.count("\n"))
        self.formats[r.format] += 1
        if r.date and r.date != self.date:  # dates change rarely: skip the work otherwise
            self.date = r.date
            if not self.dates:
                self.dates = [r.date, r.date]
            else:
                self.dates = [min(self.dates[0], r.date), max(self.dates[1], r.date)]
        name = machine_name(r.message)
        if name and (self.machine is None or name[0] <= self.machine[0]):
            self.machine = name
        low = r.message.lower()
        signal = classify(r.message, low)
        # Codes matter only on error lines and signal lines; a line without an error
        # word can only be an error line through a high-bit code, which is written
        # with seven digits or more. Most lines are neither: skip the extraction.
        word = has_error_word(low)
        if r.severity == 3 or signal is not None or word or might_hold_code(r.message):
            codes = [c for c in code_values(r.message) if c]  # already distinct
        else:
            codes = []
        err = None
        if is_error(r.message, r.severity, codes, word):
            err = ErrorLine(r.line, r.component, r.message[:MAX_MESSAGE], codes)
            self._add_error(err)
        if self.expect_detail:
            self.expect_detail = False
            if self.episode and is_detail(r.message):
                line = err or ErrorLine(r.line, r.component, r.message[:MAX_MESSAGE], codes)
                self.episode.details.append(line)
                self.episode.codes.extend(codes)
        if signal is not None:
            self._signal(signal, r, err, codes)
        ep = self.episode
        if err and ep and not ep.after_done and err is not ep.trigger and len(ep.after) < _AFTER:
            ep.after.append(err)

    def _add_error(self, err: ErrorLine) -> None:
        """Count an error line and keep it in the bounded windows."""
        self.error_count += 1
        for c in err.codes:
            if len(self.codes) < MAX_CODES:
                self.codes.setdefault(c, None)
        if len(self.first_errors) < MAX_ERRORS:
            self.first_errors.append(err)
        if len(self.step_head) < _STEP_HEAD:
            self.step_head.append(err)
        else:
            self.step_tail.append(err)

    def _new_step(self) -> None:
        """Start a new step: its error windows begin empty."""
        self.step_head = []
        self.step_tail.clear()

    def _signal(self, s: Signal, r: LogRecord, err: ErrorLine | None, codes: list[int]) -> None:
        """Update the verdict and the failure episode for one signal."""
        ep = self.episode
        if s.result:
            self.result = r.message.split("\n", 1)[0][:MAX_MESSAGE]
        if s.kind in ("run", "step", "done"):
            if ep is not None:
                ep.after_done = True
                ep.closed = ep.closed or s.kind == "run"
            if s.kind == "run" and self.verdict == "reboot":
                self.verdict = None
            if ep is not None and not ep.strong:
                self.episode = None
                self.verdict = None
            self._new_step()
        elif s.kind in ("success", "reboot"):
            self.episode = None
            self.verdict = s.kind
        elif s.kind == "ignored":
            if ep is not None and (
                ep.action is None or ep.action.lower() == (s.action or "").lower()
            ):
                self.episode = None
                self.verdict = None
        elif s.kind in ("fail", "weak"):
            strong = s.kind == "fail"
            self.verdict = "fail"
            trigger = err or ErrorLine(r.line, r.component, r.message[:MAX_MESSAGE], codes)
            if ep is None or ep.closed or (strong and not ep.strong):
                action = s.action or (ep.action if ep is not None and not ep.closed else None)
                steps = [*self.step_head, *self.step_tail]
                self.episode = ep = _Episode(strong, action, trigger, steps, r.date or self.date)
                self.expect_detail = s.action is not None
            elif ep.action is None and s.action:
                ep.action = s.action
            ep.codes.extend(codes)

    def finish(self, file: str, fmt: str, lines: int | None) -> Analysis:
        """Return the analysis of everything fed."""
        ep = self.episode
        failed = self.verdict == "fail" and ep is not None
        chain = _chain(ep) if failed and ep is not None else []
        return Analysis(
            file=file,
            format=fmt or dominant_format(self.formats),
            lines=self.last_line if lines is None else lines,
            records=self.records,
            failed=failed,
            failed_action=ep.action if failed and ep is not None else None,
            errors=chain,
            codes=list(self.codes),
            result=self.result,
            machine=self.machine[1] if self.machine else None,
            first_date=self.dates[0] if self.dates else "",
            last_date=self.dates[1] if self.dates else "",
            failure_date=ep.date if failed and ep is not None else "",
            failure_line=ep.trigger.line if failed and ep is not None else None,
            reboot=self.verdict == "reboot",
            error_count=self.error_count,
            other_errors=[] if failed else list(self.first_errors),
        )


def _chain(ep: _Episode) -> list[ErrorLine]:
    """Pick the root error chain of a failure, in log order."""
    codes = list(dict.fromkeys(ep.codes))
    specific = [c for c in codes if c not in GENERIC_CODES] or codes
    pool = [e for e in ep.step_errors if e.line < ep.trigger.line]
    chosen: dict[int, ErrorLine] = {ep.trigger.line: ep.trigger}
    for d in ep.details:
        chosen.setdefault(d.line, d)

    def take(lines: Iterable[ErrorLine], most: int) -> None:
        """Add up to most lines not chosen yet, while the chain has room."""
        for e in lines:
            if most <= 0 or len(chosen) >= MAX_ERRORS:
                return
            if e.line not in chosen:
                chosen[e.line] = e
                most -= 1

    wanted = set(specific)
    take((e for e in [*pool, *ep.after] if wanted.intersection(e.codes)), _CODE_LINES)
    take(pool, _FIRST_OF_STEP)
    take(reversed(pool), MAX_ERRORS)
    take(ep.after, MAX_ERRORS)
    return sorted(chosen.values(), key=lambda e: e.line)


def analyze_records(
    records: Iterable[LogRecord], *, file: str = "", format: str = "", lines: int | None = None
) -> Analysis:
    """Analyze log records in one pass: did the run fail, where, and why."""
    analyzer = _Analyzer()
    for record in records:
        analyzer.feed(record)
    return analyzer.finish(file, format, lines)


def analyze_file(path: str | PathLike[str], *, pipelined: bool = False) -> Analysis:
    """Analyze a log file; raise LogError when it cannot be read.

    With ``pipelined``, a large file is read in a second process while this one
    analyzes it, where that is allowed (kb.logs.pipeline); the result is the same.
    """
    if pipelined:
        from kb.logs.pipeline import PipelinedRecords, can_pipeline

        if can_pipeline(path):
            records = PipelinedRecords(path)
            analyzer = _Analyzer()
            for record in records:
                analyzer.feed(record)
            return analyzer.finish(str(path), "", records.lines)
    counted = CountedLines(iter_text_lines(path))
    analyzer = _Analyzer()
    for record in parse_lines(counted):
        analyzer.feed(record)
    return analyzer.finish(str(path), "", counted.n)


def analyze_text(text: str, *, name: str = "<paste>") -> Analysis:
    """Analyze pasted log text."""
    lines = text_lines(text)
    return analyze_records(parse_lines(lines), file=name, lines=len(lines))
