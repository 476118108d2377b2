"""Decode a 32-bit code: its number space, severity, facility, names and meaning.

How the kind is decided, in this order:

1. A value below 0x10000 is a Win32 error code (``win32``); 0 is success.
2. A value the header table names as an HRESULT is ``hresult`` (any NTSTATUS
   names of the same value follow its HRESULT names); one it names only as an
   NTSTATUS is ``ntstatus``. A small value lists only its Win32 names.
3. An unnamed value with the NTSTATUS severity pattern (top two bits 11 or 01)
   and the reserved bit 28 clear (so 0xC..., 0xE..., 0x4..., 0x6...) whose
   facility is 0 or an NTSTATUS facility of ntstatus.h is ``ntstatus`` (so every
   0xC000xxxx is one); any other value is ``hresult``.
4. An HRESULT 0x8007xxxx (severity error, FACILITY_WIN32) is ``hresult-win32``:
   it wraps the Win32 error xxxx, whose names are added to its own.

An HRESULT with the N bit (0x10000000) set and no name of its own wraps the
NTSTATUS value without that bit (HRESULT_FROM_NT); that value's names are added.
The facility is bits 16-27 for both HRESULTs and NTSTATUS values; its name comes
from winerror.h (HRESULT) or ntstatus.h (NTSTATUS), and is '' when no header
names it. Codes 0x87Dxxxxx are Configuration Manager client errors: no public
header names them; those Microsoft documents carry its message (below), the
others decode structurally only.

Success and restart: 0, 1641 (ERROR_SUCCESS_REBOOT_INITIATED), 3010
(ERROR_SUCCESS_REBOOT_REQUIRED) and 3011 (ERROR_SUCCESS_RESTART_REQUIRED), their
0x8007xxxx forms, and the ConfigMgr code documented as "Application was
successfully installed" have severity ``success``, although the HRESULT forms
carry the error bit: installers return them when the work is done.

The description is, in this order: the written one from descriptions.yaml
(source ``kb``); the message Microsoft documents for Configuration Manager
(configmgr_codes.tsv, source ``configmgr``); for a wrapped Win32 or NTSTATUS
code, the wrapped code's text from either behind a short preamble; otherwise a
sentence built from the decoding (source ``headers``). Hint and ``generic``
follow the same order. ``message`` is Microsoft's documented message whatever
the description.

Readings: status messages and reports often print only the low word of an
HRESULT, in decimal ("error code 16389" for 0x80004005). A value from 0x100 to
0xFFFF is read first as a Win32 error; when it is also the low word of a
described FACILITY_NULL or FACILITY_ITF HRESULT (0x8000xxxx, 0x8004xxxx), that
HRESULT is offered as another reading. Smaller values are left alone: they are
everyday exit codes.
"""

from __future__ import annotations

import re
from functools import cache

from kb.codes.descriptions import Written, descriptions, written
from kb.codes.documented import documented, documented_of
from kb.codes.model import CodeInfo, Facility, Reading, Source, format_hex, make_code_info
from kb.codes.parse import parse_code
from kb.codes.table import Table, table
from kb.errors import CodeError

_N_BIT = 0x10000000
_NT_SEVERITY = ("success", "informational", "warning", "error")
_NAME_PREFIX = re.compile(r"^(?:[A-Z0-9]+_)*?[ESWIFX]_|^(?:ERROR|STATUS|NERR|DBG)_|^WSA")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_CACHE: dict[int, CodeInfo] = {}
_FACILITIES: dict[int, Facility] = {}
_NT_KEY = 0x1000
_SUCCESS_WIN32 = frozenset((0, 1641, 3010, 3011))
_SUCCESS_CODES = frozenset((0x87D1076C,))
_LOW_WORD_FACILITIES = (0x8000_0000, 0x8004_0000)  # FACILITY_NULL, FACILITY_ITF
_PROPER = ("Windows ", "Configuration Manager ", "Microsoft ")
_KB = Source("kb", "written for kb", None)
_HEADERS = Source("headers", "built from the Windows header names (mingw-w64)", None)
_SOURCES: dict[str, Source] = {}  # documented sources by web address


