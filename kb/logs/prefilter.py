"""Feed a UTF-8 log to the analyzer, decoding and parsing only the lines that can matter.

Most records of a large smsts.log are ordinary one-line CMTrace records: no error
type, no signal or error word, no machine name, no long number that could be a
code, no signature word (see :mod:`kb.logs.gate`). For those the analyzer only
counts the record and notes its date, so they are recognised on the raw bytes and
never decoded, parsed into a LogRecord or fed. Every other line takes the full path
(:class:`LineParser`, then ``Analyzer.feed``), and so do all lines while a
multi-line record is open, while the analyzer waits for a failure's detail line,
and for the first records, which tell the log's kind. The result is the same as
feeding every line (tested on the real logs, on generated fleets and on random mixes).

The work is done a block of lines at a time, with a few passes of the regex engine
over the whole block instead of Python code for each line: one substitution takes
the trailer off every ordinary record (its "skeleton" keeps the messages and marks
where a trailer was taken), a search of the skeleton finds the lines that may
matter, and the runs of ordinary lines between them are counted, not visited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain

from kb.logs.analysis import CLUE_RECORDS, Analyzer
from kb.logs.formats import LogRecord, cmtrace_date, cmtrace_time
from kb.logs.gate import (
    DIGIT_MAP,
    HEX_MAP,
    HINT_WORDS,
    SEVEN,
    TEN,
    error_code,
    gate_terms,
    holds_term,
    term_finder,
    word_pattern,
)
from kb.logs.reader import LineParser
from kb.logs.text import MAX_LINE, decode_raw_line, raw_lines

_OPEN = b"<![LOG["
_OPEN_LOW = _OPEN.lower()
_TRAILER = b"]LOG]!><time="
# The trailer lf.WHOLE_CMTRACE accepts, on bytes, for any type but 3: a line that
# matches it is one record, read as the parser would.
_WHOLE_TRAILER = re.compile(
    rb'\]LOG\]!><time="([^"]*+)"\s++date="([^"]*+)"\s++component="([^"]*+)"\s++context="[^"]*+"'
    rb'\s++type="(?!3")([^"]*+)"\s++thread="([^"]*+)"(?:\s++[\w-]+="[^"]*+")*\s*+>\s*+\Z'
)
_DATE = re.compile(rb'\]LOG\]!><time="[^"\n]*+"\s++date="([^"\n]*+)"')
# Put where an ordinary record's trailer was taken off, after its line break. It is no
# UTF-8 byte; a block that holds one anyway is read line by line.
_MARK = 0xFF
_UNUSUAL_BREAK = re.compile(rb"\n(?!\xff<!\[LOG\[)")
_UNCLEAN = re.compile(rb"[\x00\x80-\xfe]")


@lru_cache(maxsize=64)
def _ordinary_trailer(date: bytes, within_line: bool) -> re.Pattern[bytes]:
    """Compile the trailer CMTrace writes on an ordinary record of this date, with its line break.

    It accepts fewer trailers than _WHOLE_TRAILER (single spaces, type 0 to 2, at most
    a file attribute): a record that it misses is only checked by itself. Unless
    ``within_line``, a value may run on past a line break, which the regex engine
    checks faster; a substitution that did so shows in its count of line breaks.
    """
    value = rb'[^"\n]*+' if within_line else rb'[^"]*+'
    return re.compile(
        rb'\]LOG\]!><time="%s" date="%s" component="%s" context="%s" type="[012]" thread="%s"'
        rb'(?: file="%s")?>\r?\n' % (value, re.escape(date), value, value, value, value)
    )


def feed_raw_chunks(chunks: Iterable[bytes], analyzer: Analyzer) -> int:
    """Feed a UTF-8 log's bytes (after any BOM) to the analyzer; return the number of lines.

    The bytes are cut into blocks of whole lines (ending in LF or CRLF); a block with
    a lone CR, or a line longer than MAX_LINE, hands the rest of the stream to the
    plain line splitter (kb.logs.text), whose lines all take the full path.
    """
    run = _Run(analyzer)
    it = iter(chunks)
    tail = b""
    for chunk in it:
        buf = tail + chunk
        cut = buf.rfind(b"\n") + 1
        block, tail = buf[:cut], buf[cut:]
        crs = block.count(b"\r")
        if len(tail) > MAX_LINE or (crs and crs != block.count(b"\r\n")):
            run.lines(raw_lines(chain([buf], it)))
            return run.close()
        if block:
            run.block(block)
    if tail:
        run.lines(raw_lines([tail]))
    return run.close()


class _Run:
    """One prefiltered log: its parser, its analyzer, and the records skipped so far."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.parser = LineParser()
        terms = gate_terms(analyzer.watch)
        self.gate = term_finder(terms)
        # In a skeleton: the terms, and a trailer left in place (a message holding one).
        self.finder = term_finder((*terms, _TRAILER.lower())).find_matches_as_indexes
        self.hint = word_pattern(HINT_WORDS).search
        self.n = 0
        self.skipped = 0
        self.last_skipped = 0
        self.dates: dict[bytes, str] = {}
        self.ready = self.idle()

    def idle(self) -> bool:
        """Tell whether the next ordinary record may be skipped."""
        p, a = self.parser, self.analyzer
        return (
            not p.cm_lines
            and p.setup is None
            and not a.expect_detail
            and a.clue_records >= CLUE_RECORDS
        )

    def full(self, line: bytes) -> None:
        """Send one line (without its line break) down the full path: decode, parse, feed."""
        p = self.parser
        p.n = self.n - 1
        p.feed(decode_raw_line(line))
        if p.out:
            for record in p.out:
                self.analyzer.feed(record)
            p.out.clear()
        self.ready = self.idle()

    def lines(self, lines: Iterable[bytes]) -> None:
        """Send every line down the full path."""
        for line in lines:
            self.n += 1
            self.full(line)

    def skip(self, count: int, raw_date: bytes) -> None:
        """Count ordinary records of one date without reading them."""
        self.n += count
        self.skipped += count
        self.last_skipped = self.n
        date = self.dates.get(raw_date)
        if date is None:
            date = self.dates[raw_date] = cmtrace_date(raw_date.decode())
        if date and date != self.analyzer.date:
            self.analyzer.note_date(date)

    def one(self, line: bytes) -> None:
        """Take one line (its CR kept, its LF not): skip it if ordinary, else feed it."""
        self.n += 1
        if self.ready and line.startswith(_OPEN):
            t = line.find(_TRAILER, 7)
            m = _WHOLE_TRAILER.match(line, t) if t > 0 else None  # its \s*+ takes a CR
            if m is not None and line.isascii() and b"\x00" not in line:
                message = line[7:t]
                low = message.lower()
                if (
                    not holds_term(self.gate, low)
                    and _OPEN not in message
                    and (SEVEN not in message.translate(HEX_MAP) or not error_code(message, low))
                ):
                    self.n -= 1
                    self.skip(1, m.group(2))
                    return
                if _OPEN not in message:
                    # One whole record: what the parser would make of it, made here.
                    self.parser.n = self.n
                    self.analyzer.feed(_record(message, m, self.n, self.dates))
                    self.ready = self.idle()
                    return
        self.full(line[:-1] if line.endswith(b"\r") else line)

    def block(self, block: bytes) -> None:
        """Feed a block of whole lines, each ending in LF or CRLF: skip ordinary records."""
        if _MARK in block or _TRAILER not in block:  # not CMTrace: every line by itself
            p = self.parser
            for line in block.split(b"\n")[:-1]:
                if not line.strip() and not p.cm_lines and p.setup is None:
                    # A blank line outside any record ends nothing and starts nothing
                    # (LineParser._new_once): counted, not parsed. A log of blank lines
                    # (a zip of 190 MB of them) took minutes when each was parsed.
                    self.n += 1
                    continue
                self.one(line)
            return
        while block:
            date, cut = _date_part(block)
            self.part(block[:cut] if cut < len(block) else block, date)
            block = block[cut:]

    def part(self, block: bytes, date: bytes) -> None:
        """Feed a block whose ordinary records all bear this date (others are checked one by one)."""
        lines = block.split(b"\n")
        skeleton = _ordinary_trailer(date, False).sub(b"\n\xff", block)
        if skeleton.count(b"\n") != len(lines) - 1:  # a trailer ran on past its line
            skeleton = _ordinary_trailer(date, True).sub(b"\n\xff", block)
        starts = self.candidates(skeleton, block.isascii() and b"\x00" not in block)
        size = len(skeleton)
        starts.append(size)
        pos = i = 0
        for start in starts:
            while pos < start:
                if self.ready:
                    count = skeleton.count(b"\n", pos, start)
                    self.skip(count, date)
                    i += count
                    pos = start
                    break
                self.one(lines[i])
                i += 1
                pos = _next_line(skeleton, pos)
            if pos == start < size:
                self.one(lines[i])
                i += 1
                pos = _next_line(skeleton, pos)

    def candidates(self, skeleton: bytes, clean: bool) -> list[int]:
        """Return where the lines of a skeleton that are not plainly ordinary start, in order."""
        low = skeleton.lower()
        hits = [0]
        hits.extend(start for _, start, _ in self.finder(low))
        for m in _UNUSUAL_BREAK.finditer(skeleton):
            # The line this break ends was not ordinary, or the next one is not a record.
            hits.append(m.start())
            hits.append(m.start() + 1)
        # A code: seven hex digits and a hint word on the line, or ten digits.
        hexes, hint = skeleton.translate(HEX_MAP), self.hint
        at = hexes.find(SEVEN)
        while at >= 0:
            end = skeleton.find(b"\n", at)
            if hint(low, skeleton.rfind(b"\n", 0, at) + 1, end):
                hits.append(at)
            at = hexes.find(SEVEN, end)
        digits = skeleton.translate(DIGIT_MAP)
        at = digits.find(TEN)
        while at >= 0:
            hits.append(at)
            at = digits.find(TEN, skeleton.find(b"\n", at))
        if not clean:
            hits.extend(m.start() for m in _UNCLEAN.finditer(skeleton))
        opens = low.count(_OPEN_LOW)
        if opens != low.count(b"\xff" + _OPEN_LOW) + low.startswith(_OPEN_LOW):
            # A record opened inside a line.
            at = low.find(_OPEN_LOW, 1)
            while at >= 0:
                if low[at - 1] != _MARK:
                    hits.append(at)
                at = low.find(_OPEN_LOW, at + 1)
        starts = set()
        size = len(skeleton)
        for hit in hits:
            start = skeleton.rfind(b"\n", 0, hit) + 1
            if start < size and skeleton[start] == _MARK:
                start += 1
            if start < size:
                starts.add(start)
        return sorted(starts)

    def close(self) -> int:
        """Finish the records still open, add the skipped ones' counts; return the line count."""
        p, a = self.parser, self.analyzer
        p.close()
        for record in p.out:
            a.feed(record)
        p.out.clear()
        a.records += self.skipped
        a.last_line = max(a.last_line, self.last_skipped)
        if self.skipped:
            a.formats["cmtrace"] += self.skipped
        return self.n


