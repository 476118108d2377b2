"""Locate the real ConfigMgr/OSD logs kept beside the repository.

They have unknown licences, so they are read in place from ../shared/real-logs and
never copied into the repository; a test that needs one is skipped when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REAL_LOGS = REPO.parent / "shared" / "real-logs"


def real_log(name: str) -> Path:
    """Return the path of one real log, or skip the test when it is not there."""
    path = REAL_LOGS / name
    if not path.is_file():
        pytest.skip(f"real log {name} is not available in {REAL_LOGS}")
    return path


def real_log_names() -> list[str]:
    """Return the names of the real logs present (empty when the folder is absent)."""
    if not REAL_LOGS.is_dir():
        return []
    return sorted(p.name for p in REAL_LOGS.glob("*.log"))
