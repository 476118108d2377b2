"""The kb web app: the knowledge base behind a search box, pages and a JSON API.

``create_app`` loads the knowledge base once (articles, code table, search
index) and keeps it on the app; every request reads it and nothing writes it,
so the app runs read-only and its pages can be served by many threads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from flask import Flask, abort, current_app, url_for

if TYPE_CHECKING:
    from kb.articles import Article
    from kb.search import Engine

DEFAULTS: dict[str, Any] = {
    "KB_ARTICLES": None,  # folder of articles; None: $KB_ARTICLES or the bundled articles/
    "KB_ENGINE": None,  # an already loaded kb.search.Engine (tests share one)
    "KB_MAX_QUERY": 100_000,  # characters; a longer paste gets a friendly 400
    "KB_SEARCH_CACHE": 512,  # search answers kept for repeated queries (LRU); 0 turns it off
    "KB_BASE_URL": None,  # absolute root for /opensearch.xml; None: the request's root
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
    # Werkzeug's default form-field cap (500 kB) would turn a long POSTed query into
    # a bare 413 before KB_MAX_QUERY can explain the limit.
    "MAX_FORM_MEMORY_SIZE": 4 * 1024 * 1024,
}

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

log = logging.getLogger(__name__)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: load the knowledge base, register pages, API and error handlers."""
    from kbserver import api, errors, pages
    from kbserver.templating import setup_environment
    from kbserver.views import cached_search

    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    if config:
        app.config.from_mapping(config)
    app.json.sort_keys = False  # keep the documented field order of the CLI's JSON
    app.json.ensure_ascii = False
    engine = app.config["KB_ENGINE"] or load_engine(app.config["KB_ARTICLES"])
    app.extensions["kb"] = engine
    app.extensions["kb_search"] = cached_search(engine, app.config["KB_SEARCH_CACHE"])
    setup_environment(app.jinja_env, flask_link, server=True)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    errors.register(app)
    app.after_request(add_security_headers)
    return app


def load_engine(articles_dir: Any = None) -> Engine:
    """Load the corpus and open its search index; log article problems."""
    from kb.search import Engine

    engine = Engine.load(articles_dir)
    for problem in engine.corpus.problems:
        log.warning("%s", problem)
    return engine


def get_engine() -> Engine:
    """Return the knowledge base loaded by create_app."""
    return current_app.extensions["kb"]


def get_article(article_id: str) -> Article:
    """Return the article with this id, or abort with 404 (the id is validated first)."""
    from kb.articles import ID_RE

    found = get_engine().corpus.by_id.get(article_id) if ID_RE.match(article_id) else None
    if found is None:
        abort(404, description=f"There is no article with the id {article_id!r}.")
    return found


def get_search() -> Callable[[str, int], dict[str, Any]]:
    """Return the app's search function (engine.search behind the answer cache)."""
    return current_app.extensions["kb_search"]


def flask_link(kind: str, arg: str | None = None) -> str:
    """Return the URL of a page; the static site defines the same function with paths."""
    if kind == "home":
        return url_for("pages.home")
    if kind == "articles":
        return url_for("pages.articles")
    if kind == "article":
        return url_for("pages.article", article_id=arg)
    if kind == "code":
        return url_for("pages.code", code=arg)
    if kind == "static":
        return url_for("static", filename=arg)
    if kind == "search":
        return url_for("pages.search", q=arg)
    # Server-only kinds: templates use them inside {% if server %}.
    if kind == "analyze":
        return url_for("pages.analyze")
    if kind == "opensearch":
        return url_for("pages.opensearch")
    raise ValueError(f"unknown link kind {kind!r}")


def add_security_headers(response):
    """Set the Content-Security-Policy and friends on every response."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
