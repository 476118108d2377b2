"""Generate kb/data/codes.tsv, the error-code name table, from the mingw-w64 headers.

The headers of the Debian package ``mingw-w64-common`` are public domain. This
script is run by a maintainer when the table should change; the installed
package only ever reads the generated ``kb/data/codes.tsv``.

Which macros become table rows:

* Only object-like ``#define NAME expr`` macros (and, for ``wbemcli.h``, the
  enumerators of ``enum tag_WBEMSTATUS``) whose expression evaluates to an
  integer. Function-like macros and text macros are skipped.
* Error-only headers (winerror.h, ntstatus.h, bitsmsg.h, lmerr.h, adserr.h,
  wuerror.h, vsserror.h) keep every such macro except structural ones: header
  guards (leading underscore), ``FACILITY_*`` (kept apart as facility rows),
  ``*SEVERITY_*``, range markers (``*_FIRST``, ``*_LAST``, ``WSABASEERR``,
  ``MAX_NERR``) and untyped bases and masks (``*_BASE``, ``*_MASK``, ``*_BIT``;
  a value written with an HRESULT or NTSTATUS cast is a code whatever its name).
* Mixed headers keep only their error names: winhttp.h ``ERROR_WINHTTP_*``,
  wininet.h ``ERROR_INTERNET_*``/``ERROR_HTTP_*``/``ERROR_FTP_*``/``ERROR_GOPHER_*``,
  dismapi.h ``DISMAPI_E_*``/``DISMAPI_S_*``.

Every name of a value is kept (aliases), in header order then line order, so
the first name of a value is the one the most basic header gives it.

The kind column says which number space a name belongs to: ``ntstatus`` (a
``(NTSTATUS)`` cast), ``hresult`` (a value of 0x10000 or more, an HRESULT cast
or macro, or any name from an HRESULT-only header), ``win32`` (any other small
value), ``facility`` (HRESULT facility, winerror.h) or ``ntfacility`` (NTSTATUS
facility, ntstatus.h).

Usage: python tools/gen_codes.py [--include DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

INCLUDE = Path("/usr/share/mingw-w64/include")
OUT = Path(__file__).resolve().parents[1] / "kb" / "data" / "codes.tsv"


@dataclass(frozen=True)
class Header:
    """One header to read and how to select its names."""

    name: str
    space: str  # "mixed" (winerror.h), "win32", "hresult" or "ntstatus"
    keep: str | None = None  # regex of names to keep; None keeps every code-like name
    enum: str | None = None  # read this enum's enumerators instead of #defines


HEADERS = (
    Header("winerror.h", "mixed"),
    Header("ntstatus.h", "ntstatus"),
    Header("bitsmsg.h", "hresult"),
    Header("winhttp.h", "win32", keep=r"ERROR_WINHTTP_\w+"),
    Header("wininet.h", "win32", keep=r"ERROR_(?:INTERNET|HTTP|FTP|GOPHER)_\w+"),
    Header("lmerr.h", "win32"),
    Header("adserr.h", "hresult"),
    Header("wuerror.h", "hresult"),
    Header("wbemcli.h", "hresult", enum="tag_WBEMSTATUS"),
    Header("vsserror.h", "hresult"),
    Header("dismapi.h", "hresult", keep=r"DISMAPI_[ES]_\w+"),
)

_STRUCTURAL = re.compile(r"^_|^FACILITY_|SEVERITY_|_FIRST$|_LAST$|^WSABASEERR$|^MAX_NERR$")
# Typed values ((HRESULT)..., (NTSTATUS)...) are codes even when named like a
# marker: STATUS_IMAGE_NOT_AT_BASE, WU_E_PT_SOAPCLIENT_BASE.
_UNTYPED_MARKER = re.compile(r"(?:_BASE|_MASK|_BIT)$")
_DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+(\w+)(\(?)(.*)$", re.M)
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_TOKEN = re.compile(
    r"\s*(?:(?P<num>0[xX][0-9a-fA-F]+|\d+)(?:[uU]?[lL]{0,2}|[lL]{1,2}[uU]?|i64)?(?![\w])"
    r"|(?P<name>[A-Za-z_]\w*)|(?P<op><<|>>|[-+|&^~()*,?:]))"
)
_TYPES = {
    "HRESULT": "hresult",
    "SCODE": "hresult",
    "NTSTATUS": "ntstatus",
    "LONG": "",
    "ULONG": "",
    "DWORD": "",
    "long": "",
    "int": "",
    "unsigned": "",
    "__LONG32": "",
    "signed": "",
}
_WRAPPERS = {"__MSABI_LONG": "", "_HRESULT_TYPEDEF_": "hresult", "_NDIS_ERROR_TYPEDEF_": ""}


class EvalError(Exception):
    """The expression is not a constant integer this evaluator understands."""


class Evaluator:
    """Evaluate C constant expressions of error headers without eval()."""

    def __init__(self, known: dict[str, tuple[int, str]]) -> None:
        self.known = known

    def evaluate(self, text: str) -> tuple[int, str]:
        """Return (value masked to 32 bits, type tag) for a macro body."""
        self.tokens = self._tokenize(text)
        self.pos = 0
        self.tag = ""
        value = self._or()
        if self.pos != len(self.tokens):
            raise EvalError(f"trailing tokens in {text!r}")
        return value & 0xFFFFFFFF, self.tag

    @staticmethod
    def _tokenize(text: str) -> list[tuple[str, str]]:
        tokens: list[tuple[str, str]] = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise EvalError(f"cannot read {text[pos:]!r}")
            pos = m.end()
            kind = m.lastgroup or ""
            tokens.append((kind, m.group(kind)))
        return tokens

    def _peek(self) -> tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("", "")

    def _take(self, value: str | None = None) -> tuple[str, str]:
        tok = self._peek()
        if not tok[0] or (value is not None and tok[1] != value):
            raise EvalError(f"expected {value or 'a token'}")
        self.pos += 1
        return tok

    def _binary(self, ops: dict, lower) -> int:
        value = lower()
        while self._peek()[1] in ops:
            op = self._take()[1]
            value = ops[op](value, lower())
        return value

    def _or(self) -> int:
        return self._binary({"|": lambda a, b: a | b}, self._xor)

    def _xor(self) -> int:
        return self._binary({"^": lambda a, b: a ^ b}, self._and)

    def _and(self) -> int:
        return self._binary({"&": lambda a, b: a & b}, self._shift)

    def _shift(self) -> int:
        return self._binary({"<<": lambda a, b: a << b, ">>": lambda a, b: a >> b}, self._add)

    def _add(self) -> int:
        return self._binary({"+": lambda a, b: a + b, "-": lambda a, b: a - b}, self._mul)

    def _mul(self) -> int:
        return self._binary({"*": lambda a, b: a * b}, self._unary)

    def _unary(self) -> int:
        kind, text = self._peek()
        if text in ("-", "+", "~"):
            self._take()
            value = self._unary()
            return -value if text == "-" else ~value if text == "~" else value
        if text == "(" and self._is_cast():
            self._take("(")
            while self._peek()[1] != ")":
                self.tag = _TYPES[self._take()[1]] or self.tag
            self._take(")")
            return self._unary()
        return self._primary()

    def _is_cast(self) -> bool:
        nxt = self.tokens[self.pos + 1] if self.pos + 1 < len(self.tokens) else ("", "")
        return nxt[1] in _TYPES

    def _args(self) -> list[int]:
        self._take("(")
        args = [self._or()]
        while self._peek()[1] == ",":
            self._take(",")
            args.append(self._or())
        self._take(")")
        return args

    def _primary(self) -> int:
        kind, text = self._take()
        if kind == "num":
            return int(text, 0) if not re.fullmatch(r"0\d+", text) else int(text, 8)
        if text == "(":
            value = self._or()
            self._take(")")
            return value
        if kind != "name":
            raise EvalError(f"unexpected {text!r}")
        if text in _WRAPPERS:
            (value,) = self._args()
            self.tag = _WRAPPERS[text] or self.tag
            return value
        if text in ("MAKE_HRESULT", "MAKE_SCODE"):
            sev, fac, code = self._args()
            self.tag = "hresult"
            return (sev << 31) | (fac << 16) | code
        if text in ("HRESULT_FROM_WIN32", "__HRESULT_FROM_WIN32"):
            (value,) = self._args()
            self.tag = "hresult"
            return value if value <= 0 else (value & 0xFFFF) | (7 << 16) | 0x80000000
        if text == "HRESULT_FROM_NT":
            (value,) = self._args()
            self.tag = "hresult"
            return value | 0x10000000
        if text in self.known:
            value, tag = self.known[text]
            self.tag = tag or self.tag
            return value
        raise EvalError(f"unknown name {text}")


def read_defines(text: str) -> list[tuple[str, str]]:
    """Return (name, body) of every object-like #define in header text."""
    text = _COMMENT.sub(" ", text.replace("\\\n", " "))
    return [(m[1], m[3].strip()) for m in _DEFINE.finditer(text) if not m[2] and m[3].strip()]


