"""Read every log shape ConfigMgr admins have into LogRecords, streaming.

A file is read line by line (see :mod:`kb.logs.text`); a multi-line CMTrace or setupact
record holds only its own lines, at most MAX_RECORD characters, so a 100 MB smsts.log
never sits in memory. Shapes can be mixed in one text; a line of no known shape is a
plain record, and no line makes the parser fail.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from os import PathLike

from kb.logs import formats as lf
from kb.logs.formats import FORMATS, KNOWN_COMPONENTS, LogRecord
from kb.logs.text import decode_bytes, iter_text_lines, text_lines

__all__ = [
    "FORMATS",
    "KNOWN_COMPONENTS",
    "MAX_RECORD",
    "CountedLines",
    "LogRecord",
    "decode_bytes",
    "detect_format",
    "dominant_format",
    "iter_text_lines",
    "parse_lines",
    "parse_text",
    "read_log",
]

# An open record longer than this is given up and its lines become plain records.
MAX_RECORD = 1 << 20
_OPEN = lf.CMTRACE_OPEN


class LineParser:
    """A line-at-a-time state machine; finished records collect in ``out``."""

    def __init__(self) -> None:
        self.out: list[LogRecord] = []
        self.n = 0
        self.cm_lines: list[str] = []
        self.cm_start = 0
        self.cm_size = 0
        self.setup: dict[str, object] | None = None
        self.setup_lines: list[str] = []
        self.setup_size = 0
        self.iis_fields: list[str] | None = None
        self.date_order: str | None = None

    def feed(self, raw: str) -> None:
        """Take the next physical line."""
        self.n += 1
        line = raw.rstrip()
        if not self.cm_lines and self.setup is None:
            # Most lines of a CMTrace log are one whole record: parse those in one match.
            m = lf.WHOLE_CMTRACE.match(line)
            if m is not None and lf.TRAILER_AT not in m.group(1) and _OPEN not in m.group(1):
                self.out.append(lf.whole_cmtrace_record(m, self.n))
                return
        if self.cm_lines:
            if line.lstrip().startswith(_OPEN):
                self._abandon_cmtrace()
            else:
                self._new(self._continue_cmtrace(line), self.n)
                return
        self._new(line, self.n)

    def close(self) -> None:
        """Finish the records still open at the end of the input."""
        if self.cm_lines:
            self._abandon_cmtrace()
        self._close_setup()

    # -- dispatch ------------------------------------------------------------------

    def _new(self, line: str | None, n: int) -> None:
        """Handle a line (or the rest of one) that no open record claims."""
        while line is not None:
            line = self._new_once(line, n)

    def _new_once(self, line: str, n: int) -> str | None:
        """Handle one line; return text left over after a CMTrace record on it."""
        if not line.strip():
            self._close_setup()
            return None
        if line.lstrip().startswith(_OPEN):
            self._close_setup()
            return self._start_cmtrace(line, n)
        setup = lf.match_setupact(line)
        if setup is not None:
            self._close_setup()
            self.setup = {**setup, "line": n}
            self.setup_lines = [str(setup["message"])]
            self.setup_size = len(line)
            return None
        record = self._shape(line, n)
        fits = self.setup_size + len(line) <= MAX_RECORD
        if record is None and self.setup is not None and fits:
            self.setup_lines.append(line)
            self.setup_size += len(line)
            return None
        self._close_setup()
        if record is None:
            message, component = lf.split_component(line.strip())
            record = LogRecord(n, message, component)
        self.out.append(record)
        return None

    def _shape(self, line: str, n: int) -> LogRecord | None:
        """Return the record of a one-line shape (IIS, bitsadmin, CMTrace copy), or None."""
        if lf.is_iis_directive(line):
            if line.startswith("#Fields:"):
                self.iis_fields = lf.iis_fields(line)
            return LogRecord(n, line, format="iis")
        iis = lf.match_iis(line, self.iis_fields)
        if iis is not None:
            return LogRecord(n, line, format="iis", **iis)
        bits = lf.match_bitsadmin(line)
        if bits is not None:
            return LogRecord(n, line.strip(), format="bitsadmin", **bits)
        m = lf.match_copy(line)
        if m is None:
            return None
        message, component = lf.copy_parts(m.group("rest"))
        ampm = m.group("ampm")
        date, proved = lf.copy_date(m.group("date"), bool(ampm), self.date_order)
        if proved:
            self.date_order = proved
        return LogRecord(
            n,
            message,
            component,
            time=lf.copy_time(m.group("time"), ampm),
            date=date,
            thread=int(m.group("thread")),
            format="cmtrace-copy",
        )

    # -- CMTrace records -----------------------------------------------------------

    def _start_cmtrace(self, line: str, n: int) -> str | None:
        """Open a CMTrace record; finish it at once if its trailer is on this line."""
        self.cm_lines = [line]
        self.cm_start = n
        self.cm_size = len(line)
        body = line[line.index(_OPEN) + len(_OPEN) :]
        trailer = lf.find_trailer(body)
        if trailer is None:
            return None
        return self._finish_cmtrace([body[: trailer[0]]], body, trailer)

    def _continue_cmtrace(self, line: str) -> str | None:
        """Add an inner line to the open record; return text left after its trailer."""
        trailer = lf.find_trailer(line)
        if trailer is not None:
            first = self.cm_lines[0]
            body = [first[first.index(_OPEN) + len(_OPEN) :], *self.cm_lines[1:]]
            return self._finish_cmtrace([*body, line[: trailer[0]]], line, trailer)
        self.cm_lines.append(line)
        self.cm_size += len(line) + 1
        if self.cm_size > MAX_RECORD:
            self._abandon_cmtrace()
        return None

    def _finish_cmtrace(self, parts: list[str], line: str, trailer: tuple[int, int]) -> str | None:
        """Emit the open record with the attributes of its trailer."""
        start, end = trailer
        fields = lf.cmtrace_fields(line[start:end])
        message = "\n".join(parts).rstrip()
        self.out.append(LogRecord(self.cm_start, message, format="cmtrace", **fields))
        self.cm_lines = []
        rest = line[end:]
        return rest if rest.strip() else None

    def _abandon_cmtrace(self) -> None:
        """Give up an unterminated record: its lines become records of their own."""
        lines, start = self.cm_lines, self.cm_start
        self.cm_lines = []
        self.out.append(LogRecord(start, lines[0].strip()))
        for i, line in enumerate(lines[1:], start + 1):
            self._new(line, i)

    # -- setupact records ----------------------------------------------------------

    def _close_setup(self) -> None:
        """Emit the open setupact record, continuation lines included."""
        if self.setup is None:
            return
        s = self.setup
        self.setup = None
        self.out.append(
            LogRecord(
                int(s["line"]),
                "\n".join(self.setup_lines).rstrip(),
                str(s["component"]),
                time=str(s["time"]),
                date=str(s["date"]),
                severity=s["severity"],
                format="setupact",
            )
        )
        self.setup_lines = []


class CountedLines:
    """Wrap a line iterator and count the lines it has yielded (``n``)."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = lines
        self.n = 0

    def __iter__(self) -> Iterator[str]:
        """Yield the lines, counting them."""
        for line in self.lines:
            self.n += 1
            yield line


def parse_lines(lines: Iterable[str]) -> Iterator[LogRecord]:
    """Parse lines of any mix of log shapes into records, streaming."""
    parser = LineParser()
    for line in lines:
        parser.feed(line)
        if parser.out:
            yield from parser.out
            parser.out.clear()
    parser.close()
    yield from parser.out


def parse_text(text: str) -> list[LogRecord]:
    """Parse pasted log text into records."""
    return list(parse_lines(text_lines(text)))


def read_log(path: str | PathLike[str]) -> Iterator[LogRecord]:
    """Stream the records of a log file; raise LogError when it cannot be read."""
    return parse_lines(iter_text_lines(path))


def dominant_format(counts: Counter[str]) -> str:
    """Return the most common structured format in counts, else "plain"."""
    structured = [(n, f) for f, n in counts.items() if f != "plain" and n]
    return max(structured, key=lambda nf: nf[0])[1] if structured else "plain"


def detect_format(sample: str) -> str:
    """Return the log format most of a sample's records have ("plain" if none)."""
    return dominant_format(Counter(r.format for r in parse_text(sample)))
