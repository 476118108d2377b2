"""The template helpers the web app and the static site both install in their Jinja env.

Templates never call ``url_for`` or read ``request``: every URL comes from
``link(kind, arg)``, which the web app defines with ``url_for`` and the static
build with relative paths, so the same templates render both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Any

from markupsafe import Markup

from kb.corpus import Links, render_inline, render_markdown

LinkFunc = Callable[..., str]


# Bidirectional overrides and isolates: a pasted line holding U+202E would show its
# codes reversed ("20007008" for 80070002). No log needs them.
_BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_bidi_overrides(value: Any) -> Any:
    """Return what a template prints with every bidi control shown as U+FFFD (Jinja finalize)."""
    if isinstance(value, str) and _BIDI_RE.search(value):
        cleaned = _BIDI_RE.sub("\ufffd", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


def setup_environment(env: Any, link: LinkFunc, server: bool) -> None:
    """Install link, markdown helpers and filters in a Jinja environment.

    ``server`` is true in the web app: templates show the log upload form and the
    OpenSearch link only then (the static site has no server to post to).
    """

    def links(ids: Collection[str] = (), self_id: str | None = None) -> Links:
        return Links(
            code_url=lambda hex_: link("code", hex_),
            article_url=lambda id_: link("article", id_),
            article_ids=frozenset(ids),
            self_id=self_id,
        )

    def markdown(text: str, ids: Collection[str] = (), self_id: str | None = None) -> Markup:
        return Markup(render_markdown(text or "", links(ids, self_id)))

    def inline(text: str, ids: Collection[str] = (), self_id: str | None = None) -> Markup:
        return Markup(render_inline(text or "", links(ids, self_id)))

    env.finalize = without_bidi_overrides
    env.globals.update(link=link, server=server, markdown=markdown, inline=inline)
    env.filters["percent"] = percent
    env.filters["plural"] = plural
    env.filters["thousands"] = thousands


def percent(value: float) -> str:
    """Format a 0..1 score as a whole percentage: 0.934 -> '93%'."""
    return f"{round(float(value) * 100):d}%"


def plural(n: int, word: str, many: str | None = None) -> str:
    """Return '1 article' / '3 articles'."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def thousands(n: int) -> str:
    """Format an integer with thousands separators."""
    return f"{int(n):,}"