def read_enum(text: str, enum: str) -> list[tuple[str, str]]:
    """Return (name, body) of every enumerator of ``enum <enum> { ... }``."""
    text = _COMMENT.sub(" ", text)
    m = re.search(r"enum\s+" + re.escape(enum) + r"\s*\{(.*?)\}", text, re.S)
    if not m:
        raise SystemExit(f"enum {enum} not found")
    items = [item.split("=", 1) for item in m[1].split(",") if "=" in item]
    return [(name.strip(), body.strip()) for name, body in items]


def row_kind(header: Header, value: int, tag: str) -> str:
    """Return the number space a name belongs to."""
    if tag == "ntstatus" or header.space == "ntstatus":
        return "ntstatus"
    if value >= 0x10000 or tag == "hresult" or header.space == "hresult":
        return "hresult"
    return "win32"


def collect(include: Path) -> tuple[list[tuple[int, str, str, str]], dict[str, int]]:
    """Read every header and return the table rows and skip counts."""
    known: dict[str, tuple[int, str]] = {}
    evaluator = Evaluator(known)
    rows: list[tuple[int, str, str, str]] = []
    seen: set[str] = set()
    skipped = {"not an integer": 0, "not a code name": 0, "redefined": 0}
    for header in HEADERS:
        text = (include / header.name).read_text(encoding="latin-1")
        pairs = read_enum(text, header.enum) if header.enum else read_defines(text)
        for name, body in pairs:
            try:
                value, tag = evaluator.evaluate(body)
            except (EvalError, KeyError, ValueError):
                skipped["not an integer"] += 1
                continue
            known.setdefault(name, (value, tag))
            if name.startswith("FACILITY_") and header.name in ("winerror.h", "ntstatus.h"):
                kind = "facility" if header.name == "winerror.h" else "ntfacility"
                rows.append((value, name, header.name, kind))
                continue
            if (
                _STRUCTURAL.search(name)
                or (not tag and _UNTYPED_MARKER.search(name))
                or (header.keep and not re.fullmatch(header.keep, name))
            ):
                skipped["not a code name"] += 1
                continue
            if name in seen:
                skipped["redefined"] += 1
                continue
            seen.add(name)
            rows.append((value, name, header.name, row_kind(header, value, tag)))
    return rows, skipped