def decode(value: int) -> CodeInfo:
    """Decode a 32-bit code (unsigned, or negative as a signed 32-bit value)."""
    if type(value) is int and 0 <= value <= 0xFFFF_FFFF:
        return _CACHE.get(value) or _decode(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise CodeError(f"{value!r} is not an integer code")
    if not -0x8000_0000 <= value <= 0xFFFF_FFFF:
        raise CodeError(f"{value} is outside the 32-bit range")
    value &= 0xFFFF_FFFF
    return _CACHE.get(value) or _decode(value)


def lookup(text: str) -> CodeInfo:
    """Parse one code from user text and decode it."""
    return decode(parse_code(text))


def _decode(value: int) -> CodeInfo:
    t = table()
    wrapped: int | None = None
    wrapped_names: tuple[str, ...] = ()
    facility: Facility | None = None
    win32: int | None = None
    hex_text = f"0x{value:08X}"
    if value < 0x10000:
        kind = "win32"
        severity = "success" if value in _SUCCESS_WIN32 else "error"
        names = t.win32.get(value, ())
        win32 = value
    else:
        names = t.hresult.get(value, ())
        if names:
            kind = "hresult"
            if value in t.ntstatus:
                names += t.ntstatus[value]
        else:
            names = t.ntstatus.get(value, ())
            kind = "ntstatus" if names else _unnamed_kind(value, t)
        key = value >> 16 & 0xFFF
        if kind == "ntstatus":
            severity = _NT_SEVERITY[value >> 30]
            key |= _NT_KEY
        else:
            severity = "error" if value & 0x8000_0000 else "success"
        facility = _FACILITIES.get(key) or _facility(key, t)
        if kind != "ntstatus":
            if value >> 16 == 0x8007:
                kind = "hresult-win32"
                wrapped = win32 = value & 0xFFFF
                wrapped_names = t.win32.get(wrapped, ())
                if wrapped in _SUCCESS_WIN32:
                    severity = "success"
            elif not names and value & _N_BIT:
                inner = t.ntstatus.get(value & ~_N_BIT, ())
                if inner:
                    wrapped, wrapped_names = value & ~_N_BIT, inner
    if value in _SUCCESS_CODES:
        severity = "success"
    own = _own(value)
    if own is not None:
        (description, hint, generic), source = own
    else:
        description, hint, generic, source = _meaning(
            value, hex_text, kind, names, facility, wrapped, wrapped_names
        )
    doc = documented_of(value)
    if wrapped_names:
        names = tuple(dict.fromkeys(names + wrapped_names))
    readings = _readings(value, t) if 0x100 <= value <= 0xFFFF else ()
    if readings and not names and own is None:
        first = readings[0]
        description = (
            f"Win32 error {value}, which the Windows headers do not name; most likely the "
            f"low word of {first.hex} ({first.names[0]}), as status messages print it."
        )
    info = make_code_info(
        value, hex_text, value, value - 0x1_0000_0000 if value & 0x8000_0000 else value,
        kind, severity, facility, win32, names, description, hint, generic,
        None if doc is None else doc.message, source, readings,
    )  # fmt: skip
    # Only named or described values are kept: they are the ones looked up
    # again and again, and there are few of them; arbitrary values are not.
    if names or own is not None:
        _CACHE[value] = info
    return info


def _own(value: int) -> tuple[Written, Source] | None:
    """Return a value's own text and its source: written for kb, else documented."""
    own = written(value)
    doc = documented_of(value)
    if own is not None:
        if own.hint is None and doc is not None:
            own = own._replace(hint=doc.hint)
        return own, _KB
    if doc is not None:
        text = doc.message if doc.message.endswith(".") else doc.message + "."
        return Written(text, doc.hint, False), _documented_source(doc.source.url)
    return None


def _documented_source(url: str) -> Source:
    """Return the shared Source for messages documented at a web address."""
    return _SOURCES.get(url) or _SOURCES.setdefault(
        url, Source("configmgr", "Configuration Manager documentation (Microsoft)", url)
    )


def _readings(value: int, t: Table) -> tuple[Reading, ...]:
    """Return the HRESULTs whose low word a value between 0x100 and 0xFFFF may be."""
    fulls = _low_words().get(value)
    if fulls is None:
        return ()
    why = (
        f"{value} is 0x{value:04X}, the low word of this HRESULT: status messages "
        "and reports often show only the low word of an HRESULT, in decimal."
    )
    return tuple(Reading(format_hex(full), t.hresult[full], why) for full in fulls)


@cache
def _low_words() -> dict[int, tuple[int, ...]]:
    """Map each low word (0x100 and up) to the named, described NULL/ITF HRESULTs ending in it."""
    t = table()
    found: dict[int, list[int]] = {}
    for full in sorted(set(descriptions()) | set(documented())):
        low = full & 0xFFFF
        if full - low in _LOW_WORD_FACILITIES and low >= 0x100 and full in t.hresult:
            found.setdefault(low, []).append(full)
    return {low: tuple(fulls) for low, fulls in found.items()}


def _facility(key: int, t: Table) -> Facility:
    """Create and keep the shared Facility for a facility number (| _NT_KEY for NTSTATUS)."""
    code = key & 0xFFF
    names = t.nt_facilities if key & _NT_KEY else t.facilities
    facility = _FACILITIES[key] = Facility(code, names.get(code, ""))
    return facility


def _unnamed_kind(value: int, t: Table) -> str:
    """Tell whether an unnamed value above 0xFFFF reads as an NTSTATUS or an HRESULT."""
    if value >> 30 in (1, 3) and not value & _N_BIT:
        code = (value >> 16) & 0xFFF
        if code == 0 or code in t.nt_facilities:
            return "ntstatus"
    return "hresult"


def _meaning(
    value: int,
    hex_text: str,
    kind: str,
    names: tuple[str, ...],
    facility: Facility | None,
    wrapped: int | None,
    wrapped_names: tuple[str, ...],
) -> tuple[str, str | None, bool, Source]:
    """Return (description, hint, generic, source) for a value with no text of its own."""
    if wrapped is not None:
        what = (
            f"Win32 error {wrapped}"
            if kind == "hresult-win32"
            else f"NTSTATUS {format_hex(wrapped)}"
        )
        label = f"{what} ({wrapped_names[0]})" if wrapped_names else what
        own = _own(wrapped)
        if own is not None:
            inner, source = own
            return (
                f"{label} returned as an HRESULT: {_lower_first(inner.description)}",
                inner.hint,
                inner.generic,
                source,
            )
        if wrapped_names:
            text = f"{label} returned as an HRESULT: {_phrase(wrapped_names[0])}."
            return text, None, False, _HEADERS
        text = f"{label} returned as an HRESULT; the Windows headers do not name it."
        return text, None, False, _HEADERS
    return _built(value, hex_text, kind, names, facility), None, False, _HEADERS


def _built(
    value: int, hex_text: str, kind: str, names: tuple[str, ...], facility: Facility | None
) -> str:
    """Build a one-sentence description from the decoding alone."""
    if kind == "win32":
        label = f"Win32 error {value}"
    elif kind == "ntstatus":
        label = f"NTSTATUS {hex_text}"
    else:
        label = f"HRESULT {hex_text}"
    if names:
        return f"{label} ({names[0]}): {_phrase(names[0])}."
    code = value & 0xFFFF
    if value >> 20 == 0x87D:
        return (
            f"Configuration Manager client error (facility 0x{value >> 16 & 0xFFF:03X}, "
            f"code 0x{code:04X}); the Windows headers do not name it."
        )
    if facility is None:
        return f"{label}; the Windows headers do not name it."
    where = f"facility {facility.name}" if facility.name else f"facility 0x{facility.code:03X}"
    return f"{label} ({where}, code 0x{code:04X}); the Windows headers do not name it."


def _phrase(name: str) -> str:
    """Turn a symbolic name into lower-case words: ERROR_BAD_NETPATH -> 'bad netpath'."""
    words = _NAME_PREFIX.sub("", name, count=1) or name
    return _CAMEL.sub(" ", words).replace("_", " ").lower().strip()


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym or a product name."""
    if text.startswith(_PROPER):
        return text
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text
