"""The logs of a folder or a zip: what admins collect from a machine (SMSTSLog, CCM\\Logs).

A zip is read in memory, member by member, never extracted: member names that
are absolute or climb out of the archive (``..``) are refused, and so are zips
with too many files or a total uncompressed size over MAX_ZIP_BYTES (a member
can never yield more bytes than its header says, so the headers bound the
total). Nothing is written to disk.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import BinaryIO

from kb.errors import LogError
from kb.logs.text import CHUNK, read_file_chunks

MAX_ZIP_BYTES = 200 * 1024 * 1024
MAX_ZIP_FILES = 1000
MAX_FOLDER_FILES = 1000
# ConfigMgr rotates client logs to NAME.lo_; Windows Setup and MDT write .log.
_LOG_NAME = re.compile(r"\.(?:log|lo_)$", re.I)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass(frozen=True)
class LogSource:
    """One log of a machine's logs: its name (relative to the folder or zip) and its bytes."""

    name: str
    size: int
    read: Callable[[], Iterator[bytes]]


def is_log_name(name: str) -> bool:
    """Tell whether a file name is a log's (``*.log``, rotated ``*.lo_``)."""
    return bool(_LOG_NAME.search(name))


def looks_like_zip(head: bytes) -> bool:
    """Tell whether bytes start like a zip archive."""
    return head.startswith(_ZIP_MAGIC)


def is_zip_file(path: str | PathLike[str]) -> bool:
    """Tell whether a file is a zip archive (by its first bytes)."""
    try:
        with open(path, "rb") as f:
            return looks_like_zip(f.read(4))
    except OSError:
        return False


def folder_sources(path: str | PathLike[str]) -> list[LogSource]:
    """Return the logs under a folder (walked recursively, sorted by relative name); raise LogError."""
    top = Path(path)
    found: list[LogSource] = []
    refused: list[OSError] = []
    for folder, dirs, files in os.walk(top, onerror=refused.append):
        dirs.sort()
        for name in sorted(files):
            if not is_log_name(name):
                continue
            full = Path(folder) / name
            if len(found) >= MAX_FOLDER_FILES:
                raise LogError(f"{top}: more than {MAX_FOLDER_FILES} logs in the folder")
            try:
                st = full.stat()
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):  # a pipe would block, a device never end
                continue
            size = st.st_size
            rel = full.relative_to(top).as_posix()
            found.append(LogSource(rel, size, _file_reader(full)))
    if not found and refused:  # say why nothing was found: a folder we may not list
        first = refused[0]
        raise LogError(f"cannot read {first.filename or top}: {first.strerror or first}")
    found.sort(key=lambda s: s.name)  # by relative name, as a zip of the folder is
    return found


def _file_reader(path: Path) -> Callable[[], Iterator[bytes]]:
    """Return a function that streams a file's bytes."""
    return lambda: read_file_chunks(path)


def zip_sources(name: str, data: bytes | str | PathLike[str]) -> list[LogSource]:
    """Return the logs inside a zip (given as bytes or a path); raise LogError if it is unsafe."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except (zipfile.BadZipFile, zlib.error, ValueError) as exc:
        raise LogError(f"cannot read {name}: not a valid zip ({exc})") from None
    except OSError as exc:
        raise LogError(f"cannot read {name}: {exc.strerror or exc}") from None
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_FILES:
        raise LogError(
            f"{name}: {len(infos):,} files in the zip (the limit is {MAX_ZIP_FILES:,}): refused"
        )
    total = 0
    found: list[LogSource] = []
    for info in infos:
        member = info.filename.replace("\\", "/")
        parts = member.split("/")
        if member.startswith("/") or re.match(r"^[A-Za-z]:", member) or ".." in parts:
            raise LogError(f"{name}: unsafe member name {info.filename!r} in the zip: refused")
        total += info.file_size
        if total > MAX_ZIP_BYTES:
            raise LogError(
                f"{name}: the zip unpacks to more than {MAX_ZIP_BYTES // (1024 * 1024)} MB: refused"
            )
        if info.is_dir() or not is_log_name(member):
            continue
        found.append(LogSource(member, info.file_size, _member_reader(name, archive, info)))
    found.sort(key=lambda s: s.name)
    return found


def _member_reader(
    name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo
) -> Callable[[], Iterator[bytes]]:
    """Return a function that streams a zip member's bytes, decompressed in memory."""

    def read() -> Iterator[bytes]:
        try:
            stream: BinaryIO = archive.open(info)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, zlib.error) as exc:
            raise LogError(f"cannot read {name}!{info.filename}: {exc}") from None
        return _chunks(name, info.filename, stream)

    return read


def _chunks(name: str, member: str, stream: BinaryIO) -> Iterator[bytes]:
    """Yield a zip member's bytes in chunks, turning archive errors into LogError."""
    with stream:
        try:
            while chunk := stream.read(CHUNK):
                yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise LogError(f"cannot read {name}!{member}: {exc}") from None
