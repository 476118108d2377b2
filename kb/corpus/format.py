"""The article format: kinds, sections, ids, and the Markdown structure of a body.

Shared by loading (articles.py) and validation (validate.py), so neither imports the other's
internals.
"""

from __future__ import annotations

import re

KINDS = ("troubleshooting", "how-to", "reference")
REQUIRED_SECTIONS = ("Symptoms", "Cause", "Resolution")
OPTIONAL_SECTIONS = ("More information",)
# Marks what a drafted article leaves for its author; a published article may not hold it.
TODO_MARK = "TODO:"
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")
_FENCE_RE = re.compile(r"^(```|~~~)")
_STEP_RE = re.compile(r"^\s{0,3}\d+[.)]\s+(.*)$")


def split_sections(body: str) -> dict[str, tuple[str, int]]:
    """Split Markdown at its ``## `` headings; return name -> (text, 0-based line offset)."""
    sections: dict[str, tuple[str, int]] = {}
    current: str | None = None
    start = 0
    buf: list[str] = []
    in_fence = False
    for i, line in enumerate(body.split("\n")):
        if _FENCE_RE.match(line.lstrip()):
            in_fence = not in_fence
        if not in_fence and line.startswith("## "):
            if current is not None:
                sections[current] = ("\n".join(buf).strip(), start)
            current, start, buf = line[3:].strip(), i, []
            continue
        if current is not None:
            buf.append(line)
    if current is not None:
        sections[current] = ("\n".join(buf).strip(), start)
    return sections


def fenced_lines(markdown: str) -> list[str]:
    """Return the non-empty lines inside fenced code blocks."""
    out: list[str] = []
    in_fence = False
    for line in markdown.split("\n"):
        if _FENCE_RE.match(line.strip()):
            in_fence = not in_fence
            continue
        if in_fence and line.strip():
            out.append(line.rstrip())
    return out


def first_step(markdown: str) -> str:
    """Return the text of the first numbered list item (continuation lines joined)."""
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        m = _STEP_RE.match(line)
        if not m:
            continue
        parts = [m.group(1).strip()]
        for nxt in lines[i + 1 :]:
            if not nxt.strip() or _STEP_RE.match(nxt) or not nxt.startswith((" ", "\t")):
                break
            parts.append(nxt.strip())
        return " ".join(parts)
    return ""
