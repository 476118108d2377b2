"""The HTML pages: home, search results, log analysis, articles, codes."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    render_template_string,
    request,
    url_for,
)

from kb.errors import CodeError, KbError, QueryError
from kbserver import views
from kbserver.state import get_article, get_engine, get_pastes, get_reports, get_search

bp = Blueprint("pages", __name__)

# Inline rather than a templates/*.xml file, which package-data does not ship.
OPENSEARCH = """<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>kb</ShortName>
  <Description>Search the ConfigMgr 2007 OS deployment knowledge base: \
error codes, log lines, questions</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Image type="image/svg+xml">{{ icon_url }}</Image>
  <Url type="text/html" method="get" template="{{ search_url }}?q={searchTerms}"/>
</OpenSearchDescription>
"""


@bp.get("/")
def home():
    """Show the search box and the log upload form."""
    return render_template("home.html", **views.home_context(get_engine()))


@bp.get("/search")
def search():
    """Show the articles that explain a paste, with the matched lines highlighted."""
    q = request.args.get("q", "")
    if not q.strip():
        return redirect(url_for(".home"))
    return search_page(q)


@bp.post("/search")
def search_post():
    """Take a paste from the search form: a short one goes to /search?q=, a long one is kept."""
    from kbserver.pastes import SHORT_QUERY

    q = request.form.get("q", "").replace("\r\n", "\n")  # a browser's line breaks count once
    if not q.strip():
        return redirect(url_for(".home"), 303)
    if len(q) <= SHORT_QUERY:
        return redirect(url_for(".search", q=q), 303)
    if len(q) > current_app.config["KB_MAX_QUERY"]:
        return search_page(q)  # the 400 page that explains the limit
    key = get_pastes().put(q)
    return redirect(url_for(".shared_search", key=key), 303)


@bp.get("/search/<key>")
def shared_search(key: str):
    """Show the results of a long paste kept under a short key."""
    q = kept_or_404(get_pastes(), key, "a long paste", "pastes", "Paste the lines again.")
    return search_page(q)


def search_page(q: str):
    """Render the results page for a query (a 400 page for one that is too long)."""
    engine = get_engine()
    try:
        answer = views.search_answer(get_search(), q, current_app.config["KB_MAX_QUERY"])
    except QueryError as exc:
        context = {"title": "Query too long", "q": q, "error": str(exc)}
        return render_template("search.html", **context), 400
    return render_template("search.html", **views.search_context(engine, answer))


@bp.route("/analyze", methods=["GET", "POST"])
def analyze():
    """Explain an uploaded log: failing action, root error chain, matching articles."""
    if request.method == "GET":  # a reload or a bookmark: there is no file to show
        return redirect(url_for(".home") + "#upload")
    engine = get_engine()
    try:
        name, data = uploaded_log()
        report = engine.analyze_upload(name, data)
    except KbError as exc:
        return render_template("home.html", **views.home_context(engine), error=str(exc)), 400
    # The report (not the log) is kept, so the analysis has a link to reload and share.
    key = get_reports().put(json.dumps(report, ensure_ascii=False))
    return redirect(url_for(".shared_analysis", key=key), 303)


@bp.get("/analyze/<key>")
def shared_analysis(key: str):
    """Show an analysis kept under a short key (the page an upload is redirected to)."""
    kept = kept_or_404(get_reports(), key, "an analysis", "analyses", "Upload the log again.")
    context = views.analyze_context(get_engine(), json.loads(kept))
    base = current_app.config["KB_BASE_URL"]  # behind a proxy, the address users type
    share_url = base.rstrip("/") + request.full_path.rstrip("?") if base else request.url
    return render_template("analyze.html", **context, share_url=share_url)


def uploaded_log() -> tuple[str, bytes]:
    """Return (file name, bytes) of the uploaded ``file``: a log or a zip of logs; raise LogError."""
    from kb.errors import LogError

    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise LogError("Choose a log file to upload (smsts.log, for example).")
    name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload.log"
    data = upload.read()
    if not data:
        raise LogError(f"{name} is empty: upload the log that shows the failure.")
    return name, data


@bp.get("/articles", strict_slashes=False)
def articles():
    """List every article, grouped by tag."""
    return render_template("articles.html", **views.articles_index_context(get_engine()))


@bp.get("/articles/<article_id>")
def article(article_id: str):
    """Show one article."""
    engine = get_engine()
    found = get_article(article_id)
    return render_template("article.html", **views.article_context(engine, found))


@bp.get("/codes/<code>")
def code(code: str):
    """Show what an error code means and the articles citing it (canonical URL: hex)."""
    from kb.codes import format_hex, parse_code

    try:
        value = parse_code(code)
    except CodeError:
        from kb.search import article_named

        article = article_named(get_engine().corpus, code)
        if article is not None:  # /codes/KB977203: the article, not an error
            return redirect(url_for(".article", article_id=article.id), 302)
        abort(404, description=f"{code!r} is not an error code.")
    canonical = format_hex(value)
    if code != canonical:
        return redirect(url_for(".code", code=canonical), 301)
    return render_template("code.html", **views.code_context(get_engine(), value))


@bp.get("/opensearch.xml")
def opensearch():
    """Describe the search for browsers (add kb as a search engine)."""
    base = current_app.config["KB_BASE_URL"]
    if base:  # behind a proxy the request's own host may not be the one users type
        search_url = base.rstrip("/") + url_for(".search")
        icon_url = base.rstrip("/") + url_for("static", filename="favicon.svg")
    else:
        search_url = url_for(".search", _external=True)
        icon_url = url_for("static", filename="favicon.svg", _external=True)
    xml = render_template_string(OPENSEARCH, search_url=search_url, icon_url=icon_url)
    return current_app.response_class(xml, mimetype="application/opensearchdescription+xml")


@bp.get("/healthz")
def healthz():
    """Say the app is up and how many articles it serves."""
    return jsonify({"status": "ok", "articles": len(get_engine().corpus.articles)})


def kept_or_404(store, key: str, what: str, kind: str, again: str) -> str:
    """Return what a share link's key holds, or abort with a 404 that says what to do."""
    value = store.get(key)
    if value is None:
        abort(
            404,
            description=f"This link to {what} has expired: the server keeps {kind} "
            f"only while it runs. {again}",
        )
    return value
