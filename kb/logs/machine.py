"""A machine's logs as one run: rotated smsts logs stitched in time order, the others beside them.

The task sequence log rotates (``smsts-20100215-101112.log``) and moves between
``X:\\windows\\temp\\smstslog``, ``C:\\_SMSTaskSequence\\Logs`` and
``C:\\Windows\\CCM\\Logs`` as the run goes on, so a collected folder holds several
pieces of one run. They are fed to one analyzer, oldest first, and the failure
is found across them. Every other log is analyzed on its own; the report is the
run's (or, when the task sequence did not fail, the first failed other log's),
with the other logs' error lines around the failure time as context.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from kb.errors import LogError
from kb.logs.analysis import Analyzer
from kb.logs.kinds import kind_from_name
from kb.logs.onelog import analyze_stream, feed_stream
from kb.logs.reader import dominant_format, parse_lines
from kb.logs.results import Analysis, ErrorLine, LogSummary
from kb.logs.sources import LogSource
from kb.logs.steps import has_error_word, is_error
from kb.logs.text import decoded_lines, sniff_stream

MAX_CONTEXT = 12
MAX_STREAM_BYTES = 200 * 1024 * 1024  # a log read from a pipe is held in memory
_CONTEXT_PER_LOG = 6
# Lines of the other logs this long before the failing step started, or after the failure.
_BEFORE = timedelta(minutes=2)
_AFTER = timedelta(minutes=5)
_WITHOUT_STEP = timedelta(minutes=30)  # when the failing step's start is unknown
_ROTATED = re.compile(r"(?i)smsts-(\d{8})-(\d{6})\.log$")
_FIRST_STAMP = re.compile(
    rb'time="(\d{1,2}:\d{2}:\d{2})[^"]*"\s+date="(\d{1,2})-(\d{1,2})-(\d{4})"'
)
# When the task sequence did not fail, the failed log reported instead, in this order.
_KIND_ORDER = ("ccmsetup", "bdd", "setup", "script", "cmtrace", "text")


def analyze_logs(name: str, sources: list[LogSource], *, watch: Iterable[str] = ()) -> Analysis:
    """Analyze a machine's logs (a folder or a zip) as one run; raise LogError if none is readable."""
    watch = tuple(watch)
    smsts = sorted((s for s in sources if kind_from_name(s.name) == "smsts"), key=_run_order)
    others = [s for s in sources if kind_from_name(s.name) != "smsts"]
    summaries: dict[str, LogSummary] = {}
    skipped: list[tuple[str, str]] = []
    run = _stitched(smsts, watch, summaries, skipped) if smsts else None
    analyses: list[Analysis] = []
    for src in others:
        try:
            a = analyze_stream(src.name, src.read(), watch=watch)
        except LogError as exc:
            skipped.append((src.name, _reason(str(exc))))
            continue
        analyses.append(a)
        summaries[src.name] = LogSummary(src.name, a.kind, a.format, a.lines, a.failed)
    if run is None and not analyses:
        why = "; ".join(f"{f}: {r}" for f, r in skipped[:3])
        raise LogError(f"{name}: no readable log in it" + (f" ({why})" if why else ""))
    primary = _primary(run, analyses)
    if primary.failed:
        mine = {primary.failure_file} | ({s.name for s in smsts} if primary is run else set())
        primary.context = _context(primary, [s for s in sources if s.name not in mine], skipped)
    primary.file = name
    primary.logs = [summaries[s.name] for s in sources if s.name in summaries]
    primary.skipped = skipped
    return primary


def _run_order(src: LogSource) -> tuple[str, str, str]:
    """Sort key of an smsts piece: its first record's time, its rotation stamp, its name."""
    m = _ROTATED.search(src.name)
    rotated = f"{m.group(1)}-{m.group(2)}" if m else "99999999-999999"
    return (_first_stamp(src), rotated, src.name)


def _first_stamp(src: LogSource) -> str:
    """Return "YYYY-MM-DD HH:MM:SS" of a log's first CMTrace record ("~" when it has none)."""
    try:
        head = next(iter(src.read()), b"")[:65536]
    except LogError:
        return "~"
    text = head.replace(b"\x00", b"")  # UTF-16 as bytes: the ASCII attributes stay readable
    m = _FIRST_STAMP.search(text)
    if not m:
        return "~"
    hms, month, day, year = m.groups()
    return f"{year.decode()}-{int(month):02d}-{int(day):02d} {hms.decode():0>8}"


