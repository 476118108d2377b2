"""Feed a UTF-8 log to the analyzer, decoding and parsing only the lines that can matter.

Most records of a large smsts.log are ordinary one-line CMTrace records: no error
type, no signal or error word, no machine name, no long number that could be a
code, no signature word. For those the analyzer only counts the record and notes
its date, so they are recognised on the raw bytes and never decoded, parsed into a
LogRecord or fed. Every other line takes the full path (:class:`LineParser`, then
``Analyzer.feed``), and so do all lines while a multi-line record is open, while
the analyzer waits for a failure's detail line, and for the first records, which
tell the log's kind. The result is the same as feeding every line (tested on the
real logs and on generated fleets).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain

from kb.codes import code_values
from kb.logs.analysis import CLUE_RECORDS, Analyzer
from kb.logs.formats import LogRecord, cmtrace_date, cmtrace_time
from kb.logs.reader import LineParser
from kb.logs.steps import ERROR_KEYWORDS, PREFILTER_WORDS, REBOOT_CODES
from kb.logs.text import MAX_LINE, decode_raw_line, raw_lines

_OPEN = b"<![LOG["
_TRAILER = b"]LOG]!><time="
# The trailer lf.WHOLE_CMTRACE accepts, on bytes, for any type but 3: a line that
# matches it is one record, read as the parser would.
_WHOLE_TRAILER = re.compile(
    rb'\]LOG\]!><time="([^"]*+)"\s++date="([^"]*+)"\s++component="([^"]*+)"\s++context="[^"]*+"'
    rb'\s++type="(?!3")([^"]*+)"\s++thread="([^"]*+)"(?:\s++[\w-]+="[^"]*+")*\s*+>\s*+\Z'
)
# steps.might_hold_code on bytes: hex digits become "x", the rest ".", then a substring test.
_HEX_MAP = bytes(ord("x") if chr(b) in "0123456789abcdefABCDEF" else ord(".") for b in range(256))
_SEVEN = b"xxxxxxx"
# What a high-bit code needs in a line without error words (kb.codes.extract): "0x",
# eight hex digits in brackets, ten digits, or a code word before the number.
_CODE_HINT = re.compile(
    rb"0x|\([89cd][0-9a-f]{7}\)|[0-9]{10}|err|code|return|result|received|status|gle|hr"
)
_GATE = tuple(dict.fromkeys(k.encode() for k in (*PREFILTER_WORDS, *ERROR_KEYWORDS)))


def gate_terms(watch: Iterable[str]) -> tuple[bytes, ...]:
    """Return the lower-case words that send a line down the full path: signals, errors, watch terms.

    A watch term that holds a signal or error word needs no test of its own.
    """
    extra = [w.encode() for w in watch if w.isascii() and not any(g in w.encode() for g in _GATE)]
    return _GATE + tuple(dict.fromkeys(extra))


@lru_cache(maxsize=16)
def gate_pattern(terms: tuple[bytes, ...]) -> re.Pattern[bytes]:
    """Compile the terms into one regex shaped as a trie (shared prefixes written once).

    A plain alternation tries every word at every position; the trie tries one
    branch per first letter, several times faster on long logs.
    """
    tree: dict = {}
    for term in terms:
        node = tree
        for byte in term:
            node = node.setdefault(byte, {})
        node[None] = {}

    def emit(node: dict) -> bytes:
        if None in node:  # a shorter term ends here: it alone decides the match
            return b""
        parts = [re.escape(bytes([b])) + emit(sub) for b, sub in sorted(node.items())]
        return parts[0] if len(parts) == 1 else b"(?:" + b"|".join(parts) + b")"

    return re.compile(emit(tree))


# Letters from the rarest to the most common in log messages; anything else (spaces,
# digits, punctuation, common in paths and numbers) counts as more common still.
_RARITY = {c: i for i, c in enumerate(b"qxzjkvwybgfphumcdlrsnotiae")}
_QUICK = 10


def quick_terms(terms: tuple[bytes, ...]) -> tuple[bytes, ...]:
    """Return a piece of each term that starts with its rarest letter (a first, quick gate).

    The regex engine skips positions whose byte cannot start a term; pieces that
    start with rare letters let it skip most of a line. A line without any piece
    holds no term; a line with one is checked against the whole terms.
    """
    pieces = []
    for term in terms:
        # A piece keeps eight bytes of a long term (short pieces of it are common), four of a short one.
        last = len(term) - min(len(term), 8 if len(term) >= 12 else 4)
        start = min(range(last + 1), key=lambda i: _RARITY.get(term[i], 99))
        pieces.append(term[start : start + _QUICK])
    return tuple(dict.fromkeys(pieces))


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
        self.gate = gate_pattern(terms).search
        # The quick pieces also catch a record opened inside the message ("<![log[").
        self.quick = gate_pattern((*quick_terms(terms), _OPEN.lower())).search
        self.n = 0
        self.skipped = 0
        self.last_skipped = 0
        self.raw_date = b""
        self.date = ""

    def idle(self) -> bool:
        """Tell whether the next ordinary record may be skipped."""
        p, a = self.parser, self.analyzer
        return (
            not p.cm_lines
            and p.setup is None
            and not a.expect_detail
            and a.clue_records >= CLUE_RECORDS
        )

    def full(self, line: bytes) -> bool:
        """Send one line down the full path (decode, parse, feed); return idle()."""
        p = self.parser
        p.n = self.n - 1
        p.feed(decode_raw_line(line))
        if p.out:
            for record in p.out:
                self.analyzer.feed(record)
            p.out.clear()
        return self.idle()

    def lines(self, lines: Iterable[bytes]) -> None:
        """Send every line down the full path."""
        for line in lines:
            self.n += 1
            self.full(line)

    def block(self, block: bytes) -> None:
        """Feed a block of whole lines, each ending in LF or CRLF: skip ordinary records."""
        analyzer, gate, quick = self.analyzer, self.gate, self.quick
        trailer = _WHOLE_TRAILER.match
        low = block.lower()
        hexes = block.translate(_HEX_MAP)
        clean = block.isascii() and b"\x00" not in block
        idle = self.idle()
        # Locals, written back at the end: this loop runs once per line of the log.
        n, skipped, last_skipped = self.n, self.skipped, self.last_skipped
        raw_date, date, known = self.raw_date, self.date, analyzer.date
        pos, size = 0, len(block)
        while pos < size:
            nl = block.find(b"\n", pos)
            n += 1
            if idle and block.startswith(_OPEN, pos):
                start = pos + 7
                t = block.find(_TRAILER, start, nl)
                m = trailer(block, t, nl) if t > 0 else None  # its \s*+ takes a CRLF's CR
                if m is not None and (clean or _clean(block[pos:nl])):
                    if (
                        quick(low, start, t) is None
                        or (gate(low, start, t) is None and block.find(_OPEN, start, t) < 0)
                    ) and (
                        hexes.find(_SEVEN, start, t) < 0
                        or not _error_code(block[start:t], low[start:t])
                    ):
                        # An ordinary record: count it and note its date, nothing else.
                        skipped += 1
                        last_skipped = n
                        if m.group(2) != raw_date:
                            raw_date = m.group(2)
                            date = cmtrace_date(raw_date.decode())
                        if date != known and date:
                            analyzer.note_date(date)
                            known = date
                        pos = nl + 1
                        continue
                    if block.find(_OPEN, start, t) < 0:
                        # One whole record: what the parser would make of it, made here.
                        self.parser.n = n
                        analyzer.feed(_record(block[start:t], m, n))
                        idle = self.idle()
                        known = analyzer.date
                        pos = nl + 1
                        continue
            self.n = n
            idle = self.full(block[pos : nl - 1 if block[nl - 1] == 13 else nl])  # no CR
            known = analyzer.date
            pos = nl + 1
        self.n, self.skipped, self.last_skipped = n, skipped, last_skipped
        self.raw_date, self.date = raw_date, date

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


def _record(message: bytes, m: re.Match[bytes], n: int) -> LogRecord:
    """Return the record lf.whole_cmtrace_record makes of an ASCII line (see _WHOLE_TRAILER)."""
    time, date, component, sev, thread = (g.decode() for g in m.groups())
    return LogRecord(
        n,
        message.decode().rstrip(),
        component,
        time=cmtrace_time(time),
        date=cmtrace_date(date),
        severity=int(sev) if sev in ("0", "1", "2", "3") else None,
        thread=int(thread) if thread.isdigit() else None,
        format="cmtrace",
    )


def _clean(line: bytes) -> bool:
    """Tell whether a line is ASCII without NULs (decoding it changes nothing the gate saw)."""
    return line.isascii() and b"\x00" not in line


def _error_code(message: bytes, low: bytes) -> bool:
    """Tell whether an ASCII line without error words is an error line through its codes alone.

    That is Analyzer.feed's decision: a high-bit code other than a restart code.
    """
    if _CODE_HINT.search(low) is None:
        return False
    return any(c & 0x80000000 and c not in REBOOT_CODES for c in code_values(message.decode()))


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
