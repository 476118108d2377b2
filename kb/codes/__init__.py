"""Error codes: parse what users type, decode values, find codes in logs.

The public API of the code module; other modules import only these names.
Names come from a table generated from the mingw-w64 headers
(``kb/data/codes.tsv``), descriptions from ``kb/data/descriptions.yaml`` and the
messages Microsoft documents for Configuration Manager from
``kb/data/configmgr_codes.tsv``; all are read on first use.
"""

from kb.codes.decode import decode, lookup
from kb.codes.descriptions import descriptions as code_descriptions
from kb.codes.documented import documented as documented_codes
from kb.codes.extract import code_values, exit_code_values, extract_codes
from kb.codes.model import CodeInfo, Facility, FoundCode, Reading, Source, format_hex
from kb.codes.parse import parse_code
from kb.codes.table import known_codes
from kb.codes.table import table as code_table

__all__ = [
    "CodeInfo",
    "Facility",
    "FoundCode",
    "Reading",
    "Source",
    "code_descriptions",
    "code_table",
    "code_values",
    "decode",
    "documented_codes",
    "exit_code_values",
    "extract_codes",
    "format_hex",
    "known_codes",
    "lookup",
    "parse_code",
]
