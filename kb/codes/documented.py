"""Codes with a message that Microsoft documents for Configuration Manager.

``kb/data/configmgr_codes.tsv`` holds one row per documented code: the code
(hex, or decimal as the source writes it), the error source the page names
(``Configuration Manager``, ``MSI``, ``Windows``...), the message quoted from
the page, a hint written for kb, and the id of the source. Each source is
declared in a header line::

    # source <id>: <title, URL, repository path and commit>; <copyright>, <licence>

Lines starting with ``#`` are comments. The file is read on first use only.
"""

from __future__ import annotations

import os
import re
from functools import cache
from typing import NamedTuple

from kb.codes.table import DATA_DIR
from kb.errors import CodeError

_SOURCE = re.compile(r"# source (?P<id>[\w-]+): (?P<text>.+)")
_URL = re.compile(r"https://\S+")
_CODE = re.compile(r"0x[0-9A-F]{8}|[0-9]{1,5}")


class Source(NamedTuple):
    """Where documented messages come from: its id, full citation and web address."""

    id: str
    citation: str
    url: str


class Documented(NamedTuple):
    """One documented code: the page's error source, the quoted message and a hint."""

    area: str
    message: str
    hint: str
    source: Source


def parse_documented(text: str) -> dict[int, Documented]:
    """Parse the text of configmgr_codes.tsv, keyed by value (raises CodeError)."""
    sources: dict[str, Source] = {}
    rows: dict[int, Documented] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        m = _SOURCE.fullmatch(line)
        if m:
            url = _URL.search(m["text"])
            if url is None:
                raise CodeError(f"documented codes line {number}: the source has no https address")
            sources[m["id"]] = Source(m["id"], m["text"], url.group())
            continue
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 5 or not all(f.strip() for f in fields):
            raise CodeError(
                f"documented codes line {number}: expected code, area, message, hint, source"
            )
        code, area, message, hint, source_id = fields
        if not _CODE.fullmatch(code):
            raise CodeError(f"documented codes line {number}: bad code {code!r}")
        if source_id not in sources:
            raise CodeError(f"documented codes line {number}: unknown source {source_id!r}")
        value = int(code, 16) if code.startswith("0x") else int(code)
        if value in rows:
            raise CodeError(f"documented codes line {number}: {code} is listed twice")
        rows[value] = Documented(area, message, hint, sources[source_id])
    return rows


def documented_text() -> str:
    """Return the text of the packaged configmgr_codes.tsv."""
    with open(os.path.join(DATA_DIR, "configmgr_codes.tsv"), encoding="utf-8") as f:
        return f.read()


@cache
def documented() -> dict[int, Documented]:
    """Return the packaged documented codes, reading them on first use."""
    return parse_documented(documented_text())


def documented_of(value: int) -> Documented | None:
    """Return the documented message of a value, or None."""
    return documented().get(value)
