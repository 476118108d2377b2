"""What an analysis returns: the error lines it kept and the verdict on a log or a machine's logs."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from kb.codes import format_hex


@dataclass(frozen=True)
class ErrorLine:
    """A line of a log the analysis kept, with the codes it carries and the file it is in.

    ``part`` is the file's place among the logs of one run (0 for a single log), so
    lines of stitched rotated logs sort in time order.
    """

    line: int
    component: str
    message: str
    codes: list[int]
    file: str = ""
    part: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return the line as JSON-ready data, codes as hex strings."""
        return {
            "line": self.line,
            "component": self.component,
            "message": self.message,
            "codes": [format_hex(c) for c in self.codes],
            "file": self.file,
        }


@dataclass(frozen=True)
class LogSummary:
    """One log among a machine's logs: what it is and whether its run failed."""

    file: str
    kind: str
    format: str
    lines: int
    failed: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as JSON-ready data (its fields are plain values)."""
        return asdict(self)


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
    kind: str = "text"
    headline: str = ""
    code: int | None = None
    # Lines that hold an article's signature words, at any severity: those of the
    # failing step (and the step before it) for a failure, else the log's first ones.
    signatures: list[ErrorLine] = field(default_factory=list)
    failure_file: str = ""
    failure_time: str = ""
    step_start: str = ""
    logs: list[LogSummary] = field(default_factory=list)
    context: list[ErrorLine] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the analysis as JSON-ready data."""
        return {
            "file": self.file,
            "kind": self.kind,
            "format": self.format,
            "lines": self.lines,
            "records": self.records,
            "failed": self.failed,
            "headline": self.headline,
            "failed_action": self.failed_action,
            "code": format_hex(self.code) if self.code is not None else None,
            "errors": [e.to_dict() for e in self.errors],
            "signatures": [e.to_dict() for e in self.signatures],
            "codes": [format_hex(c) for c in self.codes],
            "result": self.result,
            "machine": self.machine,
            "first_date": self.first_date,
            "last_date": self.last_date,
            "failure_date": self.failure_date,
            "failure_time": self.failure_time,
            "failure_file": self.failure_file,
            "failure_line": self.failure_line,
            "reboot": self.reboot,
            "error_count": self.error_count,
            "other_errors": [e.to_dict() for e in self.other_errors],
            "logs": [s.to_dict() for s in self.logs],
            "context": [e.to_dict() for e in self.context],
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
        }
