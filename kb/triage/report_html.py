"""Render triage.html: one self-contained page (inline CSS and SVG, no script).

Article links follow ``--kb-url``: a base URL of the web app gives
``{url}/articles/{id}``; a URL ending in ``.html`` (the static site's index page)
gives ``{folder}/articles/{id}.html``. Log links are relative to the report, so
the report and the share can move together.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from pathlib import Path, PurePath
from typing import Any

from markupsafe import Markup

from kb.triage.aggregate import UNKNOWN
from kb.triage.charts import Bar, causes_chart, daily_chart
from kb.triage.html_template import CSS, TEMPLATE

MAX_BARS = 14
MAX_ERROR = 240


def article_url(kb_url: str | None, article_id: str) -> str | None:
    """Return the link to an article on the web app or the static site, or None."""
    if not kb_url:
        return None
    quoted = urllib.parse.quote(article_id)
    if kb_url.lower().endswith((".html", ".htm")):
        return f"{kb_url.rsplit('/', 1)[0]}/articles/{quoted}.html"
    return f"{kb_url.rstrip('/')}/articles/{quoted}"


def log_href(path: str, out_dir: str) -> str:
    """Return a link to a log relative to the report folder (a file URI across drives)."""
    try:
        rel = os.path.relpath(path, out_dir)
    except ValueError:  # another drive on Windows: no relative path exists
        return Path(path).as_uri()
    return urllib.parse.quote(PurePath(rel).as_posix())


def _cut(text: str | None, most: int = MAX_ERROR) -> str:
    """Shorten a log message for a table cell (first line only)."""
    first = (text or "").strip().split("\n", 1)[0]
    return first if len(first) <= most else first[: most - 1] + "…"


def _label(m: dict[str, Any]) -> tuple[str, str | None]:
    """Return how a machine is shown: its name (else GUID, else log), and the GUID below it."""
    if m["name"] and m["guid"]:
        return m["name"], m["guid"]
    return m["name"] or m["guid"] or os.path.basename(m["machine"]), None


def _code_name(code: str) -> str:
    """Return a code's first symbolic name, or ''."""
    if not code.startswith("0x"):
        return ""
    from kb.codes import decode

    try:
        names = decode(int(code, 16)).names
    except Exception:  # a name is decoration; the code itself is shown anyway
        return ""
    return names[0] if names else ""


def _named(m: dict[str, Any]) -> dict[str, str | None]:
    """Return a machine's label and the line under it, for the template."""
    label, sub = _label(m)
    return {"label": label, "sub": sub}


def _file(path: str, out_dir: str) -> dict[str, str]:
    """Return a log's link, its path, and its name without the client GUID (shown apart)."""
    name = _GUID_PREFIX.sub("", os.path.basename(path))
    return {"href": log_href(path, out_dir), "path": path, "log": name}


_GUID_PREFIX = re.compile(r"^\{?[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\}?-")


def view(report: dict[str, Any], out_dir: str, kb_url: str | None) -> dict[str, Any]:
    """Build what the template shows from the report data."""
    failed = report["failed"] or 1
    articles = [
        {
            "id": a,
            "title": info["title"],
            "count": info["count"],
            "machines": info["machines"],
            "url": article_url(kb_url, a),
            "pct": f"{100 * info['count'] / failed:.0f}%",
        }
        for a, info in report["articles"].items()
    ]
    bars = [Bar(a["title"], a["count"], "explained", a["url"]) for a in articles]
    bars += [
        Bar("New: " + c["template"], c["count"], "new") for c in report["unexplained_clusters"]
    ]
    bars.sort(key=lambda b: -b.value)  # stable: articles before new problems on ties
    if len(bars) > MAX_BARS:
        rest = bars[MAX_BARS - 1 :]
        bars = [
            *bars[: MAX_BARS - 1],
            Bar(f"{len(rest)} other causes", sum(b.value for b in rest), "new"),
        ]
    by_machine = {m["machine"]: m for m in report["machines"]}
    owner = {f: m["machine"] for m in report["machines"] for f in m["files"]}
    clusters = []
    ids: set[str] = set()
    for n, c in enumerate(report["unexplained_clusters"], start=1):
        ex = c["example"]
        clusters.append(
            {
                **c,
                **_file(ex["file"], out_dir),
                "line": ex["line"],
                "label": _label(by_machine[owner[ex["file"]]])[0] if ex["file"] in owner else "",
                "action": ", ".join(c["failed_actions"]),
                "draft": draft_command(n, c, out_dir, ids),
            }
        )
    order = sorted(
        report["machines"], key=lambda m: (m["outcome"] != "failed", _neg(m["date"]), m["machine"])
    )
    machines = [
        {
            **m,
            **_file(m["file"], out_dir),
            **_named(m),
            "line": m["root_error_line"],
            "root_error": _cut(m["root_error"]),
            "url": article_url(kb_url, m["article"]) if m["article"] else None,
        }
        for m in order
    ]
    repeats = [
        {
            **_named(by_machine[x["machine"]]),
            "failures": x["failures"],
            "files": [_file(f, out_dir) for f in x["files"]],
        }
        for x in report["repeat_failures"]
    ]
    days = list(report["by_day"])
    return {
        "r": report,
        "articles": articles,
        "clusters": clusters,
        "codes": [
            {"code": k, "name": _code_name(k), "count": n} for k, n in report["by_code"].items()
        ],
        "machines": machines,
        "repeats": repeats,
        "unreadable": [{**u, **_file(u["file"], out_dir)} for u in report["unreadable"]],
        "causes_svg": Markup(causes_chart(bars, "Failures by cause")),
        "daily_svg": Markup(daily_chart(report["by_day"], "Failures per day")),
        "undated": report["failed"] - sum(report["by_day"].values()),
        "first_day": days[0] if days else "",
        "last_day": days[-1] if days else "",
    }


def draft_command(n: int, cluster: dict[str, Any], out_dir: str, taken: set[str]) -> str:
    """Return the kb new command that drafts an article for new problem n."""
    words = [next(iter(cluster["failed_actions"]), ""), next(iter(cluster["codes"]), "")]
    slug = re.sub(r"[^a-z0-9]+", "-", " ".join(w for w in words if w != UNKNOWN).lower())
    article_id = slug.strip("-")[:70] or "new-problem"
    if article_id in taken:
        article_id = f"{article_id}-{n}"
    taken.add(article_id)
    folder = f'"{out_dir}"' if re.search(r"[\s\"'$&|;()<>*?]", out_dir) else out_dir
    return f"kb new {article_id} --from-cluster {n} --triage {folder}"


def _neg(date: str | None) -> str:
    """Sort key that puts later ISO dates first (and undated last)."""
    if not date:
        return "~"
    return "".join(chr(ord("9") - ord(ch) + ord("0")) if ch.isdigit() else ch for ch in date)


def html_text(
    report: dict[str, Any],
    out_dir: str,
    kb_url: str | None = None,
    inputs: str = "",
    generated: str | None = None,
) -> str:
    """Return triage.html's text."""
    from jinja2 import Environment

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    page = env.from_string(TEMPLATE)
    return page.render(
        css=Markup(CSS), inputs=inputs, generated=generated, **view(report, out_dir, kb_url)
    )
