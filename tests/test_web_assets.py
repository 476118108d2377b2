"""Assets and safety of every page: security headers, no inline code, nothing from the internet."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.web_support import CERT_LINE, make_app

KBSERVER = Path(__file__).resolve().parents[1] / "kbserver"


@pytest.fixture(scope="module")
def client():
    return make_app().test_client()


@pytest.mark.parametrize(
    "path", ["/", "/search?q=x", "/articles", "/articles/KB977203", "/codes/0x80070002", "/nope"]
)
def test_every_page_sends_the_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "path",
    ["/", "/search?q=" + quote(CERT_LINE), "/articles/KB977203", "/codes/0x80070002", "/articles"],
)
def test_pages_have_no_inline_script_or_style(client, path):
    html = client.get(path).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)


def test_nothing_is_loaded_from_the_internet():
    for path in [*KBSERVER.glob("templates/*"), *KBSERVER.glob("static/*")]:
        text = path.read_text(encoding="utf-8")
        urls = re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s\"')]*", text)
        allowed = {"http://a9.com/-/spec/opensearch/1.1/", "http://www.w3.org/2000/svg"}
        assert set(urls) <= allowed, (path.name, urls)


def test_static_assets_are_served(client):
    assert client.get("/static/kb.css").status_code == 200
    assert client.get("/static/kb.js").mimetype in ("text/javascript", "application/javascript")


def test_package_data_ships_every_template_and_static_file():
    import fnmatch
    import tomllib

    config = tomllib.loads((KBSERVER.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["kbserver"]
    for path in [*KBSERVER.glob("templates/**/*"), *KBSERVER.glob("static/**/*")]:
        if path.is_file():
            name = path.relative_to(KBSERVER).as_posix()
            assert any(fnmatch.fnmatch(name, p) for p in patterns), name


def test_templates_build_no_urls_themselves():
    """The static site renders the same templates: links only through link(kind, arg)."""
    for path in KBSERVER.glob("templates/*.html"):
        text = path.read_text(encoding="utf-8")
        for word in ("request", "url_for", "session", 'href="/', 'src="/', 'action="/'):
            assert word not in text, (path.name, word)
    assert "{% block scripts %}" in (KBSERVER / "templates" / "base.html").read_text()


def test_serving_writes_nothing_under_the_packages(client):
    root = KBSERVER.parent

    def files() -> set[Path]:
        found = set()
        for package in ("kb", "kbserver"):
            found |= {p for p in (root / package).rglob("*") if "__pycache__" not in p.parts}
        return found

    before = files()
    for path in [
        "/",
        "/search?q=0x80070002",
        "/articles/KB977203",
        "/codes/0x00000005",
        "/api/articles",
    ]:
        assert client.get(path).status_code == 200
    assert files() == before