def package_version() -> str:
    """Return the installed mingw-w64-common version, or 'unknown'."""
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", "mingw-w64-common"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def write_table(rows: list[tuple[int, str, str, str]], out: Path, version: str) -> None:
    """Write the rows sorted by value (names of a value keep header order)."""
    order = {id(row): i for i, row in enumerate(rows)}
    rows = sorted(rows, key=lambda r: (r[3] in ("facility", "ntfacility"), r[0], order[id(r)]))
    headers = " ".join(h.name for h in HEADERS)
    lines = [
        f"# mingw-w64-common {version}; headers: {headers}; "
        "columns: value_hex name header kind; generated by tools/gen_codes.py"
    ]
    lines += [f"{value:08X}\t{name}\t{header}\t{kind}" for value, name, header, kind in rows]
    out.write_text("\n".join(lines) + "\n", encoding="ascii", newline="\n")


def main(argv: list[str] | None = None) -> int:
    """Generate the table and report what was kept."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--include", type=Path, default=INCLUDE)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if not (args.include / "winerror.h").is_file():
        print(
            f"{args.include}/winerror.h not found: apt-get install mingw-w64-common",
            file=sys.stderr,
        )
        return 2
    rows, skipped = collect(args.include)
    write_table(rows, args.out, package_version())
    codes = [r for r in rows if r[3] not in ("facility", "ntfacility")]
    print(
        f"{args.out}: {len(codes)} names for {len(set(r[0] for r in codes))} values "
        f"from {len(HEADERS)} headers; skipped {skipped}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
