"""Render the static site's pages with the web app's own templates and context builders.

The templates are kbserver/templates, unchanged; the page contexts come from
kbserver.views. What differs is only ``link`` (relative paths, kb.site.links)
and a thin wrapper per page that swaps the script block for the browser
search and adds the static-only head lines (stylesheet, canonical link).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, select_autoescape

import kbserver
from kb.site.links import ARTICLES, HOME, article_path, code_path, make_link

if TYPE_CHECKING:
    from kb.search import Engine

TEMPLATES = Path(kbserver.__file__).resolve().parent / "templates"
INDEX_SCRIPT = "data/search-index.js"
CODES_SCRIPT = "data/codes.js"

_HEAD = """{{ super() }}
<link rel="stylesheet" href="{{ link('static', 'site.css') }}">
{% if base_url %}<link rel="canonical" href="{{ base_url }}/{{ page_path }}">
<link rel="search" type="application/opensearchdescription+xml" title="kb" href="{{ link('opensearch') }}">{% endif %}"""
_SCRIPTS = """<script src="{{ link('static', 'kb.js') }}" defer></script>
<script src="{{ link('static', 'site.js') }}" defer></script>"""
_SEARCH_SCRIPTS = f"""<script src="{INDEX_SCRIPT}" defer></script>
<script src="{CODES_SCRIPT}" defer></script>
<script src="{{{{ link('static', 'search.js') }}}}" defer></script>
<script src="{{{{ link('static', 'site-results.js') }}}}" defer></script>
{_SCRIPTS}"""
_RESULTS = """
<noscript><p class="card static-noscript">Search runs in your browser and needs JavaScript.
Browse <a href="{{ link('articles') }}">the articles by title</a> instead.</p></noscript>
<section id="static-results" class="static-results" aria-live="polite" hidden></section>
<template id="tpl-next-steps">{% include "_next_steps.html" %}</template>"""


def _wrapper(parent: str, scripts: str = _SCRIPTS, results: str = "", head: str = _HEAD) -> str:
    """Return a template extending one of the web app's pages with the static blocks."""
    text = f'{{% extends "{parent}" %}}\n{{% block head %}}{head}{{% endblock %}}\n'
    if results:  # right under the search box, where the web app's results page has them
        text += f"{{% block results %}}{results}{{% endblock %}}\n"
    return text + f"{{% block scripts %}}{scripts}{{% endblock %}}\n"


# A 404 page built without a base URL is served at any depth: its style is inlined,
# since no relative path to static/ holds everywhere.
_INLINE_HEAD = "<style>{{ inline_css }}</style>"

WRAPPERS = {
    "site/home.html": _wrapper("home.html", _SEARCH_SCRIPTS, _RESULTS),
    "site/article.html": _wrapper("article.html"),
    "site/code.html": _wrapper("code.html"),
    "site/articles.html": _wrapper("articles.html"),
    "site/error.html": _wrapper("error.html"),
    # Its search box behaves as on every page: Enter searches, "/" focuses it.
    "site/404-anywhere.html": _wrapper(
        "error.html", "<script>{{ inline_js }}</script>", head=_INLINE_HEAD
    ),
}
NOT_FOUND_WARNING = (
    "404.html: built without --base-url, so its links work only at the site's top level "
    "(its style is inlined); pass --base-url to link it from any depth"
)


@dataclass(frozen=True)
class Page:
    """One page to write: its path in the site and its HTML."""

    path: str
    html: str


def environment(prefix: str, code_pages: frozenset[str]) -> Environment:
    """Return a Jinja environment like the web app's, whose links start with ``prefix``."""
    from kbserver.templating import setup_environment

    env = Environment(
        loader=ChoiceLoader([DictLoader(WRAPPERS), FileSystemLoader(str(TEMPLATES))]),
        autoescape=select_autoescape(["html", "htm", "xml", "xhtml", "svg"]),
    )
    setup_environment(env, make_link(prefix, code_pages), server=False)
    return env


