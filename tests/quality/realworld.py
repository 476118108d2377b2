"""The real-world evaluation set (tests/quality/realworld.yaml): admins' public pastes.

``load_realworld()`` reads and validates the set. Each case's split is derived
from its ``source_key`` (the site, blog or repository that wrote it) by a hash,
so one source never lands in both splits and nobody chooses which case is held
out: ``tune`` may be looked at while choosing parameters, ``check`` is only measured.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

REALWORLD = Path(__file__).with_name("realworld.yaml")
FORMS = ("question", "narrative", "log", "mixed")
_KEYS = {"id", "source", "source_key", "form", "root_cause", "expect", "why", "paste"}


@dataclass(frozen=True)
class Case:
    """One real-world paste: ``expect`` is the article that explains it, or None."""

    id: str
    source: str
    source_key: str
    form: str
    root_cause: str
    expect: str | None
    why: str
    text: str
    split: str


def split_of(source_key: str) -> str:
    """Return "tune" or "check" for a source, from a hash of its key."""
    digest = hashlib.sha256(source_key.strip().lower().encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "check"


def load_realworld(path: Path = REALWORLD) -> list[Case]:
    """Read and validate the real-world set."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases: list[Case] = []
    seen: set[str] = set()
    for entry in raw:
        keys = set(entry)
        if keys != _KEYS:
            raise ValueError(f"{entry.get('id')}: keys {sorted(keys ^ _KEYS)} differ")
        if entry["id"] in seen:
            raise ValueError(f"{entry['id']}: duplicate id")
        if entry["form"] not in FORMS:
            raise ValueError(f"{entry['id']}: unknown form {entry['form']!r}")
        seen.add(entry["id"])
        cases.append(
            Case(
                id=entry["id"],
                source=entry["source"],
                source_key=entry["source_key"],
                form=entry["form"],
                root_cause=entry["root_cause"],
                expect=entry["expect"],
                why=entry["why"],
                text=entry["paste"].rstrip("\n"),
                split=split_of(entry["source_key"]),
            )
        )
    return cases
