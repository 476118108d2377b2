"""Written descriptions of the codes most seen in deployments, from descriptions.yaml.

``kb/data/descriptions.yaml`` maps a quoted hex key (``"0x80070002"``) to a
mapping with ``description`` (one plain sentence, required), ``hint`` (what the
code usually means in a ConfigMgr deployment, optional) and ``generic`` (true for
catch-all codes that show up in many unrelated failures, optional). Names are
never written there: they come from the header table only.

The file is read on first use only.
"""

from __future__ import annotations

import os
import re
from functools import cache
from typing import Any, NamedTuple

from kb.codes.table import DATA_DIR
from kb.errors import CodeError

_KEY = re.compile(r"0x[0-9A-F]{8}")
_FIELDS = frozenset(("description", "hint", "generic"))


class Written(NamedTuple):
    """The written text for one code."""

    description: str
    hint: str | None
    generic: bool


def parse_descriptions(data: Any) -> dict[int, Written]:
    """Check loaded YAML data and return it keyed by value (raises CodeError)."""
    if not isinstance(data, dict):
        raise CodeError("descriptions: the file must be a mapping of hex codes")
    written: dict[int, Written] = {}
    for key, entry in data.items():
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise CodeError(f"descriptions: key {key!r} is not a quoted code like '0x80070002'")
        if not isinstance(entry, dict) or not isinstance(entry.get("description"), str):
            raise CodeError(f"descriptions: {key}: a 'description' string is required")
        extra = set(entry) - _FIELDS
        if extra:
            raise CodeError(f"descriptions: {key}: unknown field {sorted(extra)[0]!r}")
        hint = entry.get("hint")
        generic = entry.get("generic", False)
        if hint is not None and not isinstance(hint, str):
            raise CodeError(f"descriptions: {key}: 'hint' must be a string")
        if not isinstance(generic, bool):
            raise CodeError(f"descriptions: {key}: 'generic' must be true or false")
        text = " ".join(entry["description"].split())
        written[int(key, 16)] = Written(text, " ".join(hint.split()) if hint else None, generic)
    return written


def descriptions_text() -> str:
    """Return the text of the packaged descriptions.yaml."""
    with open(os.path.join(DATA_DIR, "descriptions.yaml"), encoding="utf-8") as f:
        return f.read()


@cache
def descriptions() -> dict[int, Written]:
    """Return the packaged descriptions, reading them on first use."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return parse_descriptions(yaml.load(descriptions_text(), Loader=loader))


def written(value: int) -> Written | None:
    """Return the written description of a value, or None."""
    return descriptions().get(value)
