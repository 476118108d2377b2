"""Write the machine-readable reports: triage.json (a contract) and triage.csv.

Both are written to a temporary file and renamed into place, so a reader never
sees half a report. Neither holds a timestamp: the same input gives the same bytes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from typing import Any

CSV_COLUMNS = (
    "machine",
    "name",
    "outcome",
    "failures",
    "logs",
    "date",
    "failed_action",
    "article",
    "title",
    "root_code",
    "codes",
    "root_error",
    "root_error_line",
    "template",
    "file",
    "files",
)


def write_atomic(path: str, text: str) -> None:
    """Write text (UTF-8, LF line ends) to path through a temporary file and a rename."""
    tmp = f"{path}.tmp-{os.getpid()}"  # opened normally, so it gets the usual permissions
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


def json_text(report: dict[str, Any]) -> str:
    """Return triage.json's text."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def csv_text(report: dict[str, Any]) -> str:
    """Return triage.csv's text: one row per machine, the columns of CSV_COLUMNS."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for m in report["machines"]:
        row = dict(m)
        row["codes"] = " ".join(m["codes"])
        row["files"] = " ".join(m["files"])
        writer.writerow([_cell(row.get(c)) for c in CSV_COLUMNS])
    return buf.getvalue()


def _cell(value: Any) -> Any:
    """Return a value as a CSV cell that a spreadsheet shows and never runs.

    One physical line per machine (spreadsheet filters and grep expect it): line
    breaks become " / ". Text that starts like a formula (=, +, -, @; a failed
    action or a file name can be anything) gets a leading apostrophe, which
    Excel hides, so =HYPERLINK(...) from a log is shown, not evaluated.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = " / ".join(value.splitlines()) if "\n" in value or "\r" in value else value
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_json(report: dict[str, Any], path: str) -> None:
    """Write triage.json."""
    write_atomic(path, json_text(report))


def write_csv(report: dict[str, Any], path: str) -> None:
    """Write triage.csv (with a UTF-8 BOM, so Excel reads accented names right)."""
    write_atomic(path, "\ufeff" + csv_text(report))


def cluster_example(triage_dir: str | os.PathLike[str], number: int) -> str:
    """Return the example log of new problem ``number`` (1-based) in DIR/triage.json."""
    from kb.errors import KbError

    path = os.path.join(triage_dir, "triage.json")
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        clusters = report["unexplained_clusters"]
    except FileNotFoundError:
        raise KbError(f"{path}: no such file (run kb triage --out {triage_dir} first)") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KbError(f"{path}: not a kb triage report ({exc.__class__.__name__})") from None
    if not clusters:
        raise KbError(f"{path}: the report has no new problems")
    if not 1 <= number <= len(clusters):
        raise KbError(f"--from-cluster {number}: the report has new problems 1 to {len(clusters)}")
    return clusters[number - 1]["example"]["file"]
