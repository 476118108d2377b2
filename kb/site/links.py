"""The static site's ``link(kind, arg)``: relative paths from the page being rendered.

The web app's templates build every URL with ``link``; the web app answers with
``url_for``, the static site with paths relative to the page, so the folder
works from any sub-path of a web server, from a file share and from file://.
A page one folder down (``articles/KB977203.html``) renders with the prefix
``../``. Searches go to the home page with the query in the fragment
(``index.html#q=...``), which the browser never sends to a server.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from urllib.parse import quote

LinkFunc = Callable[..., str]

HOME = "index.html"
ARTICLES = "articles/index.html"
OPENSEARCH = "opensearch.xml"


def article_path(article_id: str) -> str:
    """Return the site path of an article page."""
    return f"articles/{quote(article_id, safe='')}.html"


def code_path(hex_code: str) -> str:
    """Return the site path of a code page (``0x`` and 8 upper-case digits)."""
    return f"codes/{hex_code}.html"


def search_fragment(query: str | None) -> str:
    """Return ``#q=<query>`` (empty for no query), percent-encoded."""
    return "" if query is None else "#q=" + quote(query, safe="")


def make_link(prefix: str, code_pages: Collection[str]) -> LinkFunc:
    """Return ``link(kind, arg=None)`` for pages whose path to the site root is ``prefix``.

    ``code_pages`` holds the hex codes that have a page; a link to any other
    code searches for it instead, so no link is ever broken.
    """
    pages = frozenset(code_pages)

    def link(kind: str, arg: str | None = None) -> str:
        if kind == "home":
            return prefix + HOME
        if kind == "articles":
            return prefix + ARTICLES
        if kind == "article":
            return prefix + article_path(str(arg))
        if kind == "code":
            hex_code = normalise_hex(str(arg))
            if hex_code in pages:
                return prefix + code_path(hex_code)
            return prefix + HOME + search_fragment(hex_code)
        if kind == "static":
            return prefix + "static/" + str(arg)
        if kind == "search":
            return prefix + HOME + search_fragment(arg)
        if kind == "opensearch":
            return prefix + OPENSEARCH
        raise ValueError(f"unknown link kind {kind!r}")

    return link


def normalise_hex(text: str) -> str:
    """Return a code written as hex in the canonical ``0x%08X`` form (unchanged if not hex)."""
    try:
        return f"0x{int(text, 16) & 0xFFFFFFFF:08X}"
    except ValueError:
        return text