def _stitched(
    pieces: list[LogSource],
    watch: tuple[str, ...],
    summaries: dict[str, LogSummary],
    skipped: list[tuple[str, str]],
) -> Analysis | None:
    """Feed the smsts pieces, oldest first, to one analyzer; return the run's analysis."""
    analyzer = Analyzer(watch)
    total = 0
    read: list[tuple[LogSource, int, str]] = []
    for part, src in enumerate(pieces):
        before = Counter(analyzer.formats)
        analyzer.start_file(src.name, part)
        try:
            lines = feed_stream(analyzer, src.name, src.read())
        except LogError as exc:
            skipped.append((src.name, _reason(str(exc))))
            continue
        total += lines
        read.append((src, lines, dominant_format(analyzer.formats - before)))
    if not read:
        return None
    run = analyzer.finish(read[-1][0].name, "", total, name=read[-1][0].name)
    for src, lines, fmt in read:
        failed = run.failed and run.failure_file == src.name
        summaries[src.name] = LogSummary(src.name, "smsts", fmt, lines, failed)
    return run


def _primary(run: Analysis | None, others: list[Analysis]) -> Analysis:
    """Return the analysis the report is about: the run's, unless only another log failed."""
    if run is not None and (run.failed or not any(a.failed for a in others)):
        return run
    failed = sorted(
        (a for a in others if a.failed),
        key=lambda a: (_KIND_ORDER.index(a.kind) if a.kind in _KIND_ORDER else 99, a.file),
    )
    return failed[0] if failed else others[0]


def _when(date: str, time: str) -> datetime | None:
    """Return a record's date and time, or None when either is missing."""
    try:
        return datetime.fromisoformat(f"{date} {time[:8]}") if date and time else None
    except ValueError:
        return None


def _context(
    primary: Analysis, sources: list[LogSource], skipped: list[tuple[str, str]]
) -> list[ErrorLine]:
    """Return the other logs' error lines from the failing step's start to just after the failure."""
    failure = _when(primary.failure_date, primary.failure_time)
    if failure is None:
        return []
    start = _when(*primary.step_start.split(" ", 1)) if primary.step_start else None
    low = (start or failure - _WITHOUT_STEP) - _BEFORE
    high = failure + _AFTER
    found: list[ErrorLine] = []
    done = {name for name, _ in skipped}
    for src in sources:
        if src.name in done:
            continue
        try:
            found.extend(_errors_between(src, low, high))
        except LogError:
            continue
        if len(found) >= MAX_CONTEXT:
            break
    return found[:MAX_CONTEXT]


def _errors_between(src: LogSource, low: datetime, high: datetime) -> list[ErrorLine]:
    """Return a log's first error lines written between two times."""
    from kb.codes import code_values

    encoding, body = sniff_stream(src.name, src.read())
    lines: list[ErrorLine] = []
    for r in parse_lines(decoded_lines(body, encoding)):
        if not r.date or not r.time:
            continue
        when = _when(r.date, r.time)
        if when is None or not low <= when <= high:
            continue
        codes = [c for c in code_values(r.message) if c]
        if is_error(r.message, r.severity, codes, has_error_word(r.message.lower())):
            lines.append(ErrorLine(r.line, r.component, r.message[:4000], codes, src.name))
            if len(lines) >= _CONTEXT_PER_LOG:
                break
    return lines


def _reason(message: str) -> str:
    """Keep the reason of a 'cannot read NAME: reason' message."""
    return message.split(": ", 1)[1] if message.startswith("cannot read ") else message


def analyze_path(path: str, *, watch: Iterable[str] = ()) -> Analysis:
    """Analyze what a path holds: one log, a folder of a machine's logs, or a zip of them."""
    import os

    from kb.logs.onelog import analyze_file
    from kb.logs.sources import folder_sources, is_zip_file, zip_sources

    if os.path.isdir(path):
        return analyze_logs(path, folder_sources(path), watch=watch)
    if not os.path.isfile(path):
        # A pipe (kb analyze <(...)) can be read only once: read it whole, then look.
        return analyze_upload(path, _read_once(path), watch=watch)
    if os.path.getsize(path) == 0:
        raise LogError(f"{path} is empty: give the log that shows the failure")
    if is_zip_file(path):
        return analyze_logs(path, zip_sources(path, path), watch=watch)
    return analyze_file(path, watch=watch)


def _read_once(path: str) -> bytes:
    """Read a stream that is not a regular file, up to MAX_STREAM_BYTES; raise LogError."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_STREAM_BYTES + 1)
    except OSError as exc:
        raise LogError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_STREAM_BYTES:
        raise LogError(
            f"{path}: more than {MAX_STREAM_BYTES // (1024 * 1024)} MB: save it to a file"
        )
    return data


def analyze_upload(name: str, data: bytes, *, watch: Iterable[str] = ()) -> Analysis:
    """Analyze uploaded bytes: a zip of a machine's logs, or one log; raise LogError."""
    from kb.logs.sources import looks_like_zip, zip_sources

    if looks_like_zip(data[:4]):
        return analyze_logs(name, zip_sources(name, data), watch=watch)
    if not data:
        raise LogError(f"{name} is empty: upload the log that shows the failure.")
    return analyze_stream(name, [data], watch=watch)
