"""Decode log bytes and stream a file's text lines, whatever the encoding and line ends.

ConfigMgr and MDT write UTF-8 (with or without a BOM); Windows Setup's Panther logs
sometimes carry raw Windows-1252 bytes after a UTF-8 BOM; UTF-16 turns up when a log
went through Notepad or PowerShell. Lines end in CRLF, LF, or (rarely) CR.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from os import PathLike
from pathlib import Path
from typing import AnyStr

from kb.errors import LogError

CHUNK = 1 << 20
# A "line" with no line break for this long is cut, so one huge line cannot fill memory.
MAX_LINE = 4 << 20
_SNIFF = 8192

_BREAK_STR = re.compile(r"\r\n|\r|\n")
_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control bytes that text files do not contain (tab, LF, FF, CR and ESC are allowed).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def sniff_encoding(head: bytes) -> tuple[str, int]:
    """Return (encoding, BOM length) for a log's first bytes; "utf-8" falls back to cp1252."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name, len(bom)
    sample = head[:4096]
    half = len(sample) // 2
    if half >= 2:
        even = sample[0::2].count(0)
        odd = sample[1::2].count(0)
        # UTF-16 without a BOM: ASCII text leaves every other byte NUL.
        if odd > 0.3 * half and even < 0.05 * half:
            return "utf-16-le", 0
        if even > 0.3 * half and odd < 0.05 * half:
            return "utf-16-be", 0
    return "utf-8", 0


