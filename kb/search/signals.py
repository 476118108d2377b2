"""Signals: what a paste says, read the way an admin would read it.

A paste is parsed as a log (CMTrace blocks, CMTrace clipboard lines, setupact,
IIS, bitsadmin or plain lines), then reduced to the error codes it holds, its
masked line templates, its search terms, its components and its failure lines.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kb.errors import QueryError
from kb.search.masking import Template, is_boilerplate, mask
from kb.search.textnorm import TOKEN_RE, forms

MAX_QUERY_CHARS = 200_000
MAX_LINES = 400
_FAILED_ACTION_RE = re.compile(r"Failed to run the action: (.+?)\.?(?:\s+Error\b.*)?$", re.I)
_SETUP_ID_RE = re.compile(r"\[(0x0[0-9a-fA-F]{5})\]")
# A question: its first word asks where, how, what, why or which (the same test in JS).
_QUESTION_RE = re.compile(
    r"^[ \t\n\r\f\v]*(?:where|how|what|why|which)(?![A-Za-z0-9_])", re.I | re.A
)
_ERRORISH_RE = re.compile(r"(?i)\b(?:fail(?:ed|ure|s)?|error|unable|cannot|could not)\b")


@dataclass(frozen=True)
class Line:
    """One line of the paste: where it was, what it said, and its template."""

    number: int
    text: str
    template: Template
    error: bool
    component: str = ""  # the component that wrote it, when the paste says


@dataclass
class Signals:
    """Everything the ranking reads from a paste."""

    text: str
    codes: list[int] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    failed_action: str | None = None
    setup_ids: list[str] = field(default_factory=list)
    format: str = "plain"
    question: bool = False
    words: dict[str, str] = field(default_factory=dict)  # term -> the word the paste used
    sequence: list[str] = field(default_factory=list)  # every term in order, repeats kept


def check_query(text: str) -> str:
    """Return the query text, or raise QueryError when it is empty or too long."""
    if text is None or not text.strip():
        raise QueryError("the query is empty: paste an error code, log lines or a question")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(text):,} characters; the limit is {MAX_QUERY_CHARS:,} "
            "(use kb analyze for a whole log file)"
        )
    return text.replace("\x00", " ")


def read_signals(text: str, rewrite: Callable[[str], str] | None = None) -> Signals:
    """Parse a paste and extract its signals (raises QueryError on empty or huge input).

    ``rewrite`` turns the domain vocabulary's phrases into their canonical ones
    (kb.search.vocabulary) before the words are read.
    """
    from kb.codes import code_values, parse_code
    from kb.errors import CodeError
    from kb.logs import parse_text

    text = check_query(text)
    records = parse_text(text)
    sig = Signals(text=text)
    formats: dict[str, int] = {}
    seen_codes: dict[int, None] = {}
    seen_templates: set[str] = set()
    seen_terms: dict[str, None] = {}
    seen_components: dict[str, None] = {}
    setup_ids: dict[str, None] = {}
    for rec in records:
        formats[rec.format] = formats.get(rec.format, 0) + 1
        if rec.component:
            seen_components.setdefault(rec.component, None)
        for value in code_values(rec.message):
            seen_codes.setdefault(value, None)
        # The failure tail every failed run writes says nothing about the cause: its
        # words are not search terms (its codes above still count).
        said = "\n".join(x for x in rec.message.split("\n") if not is_boilerplate(x))
        if rewrite is not None:
            said = rewrite(said)
        for m in TOKEN_RE.finditer(said + " " + rec.component):
            for t in forms(m.group()):
                sig.sequence.append(t)
                seen_terms.setdefault(t, None)
                sig.words.setdefault(t, m.group())
        for sid in _SETUP_ID_RE.findall(rec.message):
            setup_ids.setdefault(sid.lower(), None)
        for offset, raw in enumerate(rec.message.split("\n")):
            raw = raw.strip()
            if not raw:
                continue
            if sig.failed_action is None:
                m = _FAILED_ACTION_RE.search(raw)
                if m:
                    sig.failed_action = m.group(1).strip()
            if len(sig.lines) >= MAX_LINES or is_boilerplate(raw):
                continue
            tpl = mask(raw)
            if not tpl.anchors or tpl.text in seen_templates:
                continue
            seen_templates.add(tpl.text)
            error = (rec.severity == 3) or bool(_ERRORISH_RE.search(raw)) or bool(tpl.codes)
            sig.lines.append(Line(rec.line + offset, raw, tpl, error, rec.component))
    if not seen_codes and len(text) <= 80 and "\n" not in text.strip():
        # A query that is one code in a form free text does not allow (bare
        # "80070002", "c0000001") is still a code when typed on its own.
        with contextlib.suppress(CodeError):
            seen_codes[parse_code(text)] = None
    sig.question = bool(_QUESTION_RE.match(text))
    sig.codes = list(seen_codes)
    sig.terms = list(seen_terms)
    sig.components = list(seen_components)
    sig.setup_ids = list(setup_ids)
    if formats:
        sig.format = max(formats, key=lambda k: (formats[k], k))
    return sig
