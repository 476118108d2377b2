"""The values the code module returns: a found code, a facility, a decoded code.

All are frozen dataclasses, so they can be cached and shared; ``CodeInfo.to_dict``
gives the JSON shape that the CLI, the JSON API and the pages print.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MASK32 = 0xFFFFFFFF

KINDS = ("hresult", "hresult-win32", "ntstatus", "win32")
SEVERITIES = ("error", "warning", "success", "informational")


def format_hex(value: int) -> str:
    """Format a 32-bit code as 0x followed by 8 upper-case hex digits."""
    return f"0x{value & MASK32:08X}"


def to_signed(value: int) -> int:
    """Return the two's-complement signed reading of a 32-bit value."""
    return value - 0x1_0000_0000 if value & 0x8000_0000 else value


@dataclass(frozen=True, slots=True)
class FoundCode:
    """One error code found in free text: its value and where it was written."""

    value: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Reading:
    """Another reading of the same number: the code it may stand for, and why."""

    hex: str
    names: tuple[str, ...]
    why: str

    def to_dict(self) -> dict[str, Any]:
        """Return the reading as JSON-ready data."""
        return {"hex": self.hex, "names": list(self.names), "why": self.why}


@dataclass(frozen=True, slots=True)
class Source:
    """Where a description comes from: ``configmgr`` (Microsoft's documented message),
    ``kb`` (written for kb) or ``headers`` (built from the header name)."""

    kind: str
    name: str
    url: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return the source as JSON-ready data."""
        return {"kind": self.kind, "name": self.name, "url": self.url}


@dataclass(frozen=True, slots=True)
class Facility:
    """The facility field of an HRESULT or NTSTATUS and its header name ('' if none)."""

    code: int
    name: str


@dataclass(frozen=True)
class CodeInfo:
    """Everything known about one 32-bit code: structure, names and meaning."""

    value: int
    hex: str
    unsigned: int
    signed: int
    kind: str
    severity: str
    facility: Facility | None
    win32: int | None
    names: tuple[str, ...]
    description: str
    hint: str | None
    generic: bool
    message: str | None = None
    source: Source | None = None
    readings: tuple[Reading, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the decoding as JSON-ready data."""
        facility = self.facility
        return {
            "hex": self.hex,
            "unsigned": self.unsigned,
            "signed": self.signed,
            "kind": self.kind,
            "severity": self.severity,
            "facility": None
            if facility is None
            else {"code": facility.code, "name": facility.name},
            "win32": self.win32,
            "names": list(self.names),
            "description": self.description,
            "hint": self.hint,
            "generic": self.generic,
            "message": self.message,
            "source": None if self.source is None else self.source.to_dict(),
            "readings": [r.to_dict() for r in self.readings],
        }


_new = object.__new__


def make_code_info(
    value: int,
    hex: str,
    unsigned: int,
    signed: int,
    kind: str,
    severity: str,
    facility: Facility | None,
    win32: int | None,
    names: tuple[str, ...],
    description: str,
    hint: str | None,
    generic: bool,
    message: str | None,
    source: Source,
    readings: tuple[Reading, ...],
) -> CodeInfo:
    """Create a CodeInfo as its __init__ would, at half the cost."""
    # decode() builds one per call on arbitrary values; the frozen __init__
    # sets each of the 15 fields through object.__setattr__, which dominates
    # its run time, while filling __dict__ at once is a single call.
    info = _new(CodeInfo)
    info.__dict__.update(
        value=value, hex=hex, unsigned=unsigned, signed=signed, kind=kind, severity=severity,
        facility=facility, win32=win32, names=names, description=description, hint=hint,
        generic=generic, message=message, source=source, readings=readings,
    )  # fmt: skip
    return info
