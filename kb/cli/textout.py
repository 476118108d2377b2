"""Plain-text renderings of answers for the terminal (no printing here)."""

from __future__ import annotations

import textwrap
from typing import Any

from kb.cli.common import plural, printable

# Text output fits an 80-column terminal.
WIDTH = 80

KIND_LABELS = {
    "hresult": "HRESULT",
    "hresult-win32": "HRESULT wrapping a Win32 error",
    "ntstatus": "NTSTATUS",
    "win32": "Win32 error",
}


# Reasons that speak against a result (kb.search.results).
CAVEATS = frozenset({"penalty", "component", "scope"})


def code_block(answer: dict[str, Any]) -> str:
    """Render a code's decoding as aligned lines."""
    kind = KIND_LABELS.get(answer["kind"], answer["kind"]) + f", {answer['severity']}"
    if answer.get("process_exit"):
        kind = f"process exit code (if it is a Win32 error: {kind})"
    rows = [
        ("code", f"{answer['hex']}  (unsigned {answer['unsigned']}, signed {answer['signed']})"),
        ("kind", kind),
    ]
    fac = answer.get("facility")
    if fac:
        name = fac["name"] or "unnamed"
        rows.append(("facility", f"{name} ({fac['code']}, 0x{fac['code']:X})"))
    if answer.get("win32") is not None and answer["kind"] != "win32":
        rows.append(("win32", str(answer["win32"])))
    names = ", ".join(answer["names"]) or "(no symbolic name known)"
    if answer.get("process_exit") and answer["names"]:
        names = f"if it is a Win32 error: {names}"
    rows.append(("names", names))
    rows.append(("meaning", answer["description"]))
    source = answer.get("source")
    if answer.get("message") and (source is None or source["kind"] != "configmgr"):
        rows.append(("message", f"{answer['message']} (Configuration Manager documentation)"))
    if source:
        rows.append(("source", source["name"] + (f": {source['url']}" if source["url"] else "")))
    if answer.get("hint"):
        rows.append(("hint", answer["hint"]))
    for reading in answer.get("readings", ()):
        names = f" ({', '.join(reading['names'])})" if reading["names"] else ""
        rows.append(("also", f"{reading['hex']}{names}: {reading['why']}"))
    width = max(len(k) for k, _ in rows) + 2
    out = []
    for key, value in rows:
        # A URL or a path stays whole, on a line of its own when it must.
        wrapped = textwrap.wrap(
            value, WIDTH - width, break_long_words=False, break_on_hyphens=False
        ) or [""]
        out.append(f"{key + ':':<{width}}{wrapped[0]}")
        out.extend(" " * width + w for w in wrapped[1:])
    return printable("\n".join(out))


def article_list(articles: list[dict[str, Any]], empty: str) -> str:
    """Render a list of article references (id, title, summary)."""
    if not articles:
        return printable(empty)
    lines = ["Articles:"]
    for a in articles:
        lines.extend(
            textwrap.wrap(
                f"{a['id']}: {a['title']}", WIDTH, initial_indent="  ", subsequent_indent="    "
            )
        )
        for w in textwrap.wrap(_plain(a.get("summary", "")), WIDTH - 6):
            lines.append(f"      {w}")
    return printable("\n".join(lines))


TIER_WORDS = {"strong": "Explains this error", "possible": "Possibly related"}