class Renderer:
    """Renders pages at the site root and one folder down, with the right relative links."""

    def __init__(self, engine: Engine, code_pages: frozenset[str], base_url: str | None) -> None:
        self.engine = engine
        self.base_url = base_url.rstrip("/") if base_url else None
        self.root = environment("", code_pages)
        self.sub = environment("../", code_pages)
        # A 404 page is served at any depth: its links must not depend on the URL.
        self.anywhere = environment(self.base_url + "/", code_pages) if self.base_url else self.root

    def render(self, env: Environment, template: str, path: str, context: dict[str, Any]) -> Page:
        """Render one template into a page at ``path``."""
        html = env.get_template(template).render(**context, page_path=path, base_url=self.base_url)
        return Page(path, html)

    def first_step_html(self, markdown: str) -> str:
        """Render a first resolution step as the results on the home page show it."""
        from kbserver.views import engine_ids

        return str(self.root.globals["inline"](markdown, engine_ids(self.engine)))

    def home(self) -> Page:
        """Render index.html: the search box and the results area."""
        from kbserver.views import home_context, next_steps

        context = {**home_context(self.engine), "next_steps": next_steps(self.engine)}
        return self.render(self.root, "site/home.html", HOME, context)

    def not_found(self) -> Page:
        """Render 404.html."""
        context: dict[str, Any] = {
            "title": "Page not found",
            "status": 404,
            "message": "There is no page at this address. The article or code may have moved.",
        }
        if self.base_url:
            return self.render(self.anywhere, "site/error.html", "404.html", context)
        context["inline_css"] = inline_css()
        context["inline_js"] = inline_js()
        return self.render(self.anywhere, "site/404-anywhere.html", "404.html", context)

    def articles_index(self) -> Page:
        """Render articles/index.html: every article grouped by tag."""
        from kbserver.views import articles_index_context

        return self.render(
            self.sub, "site/articles.html", ARTICLES, articles_index_context(self.engine)
        )

    def articles(self) -> Iterator[Page]:
        """Render one page per article."""
        from kbserver.views import article_context

        for a in self.engine.articles:
            yield self.render(
                self.sub, "site/article.html", article_path(a.id), article_context(self.engine, a)
            )

    def codes(self, values: list[int]) -> Iterator[Page]:
        """Render one page per code."""
        from kb.codes import format_hex
        from kbserver.views import code_context

        for v in values:
            yield self.render(
                self.sub, "site/code.html", code_path(format_hex(v)), code_context(self.engine, v)
            )


def inline_css() -> str:
    """Return the web app's stylesheet and the site's, for a page that cannot link them."""
    from markupsafe import Markup

    web = TEMPLATES.parent / "static" / "kb.css"
    site = Path(__file__).resolve().parent.parent / "static" / "site.css"
    text = web.read_text(encoding="utf-8") + site.read_text(encoding="utf-8")
    return Markup(text.replace("</", "<\\/"))  # a stylesheet cannot close the <style> element


def inline_js() -> str:
    """Return the web app's page script (kb.js), for a page that cannot link it."""
    from markupsafe import Markup

    text = (TEMPLATES.parent / "static" / "kb.js").read_text(encoding="utf-8")
    return Markup(text.replace("</", "<\\/"))  # a script cannot close the <script> element


def opensearch_xml(base_url: str) -> str:
    """Return the OpenSearch description: searches open the home page with #q=."""
    from xml.sax.saxutils import escape, quoteattr

    base = base_url.rstrip("/")
    template = quoteattr(f"{base}/{HOME}#q={{searchTerms}}")
    icon = escape(f"{base}/static/favicon.svg")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>kb</ShortName>
  <Description>Search the ConfigMgr 2007 OS deployment knowledge base: \
error codes, log lines, questions</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Image type="image/svg+xml">{icon}</Image>
  <Url type="text/html" method="get" template={template}/>
</OpenSearchDescription>
"""
