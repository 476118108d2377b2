"""The app factory: configuration, blueprints, error handlers and safety headers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, abort, request, url_for

from kb.search import MAX_QUERY_CHARS
from kbserver.state import load_engine

DEFAULTS: dict[str, Any] = {
    "KB_ARTICLES": None,  # folder of articles; None: $KB_ARTICLES or the bundled articles/
    "KB_ENGINE": None,  # an already loaded kb.search.engine.Engine (tests share one)
    "KB_MAX_QUERY": MAX_QUERY_CHARS,  # characters, as in the CLI; longer gets a friendly 400
    "KB_SEARCH_CACHE": 512,  # search answers kept for repeated queries (LRU); 0 turns it off
    "KB_BASE_URL": None,
    "KB_PASTES_CHARS": 50_000_000,  # long pastes (and analyses) kept for their short links  # absolute root for /opensearch.xml; None: the request's root
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


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: load the knowledge base, register pages, API and error handlers."""
    from kbserver import api, errors, pages
    from kbserver.pastes import PasteStore
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
    app.extensions["kb_pastes"] = PasteStore(app.config["KB_PASTES_CHARS"])
    app.extensions["kb_reports"] = PasteStore(app.config["KB_PASTES_CHARS"])
    setup_environment(app.jinja_env, flask_link, server=True)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    errors.register(app)
    app.before_request(refuse_large_body)
    app.after_request(add_security_headers)
    return app


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


def refuse_large_body() -> None:
    """Answer 413 to any request whose body is over the limit, whatever the route reads."""
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)


def add_security_headers(response):
    """Set the Content-Security-Policy and friends on every response."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
