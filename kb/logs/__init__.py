"""Logs: bytes in any encoding to records, and the analysis of one run.

- ``text``: byte decoding (UTF-8, UTF-16 with or without BOM, legacy code pages) and line splitting
- ``formats`` and ``reader``: the log formats (CMTrace raw and copied, setupact, IIS,
  bitsadmin, plain text) and the streaming reader that turns lines into ``LogRecord``
- ``steps``: what task sequence lines say (step starts, failures, the failure tail)
- ``kinds``: which log it is (smsts, ccmsetup, Windows Setup, MDT, script, other) and the verdict's words
- ``analysis`` and ``results``: the failing action, its error chain and codes, for one run
- ``prefilter`` and ``gate``: the fast path that skips ordinary records on the raw bytes, and
  the words (found by an Aho-Corasick automaton) that make a line matter
- ``onelog``: one log from a file, a byte stream, text or records
- ``sources``: the logs of a folder or a zip (read safely, in memory)
- ``machine``: a machine's logs as one run: rotated smsts logs stitched, the others as context
"""

from kb.logs.analysis import GENERIC_CODES, MAX_ERRORS
from kb.logs.formats import FORMATS, KNOWN_COMPONENTS, LogRecord
from kb.logs.kinds import KIND_LABELS, KINDS, actor, kind_from_name
from kb.logs.machine import analyze_logs, analyze_path, analyze_upload
from kb.logs.onelog import analyze_file, analyze_records, analyze_stream, analyze_text
from kb.logs.reader import detect_format, parse_lines, parse_text, read_log
from kb.logs.results import Analysis, ErrorLine, LogSummary
from kb.logs.sources import MAX_ZIP_BYTES, MAX_ZIP_FILES, LogSource, folder_sources, zip_sources
from kb.logs.text import decode_bytes, sniff_encoding, sniff_stream, text_lines

__all__ = [
    "FORMATS",
    "GENERIC_CODES",
    "KINDS",
    "actor",
    "KIND_LABELS",
    "KNOWN_COMPONENTS",
    "MAX_ERRORS",
    "Analysis",
    "ErrorLine",
    "LogRecord",
    "LogSummary",
    "LogSource",
    "MAX_ZIP_BYTES",
    "MAX_ZIP_FILES",
    "analyze_file",
    "analyze_logs",
    "analyze_path",
    "analyze_upload",
    "analyze_records",
    "analyze_stream",
    "analyze_text",
    "decode_bytes",
    "detect_format",
    "folder_sources",
    "kind_from_name",
    "parse_lines",
    "parse_text",
    "read_log",
    "sniff_encoding",
    "sniff_stream",
    "text_lines",
    "zip_sources",
]
