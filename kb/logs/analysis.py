"""Find what failed in a log: the failing action, its root error chain, and the codes.

The severity field cannot be trusted (a successful task sequence logs many type=3
lines, MDT writes ERROR lines as type=1, ccmsetup's final failure is type=1), so
the verdict comes from message text; see :mod:`kb.logs.steps` for the signals.

One pass, bounded memory: for the step being run only its first error lines and a
window of its latest ones are kept, and the failing step's are frozen when it fails.
The root error chain is picked from those: the failure line, the earliest lines
carrying the failure's specific (non-generic) code, the step's first error lines,
then its latest ones, at most MAX_ERRORS, in log order.

Lines holding one of the ``watch`` terms (an article's signature words, given by
the caller) are kept too, whatever their severity: those of the failing step and
the step before it are evidence for the failure, the first ones of a log that did
not fail are evidence on their own.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ahocorasick_rs import AhoCorasick

from kb.codes import code_values
from kb.logs.kinds import KindClues, headline, kind_from_name
from kb.logs.reader import LogRecord, dominant_format
from kb.logs.results import Analysis, ErrorLine
from kb.logs.steps import (
    Signal,
    classify,
    has_error_word,
    is_detail,
    is_error,
    machine_name,
    might_hold_code,
)

MAX_ERRORS = 12
MAX_MESSAGE = 4000
MAX_CODES = 200
MAX_SIGNATURES = 8
# The first records of a log tell its kind (their components); all are read in full.
CLUE_RECORDS = 200
_STEP_HEAD = 8
_STEP_TAIL = 64
_FIRST_OF_STEP = 3
_CODE_LINES = 6
_AFTER = 16
# Codes that say only "something failed": the chain looks past them for a specific one.
GENERIC_CODES = frozenset({0x80004005, 0x80004004, 0x80070001, 0x1, 0x80070BC2})


@dataclass
class _Episode:
    """A failure being followed: its trigger, frozen step errors, and codes."""

    strong: bool
    action: str | None
    trigger: ErrorLine
    step_errors: list[ErrorLine]
    date: str
    time: str = ""
    step_start: str = ""
    marks: list[ErrorLine] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)
    details: list[ErrorLine] = field(default_factory=list)
    after: list[ErrorLine] = field(default_factory=list)
    after_done: bool = False
    closed: bool = False


class Analyzer:
    """Feed records in log order (of one log, or of a run's logs one after the other), then finish()."""

    def __init__(self, watch: Iterable[str] = ()) -> None:
        self.watch = tuple(watch)
        self.watching = _any_of(self.watch)
        self.file = ""
        self.part = 0
        self.records = 0
        self.last_line = 0
        self.formats: Counter[str] = Counter()
        self.clues = KindClues()
        self.clue_records = 0
        self.dates: list[str] = []
        self.date = ""
        self.codes: dict[int, None] = {}
        self.error_count = 0
        self.first_errors: list[ErrorLine] = []
        self.step_head: list[ErrorLine] = []
        self.step_tail: deque[ErrorLine] = deque(maxlen=_STEP_TAIL)
        self.step_marks: list[ErrorLine] = []
        self.prev_marks: list[ErrorLine] = []
        self.marks: list[ErrorLine] = []
        self.step_start = ""
        self.episode: _Episode | None = None
        self.verdict: str | None = None
        self.result: str | None = None
        self.machine: tuple[int, str] | None = None
        self.expect_detail = False

    def start_file(self, file: str, part: int) -> None:
        """Say that the records fed next come from this file, the part-th of the run."""
        self.file, self.part = file, part

    def note_date(self, date: str) -> None:
        """Take the date of a record (an ISO day)."""
        self.date = date
        if not self.dates:
            self.dates = [date, date]
        else:
            self.dates = [min(self.dates[0], date), max(self.dates[1], date)]

    def _line(self, r: LogRecord, codes: list[int]) -> ErrorLine:
        """Return the kept line of a record."""
        return ErrorLine(r.line, r.component, r.message[:MAX_MESSAGE], codes, self.file, self.part)

    def feed(self, r: LogRecord) -> None:
        """Take the next record."""
        self.records += 1
        self.last_line = max(self.last_line, r.line + r.message.count("\n"))
        self.formats[r.format] += 1
        if self.clue_records < CLUE_RECORDS:
            self.clue_records += 1
            self.clues.add(r.component, r.message)
        if r.date and r.date != self.date:  # dates change rarely: skip the work otherwise
            self.note_date(r.date)
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
            err = self._line(r, codes)
            self._add_error(err)
        if self.watching is not None and self.watching(low):
            self._mark(err or self._line(r, codes))
        if self.expect_detail:
            self.expect_detail = False
            if self.episode and is_detail(r.message):
                self.episode.details.append(err or self._line(r, codes))
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

    def _mark(self, line: ErrorLine) -> None:
        """Keep a line that holds signature words (bounded, per step and per log)."""
        if len(self.step_marks) < MAX_SIGNATURES:
            self.step_marks.append(line)
        if len(self.marks) < MAX_SIGNATURES:
            self.marks.append(line)

    def _new_step(self, r: LogRecord) -> None:
        """Start a new step: its windows begin empty; the last step's marks stay at hand."""
        self.step_head = []
        self.step_tail.clear()
        self.prev_marks, self.step_marks = self.step_marks, []
        self.step_start = _when(r.date or self.date, r.time)

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
            self._new_step(r)
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
            trigger = err or self._line(r, codes)
            if ep is None or ep.closed or (strong and not ep.strong):
                action = s.action or (ep.action if ep is not None and not ep.closed else None)
                steps = [*self.step_head, *self.step_tail]
                date = r.date or self.date
                self.episode = ep = _Episode(strong, action, trigger, steps, date, r.time)
                ep.step_start = self.step_start
                ep.marks = [*self.prev_marks, *self.step_marks][-MAX_SIGNATURES:]
                self.expect_detail = s.action is not None
            elif ep.action is None and s.action:
                ep.action = s.action
            ep.codes.extend(codes)

    def finish(
        self, file: str, fmt: str = "", lines: int | None = None, name: str = ""
    ) -> Analysis:
        """Return the analysis of everything fed; ``name`` is the log's file name, if any."""
        ep = self.episode
        failed = self.verdict == "fail" and ep is not None
        chain = _chain(ep) if failed and ep is not None else []
        fmt = fmt or dominant_format(self.formats)
        kind = kind_from_name(name or file) or self.clues.kind(fmt)
        code = failure_code(ep.codes, chain) if failed and ep is not None else None
        action = ep.action if failed and ep is not None else None
        reboot = self.verdict == "reboot"
        return Analysis(
            file=file,
            format=fmt,
            lines=self.last_line if lines is None else lines,
            records=self.records,
            failed=failed,
            failed_action=action,
            errors=chain,
            codes=list(self.codes),
            result=self.result,
            machine=self.machine[1] if self.machine else None,
            first_date=self.dates[0] if self.dates else "",
            last_date=self.dates[1] if self.dates else "",
            failure_date=ep.date if failed and ep is not None else "",
            failure_line=ep.trigger.line if failed and ep is not None else None,
            reboot=reboot,
            error_count=self.error_count,
            other_errors=[] if failed else list(self.first_errors),
            kind=kind,
            headline=headline(kind, failed, action, code, reboot, self.result),
            code=code,
            signatures=list(ep.marks) if failed and ep is not None else list(self.marks),
            failure_file=ep.trigger.file if failed and ep is not None else "",
            failure_time=ep.time if failed and ep is not None else "",
            step_start=ep.step_start if failed and ep is not None else "",
        )


def _any_of(terms: tuple[str, ...]) -> Callable[[str], object] | None:
    """Return a test for whether a lower-cased line holds one of the terms (None for none).

    An Aho-Corasick automaton finds them all in one pass, several times faster than
    a regex alternation of long words.
    """
    if not terms:
        return None
    if "" in terms:  # the empty word is in every line
        return lambda low: True
    return AhoCorasick(list(dict.fromkeys(terms))).find_matches_as_indexes


def _when(date: str, time: str) -> str:
    """Return "YYYY-MM-DD HH:MM:SS" for a record's date and time ("" when either is missing)."""
    return f"{date} {time[:8]}" if date and time else ""


def failure_code(own: list[int], chain: list[ErrorLine]) -> int | None:
    """Return the code that names a failure: its own specific code, else its chain's first."""
    codes = [*own, *(c for e in chain for c in e.codes)]
    specific = [c for c in codes if c not in GENERIC_CODES]
    chosen = specific or codes
    return chosen[0] if chosen else None


def _chain(ep: _Episode) -> list[ErrorLine]:
    """Pick the root error chain of a failure, in log order."""
    codes = list(dict.fromkeys(ep.codes))
    specific = [c for c in codes if c not in GENERIC_CODES] or codes
    pool = [e for e in ep.step_errors if (e.part, e.line) < (ep.trigger.part, ep.trigger.line)]
    chosen: dict[tuple[int, int], ErrorLine] = {(ep.trigger.part, ep.trigger.line): ep.trigger}
    for d in ep.details:
        chosen.setdefault((d.part, d.line), d)

    def take(lines: Iterable[ErrorLine], most: int) -> None:
        """Add up to most lines not chosen yet, while the chain has room."""
        for e in lines:
            if most <= 0 or len(chosen) >= MAX_ERRORS:
                return
            if (e.part, e.line) not in chosen:
                chosen[(e.part, e.line)] = e
                most -= 1

    wanted = set(specific)
    take((e for e in [*pool, *ep.after] if wanted.intersection(e.codes)), _CODE_LINES)
    take(pool, _FIRST_OF_STEP)
    take(reversed(pool), MAX_ERRORS)
    take(ep.after, MAX_ERRORS)
    return [chosen[k] for k in sorted(chosen)]
