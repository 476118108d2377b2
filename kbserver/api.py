"""The JSON API under /api/: the same objects as ``kb ... --json``.

Errors are ``{"error": "...", "status": N}`` (see kbserver.errors), also for
addresses under /api/ that match no route.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request

from kb.errors import CodeError, KbError
from kbserver import views
from kbserver.state import get_article, get_engine, get_search

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/lookup/<code>")
def lookup(code: str):
    """Decode an error code in any form and list the articles citing it."""
    from kb.search import lookup_answer

    try:
        return jsonify(lookup_answer(get_engine().corpus, code))
    except CodeError as exc:
        abort(404, description=str(exc))


@bp.route("/search", methods=["GET", "POST"])
def search():
    """Rank the articles for a query: ?q=... or a POSTed JSON {"q"} or form field q."""
    params = search_params()
    try:
        answer = views.search_answer(
            get_search(), params.get("q"), current_app.config["KB_MAX_QUERY"], read_limit(params)
        )
    except KbError as exc:
        abort(400, description=str(exc))
    return jsonify(answer)


def search_params() -> dict[str, Any]:
    """Return the search parameters from the query string, a JSON body or a form."""
    if request.method == "GET":
        return request.args.to_dict()
    if request.is_json:
        try:
            data = json.loads(request.get_data(as_text=True) or "null")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            abort(400, description=f"The body is not valid JSON: {exc}.")
        except RecursionError:
            abort(400, description="The body is not valid JSON: it is nested too deeply.")
        if not isinstance(data, dict):
            abort(400, description='The JSON body must be an object: {"q": "...", "limit": 10}.')
        if "q" in data and not isinstance(data["q"], str):
            abort(400, description='"q" must be a string.')
        if "q" in data and _SURROGATE_RE.search(data["q"]):  # "\ud800" alone is no character
            abort(400, description='"q" holds an unpaired surrogate escape: it is not text.')
        return data
    if request.mimetype not in _FORM_TYPES and request.content_length:
        abort(
            415,
            description=f"A body of type {request.mimetype or 'none'} cannot be read: send "
            'JSON {"q": "..."} (application/json) or a form field q.',
        )
    return request.form.to_dict()


_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def read_limit(params: dict[str, Any]) -> int:
    """Return the ``limit`` parameter (default 10, 1 to 100); abort 400 when malformed."""
    raw = params.get("limit")
    if raw is None or raw == "":
        return views.DEFAULT_LIMIT
    try:
        value = int(raw)
        if isinstance(raw, (bool, float)) or not 1 <= value <= views.MAX_LIMIT:
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        abort(400, description=f"limit must be a whole number from 1 to {views.MAX_LIMIT}.")
    return value


@bp.post("/analyze")
def analyze():
    """Analyze an uploaded log or zip of a machine's logs (multipart field ``file``)."""
    from kbserver.pages import uploaded_log

    engine = get_engine()
    try:
        name, data = uploaded_log()
        return jsonify(engine.analyze_upload(name, data))
    except KbError as exc:
        abort(400, description=str(exc))


@bp.get("/articles")
def articles():
    """List every article: id, title, summary, kind, tags."""
    engine = get_engine()
    return jsonify({"articles": [views.article_summary(a) for a in engine.corpus.articles]})


@bp.get("/articles/<article_id>")
def article(article_id: str):
    """Return one article: metadata, Markdown body and rendered HTML."""
    engine = get_engine()
    found = get_article(article_id)
    markdown = current_app.jinja_env.globals["markdown"]
    html = str(markdown(found.body, ids=views.engine_ids(engine), self_id=found.id))
    return jsonify(views.article_detail(found, html))


@bp.get("/openapi.json")
def openapi():
    """Describe this API (OpenAPI 3.1)."""
    from kbserver.openapi import spec

    return jsonify(spec())
