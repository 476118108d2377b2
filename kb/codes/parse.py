"""Read one error code from what a user types: a number, or a short text around one.

Number forms: ``0x80070002``/``0X80070002``, ``0x35``, ``0x(80070057)``, 8 hex
digits without a prefix (``80070002``, ``c0000005``; in running text a word of
8 letters such as ``deadbeef`` stays a word), unsigned decimal
(``2147942402``, ``5``, ``53``) and signed negative decimal (``-2147024894``,
read as 32-bit two's complement). One pair of brackets around the number is
ignored (``(80070057)``, ``[0x35]``).

Exactly 8 digits without ``0x`` are always hex, even when they are all decimal
digits, because logs write HRESULTs that way (``HRESULT=80070002``); to give an
8-digit decimal, write it in hex or signed.

Anything else is read as text: the codes that :func:`extract_codes` finds in it
(``Error: 80070003``, ``exit code 3221225478``, ``[gle=0x00000035]``). The same
code written twice, in two forms, is one code. When the extractor finds none,
every standalone number written as a code is considered (``0x35``, 8 hex
digits, a 10-digit decimal), so ``80070002 after reboot`` gives 0x80070002;
a short decimal without an error word is not a code (``windows 7``, ``sccm
2007``). A number that cannot be a code (malformed hex, beyond 32 bits) is an
error even there.

Every failure raises :class:`CodeError` with a one-line reason.
"""

from __future__ import annotations

import re

from kb.codes.extract import code_values
from kb.codes.model import format_hex
from kb.errors import CodeError

_BRACKETS = {"(": ")", "[": "]"}
_NUMBER = re.compile(r"0[xX]\((?P<ph>[0-9a-fA-F]+)\)|0[xX](?P<h>\w*)|(?P<d>[-+]?[0-9]+)|(?P<b>\w+)")
_WORD = re.compile(r"(?<![\w.:/\\-])(?:0[xX]\([0-9a-fA-F]+\)|[-+]?\w+)(?![\w.:/\\-]\w|\w)")
_QUOTE_MAX = 40
_HEX = frozenset("0123456789abcdefABCDEF")


def parse_code(text: str) -> int:
    """Read one code from user input and return its unsigned 32-bit value."""
    if not isinstance(text, str):
        raise CodeError(f"expected text, got {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise CodeError("empty input: expected an error code such as 0x80070002")
    inner = stripped
    if len(inner) > 2 and _BRACKETS.get(inner[0]) == inner[-1]:
        inner = inner[1:-1].strip()
    if inner and " " not in inner:
        value = _number(inner)
        if value is not None:
            return value
    values = code_values(stripped)
    if not values:
        values = _loose_values(stripped)
    if not values:
        raise CodeError(f"no error code found in {_quote(stripped)}")
    if len(values) > 1:
        raise CodeError("more than one error code: " + ", ".join(format_hex(v) for v in values))
    return values[0]


def _number(token: str, *, in_text: bool = False) -> int | None:
    """Return the value of a token written as one number, None if it is not a number."""
    m = _NUMBER.fullmatch(token)
    if m is None:
        return None
    if m.group("ph") is not None:
        return _checked(_int(m.group("ph"), 16, token), token)
    if m.group("h") is not None:
        digits = m.group("h")
        if not digits or not all(c in _HEX for c in digits):
            raise CodeError(f"malformed hex number {token!r}")
        return _checked(_int(digits, 16, token), token)
    if m.group("d") is not None:
        digits = m.group("d")
        if len(digits) == 8 and digits.isdigit():
            return int(digits, 16)
        # In running text a short decimal is any number ("windows 7",
        # "sccm 2007"); only the 10-digit forms of HRESULTs and NTSTATUS
        # values are codes without an error word before them.
        if in_text and len(digits.lstrip("+-")) < 10:
            return None
        return _checked(_int(digits, 10, token), token)
    word = m.group("b")
    # In running text, an 8-letter word such as "deadbeef" or "accede" is a word.
    if len(word) == 8 and all(c in _HEX for c in word) and (not in_text or not word.isalpha()):
        return int(word, 16)
    return None


def _int(digits: str, base: int, token: str) -> int:
    """Return a number's value; one too long for 32 bits is refused before it is converted.

    Python refuses to convert more than 4,300 digits at all (a ValueError).
    """
    if len(digits.lstrip("+-").lstrip("0")) > 20:
        raise CodeError(f"{_shown(token)!r} is outside the 32-bit range")
    return int(digits, base)


def _checked(value: int, token: str) -> int:
    """Return a value as unsigned 32-bit, or raise if it does not fit."""
    if not -0x8000_0000 <= value <= 0xFFFF_FFFF:
        raise CodeError(f"{_shown(token)!r} is outside the 32-bit range")
    return value & 0xFFFF_FFFF


def _shown(token: str) -> str:
    """Return a token as an error message shows it: at most 40 characters."""
    return token if len(token) <= 40 else token[:40] + "…"


def _loose_values(text: str) -> list[int]:
    """Return the distinct values of every standalone code-shaped number in the text."""
    values: dict[int, None] = {}
    for m in _WORD.finditer(text):
        value = _number(m.group(), in_text=True)
        if value is not None:
            values.setdefault(value, None)
    return list(values)


def _quote(text: str) -> str:
    """Quote user text on one line, shortened."""
    flat = " ".join(text.split())
    if len(flat) > _QUOTE_MAX:
        flat = flat[: _QUOTE_MAX - 3] + "..."
    return repr(flat)
