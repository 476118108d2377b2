"""Rules an article must follow; each broken rule is reported, none raises."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kb.corpus.format import ID_RE, KINDS, OPTIONAL_SECTIONS, REQUIRED_SECTIONS, first_step

Report = Callable[..., None]

TEXT_FIELDS = ("id", "title", "kind", "summary")
LIST_FIELDS = ("applies_to", "tags", "sources", "related", "examples", "questions")
SIGNATURE_KEYS = ("codes", "lines", "logs", "components", "patterns")
STATUSES = ("published", "draft")
# A pattern must mean the same to Python's re and to JavaScript's RegExp: no
# inline flags, lookbehind, named groups, \A or \Z, \d \w \s \b (Unicode in Python,
# ASCII in JavaScript), possessive or {,n} quantifiers.
_PATTERN_UNSAFE = re.compile(r"\\[AZzGbBdDwWsSN]|\\[xu]\{|\(\?(?![:=!])|\{,|[*+?}]\+")
KNOWN_FIELDS = {*TEXT_FIELDS, *LIST_FIELDS, "signatures", "status"}


def fields(meta: Any, report: Report, raw: dict[str, str]) -> dict[str, Any] | None:
    """Check the front matter fields; return the cleaned values, or None when unusable."""
    if not isinstance(meta, dict):
        report("", "front matter must be a mapping of fields (key: value)")
        return None
    values: dict[str, Any] = {}
    usable = True
    for key in TEXT_FIELDS:
        value = meta.get(key)
        if value is None:
            report("", f"{key}: missing")
            usable = False
        elif not isinstance(value, str) or not value.strip():
            report(key, f"{key}: must be a non-empty text, not {_describe(value)}")
            usable = False
        else:
            values[key] = " ".join(value.split()) if key != "id" else value.strip()
    if "id" in values and not ID_RE.match(values["id"]):
        report("id", f"id: {values['id']!r} may hold only letters, digits, '-' and '_'")
        usable = False
    if "kind" in values and values["kind"] not in KINDS:
        report("kind", f"kind: {values['kind']!r} is not one of {', '.join(KINDS)}")
    values["status"] = _status(meta.get("status", "published"), report)
    for key in LIST_FIELDS:
        values[key] = _string_list(meta, key, key, report)
    if not values["examples"]:
        report("examples" if "examples" in meta else "", "examples: none given", "warning")
    values["signatures"] = _signatures(meta.get("signatures"), report, raw)
    sig = values["signatures"]
    if (
        values.get("kind") == "troubleshooting"
        and not (sig.get("codes") or sig.get("lines"))
        and not values["examples"]
    ):
        report(
            "signatures",
            "signatures: a troubleshooting article needs at least one code, line or example",
        )
    for key in meta:
        if key not in KNOWN_FIELDS:
            report(str(key), f"{key}: unknown field", "warning")
    return values if usable else None


def _status(value: Any, report: Report) -> str:
    """Check the optional status: "published" (the default) or "draft"."""
    if value not in STATUSES:
        report("status", f"status: {_describe(value)} is not one of {', '.join(STATUSES)}")
        return "published"
    return value


def _signatures(value: Any, report: Report, raw: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Check the signatures mapping and every code in it."""
    if value is None:
        report("", "signatures: missing")
        return {}
    if not isinstance(value, dict):
        report("signatures", f"signatures: must be a mapping with {', '.join(SIGNATURE_KEYS)}")
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for key in value:
        if key not in SIGNATURE_KEYS:
            report(f"signatures.{key}", f"signatures.{key}: unknown key")
    for key in SIGNATURE_KEYS:
        if key == "codes":
            out[key] = _codes(value.get("codes"), report, raw)
        elif key == "patterns":
            out[key] = _patterns(value, report)
        else:
            out[key] = _string_list(value, key, f"signatures.{key}", report)
    return out


def _patterns(value: dict, report: Report) -> tuple[str, ...]:
    """Check that every pattern is a regular expression Python and JavaScript read alike."""
    good: list[str] = []
    for i, item in enumerate(_string_list(value, "patterns", "signatures.patterns", report)):
        where = f"signatures.patterns[{i}]"
        try:
            re.compile(item)
        except re.error as exc:
            report(where, f"{where}: not a regular expression: {exc}")
            continue
        if _nested_repeat(item):
            report(
                where,
                f"{where}: a repeat inside a repeat, like (a+)+, can take minutes on one "
                "line: write it with one repeat",
            )
            continue
        bad = _PATTERN_UNSAFE.search(item)
        if bad:
            report(
                where,
                f"{where}: '{bad.group()}' is not allowed: use the syntax Python and "
                "JavaScript share (classes like [0-9], groups (?:...), lookahead (?=...))",
            )
            continue
        good.append(item)
    return tuple(good)


