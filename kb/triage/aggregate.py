"""Turn per-file results into the fleet report data (the triage.json contract).

Counts are per failure (one failing log is one failed deployment); machines group
the logs of one client. Every list and mapping is built in a fixed order (counts
descending, then by name), so the same results always give the same bytes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from kb import __version__
from kb.triage.walk import guid_from_path, rotation_stamp

UNKNOWN = "(unknown)"


def aggregate(
    results: list[dict[str, Any]], corpus: str = "", since: str | None = None
) -> dict[str, Any]:
    """Return the report data for sorted per-file results."""
    ok = [r for r in results if r["status"] == "ok"]
    failed = [r for r in ok if r["failed"]]
    explained = [r for r in failed if r["article"]]
    machines = group_machines(ok)
    owner = {f: m["machine"] for m in machines for f in m["files"]}
    titles: dict[str, str] = {r["article"]: r["title"] for r in explained}
    by_article = _ordered(Counter(r["article"] for r in explained))
    hosts: dict[str, set[str]] = defaultdict(set)
    for r in explained:
        hosts[r["article"]].add(owner[r["file"]])
    return {
        "generated_by": "kb triage",
        "version": __version__,
        "corpus": corpus,
        "since": since,
        "logs": len(results),
        "analyzed": len(ok),
        "failed": len(failed),
        "succeeded": len(ok) - len(failed),
        "explained": len(explained),
        "unexplained": len(failed) - len(explained),
        "machine_count": len(machines),
        "failed_machines": sum(1 for m in machines if m["failures"]),
        "by_article": by_article,
        "articles": {
            a: {"title": titles[a], "count": n, "machines": len(hosts[a])}
            for a, n in by_article.items()
        },
        "by_action": _ordered(Counter(r["failed_action"] or UNKNOWN for r in failed)),
        "by_code": _ordered(Counter(r["root_code"] or UNKNOWN for r in failed)),
        "by_day": dict(sorted(Counter(_day(r) for r in failed if _day(r)).items())),
        "unexplained_clusters": clusters([r for r in failed if not r["article"]], owner),
        "repeat_failures": [
            {
                "machine": m["machine"],
                "name": m["name"],
                "failures": m["failures"],
                "files": m["failing_files"],
            }
            for m in sorted(machines, key=lambda m: (-m["failures"], m["machine"]))
            if m["failures"] > 1
        ],
        "unreadable": [
            {"file": r["file"], "reason": r["reason"]} for r in results if r["status"] != "ok"
        ],
        "machines": [{k: v for k, v in m.items() if k != "failing_files"} for m in machines],
    }


def _ordered(counts: Counter[str]) -> dict[str, int]:
    """Return counts as a mapping, largest first, then by key."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _day(r: dict[str, Any]) -> str:
    """Return the day a failure happened, when the log has dates."""
    return r.get("failure_date") or r.get("last_date") or ""


def _chronology(r: dict[str, Any]) -> tuple[str, str, str]:
    """Sort key putting a machine's logs oldest first."""
    return (r.get("last_date") or "", rotation_stamp(r["file"]), r["file"])


def machine_keys(ok: list[dict[str, Any]]) -> dict[str, str]:
    """Map each file to its machine: its GUID (name or folder), else the name its log gives.

    A log without a GUID joins the GUID whose other logs name the same computer, when
    exactly one does; two clients can share a name (a reused WinPE default), a GUID cannot.
    """
    guids = {r["file"]: guid_from_path(r["file"]) for r in ok}
    named: dict[str, set[str]] = defaultdict(set)
    for r in ok:
        if guids[r["file"]] and r.get("machine_name"):
            named[r["machine_name"].upper()].add(guids[r["file"]])
    keys = {}
    for r in ok:
        name = (r.get("machine_name") or "").upper()
        if guids[r["file"]]:
            keys[r["file"]] = guids[r["file"]]
        elif name and len(named.get(name, ())) == 1:
            keys[r["file"]] = next(iter(named[name]))
        else:
            keys[r["file"]] = name or r["file"]
    return keys


def group_machines(ok: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return one row per machine; its failure is its latest failing log's."""
    keys = machine_keys(ok)
    logs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in ok:
        logs[keys[r["file"]]].append(r)
    rows = []
    for key in sorted(logs):
        mine = sorted(logs[key], key=_chronology)
        failing = [r for r in mine if r["failed"]]
        last = failing[-1] if failing else None
        names = [r["machine_name"] for r in mine if r.get("machine_name")]
        root = last["root_error"] if last else None
        rows.append(
            {
                "machine": key,
                "name": names[-1] if names else None,
                "guid": key if key in {guid_from_path(r["file"]) for r in mine} else None,
                "files": [r["file"] for r in mine],
                "logs": len(mine),
                "failures": len(failing),
                "outcome": "failed" if mine[-1]["failed"] else "succeeded",
                "file": last["file"] if last else mine[-1]["file"],
                "date": (_day(last) if last else mine[-1].get("last_date")) or None,
                "failed_action": last["failed_action"] if last else None,
                "root_error": root["message"] if root else None,
                "root_error_line": root["line"] if root else None,
                "root_code": last["root_code"] if last else None,
                "codes": last["codes"] if last else [],
                "article": last["article"] if last else None,
                "title": last["title"] if last else None,
                "template": last["template"] if last else None,
                "failing_files": [r["file"] for r in failing],
            }
        )
    return rows


def clusters(unexplained: list[dict[str, Any]], owner: dict[str, str]) -> list[dict[str, Any]]:
    """Group unexplained failures by their root error template, largest first."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in unexplained:
        groups[r["template"] or UNKNOWN].append(r)
    out = []
    for template, members in groups.items():
        example = min(members, key=lambda r: r["file"])
        root = example["root_error"] or {}
        out.append(
            {
                "template": template,
                "count": len(members),
                "machines": len({owner.get(r["file"], r["file"]) for r in members}),
                "failed_actions": _ordered(Counter(r["failed_action"] or UNKNOWN for r in members)),
                "codes": _ordered(Counter(r["root_code"] or UNKNOWN for r in members)),
                "first_day": min((_day(r) for r in members if _day(r)), default=None),
                "last_day": max((_day(r) for r in members if _day(r)), default=None),
                "example": {
                    "file": example["file"],
                    "line": root.get("line"),
                    "message": root.get("message"),
                },
            }
        )
    return sorted(out, key=lambda c: (-c["count"], c["template"]))