def _next_line(skeleton: bytes, pos: int) -> int:
    """Return where the line after the one at pos starts in a skeleton (past its mark)."""
    pos = skeleton.find(b"\n", pos) + 1
    return pos + 1 if pos < len(skeleton) and skeleton[pos] == _MARK else pos


def _date_part(block: bytes) -> tuple[bytes, int]:
    """Return the date of a block's first record and where the records of its last date start.

    A log's date changes rarely; a block that spans two dates is cut where the later
    one first appears, so that most of its records bear one date.
    """
    first = _DATE.search(block)
    if first is None:
        return b"", len(block)
    last = _DATE.match(block, block.rfind(_TRAILER))
    if last is None or last.group(1) == first.group(1):
        return first.group(1), len(block)
    later = block.find(b'date="' + last.group(1) + b'"', first.end())
    cut = block.rfind(b"\n", 0, later) + 1
    return first.group(1), cut if cut > 0 else len(block)


def _record(message: bytes, m: re.Match[bytes], n: int, dates: dict[bytes, str]) -> LogRecord:
    """Return the record lf.whole_cmtrace_record makes of an ASCII line (see _WHOLE_TRAILER).

    ``dates`` caches the ISO form of each raw date: a log has few.
    """
    time, raw_date, component, sev, thread = m.groups()
    date = dates.get(raw_date)
    if date is None:
        date = dates[raw_date] = cmtrace_date(raw_date.decode())
    return LogRecord(
        n,
        message.decode().rstrip(),
        component.decode(),
        time=cmtrace_time(time.decode()),
        date=date,
        severity=int(sev) if sev in (b"0", b"1", b"2", b"3") else None,
        thread=int(thread) if thread.isdigit() else None,
        format="cmtrace",
    )


def feed_lines(lines: Iterable[str], analyzer: Analyzer) -> int:
    """Feed decoded lines to the analyzer, every one through the parser; return their number."""
    parser = LineParser()
    out = parser.out
    n = 0
    for line in lines:
        n += 1
        parser.feed(line)
        if out:
            for record in out:
                analyzer.feed(record)
            out.clear()
    parser.close()
    for record in out:
        analyzer.feed(record)
    return n
