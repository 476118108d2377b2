"""The domain vocabulary: words admins use for the same thing (articles/vocabulary.txt).

Each line of the file is a group of equivalent phrases separated by ``=``; the
first is the canonical one. Search rewrites every other phrase of a group into
the canonical phrase in the articles (at index time) and in pastes (at query
time), so "Windows PE", "boot image environment" and "WinPE" are one word to it::

    # comment
    winpe = windows pe = boot image environment

Phrases are ASCII letters, digits, spaces, '.', '_' and '-' (matched without
regard to case; a space or '-' in a phrase also matches '-', '_', spaces or
nothing), so that the browser engine matches them exactly as Python does.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

FILE_NAME = "vocabulary.txt"
PHRASE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$")


def load_vocabulary(folder: str | os.PathLike[str]) -> tuple[tuple[tuple[str, ...], ...], list]:
    """Read ``vocabulary.txt`` of an articles folder: (groups, problems as (path, line, message)).

    A folder without the file has an empty vocabulary.
    """
    text, name, problems = read_word_list(folder, FILE_NAME, "the vocabulary")
    return parse_vocabulary(text, name) if text is not None else ((), problems)


def read_word_list(
    folder: str | os.PathLike[str], file_name: str, what: str
) -> tuple[str | None, str, list]:
    """Read one word list of an articles folder: (text or None, its path, problems).

    A missing file is no problem (its text is None); an unreadable one is one.
    """
    path = Path(folder) / file_name
    if not path.is_file():
        return None, str(path), []
    try:
        return path.read_text(encoding="utf-8-sig"), str(path), []
    except (OSError, UnicodeDecodeError) as exc:
        return None, str(path), [(str(path), 1, f"cannot read {what}: {exc}")]


def parse_vocabulary(text: str, name: str = FILE_NAME) -> tuple[tuple[tuple[str, ...], ...], list]:
    """Parse vocabulary text into groups of phrases, with the problems found."""
    groups: list[tuple[str, ...]] = []
    problems: list[tuple[str, int, str]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        phrases = [" ".join(p.split()).lower() for p in line.split("=")]
        if len(phrases) < 2 or not all(phrases):
            problems.append((name, number, "a group needs two or more phrases: a = b = c"))
            continue
        bad = [p for p in phrases if not PHRASE_RE.match(p)]
        if bad:
            problems.append(
                (name, number, f"{bad[0]!r}: use ASCII letters, digits, spaces, '.', '_', '-'")
            )
            continue
        again = [p for p in phrases if p in seen]
        if again:
            problems.append(
                (name, number, f"{again[0]!r} is already in the group of line {seen[again[0]]}")
            )
            continue
        for p in phrases:
            seen[p] = number
        groups.append(tuple(phrases))
    return tuple(groups), problems
