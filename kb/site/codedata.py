"""The code table of the static site: names and written descriptions, for decoding in the browser.

It is a separate file from the search index (it is the same for every corpus
and most of its size): kb/static/engine/ decodes any 32-bit code with it the
way kb.codes.decode does, and finds codes in pastes the way kb.codes.extract
does (which needs to know which values are named).
"""

from __future__ import annotations

from typing import Any

from kb.codes import code_descriptions, code_table, documented_codes


def code_data() -> dict[str, Any]:
    """Return the name table and the written descriptions as JSON-ready data.

    Values are keys in hex without ``0x``; ``written`` is ``[description, hint
    or null, generic]``; ``documented`` is ``[message, hint, source url]`` for the
    codes Microsoft documents for Configuration Manager.
    """
    t = code_table()
    return {
        "version": t.version,
        "win32": _names(t.win32),
        "hresult": _names(t.hresult),
        "ntstatus": _names(t.ntstatus),
        "facilities": {f"{v:x}": name for v, name in sorted(t.facilities.items())},
        "nt_facilities": {f"{v:x}": name for v, name in sorted(t.nt_facilities.items())},
        "written": {
            f"{v:x}": [w.description, w.hint, w.generic] for v, w in sorted(code_descriptions().items())
        },
        "documented": {
            f"{v:x}": [d.message, d.hint, d.source.url] for v, d in sorted(documented_codes().items())
        },
    }


def _names(space: dict[int, tuple[str, ...]]) -> dict[str, list[str]]:
    """Return one number space of the table, hex keys in value order."""
    return {f"{v:x}": list(names) for v, names in sorted(space.items())}
