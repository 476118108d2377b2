"""Render article Markdown to safe HTML, with error codes and article ids linked.

Raw HTML in an article is never passed through (markdown-it ``html=False``), so
an article cannot inject script into the pages. Links are added to text nodes
only: never inside code spans, fenced blocks or existing links, so a log excerpt
is shown exactly as the log writes it. The caller gives the URL functions, which
lets the web app (``url_for``) and the static site (relative paths) share it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

UrlFor = Callable[[str], str]
# A code span holding only a code in a form that cannot be a plain number or word.
_CODE_SPAN_RE = re.compile(r"^(?:0[xX][0-9a-fA-F]{1,8}|[0-9a-fA-F]{8}|-?\d{9,10})$")
# A bare web address in prose (placeholders such as http://<DP_Server>/ are not addresses).
_URL_RE = re.compile(r"\bhttps?://[A-Za-z0-9][^\s<>\"]*")


@dataclass(frozen=True)
class Links:
    """How to link codes and article ids found in the text."""

    code_url: UrlFor | None = None
    article_url: UrlFor | None = None
    article_ids: Collection[str] = field(default_factory=frozenset)
    self_id: str | None = None


def render_markdown(text: str, links: Links | None = None) -> str:
    """Render a Markdown document to HTML (raw HTML escaped, codes and ids linked)."""
    return _md().render(text, {"kb_links": links or Links()})


def render_inline(text: str, links: Links | None = None) -> str:
    """Render one line of Markdown (a summary, a resolution step) without a <p>."""
    return _md().renderInline(text, {"kb_links": links or Links()})


def slug(text: str) -> str:
    """Return the anchor id for a heading: lower case, words joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    """Return the shared parser: CommonMark, tables, no raw HTML, no typographer."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    md.core.ruler.push("kb_heading_ids", _heading_ids)
    md.core.ruler.push("kb_images", _images_as_links)
    md.core.ruler.push("kb_links", _link_text)
    return md


def _images_as_links(state: StateCore) -> None:
    """Show an image as a link to it: pages load nothing, on an intranet with no internet.

    A browser fetches an <img> as the page opens (a request to another host, a
    tracking pixel); a link is followed only when the reader chooses to.
    """
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        out: list[Token] = []
        for child in block.children:
            if child.type != "image":
                out.append(child)
                continue
            src = str(child.attrGet("src") or "")
            label = child.content or src
            out.extend(_link(src, [_text(f"image: {label}")], "image"))
        block.children = out


def _heading_ids(state: StateCore) -> None:
    """Give h2-h4 headings an id so sections can be linked (#resolution)."""
    seen: set[str] = set()
    tokens = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag in ("h2", "h3", "h4") and i + 1 < len(tokens):
            base = slug(tokens[i + 1].content)
            anchor, n = base, 2
            while anchor in seen:
                anchor, n = f"{base}-{n}", n + 1
            seen.add(anchor)
            tok.attrSet("id", anchor)


def _link_text(state: StateCore) -> None:
    """Replace codes and article ids in text tokens with links."""
    links: Links = state.env.get("kb_links") or Links()
    if links.code_url is None and links.article_url is None:
        return
    ids_re = _ids_pattern(frozenset(links.article_ids) - {links.self_id})
    for tok in state.tokens:
        if tok.type != "inline" or not tok.children:
            continue
        out: list[Token] = []
        depth = 0  # inside an author's own link: leave its text alone
        for child in tok.children:
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            if child.type == "text" and depth == 0:
                out.extend(_split(child.content, links, ids_re))
            elif child.type == "code_inline" and depth == 0:
                out.extend(_wrap_code_span(child, links))
            else:
                out.append(child)
        tok.children = out


def _spans(
    text: str, links: Links, ids_re: _IdFinder | None, urls: bool = True
) -> list[tuple[int, int, str, str]]:
    """Return (start, end, kind, href) for each code and article id in the text, in order."""
    found: list[tuple[int, int, str, str]] = []
    addresses = [
        (m.start(), m.start() + len(u), "url", u)
        for m in (_URL_RE.finditer(text) if urls else ())
        if (u := _trim_url(m.group(0)))
    ]
    found.extend(addresses)
    if links.code_url is not None:
        from kb.codes import extract_codes, format_hex

        for c in extract_codes(text):
            if not any(s <= c.start < e for s, e, *_ in addresses):  # a code inside an address
                found.append((c.start, c.end, "code", links.code_url(format_hex(c.value))))
    if ids_re is not None and links.article_url is not None:
        for m in ids_re.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e, *_ in found):
                found.append((m.start(), m.end(), "article", links.article_url(m.group(0))))
    return sorted(found)


