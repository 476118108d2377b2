"""Logs: bytes in any encoding to records, and the analysis of one run.

- ``text``: byte decoding (UTF-8, UTF-16 with or without BOM, legacy code pages) and line splitting
- ``formats`` and ``reader``: the log formats (CMTrace raw and copied, setupact, IIS,
  bitsadmin, plain text) and the streaming reader that turns lines into ``LogRecord``
- ``steps``: what task sequence lines say (step starts, failures, the failure tail)
- ``pipeline``: reading a large log in a second process while the first analyzes it
- ``analysis``: the failing action, its error chain and codes, for one run
"""

from kb.logs.analysis import GENERIC_CODES, analyze_file, analyze_records, analyze_text
from kb.logs.formats import FORMATS, KNOWN_COMPONENTS, LogRecord
from kb.logs.reader import detect_format, parse_lines, parse_text, read_log
from kb.logs.text import decode_bytes, sniff_encoding, text_lines

__all__ = [
    "FORMATS",
    "GENERIC_CODES",
    "KNOWN_COMPONENTS",
    "LogRecord",
    "analyze_file",
    "analyze_records",
    "analyze_text",
    "decode_bytes",
    "detect_format",
    "parse_lines",
    "parse_text",
    "read_log",
    "sniff_encoding",
    "text_lines",
]
