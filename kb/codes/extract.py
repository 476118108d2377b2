"""Find the error codes in free text: a paste, a log line, a whole log.

One compiled regex scans the text; each candidate it finds is then checked
against its context. What counts as a code:

* after an error word (``exit code``, ``return code``, ``error code``, ``code``,
  ``error``, ``err``, ``gle``, ``last error``, ``hresult``, ``hr``, ``errorlevel``),
  optionally followed by ``:``, ``=``, ``==``, ``#``, ``;``, ``is``, ``was``, ``of``
  and an opening bracket: a hex number (``0x35``, ``0x(80070057)``), 8 bare hex
  digits (``80070057``) or a decimal (``2``, ``2147942402``, ``-2147024894``).
  It counts when it is not 0 and is a Win32 code (below 0x10000), has the error
  bit set (0x80000000 and up), or is a named code (``exit code 1073807364``).
* after a weaker word (``status``, ``status code``, ``returned``, ``returning``,
  ``failed``, ``failed with``, ``received``, ``result``): the same forms, but
  only values with the error bit set or named values of 0x10000 and up, so
  ``HTTP status 404``, ``status code 404`` and ``/status:940`` are not codes.
* with no word before it: ``0x`` and exactly 8 hex digits starting 8, C or D
  (``0x80070002``, ``[0xc142011c]``), unless an address-like word precedes it
  (``occurred at 0x...``, ``flags``, ``signature``, ``handle``...) or it is a
  predefined registry key handle (0x80000000 to 0x80000006); 8 bare hex
  digits in parentheses (``(80070057)``) that wrap a Win32 code (0x8007xxxx) or
  are named; a 10-digit decimal from 2147483648 up (or its negative signed
  form) that is a named code, as IIS logs write ``2148074254``.

A code or its error word must follow white space, the start of the text or
one of ``( [ , ; : = > | ' " ` ``. Never codes: Windows Setup message ids
(``[0x060412]``: 0x and 6 hex digits in brackets), ``ERROR CONTEXT:
0x00000005`` (context is not an error word), thread ids ``(0x06D0)``, times,
dates, offsets ``(+000287D4)``, GUID parts, longer hex runs, package ids, and
numbers glued to letters, dots, slashes, hyphens or plus signs.
"""

from __future__ import annotations

import re

from kb.codes.model import FoundCode
from kb.codes.table import table

_STRONG = frozenset(
    ("exitcode", "returncode", "errorcode", "resultcode", "code", "error", "err",
     "errorlevel", "gle", "lasterror", "hresult", "hr")
)  # fmt: skip
_ADDRESS_BEFORE = re.compile(
    r"(?:\bat|address|addr|base|offset|ptr|pointer|flags?|attrib\w*|mask|signature|handle"
    r"|\bid)[ \t]*[:=]?[ \t]*[\[(]?[ \t]*$"
)
# HKEY_CLASSES_ROOT (0x80000000) .. HKEY_DYN_DATA (0x80000006): registry handles
# that setup logs print ("mapping for HKCU to 0x80000003"), not codes.
_LAST_HKEY = 0x8000_0006
_SETUP_ID = re.compile(r"0x[0-9a-f]{6}")

# The scan runs on a lower-cased copy of the text with one space in front.
# Every alternative starts by consuming the character before the code or its
# error word, one of a few separators (white space, ( [ , ; : = > | ' " `), so
# the regex engine only tries the positions holding one: that keeps the scan
# fast on large logs, where letters and digits make up most of the text.
_SCAN = re.compile(
    r"""
    [ \t\r\n(\[,;:=>|'"`]
    (?:
      (?P<kw>e(?:xit[ ]?code|rror(?:level|[ ]?code)?|rr)
        |r(?:eturn[ ]?code|esult[ ]?code|eturned|eturning|esult|eceived)
        |code|status(?:[ ]?code)?|gle|last[ ]error|hr(?:esult)?|failed(?:[ ]with)?)
      [ \t]*(?:==?|[:#;]|(?:is|was|of)\b)?[ \t]*[\[(]?[ \t]*
      (?P<v>
         0x\((?P<ph>[0-9a-f]{1,8})\)
        |0x(?P<h>[0-9a-f]{1,8})(?![0-9a-z_])
        |(?P<b>[0-9a-f]{8})(?!\w)
        |(?P<d>-?[0-9]{1,10})(?!\w|[.:/-][0-9])
      )
    |0x(?P<u>[89cd][0-9a-f]{7})(?!\w)
    |(?<=\()(?<![\w$\\/.{}+-]\()(?P<p>[89cd][0-9a-f]{7})\)
    |(?P<n>-?[1-4][0-9]{9})(?!\w|[.:/-][0-9])
    )
    """,
    re.VERBOSE,
)
_PRECHECK = re.compile(r"[0-9]")
_UPPER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def extract_codes(text: str) -> list[FoundCode]:
    """Return every error code written in the text, in order, duplicates kept."""
    if not text or not _PRECHECK.search(text):
        return []
    scan = " " + text.lower()
    if len(scan) != len(text) + 1:
        # A few non-ASCII letters lower-case to two characters; keep offsets.
        scan = " " + text.translate(_UPPER)
    found: list[FoundCode] = []
    for m in _SCAN.finditer(scan):
        value = _accept(m, scan)
        if value is not None:
            start, end = _value_span(m)
            found.append(FoundCode(value, start - 1, end - 1, text[start - 1 : end - 1]))
    return found