def looks_binary(head: bytes, encoding: str) -> bool:
    """Tell whether the first bytes of a file are not text in the given encoding."""
    if encoding.startswith("utf-16"):
        text = head[: len(head) // 2 * 2].decode(encoding, errors="replace")
        data = text.encode("latin-1", errors="replace")
    else:
        data = head
    # A log cut off by a power loss ends in NUL padding (its file size was set
    # before the data reached the disk): the text before it still counts.
    data = data.rstrip(b"\x00") or data
    if not data:
        return False
    if b"\x00" in data:
        return True
    controls = len(data) - len(data.translate(None, _CONTROL))
    return controls > 0.1 * len(data)


def decode_line(raw: bytes) -> str:
    """Decode one line as UTF-8, or as Windows-1252 when it is not valid UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def decode_bytes(data: bytes) -> str:
    """Decode log bytes to text: BOM first, else UTF-8, else Windows-1252 line by line."""
    encoding, skip = sniff_encoding(data[:_SNIFF])
    body = data[skip:]
    if encoding != "utf-8":
        return body.decode(encoding, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return "".join(decode_line(raw) for raw in body.splitlines(keepends=True))


def split_lines(
    chunks: Iterable[AnyStr], breaks: re.Pattern[AnyStr], cr: AnyStr
) -> Iterator[AnyStr]:
    """Yield the lines of a stream of chunks, without their CRLF, LF or CR ends."""
    tail = None
    for chunk in chunks:
        buf = chunk if tail is None else tail + chunk
        # A CR at a chunk's end may be the first half of a CRLF: decide on the next chunk.
        held = buf.endswith(cr)
        parts = _split(buf[:-1] if held else buf, breaks, cr)
        tail = parts.pop() + cr if held else parts.pop()
        yield from parts
        while len(tail) > MAX_LINE:
            yield tail[:MAX_LINE]
            tail = tail[MAX_LINE:]
    if tail:
        parts = _split(tail, breaks, cr)
        yield from (p for i, p in enumerate(parts) if p or i < len(parts) - 1)


def _split(buf: AnyStr, breaks: re.Pattern[AnyStr], cr: AnyStr) -> list[AnyStr]:
    """Split on CRLF, LF or CR; the usual cases (all LF, all CRLF) without the regex."""
    lf = b"\n" if isinstance(buf, bytes) else "\n"
    crs = buf.count(cr)
    if not crs:
        return buf.split(lf)
    if crs == buf.count(cr + lf) == buf.count(lf):
        return buf.split(cr + lf)
    return breaks.split(buf)


def _read_chunks(path: Path, skip: int) -> Iterator[bytes]:
    """Yield a file's bytes in chunks, after the first skip bytes."""
    with path.open("rb") as f:
        f.seek(skip)
        while chunk := f.read(CHUNK):
            yield chunk


def _utf16_text(chunks: Iterator[bytes], encoding: str) -> Iterator[str]:
    """Decode a stream of UTF-16 byte chunks."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    for chunk in chunks:
        yield decoder.decode(chunk)
    yield decoder.decode(b"", final=True)


def _open_error(path: Path, exc: OSError) -> LogError:
    """Turn an OSError into a one-line LogError."""
    if isinstance(exc, FileNotFoundError):
        why = "no such file"
    elif isinstance(exc, IsADirectoryError):
        why = "is a directory"
    elif isinstance(exc, PermissionError):
        why = "permission denied"
    else:
        why = exc.strerror or str(exc)
    return LogError(f"cannot read {path}: {why}")


def iter_text_lines(path: str | PathLike[str]) -> Iterator[str]:
    """Stream a log file's decoded lines; raise LogError when it cannot be read as text."""
    p = Path(path)
    if p.is_dir():
        raise LogError(f"cannot read {p}: is a directory")
    try:
        with p.open("rb") as f:
            head = f.read(_SNIFF)
    except OSError as exc:
        raise _open_error(p, exc) from None
    encoding, skip = sniff_encoding(head)
    if looks_binary(head[skip:], encoding):
        raise LogError(f"cannot read {p}: binary file, not a text log")
    return _lines(p, encoding, skip)


def _lines(path: Path, encoding: str, skip: int) -> Iterator[str]:
    """Yield the decoded lines of a file whose encoding is known."""
    try:
        if encoding != "utf-8":
            text = _utf16_text(_read_chunks(path, skip), encoding)
            for line in split_lines(text, _BREAK_STR, "\r"):
                yield line.replace("\x00", "") if "\x00" in line else line
        else:
            for raw in split_lines(_read_chunks(path, skip), _BREAK_BYTES, b"\r"):
                line = decode_line(raw)
                # Logs cut short by a power loss can hold runs of NULs.
                yield line.replace("\x00", "") if "\x00" in line else line
    except OSError as exc:
        raise _open_error(path, exc) from None


def read_file_chunks(path: str | PathLike[str]) -> Iterator[bytes]:
    """Open a file and stream its bytes; raise LogError when it cannot be read."""
    p = Path(path)
    if p.is_dir():
        raise LogError(f"cannot read {p}: is a directory")
    try:
        f = p.open("rb")
    except OSError as exc:
        raise _open_error(p, exc) from None
    return _file_chunks(f, p)


def _file_chunks(f, path: Path) -> Iterator[bytes]:
    """Yield an open file's bytes in chunks, then close it."""
    with f:
        try:
            while chunk := f.read(CHUNK):
                yield chunk
        except OSError as exc:
            raise _open_error(path, exc) from None


def sniff_stream(name: str, chunks: Iterable[bytes]) -> tuple[str, Iterator[bytes]]:
    """Return (encoding, the bytes after any BOM) of a stream; raise LogError if it is binary."""
    it = iter(chunks)
    head = b""
    for chunk in it:
        head += chunk
        if len(head) >= _SNIFF:
            break
    encoding, skip = sniff_encoding(head[:_SNIFF])
    if looks_binary(head[skip:_SNIFF], encoding):
        raise LogError(f"cannot read {name}: binary file, not a text log")

    def body() -> Iterator[bytes]:
        if len(head) > skip:
            yield head[skip:]
        yield from it

    return encoding, body()


def raw_lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Yield the undecoded lines of a UTF-8 (or legacy code page) byte stream."""
    return split_lines(chunks, _BREAK_BYTES, b"\r")


def decoded_lines(chunks: Iterable[bytes], encoding: str) -> Iterator[str]:
    """Yield the decoded lines of a byte stream whose encoding is known."""
    if encoding != "utf-8":
        text = _utf16_text(iter(chunks), encoding)
        for line in split_lines(text, _BREAK_STR, "\r"):
            yield line.replace("\x00", "") if "\x00" in line else line
    else:
        for raw in raw_lines(chunks):
            yield decode_raw_line(raw)


def decode_raw_line(raw: bytes) -> str:
    """Decode one line of a UTF-8 stream; drop the NULs a log cut by a power loss holds."""
    line = decode_line(raw)
    return line.replace("\x00", "") if "\x00" in line else line


def text_lines(text: str) -> list[str]:
    """Split pasted text into lines on CRLF, LF or CR (and only those)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = _BREAK_STR.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines
