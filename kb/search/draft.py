"""Draft an article from a failing log: the failure's lines become signatures and Symptoms.

The drafted lines are the log's own words with what differs from one machine to the
next replaced by named placeholders (``<Server>``, ``<PackageID>``, ``<GUID>``,
``<User>``, ``<ComputerName>``, and ``<N>`` for numbers in signatures), so they mask to
the same template as the same failure from any other machine. The author fills in
Cause and Resolution (marked ``TODO:``) and removes ``status: draft``.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath
from typing import Any

from kb.corpus import TODO_MARK
from kb.logs import actor
from kb.search.masking import DIGITS_RE, GUID_RE, PLACEHOLDER_RE, is_boilerplate, mask

TODO = TODO_MARK
MAX_SIGNATURES = 3
MAX_EXCERPT = 12

_UNC_RE = re.compile(r"\\\\([A-Za-z0-9][\w.-]*)")
_URL_RE = re.compile(r"(?i)\b(https?://)([^/\s:]+)")
_FILE_EXT = "cab|cmd|config|cpp|dll|exe|inf|ini|log|msi|msu|ps1|sys|txt|vbs|wim|wsf|xml|zip|bat|mof"
_FQDN_RE = re.compile(
    rf"(?i)\b(?![\w-]+(?:\.[\w-]+)*\.(?:{_FILE_EXT})\b)[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*){{2,}}\b"
)
# DOMAIN\user (not a path: nothing before it but a space or the start) and user@domain.
_ACCOUNT_RE = re.compile(r"(?<![\\:\w.$-])[A-Za-z][\w-]{1,14}\\[A-Za-z][\w.-]{0,63}\$?(?![\\\w])")
_UPN_RE = re.compile(r"\b[\w.-]+@[\w-]+(?:\.[\w-]+)+\b")
# A site code (three letters and digits, at least one letter) and five hex digits.
# A bare server name as admins write them: capitals and digits (SCCMDP01, DP12-BRANCH).
_BARE_HOST_RE = re.compile(
    r"\b(?!KB\d)(?=[A-Z0-9-]*[A-Z]{2})[A-Z][A-Z0-9]*\d[A-Z0-9]*(?:-[A-Z0-9]+)*\b"
)
_PACKAGE_RE = re.compile(r"\b(?!KB\d)(?=[A-Z0-9]{0,2}[A-Z])[A-Z0-9]{3}[0-9A-F]{5}\b")
_SLUG_RE = re.compile(r"[^a-z0-9]+")
# Lines TSManager writes around every failure: they say that a step failed, not why.
_TRIGGER_RE = re.compile(r"^Failed to run the action: ", re.IGNORECASE)


def host_names(lines: list[str], machine: str | None = None) -> set[str]:
    """Return the server and computer names the lines mention (UNC, URL, FQDN hosts)."""
    hosts = {machine} if machine else set()
    for line in lines:
        for m in _UNC_RE.finditer(line):
            hosts.add(m.group(1))
        for m in _URL_RE.finditer(line):
            hosts.add(m.group(2))
        for m in _FQDN_RE.finditer(line):
            hosts.add(m.group(0))
    # The short name of each FQDN, where it looks like a machine's (digits, dashes, capitals).
    hosts |= {
        short
        for short in (h.split(".")[0] for h in hosts if "." in h)
        if re.search(r"[\d-]", short) or short.isupper()
    }
    return {h for h in hosts if len(h) >= 2}


def anonymize(line: str, hosts: set[str] = frozenset(), machine: str | None = None) -> str:
    """Replace host names, package ids, GUIDs and user names in a log line by placeholders."""
    out = GUID_RE.sub("<GUID>", line)
    out = _UPN_RE.sub("<User>", out)
    out = _UNC_RE.sub(r"\\\\<Server>", out)
    out = _URL_RE.sub(r"\1<Server>", out)
    out = _ACCOUNT_RE.sub("<User>", out)
    out = _FQDN_RE.sub("<Server>", out)
    for name in sorted(hosts, key=len, reverse=True):
        label = "<ComputerName>" if machine and name.lower() == machine.lower() else "<Server>"
        out = re.sub(rf"(?i)(?<![\w<-]){re.escape(name)}(?![\w>-])", label, out)
    out = _outside_codes(_PACKAGE_RE, "<PackageID>", out)
    return _outside_codes(_BARE_HOST_RE, "<Server>", out)


def _outside_codes(pattern: re.Pattern[str], label: str, text: str) -> str:
    """Replace the matches of pattern that are not part of an error code."""
    from kb.codes import extract_codes

    spans = [(f.start, f.end) for f in extract_codes(text)]
    return pattern.sub(
        lambda m: m.group(0) if any(a <= m.start() < b for a, b in spans) else label, text
    )


def signature_template(line: str, hosts: set[str] = frozenset(), machine: str | None = None) -> str:
    """Return a log line as a signature: names as placeholders, other numbers as ``<N>``.

    Error codes are kept as written: they are what tells two failures apart.
    """
    from kb.codes import extract_codes

    text = anonymize(line, hosts, machine)
    spans = [(f.start, f.end) for f in extract_codes(text)]
    spans += [(m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(text)]

    def number(m: re.Match[str]) -> str:
        """Mask a token holding digits unless it lies in a code or a placeholder."""
        if any(a <= m.start() < b for a, b in spans):
            return m.group(0)
        return "<N>" if m.group(0).isdigit() else "<Name>"

    return DIGITS_RE.sub(number, text)


def failure_lines(analysis: Any) -> list[Any]:
    """Return the root error lines that say why the step failed (not the generic tail).

    A log with no failing step (ccmsetup, Windows Setup) says why in the lines that
    hold the code it failed with; its first errors are often routine ones.
    """
    chain = list(analysis.errors)
    code = analysis.code
    if analysis.failed_action is None and code is not None:
        with_code = [e for e in chain if code in e.codes and not is_boilerplate(_first(e.message))]
        if with_code:
            return with_code
    trigger = next((e for e in chain if _TRIGGER_RE.match(e.message)), None)
    before = [e for e in chain if trigger is None or e.line < trigger.line]
    own = [e for e in before if not is_boilerplate(_first(e.message))]
    if not own and trigger is not None:
        own = [trigger]
    return own or chain[:1]


def suggest_id(analysis: Any) -> str:
    """Return an article id for a failure: the failing step and its specific code."""
    codes = specific_codes(analysis)
    parts = [analysis.failed_action or "failure", *codes[:1]]
    return _SLUG_RE.sub("-", " ".join(parts).lower()).strip("-")[:80] or "new-failure"


def suggest_title(analysis: Any) -> str:
    """Return a working title for a drafted article: the failing step, or who failed."""
    codes = specific_codes(analysis)
    action = analysis.failed_action or actor(analysis.kind)
    return f"{action} fails" + (f" with {codes[0]}" if codes else "")


def specific_codes(analysis: Any) -> list[str]:
    """Return the codes of the failure lines, specific ones first (generic only when alone).

    The code the analysis gives as the failure's (ccmsetup's exit code, say) comes first.
    """
    from kb.codes import format_hex
    from kb.logs import GENERIC_CODES

    found: dict[int, None] = {}
    headline_code = analysis.code
    if headline_code is not None:
        found[headline_code] = None
    roots = failure_lines(analysis)
    # A log without a failing step: its other errors are routine ones, not this failure's.
    rest = [] if analysis.failed_action is None and headline_code is not None else analysis.errors
    for e in [*roots, *rest]:
        for c in e.codes:
            found.setdefault(c, None)
    specific = [c for c in found if c not in GENERIC_CODES]
    return [format_hex(c) for c in (specific or list(found))]


def draft_article(
    analysis: Any, article_id: str, title: str | None = None, log_name: str | None = None
) -> str:
    """Return the text of a draft article (``status: draft``) for a failed log's analysis."""
    from kb.errors import ArticleError

    if not analysis.failed:
        raise ArticleError(f"{analysis.file}: no failure found in this log, nothing to draft")
    chain = list(analysis.errors)
    all_lines = [line for e in chain for line in e.message.split("\n")]
    hosts = host_names(all_lines, analysis.machine)
    roots = failure_lines(analysis)
    signatures = _distinct(
        signature_template(_first(e.message), hosts, analysis.machine) for e in roots
    )[:MAX_SIGNATURES]
    codes = specific_codes(analysis)
    components = _distinct(e.component for e in roots if e.component)
    # In a machine's logs, the one that shows the failure.
    log = log_name or _log_kind(analysis.failure_file or analysis.file, analysis.kind)
    action = analysis.failed_action
    excerpt = _distinct(
        anonymize(line, hosts, analysis.machine)
        for e in chain
        if not is_boilerplate(_first(e.message)) or e in roots
        for line in e.message.split("\n")
        if line.strip()
    )[:MAX_EXCERPT]
    examples = [signatures[0]] if signatures else []
    if action and codes:
        examples.append(f"{action} fails with {codes[0]}")
    step = f"the **{action}** step" if action else "a step"
    who = actor(analysis.kind)
    fails = f"{who} fails at {step}." if action or who == actor("smsts") else f"{who} fails."
    front = [
        "---",
        f"id: {article_id}",
        f"title: {_q(title or suggest_title(analysis))}",
        "kind: troubleshooting",
        "status: draft",
        "summary: >",
        f"  {TODO} one or two sentences: why {action or _lower_the(who)} fails"
        + (f" with {codes[0]}" if codes else "")
        + ", and what fixes it.",
        "applies_to:",
        "  - Configuration Manager 2007",
        "signatures:",
        f"  codes: [{', '.join(_q(c) for c in codes)}]",
        "  lines:",
        *(f"    - {_q(s)}" for s in signatures),
        f"  logs: [{_q(log)}]",
        f"  components: [{', '.join(_q(c) for c in components)}]",
        "tags: []",
        "sources:",
        f"  - {_q(TODO + ' the document (KB number and title) the cause and fix come from')}",
        "related: []",
        "examples:",
        *(f"  - {_q(x)}" for x in examples),
        "---",
    ]
    body = [
        "",
        "## Symptoms",
        "",
        f"{fails} {log} ({analysis.format} format) shows:",
        "",
        "```text",
        *excerpt,
        "```",
        "",
        "## Cause",
        "",
        f"{TODO} why it happens, from the source document named in `sources`.",
        "",
        "## Resolution",
        "",
        f"1. {TODO} the step that fixes the problem, or the first thing to check.",
        "",
        "## More information",
        "",
        f"Drafted from {log} (line {roots[0].line}) by kb new --from-log;"
        " host names, package ids, GUIDs and user names are placeholders.",
        "",
    ]
    text = "\n".join(front + body)
    if any(mask(s).text == "<*>" for s in signatures):  # nothing but variable parts
        raise ArticleError(f"{analysis.file}: the failure lines hold no words to match on")
    return text


def _lower_the(who: str) -> str:
    """Return "the task sequence" for "The task sequence", mid-sentence; names stay."""
    return "t" + who[1:] if who.startswith("The ") else who


def _first(message: str) -> str:
    """Return the first line of a (possibly multi-line) log message."""
    return message.split("\n", 1)[0].strip()


def _distinct(items: Any) -> list[str]:
    """Return the items without repeats, in order."""
    return list(dict.fromkeys(items))


# The name a kind of log has on every machine: a file named after its computer
# (NYC-WKS-1933.log) must not put that name into an article.
_LOG_NAMES = {
    "smsts": "smsts.log",
    "ccmsetup": "ccmsetup.log",
    "setup": "setupact.log",
    "bdd": "BDD.log",
}


def _log_kind(path: str, kind: str = "") -> str:
    """Name the log a file is: its kind's usual name (smsts.log), else its own name."""
    name = PurePath(path).name
    if kind in _LOG_NAMES:
        return _LOG_NAMES[kind]
    return "smsts.log" if "smsts" in name.lower() else (name or "smsts.log")


def _q(text: str) -> str:
    """Quote text as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)
