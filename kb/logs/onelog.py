"""Analyze one log: from a file, a byte stream (an upload, a zip member), pasted text or records."""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike

from kb.logs.analysis import Analyzer
from kb.logs.prefilter import feed_lines, feed_raw_chunks
from kb.logs.reader import LogRecord, parse_lines
from kb.logs.results import Analysis
from kb.logs.text import decoded_lines, read_file_chunks, sniff_stream, text_lines


def feed_stream(
    analyzer: Analyzer, name: str, chunks: Iterable[bytes], *, prefilter: bool = True
) -> int:
    """Feed a log's bytes to the analyzer; return its line count; raise LogError if binary.

    UTF-8 logs go through the prefilter (kb.logs.prefilter) unless ``prefilter`` is
    off, which gives the same result more slowly.
    """
    encoding, body = sniff_stream(name, chunks)
    if encoding == "utf-8" and prefilter:
        return feed_raw_chunks(body, analyzer)
    return feed_lines(decoded_lines(body, encoding), analyzer)


def analyze_stream(
    name: str, chunks: Iterable[bytes], *, watch: Iterable[str] = (), prefilter: bool = True
) -> Analysis:
    """Analyze a log given as a stream of bytes; raise LogError when it is not a text log."""
    analyzer = Analyzer(watch)
    analyzer.start_file(name, 0)
    lines = feed_stream(analyzer, name, chunks, prefilter=prefilter)
    return analyzer.finish(name, "", lines, name=name)


def analyze_file(
    path: str | PathLike[str], *, watch: Iterable[str] = (), prefilter: bool = True
) -> Analysis:
    """Analyze a log file; raise LogError when it cannot be read."""
    return analyze_stream(str(path), read_file_chunks(path), watch=watch, prefilter=prefilter)


def analyze_text(text: str, *, name: str = "<paste>", watch: Iterable[str] = ()) -> Analysis:
    """Analyze pasted log text."""
    lines = text_lines(text)
    return analyze_records(parse_lines(lines), file=name, lines=len(lines), watch=watch)


def analyze_records(
    records: Iterable[LogRecord],
    *,
    file: str = "",
    format: str = "",
    lines: int | None = None,
    watch: Iterable[str] = (),
) -> Analysis:
    """Analyze log records in one pass: did the run fail, where, and why."""
    analyzer = Analyzer(watch)
    analyzer.start_file(file, 0)
    for record in records:
        analyzer.feed(record)
    return analyzer.finish(file, format, lines, name=file)