def _nested_repeat(pattern: str) -> bool:
    """Tell whether a pattern repeats something that itself repeats ((a+)+, (a|aa)*{2,}).

    Backtracking engines (Python's and the browser's) take exponential time on such
    a pattern when a line almost matches.
    """
    from re import _constants as c
    from re import _parser

    repeats = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)

    def walk(items: Any, inside: bool) -> bool:
        for op, av in items:
            if op in repeats:
                low, high, sub = av
                # A fixed count ({2}) matches one way; only a varying one can backtrack.
                varies = low != high and (high is c.MAXREPEAT or high > 1)
                if (inside and varies) or walk(sub, inside or varies):
                    return True
            elif op is c.SUBPATTERN:
                if walk(av[-1], inside):
                    return True
            elif op is c.BRANCH:
                if any(walk(b, inside) for b in av[1]):
                    return True
            elif op in (c.ASSERT, c.ASSERT_NOT) and walk(av[1], inside):
                return True
        return False

    return walk(_parser.parse(pattern), False)


def _codes(value: Any, report: Report, raw: dict[str, str]) -> tuple[str, ...]:
    """Check that every code is a quoted string that parses as an error code."""
    from kb.codes import parse_code
    from kb.errors import CodeError

    if value is None:
        return ()
    if not isinstance(value, list):
        report("signatures.codes", "signatures.codes: must be a list of quoted codes")
        return ()
    codes: list[str] = []
    for i, item in enumerate(value):
        where = f"signatures.codes[{i}]"
        source = raw.get(where, str(item))
        if not isinstance(item, str) or not raw.get(where + "#quoted"):
            report(
                where,
                f"{where}: {source} is not a quoted string "
                f'(YAML reads it as {_describe(item)}); write it as "{source}"',
            )
            if not isinstance(item, str):
                continue
        try:
            parse_code(item)
        except CodeError as exc:
            report(where, f"{where}: {item!r} is not an error code: {exc}")
            continue
        codes.append(item)
    return tuple(codes)


def _string_list(meta: dict, key: str, where: str, report: Report) -> tuple[str, ...]:
    """Return a field that must be a list of non-empty strings (missing means empty)."""
    value = meta.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        report(where, f"{where}: must be a list, not {_describe(value)}")
        return ()
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            report(
                f"{where}[{i}]", f"{where}[{i}]: must be a non-empty text, not {_describe(item)}"
            )
            continue
        out.append(item.strip("\n") if "\n" in item.strip("\n") else item.strip())
    return tuple(out)


def body(
    sections: dict[str, tuple[str, int]], body_line: int, values: dict, report_line: Report
) -> None:
    """Check that the required sections are there, in order, and filled."""
    names = list(sections)
    end_line = body_line + max((off for _t, off in sections.values()), default=0)
    for k, name in enumerate(REQUIRED_SECTIONS):
        if name not in sections:
            # Point at the heading that stands where this section belongs.
            later = [sections[n][1] for n in REQUIRED_SECTIONS[k + 1 :] if n in sections]
            report_line(body_line + later[0] if later else end_line, f"missing section '## {name}'")
            continue
        text, offset = sections[name]
        if not text:
            report_line(body_line + offset, f"section '## {name}' is empty")
    present = [n for n in names if n in REQUIRED_SECTIONS]
    if present != [n for n in REQUIRED_SECTIONS if n in sections]:
        line = body_line + sections[present[0]][1] if present else body_line
        report_line(line, f"sections must come in the order {', '.join(REQUIRED_SECTIONS)}")
    if "Resolution" in sections and sections["Resolution"][0]:
        text, offset = sections["Resolution"]
        if not first_step(text):
            report_line(body_line + offset, "section '## Resolution' has no numbered step")
    for name, (_text, offset) in sections.items():
        if name not in REQUIRED_SECTIONS and name not in OPTIONAL_SECTIONS:
            report_line(body_line + offset, f"unknown section '## {name}'", "warning")


def _describe(value: Any) -> str:
    """Name a YAML value's type the way an author would understand it."""
    if isinstance(value, bool):
        return f"the boolean {value}"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)