def _split(text: str, links: Links, ids_re: _IdFinder | None, urls: bool = True) -> list[Token]:
    """Split one text token into text and link tokens (web addresses too, unless told not)."""
    spans = _spans(text, links, ids_re, urls)
    if not spans:
        return [_text(text)]
    out: list[Token] = []
    pos = 0
    for start, end, kind, href in spans:
        if start < pos:
            continue
        if start > pos:
            out.append(_text(text[pos:start]))
        out.extend(_link(href, [_text(text[start:end])], kind))
        pos = end
    if pos < len(text):
        out.append(_text(text[pos:]))
    return out


def _trim_url(url: str) -> str:
    """Drop the sentence's punctuation and an unbalanced ')' from the end of an address."""
    while url and (url[-1] in ".,;:!?'" or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return url if "://" in url and not url.endswith("://") else ""


def _wrap_code_span(tok: Token, links: Links) -> list[Token]:
    """Link the error codes in a code span: the whole span when it is a code alone."""
    if links.code_url is None:
        return [tok]
    from kb.codes import format_hex, parse_code
    from kb.errors import CodeError

    text = tok.content.strip()
    if _CODE_SPAN_RE.match(text):  # `80070002` alone: no error word, but clearly a code
        try:
            return _link(links.code_url(format_hex(parse_code(text))), [tok], "code")
        except CodeError:
            return [tok]
    inner = _split(tok.content, Links(code_url=links.code_url), None, urls=False)
    if len(inner) == 1:
        return [tok]
    # A quoted log line: keep it one <code> element, with links inside. The text
    # tokens are escaped by the renderer; the two tags are fixed strings.
    return [_html("<code>"), *inner, _html("</code>")]


# An id is a whole run of [\w-] (ids hold only letters, digits, '-' and '_'), not
# part of a path or a file name: find the runs, then keep those that are ids.
_ID_RUN_RE = re.compile(r"(?<![\w/.-])[\w-]+(?![\w/-]|\.\w)")


class _IdFinder:
    """Find article ids in text; the same matches as one regex of every id, longest first.

    That regex had to be compiled per page (each page leaves out its own id) and
    tried every id at every word: with thousands of articles, most of a site build.
    """

    def __init__(self, ids: frozenset[str]) -> None:
        self.ids = ids

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return (m for m in _ID_RUN_RE.finditer(text) if m.group(0) in self.ids)


def _ids_pattern(ids: frozenset[str]) -> _IdFinder | None:
    """Return a finder of any of the ids as a whole word."""
    return _IdFinder(ids) if ids else None


def _text(content: str) -> Token:
    """Return a text token."""
    tok = Token("text", "", 0)
    tok.content = content
    return tok


def _html(markup: str) -> Token:
    """Return a fixed piece of markup (never user text)."""
    tok = Token("html_inline", "", 0)
    tok.content = markup
    return tok


def _link(href: str, inner: list[Token], kind: str) -> list[Token]:
    """Return link_open (class code-link or article-link), the inner tokens and link_close."""
    attrs: dict[str, Any] = {"href": href, "class": f"{kind}-link"}
    return [Token("link_open", "a", 1, attrs=attrs), *inner, Token("link_close", "a", -1)]
