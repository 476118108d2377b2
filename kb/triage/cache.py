"""Reuse per-file results across runs: a daily share is mostly yesterday's files.

One SQLite file (stdlib ``sqlite3``; each write is a transaction, so a killed run
leaves the cache as of its last commit, never half written). A row is reused only
when the file's absolute path, size and mtime_ns match and it was computed with
the same salt: the corpus content hash (results depend on the articles), the kb
version and the size limit.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterable
from typing import Any

CACHE_NAME = ".triage-cache.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    salt TEXT NOT NULL,
    data TEXT NOT NULL
)
"""


class ResultCache:
    """Cached triage results keyed by (path, size, mtime_ns, salt)."""

    def __init__(self, path: str, salt: str) -> None:
        self.path = path
        self.salt = salt
        self.db = _open(path)

    def lookup(self, stats: dict[str, tuple[int, int]]) -> dict[str, dict[str, Any]]:
        """Return the cached results of the files whose (size, mtime_ns) are unchanged."""
        if self.db is None:
            return {}
        hits: dict[str, dict[str, Any]] = {}
        try:
            rows = self.db.execute(
                "SELECT path, size, mtime_ns, data FROM results WHERE salt = ?", (self.salt,)
            )
            for path, size, mtime_ns, data in rows:
                if stats.get(path) == (size, mtime_ns):
                    hits[path] = json.loads(data)
        except (sqlite3.Error, ValueError):
            self._reset()
            return {}
        return hits

    def store(self, results: Iterable[dict[str, Any]]) -> None:
        """Save results of files whose size and mtime are known, in one transaction."""
        if self.db is None:
            return
        rows = [
            (r["file"], r["size"], r["mtime_ns"], self.salt, json.dumps(r, sort_keys=True))
            for r in results
            if "size" in r and "mtime_ns" in r
        ]
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?)", rows)
        except sqlite3.Error:
            self.db = None  # a full disk or a locked file costs speed next time, not this run

    def prune(self, keep: set[str]) -> None:
        """Drop rows of another corpus, and of files under the run's roots no longer found."""
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("DELETE FROM results WHERE salt != ?", (self.salt,))
                gone = [
                    (p,)
                    for (p,) in self.db.execute("SELECT path FROM results")
                    if p not in keep and not os.path.lexists(p)
                ]
                self.db.executemany("DELETE FROM results WHERE path = ?", gone)
        except sqlite3.Error:
            self.db = None

    def close(self) -> None:
        """Close the database."""
        if self.db is not None:
            self.db.close()
            self.db = None

    def _reset(self) -> None:
        """Replace a corrupt cache file by an empty one."""
        self.close()
        with contextlib.suppress(OSError):
            os.remove(self.path)
        self.db = _open(self.path)


def _open(path: str) -> sqlite3.Connection | None:
    """Open (creating) the cache database; None when it cannot be used."""
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        db = sqlite3.connect(path, timeout=30)
        db.execute(_SCHEMA)
        db.commit()
        return db
    except sqlite3.DatabaseError:
        try:  # not a database (or corrupt): start over
            os.remove(path)
            db = sqlite3.connect(path, timeout=30)
            db.execute(_SCHEMA)
            db.commit()
            return db
        except (OSError, sqlite3.Error):
            return None
    except OSError:
        return None
