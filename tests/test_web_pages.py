"""The HTML pages, through Flask's test client: real content, errors and safety."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest

from tests.conftest import article_text
from tests.web_support import (
    CERT_LINE,
    FAILING_SMSTS,
    HASH_LINE,
    SUCCESS_SMSTS,
    make_app,
    shared_engine,
    utf16,
)


def result_ids(html: str) -> list[str]:
    """Return the article ids of the result cards, in page order."""
    return re.findall(r'<footer class="result-foot"><a href="/articles/([^"]+)"', html)


def search_page(client, q: str) -> str:
    response = client.get("/search?q=" + quote(q))
    assert response.status_code == 200
    return response.get_data(as_text=True)


# -- home and search -------------------------------------------------------------


def test_home_has_the_search_box_the_upload_form_and_the_opensearch_link(client):
    html = client.get("/").get_data(as_text=True)
    assert '<textarea id="q" name="q"' in html
    assert 'action="/search" method="post"' in html
    assert 'action="/analyze" method="post" enctype="multipart/form-data"' in html
    assert 'name="file" type="file"' in html
    assert '<link rel="search" type="application/opensearchdescription+xml"' in html
    assert '<button type="submit" class="primary">Search</button>' in html
    assert "/search?q=0x80070002" in html  # an example query


@pytest.mark.parametrize(
    "query, first",
    [
        (HASH_LINE, "ts-hash-mismatch-extended-chars"),
        (CERT_LINE, "KB977203"),
        ("0x80092024", "KB977203"),
    ],
)
def test_search_puts_the_right_article_first(client, query, first):
    assert result_ids(search_page(client, query))[0] == first


def test_search_highlights_the_matched_line_of_a_multiline_paste(client):
    paste = (
        f"Executing command line: OSDSMPClient.exe /capture\r\n\r\n{CERT_LINE}\r\nsomething else"
    )
    html = search_page(client, paste)
    assert result_ids(html)[0] == "KB977203"
    hit = re.search(r'<div class="ln hit" id="L(\d+)">', html)
    assert hit and hit.group(1) == "3"
    assert html.count('class="ln hit"') == 1
    assert '<div class="ln" id="L1">' in html
    assert '<a href="#L3">line 3</a>' in html  # the reason links to the line
    assert 'href="#r1"' in html  # and the line to its result


def test_search_shows_tier_summary_first_step_and_reasons(client):
    html = search_page(client, CERT_LINE)
    first = html[html.index('id="r1"') : html.index('id="r2"') if 'id="r2"' in html else None]
    assert '<span class="tier-label">Explains this error</span>' in first
    assert "<meter" not in first and "score-num" not in first  # a score is no confidence
    assert re.search(r"<details class=\"score-details\"><summary>Score details</summary>", first)
    assert '<h4 class="why-title" id="why-1">Why this article</h4>' in first
    assert "Install the hotfix" in first  # the first resolution step
    assert 'class="summary"' in first
    assert 'href="/codes/0x80092024"' in first
    assert "CRYPT_E_NOT_CHAR_STRING" in first


def test_search_decodes_the_codes_of_the_paste_with_links(client):
    html = search_page(client, "Failed to run the action: X. (Error: 80070002; Source: Windows)")
    assert '<a class="code-link" href="/codes/0x80070002">80070002</a>' in html
    assert '<a class="code-hex" href="/codes/0x80070002"><code>0x80070002</code></a>' in html


def test_no_match_says_so_and_still_decodes_the_code(client):
    html = search_page(client, "zzqx blorf 0x8007045D")
    assert "No article matches" in html
    assert result_ids(html) == []
    assert 'href="/codes/0x8007045D"' in html
    assert "ERROR_IO_DEVICE" in html


def test_a_pasted_script_is_shown_as_text(client):
    html = search_page(client, "<script>alert('x')</script>\n<img src=x onerror=alert(1)>")
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_empty_search_goes_home(client):
    response = client.get("/search?q=%20%0A")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_query_over_the_cap_gets_a_friendly_400():
    client = make_app(KB_MAX_QUERY=50).test_client()
    response = client.get("/search?q=" + "a" * 51)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The query is 51 characters; the limit is 50." in html
    assert "upload the whole log" in html


# -- analyze ------------------------------------------------------------------------


def upload(client, data: bytes, name: str = "smsts.log", url: str = "/analyze"):
    return client.post(url, data={"file": (io.BytesIO(data), name)}, follow_redirects=True)


def test_analyze_a_utf16_smsts_log_shows_the_failure_chain_and_article(client):
    response = upload(client, utf16(FAILING_SMSTS))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "The task sequence failed at the step “Capture User State”" in html
    assert '<span class="chain-line">line 2</span>' in html
    assert CERT_LINE.replace("(0x80092024)", "") in html
    assert 'href="/codes/0x80092024"' in html
    assert result_ids(html)[0] == "KB977203"


def test_analyze_a_successful_log_says_no_failure_found(client):
    html = upload(client, SUCCESS_SMSTS.encode()).get_data(as_text=True)
    assert (
        "The task sequence ended without a failure (Execution engine result code: Success (0))."
        in html
    )
    assert result_ids(html) == []


def test_analyze_a_cp1252_upload(client):
    text = FAILING_SMSTS.replace("Capture User State", "Capture Benutzerstatus für Müller")
    response = upload(client, text.encode("cp1252"), name="smsts-de.log")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Capture Benutzerstatus für Müller" in html
    assert "smsts-de.log" in html


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "smsts.log", "smsts.log is empty"),
        (b"x", "", "Choose a log file"),
    ],
)
def test_analyze_bad_uploads_are_400_with_a_message(client, data, name, message):
    response = upload(client, data, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_analyze_without_a_file_field_is_400(client):
    response = client.post("/analyze", data={})
    assert response.status_code == 400
    assert "Choose a log file" in response.get_data(as_text=True)


def test_get_analyze_goes_to_the_upload_form(client):
    response = client.get("/analyze")
    assert response.status_code == 302
    assert response.headers["Location"] == "/#upload"


def test_an_upload_over_the_limit_is_a_friendly_413():
    client = make_app(MAX_CONTENT_LENGTH=1024).test_client()
    response = upload(client, b"x" * 4096)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Upload too large" in html
    assert "The upload is larger than the" in html and "MB limit" in html


def test_an_uploaded_file_name_is_escaped(client):
    name = "<img src=x onerror=alert(1)>.log"
    html = upload(client, SUCCESS_SMSTS.encode(), name=name).get_data(as_text=True)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;.log" in html


# -- articles -----------------------------------------------------------------------


def test_article_page_renders_body_links_codes_related_and_sources(client):
    html = client.get("/articles/KB977203").get_data(as_text=True)
    assert "<h1>User state capture or restore fails after security update 974571" in html
    assert '<h2 id="symptoms">Symptoms</h2>' in html
    assert '<pre><code class="language-text">Failed to import the client certificate store' in html
    assert '<a class="code-link" href="/codes/0x80092024"><code>0x80092024</code></a>' in html
    assert 'href="/articles/ts-detect-failure-collect-logs"' in html  # related
    assert "Applies to" in html and "Configuration Manager 2007 SP2" in html
    assert "ConfigMgr support team blog" in html  # a source
    assert 'href="/articles#tag-usmt"' in html  # a tag
    assert 'href="/articles/KB977203" class="article-link"' not in html  # no self-links


def test_article_ids_and_codes_in_the_text_are_linked(client):
    html = client.get("/articles/ts-hash-mismatch-extended-chars").get_data(as_text=True)
    assert '<a href="/articles/KB2508665" class="article-link">KB2508665</a>' in html
    assert '<a href="/articles/smsts-log-locations" class="article-link">' in html
    html = client.get("/articles/win7-winpe2-boot-image").get_data(as_text=True)
    assert '<a href="/codes/0xC0000001" class="code-link">0xc0000001</a>' in html


def test_raw_html_in_an_article_is_escaped(tree):
    from kb.search.engine import Engine

    body = "## Cause\n\nA cause.\n\n<script>alert(1)</script> <b onclick=x>bold</b>"
    folder = tree({"evil.md": article_text("evil", **{"## Cause\n\nA cause.": body})})
    client = make_app(KB_ENGINE=Engine.load(folder, in_memory=True)).test_client()
    html = client.get("/articles/evil").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<b onclick" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b onclick=x&gt;bold&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "path",
    [
        "/articles/no-such-article",
        "/articles/..%2f..%2fetc%2fpasswd",
        "/articles/../../etc/passwd",
        "/articles/%2e%2e",
        "/articles/KB977203.md",
        "/articles/" + "a" * 200,
    ],
)
def test_unknown_or_malformed_article_ids_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)


def test_articles_index_lists_every_title_with_its_summary_and_keeps_the_tags(client):
    html = client.get("/articles").get_data(as_text=True)
    count = len(shared_engine().articles)
    assert f"{count} articles" in html
    assert html.count('<li class="article-item"') == count
    item = re.search(
        r'<li class="article-item" data-kind="troubleshooting" data-tags="usmt [^"]*">(.*?)</li>',
        html,
        re.S,
    )
    assert item and 'href="/articles/KB977203"' in item.group(1)
    assert 'class="article-item-summary"' in item.group(1)
    assert 'data-filter="kind:how-to"' in html and 'data-filter="tag:task-sequence"' in html
    tag = re.search(r'<dt id="tag-usmt">.*?</dt>\s*<dd>(.*?)</dd>', html, re.S)
    assert tag and 'href="/articles/KB977203"' in tag.group(1)


# -- codes --------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["2147942402", "80070002", "-2147024894", "0X80070002"])
def test_any_code_form_redirects_to_the_canonical_hex(client, form):
    response = client.get("/codes/" + form)
    assert response.status_code == 301
    assert response.headers["Location"] == "/codes/0x80070002"


def test_lowercase_hex_redirects_too(client):
    response = client.get("/codes/0x8007000e")
    assert response.status_code == 301
    assert response.headers["Location"] == "/codes/0x8007000E"


def test_code_page_shows_the_decoding_and_the_citing_articles(client):
    response = client.get("/codes/0x80092024")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<code>0x80092024</code>" in html
    assert "CRYPT_E_NOT_CHAR_STRING" in html
    assert "<dd><code>2148081700</code></dd>" in html  # unsigned
    assert "<dd><code>-2146885596</code></dd>" in html  # signed
    assert "1 article cites this code" in html
    assert 'href="/articles/KB977203"' in html


def test_a_wrapped_win32_code_links_to_its_own_page(client):
    html = client.get("/codes/0x80070002").get_data(as_text=True)
    assert "HRESULT wrapping a Win32 error" in html
    assert 'href="/codes/0x00000002"><code>2</code></a>' in html
    assert "ERROR_FILE_NOT_FOUND" in html


@pytest.mark.parametrize("text", ["hello", "0xZZ", "..", "0x1234567890"])
def test_a_string_that_is_not_a_code_is_404(client, text):
    response = client.get("/codes/" + text)
    assert response.status_code == 404
    assert "is not an error code" in response.get_data(as_text=True)


# -- the rest, and safety ---------------------------------------------------------------


def test_opensearch_points_at_the_search_page(client):
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    assert 'template="http://localhost/search?q={searchTerms}"' in response.get_data(as_text=True)


def test_opensearch_uses_the_configured_base_url():
    client = make_app(KB_BASE_URL="https://kb.corp.example/").test_client()
    xml = client.get("/opensearch.xml").get_data(as_text=True)
    assert 'template="https://kb.corp.example/search?q={searchTerms}"' in xml


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "articles": 17}


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "There is no page at this address." in html
    assert "Traceback" not in html


def test_wrong_method_on_a_page_is_a_friendly_405(client):
    response = client.post("/articles")
    assert response.status_code == 405
    assert "This address does not accept POST requests." in response.get_data(as_text=True)


def test_an_unexpected_error_is_a_generic_500_without_a_traceback(caplog):
    app = make_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong" in html
    assert "secret detail" not in html and "Traceback" not in html
    assert "secret detail" in caplog.text  # logged for the admin
