"""Masked line templates: what stays the same when the same error happens elsewhere.

Server names, package ids, GUIDs, paths' variable parts, numbers, dates and
thread ids differ from one log to the next; the words around them do not.
``mask()`` replaces the variable parts by ``<*>`` and error codes by ``<#>``
(keeping the codes aside, so two lines that differ only in their code can be
told apart). The JavaScript search implements the same steps in the same order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.search.textnorm import STOP_WORDS, stem

MAX_LINE = 400  # longer lines are cut: a template compares the start of a message

# Shared with draft.py, which replaces what masking blanks out with named placeholders.
PLACEHOLDER_RE = re.compile(r"<[A-Za-z][A-Za-z0-9_ .-]{0,80}>")
GUID_RE = re.compile(
    r"\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?"
)
_URL_HOST_RE = re.compile(r"(?i)\b(https?://)[^/\s:]+")
_UNC_HOST_RE = re.compile(r"\\\\[^\\\s]+")
DIGITS_RE = re.compile(r"[A-Za-z0-9_]*[0-9][A-Za-z0-9_]*")
_COLLAPSE_RE = re.compile(r"<\*>(?:[^A-Za-z0-9<>]{0,3}<\*>)+")
_SPACE_RE = re.compile(r"\s+")
_ANCHOR_RE = re.compile(r"[a-z][a-z_]{3,}")


# What TSManager writes after any failed step, whatever the cause: these lines
# say that something failed, never what. They are not used as evidence (their
# codes still are, through the code channel).
BOILERPLATE = (
    r"^The execution of the group \(.*\) has failed and the execution has been aborted",
    r"^Failed to run the last action: ",
    r"^Task Sequence Engine failed!",
    r"^Task sequence execution failed",
    r"^Execution of task sequence failed",
    r"^Operation aborted \(Error: 80004004; Source: Windows\)",
    r"^Unspecified error \(Error: 80004005; Source: Windows\)",
    r"^Let the parent group \(.*\) decides? whether to continue",
    r"^Process completed with exit code ",
    r"^Exiting with (?:return )?code ",
    r"^Set a (?:global|local) (?:default )?environment variable _SMSTSLastAction",
    r"^An action failed\.?$",
)
_BOILERPLATE_RE = re.compile("|".join(f"(?:{p})" for p in BOILERPLATE), re.IGNORECASE)


def is_boilerplate(line: str) -> bool:
    """Tell whether a log line is the generic failure tail every failed run writes."""
    return bool(_BOILERPLATE_RE.search(line.strip()))


@dataclass(frozen=True)
class Template:
    """A masked line, the codes it held, and its anchor words."""

    text: str
    codes: frozenset[int]
    anchors: frozenset[str]


def mask(line: str) -> Template:
    """Return the masked template of one log line or message."""
    from kb.codes import extract_codes

    line = line[:MAX_LINE]
    found = extract_codes(line)
    codes = frozenset(f.value for f in found)
    if found:
        parts = []
        pos = 0
        for f in found:
            if f.start < pos:  # overlapping matches cannot happen, but stay safe
                continue
            parts.append(line[pos : f.start])
            parts.append(" <#> ")
            pos = f.end
        parts.append(line[pos:])
        line = "".join(parts)
    line = PLACEHOLDER_RE.sub("<*>", line)
    line = GUID_RE.sub("<*>", line)
    line = _URL_HOST_RE.sub(r"\1<*>", line)
    line = _UNC_HOST_RE.sub(r"\\\\<*>", line)
    line = DIGITS_RE.sub("<*>", line)
    line = _COLLAPSE_RE.sub("<*>", line)
    text = _SPACE_RE.sub(" ", line).strip().lower()
    return Template(text=text, codes=codes, anchors=anchor_words(text))


def anchor_words(template: str) -> frozenset[str]:
    """Return the stemmed words of four letters or more that are not stop words."""
    words = set()
    for w in _ANCHOR_RE.findall(template):
        w = w.strip("_")
        if len(w) >= 4 and w not in STOP_WORDS:
            words.add(stem(w))
    return frozenset(words)