def search_answer(answer: dict[str, Any]) -> str:
    """Render a search answer: ranked articles with reasons, then the codes found."""
    out: list[str] = []
    results = answer["results"]
    if not results:
        out.append("No article matches this query.")
    elif not answer.get("strong", True):
        out.append("No article explains this for sure; these are possibly related:")
        out.append("")
    for n, r in enumerate(results, start=1):
        draft = " [draft]" if r.get("draft") else ""
        tier = TIER_WORDS.get(r.get("confidence"), "")
        head = f"{n}. {r['id']}: {r['title']}{draft}  ({tier}; score {r['score']:.2f})"
        out.extend(textwrap.wrap(head, WIDTH, subsequent_indent="   "))
        # The best four pieces of evidence, then every caveat (they weigh nothing, so
        # they sort last, but they say why a result is only possibly related).
        caveats = [x for x in r["reasons"] if x["type"] in CAVEATS]
        for reason in [x for x in r["reasons"] if x["type"] not in CAVEATS][:4]:
            out.append("     - " + _short(reason["reason"], WIDTH - 7))
        for reason in caveats:
            out.extend(
                textwrap.wrap(
                    reason["reason"],
                    WIDTH,
                    initial_indent="     - but ",
                    subsequent_indent="       ",
                )
            )
        if r.get("first_step"):
            wrapped = textwrap.wrap("First step: " + _plain(r["first_step"]), WIDTH - 5)
            out.extend("     " + w for w in wrapped[:4])
        out.append("")
    if answer["codes"]:
        out.append("Codes in the query:")
        for c in answer["codes"]:
            names = ", ".join(c["names"][:2]) or "no symbolic name"
            if c.get("process_exit"):
                names = "process exit code"
            said = textwrap.wrap(
                f"  {c['hex']}  {names}: {c['description']}", WIDTH, subsequent_indent="      "
            )
            if len(said) > 3:  # the code's page and kb lookup say the rest
                said = [*said[:2], said[2][: WIDTH - 1] + "…"]
            out.extend(said)
            cited = [a["id"] for a in c.get("articles", ())]
            if cited and not results:  # why a cited code alone found nothing
                said = f"cited by {', '.join(cited)}, but this code alone does not say which failure it is"
                out.extend(
                    textwrap.wrap(said, WIDTH, initial_indent="      ", subsequent_indent="      ")
                )
    return printable("\n".join(out).rstrip())


def analysis_report(report: dict[str, Any]) -> str:
    """Render a log analysis for the terminal."""
    out = [f"{report['file']}: {_kind_line(report)}, {plural(report['lines'], 'line')}"]
    for log in report.get("logs", []):
        state = "failed" if log["failed"] else "did not fail"
        out.append(
            f"  {log['file']}: {log['kind']}, {log['format']}, {plural(log['lines'], 'line')}, {state}"
        )
    for skip in report.get("skipped", []):
        out.append(f"  {skip['file']}: skipped ({skip['reason']})")
    out.extend(textwrap.wrap(report.get("headline") or "", WIDTH) or [""])
    if report.get("result"):
        out.extend(textwrap.wrap(f"Result: {report['result']}", WIDTH, subsequent_indent="  "))
    several = bool(report.get("logs"))
    for title, key in (
        ("Root error chain:", "errors"),
        ("Signature lines of the failing step:", "signatures" if report.get("failed") else ""),
        ("These lines:", "evidence"),
        ("Other logs around the failure:", "context"),
    ):
        lines = report.get(key) or [] if key else []
        if key == "signatures":
            chained = {(e["file"], e["line"]) for e in report.get("errors", [])}
            lines = [e for e in lines if (e["file"], e["line"]) not in chained]
        if lines:
            out.append(title)
            out.extend(_error_line(e, several or key == "context") for e in lines)
    if report.get("codes"):
        out.extend(
            textwrap.wrap("Codes: " + ", ".join(report["codes"]), WIDTH, subsequent_indent="  ")
        )
    if report.get("failed") or report.get("results"):
        out.append("")
        if report["results"]:
            out.append("Matching articles:")
            for r in report["results"]:
                draft = " [draft]" if r.get("draft") else ""
                tier = TIER_WORDS.get(r.get("confidence"), "")
                head = f"  {r['id']}: {r['title']}{draft}  ({tier}; score {r['score']:.2f})"
                out.extend(textwrap.wrap(head, WIDTH, subsequent_indent="    "))
                if r["reasons"]:
                    out.append("      " + _short(r["reasons"][0]["reason"], WIDTH - 6))
        else:
            out.append("No article matches this failure.")
    return printable("\n".join(out))


def _kind_line(report: dict[str, Any]) -> str:
    """Say what was read: one log's kind and format, or a machine's logs."""
    if report.get("logs"):
        return plural(len(report["logs"]), "log")
    return f"{report.get('kind', 'text')} log ({report['format']})"


def _error_line(e: dict[str, Any], with_file: bool) -> str:
    """Render one kept line: where it is, its component, its message."""
    where = f"{e['file']}:{e['line']}" if with_file and e.get("file") else f"line {e['line']}"
    comp = f" [{e['component']}]" if e.get("component") else ""
    head = f"  {where}{comp}: "
    return head + _short(e["message"], max(WIDTH - len(head), 30))


def _short(text: str, width: int) -> str:
    """Cut text to one line of at most width characters."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _plain(text: str) -> str:
    """Drop Markdown's emphasis and code marks, which a terminal shows as they are."""
    return text.replace("**", "").replace("`", "")