def code_values(text: str) -> list[int]:
    """Return the distinct values of extract_codes, in first-seen order."""
    return list(dict.fromkeys(f.value for f in extract_codes(text)))


# "exit code 31", "return code: 2": a process's own result, written in decimal.
_EXIT_BEFORE = re.compile(
    r"(?:exit|return)[ _]?code[ \t]*(?:==?|[:#;]|is|was|of)?[ \t]*[\[(]?[ \t]*$", re.I
)


def exit_code_values(text: str) -> set[int]:
    """Return the codes that the text only writes as a process's decimal exit code.

    ``Process completed with exit code 31`` is the program's own result: it
    reads as a Win32 error (31, ERROR_GEN_FAILURE) only if the program returns
    Win32 errors. A value also written elsewhere as a code is not in the set.
    """
    exits: set[int] = set()
    others: set[int] = set()
    for f in extract_codes(text):
        decimal = f.text.lstrip("-").isascii() and f.text.lstrip("-").isdigit()
        if (
            decimal
            and f.value < 0x10000
            and _EXIT_BEFORE.search(text, max(0, f.start - 40), f.start)
        ):
            exits.add(f.value)
        else:
            others.add(f.value)
    return exits - others


def _value_span(m: re.Match[str]) -> tuple[int, int]:
    """Return where the code itself is written in the scanned text."""
    if m.group("kw") is not None:
        return m.span("v")
    if m.group("u") is not None:
        return m.start("u") - 2, m.end("u")
    if m.group("p") is not None:
        return m.span("p")
    return m.span("n")


def _accept(m: re.Match[str], text: str) -> int | None:
    """Return the value of a candidate if its context makes it a code, else None."""
    kw = m.group("kw")
    if kw is not None:
        digits = m.group("h") or m.group("ph")
        if digits is not None:
            start, end = m.span("v")
            if (
                len(digits) == 6
                and _SETUP_ID.fullmatch(m.group("v"))
                and text[start - 1 : start] == "["
                and text[end : end + 1] == "]"
            ):
                return None
            value = int(digits, 16)
        elif m.group("b") is not None:
            value = int(m.group("b"), 16)
        else:
            value = int(m.group("d"))
            if not -0x8000_0000 <= value <= 0xFFFF_FFFF:
                return None
            value &= 0xFFFF_FFFF
        if value == 0:
            return None
        if kw.replace(" ", "") in _STRONG:
            if value < 0x10000 or value >= 0x8000_0000 or _named(value):
                return value
            return None
        return value if value >= 0x8000_0000 or _named(value) else None
    if m.group("u") is not None:
        value = int(m.group("u"), 16)
        if value <= _LAST_HKEY or _ADDRESS_BEFORE.search(
            text, max(0, m.start() - 23), m.start() + 1
        ):
            return None
        return value
    if m.group("p") is not None:
        value = int(m.group("p"), 16)
        return value if value >> 16 == 0x8007 or _named(value) else None
    value = int(m.group("n")) & 0xFFFF_FFFF
    return value if value >= 0x8000_0000 and _named(value) else None


def _named(value: int) -> bool:
    """Tell whether the header table names a value of 0x10000 and up (or its wrapped code)."""
    if value < 0x10000:
        return False
    t = table()
    if value in t.hresult or value in t.ntstatus:
        return True
    return value >> 16 == 0x8007 and (value & 0xFFFF) in t.win32
