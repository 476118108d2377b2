"""Find the task sequence logs under the paths given, and what their names say.

A share of collected logs holds ``<client GUID>-smsts.log`` files (the name the
ts-detect-failure-collect-logs article gives them), per-machine folders, rotated
logs (``smsts-20100215-101112.log``), and zips of a machine's log folder
(``<client GUID>.zip``) or in a folder named by the client GUID, each read as
that machine's logs (one run: rotated logs stitched, the other logs as context). Folders are walked recursively and
in sorted order, so the same share always yields the same list.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
from dataclasses import dataclass, field

from kb.errors import KbError

LOG_PATTERN = "*smsts*.log"
_GLOB_CHARS = re.compile(r"[*?\[]")
_GUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
_GUID_NAME_RE = re.compile(rf"^\{{?({_GUID})\}}?(?:[-_.]|$)")
_GUID_FOLDER_RE = re.compile(rf"^\{{?({_GUID})\}}?$")
_ROTATED_RE = re.compile(r"(?i)smsts-(\d{8})-(\d{6})\.log$")


class PathError(KbError):
    """A path given on the command line does not exist or matches nothing."""


@dataclass
class Found:
    """The logs found, in sorted order, and the folders that could not be listed."""

    files: list[str] = field(default_factory=list)
    unlisted: list[tuple[str, str]] = field(default_factory=list)


def is_log_name(name: str) -> bool:
    """Tell whether a file name is a task sequence log (smsts.log and its variants) or a zip of a machine's logs."""
    low = name.lower()
    return fnmatch.fnmatch(low, LOG_PATTERN) or low.endswith(".zip")


def find_logs(paths: list[str]) -> Found:
    """Return every smsts log under the paths (files, folders walked recursively, globs).

    A file named on the command line is taken whatever its name; in folders only
    smsts*.log names are. Raises PathError for a path that does not exist.
    """
    found = Found()
    seen: set[str] = set()

    def add(path: str) -> None:
        full = os.path.abspath(path)
        if full not in seen:
            seen.add(full)
            found.files.append(full)

    for given in paths:
        if os.path.lexists(given):
            targets = [given]
        elif _GLOB_CHARS.search(given):
            targets = sorted(glob.glob(given, recursive=True))
            if not targets:
                raise PathError(f"{given}: no file matches")
        else:
            raise PathError(f"{given}: no such file or folder")
        for target in targets:
            if is_machine_folder(target):
                add(target)
            elif os.path.isdir(target) and not is_log_name(os.path.basename(target)):
                _walk(target, add, found)
            else:
                add(target)
    found.files.sort()
    return found


def _walk(top: str, add, found: Found) -> None:
    """Add the smsts logs of a folder tree; record folders that cannot be listed."""

    def failed(exc: OSError) -> None:
        why = "permission denied" if isinstance(exc, PermissionError) else exc.strerror
        found.unlisted.append((os.path.abspath(exc.filename or top), f"cannot list folder: {why}"))

    for folder, dirs, files in os.walk(top, onerror=failed):
        dirs.sort()
        for name in list(dirs):
            if is_machine_folder(os.path.join(folder, name)):
                add(os.path.join(folder, name))  # one machine's logs, read as one run
                dirs.remove(name)
        # A folder named like a log is listed (as unreadable later), not silently skipped.
        for name in [*dirs, *files]:
            if is_log_name(name):
                add(os.path.join(folder, name))


def is_machine_folder(path: str) -> bool:
    """Tell whether a folder is one machine's logs: named by its client GUID, with smsts logs in it."""
    if not _GUID_FOLDER_RE.match(os.path.basename(os.path.normpath(path))) or not os.path.isdir(
        path
    ):
        return False
    return any(
        fnmatch.fnmatch(name.lower(), LOG_PATTERN)
        for _, _, files in os.walk(path)
        for name in files
    )


def path_stat(path: str) -> tuple[int, int]:
    """Return (size, mtime_ns) of a file; of a folder, its logs' total size and latest change."""
    st = os.stat(path)
    if not os.path.isdir(path):
        return st.st_size, st.st_mtime_ns
    size, mtime = 0, st.st_mtime_ns
    for folder, _, files in os.walk(path):
        for name in files:
            if name.lower().endswith((".log", ".lo_")):
                inner = os.stat(os.path.join(folder, name))
                size += inner.st_size
                mtime = max(mtime, inner.st_mtime_ns)
    return size, mtime


def guid_from_path(path: str) -> str | None:
    """Return the client GUID a log's name or its folder's name carries (upper case)."""
    m = _GUID_NAME_RE.match(os.path.basename(path))
    if not m:
        m = _GUID_FOLDER_RE.match(os.path.basename(os.path.dirname(path)))
    return m.group(1).upper() if m else None


def rotation_stamp(path: str) -> str:
    """Return the YYYYMMDD-HHMMSS a rotated log's name holds; the live log sorts last."""
    m = _ROTATED_RE.search(os.path.basename(path))
    return f"{m.group(1)}-{m.group(2)}" if m else "99999999-999999"
