"""kb.corpus.render: article Markdown to safe HTML, with codes and article ids linked."""

from __future__ import annotations

import pytest

from kb.corpus.render import Links, render_inline, render_markdown, slug

LINKS = Links(
    code_url=lambda h: f"/codes/{h}",
    article_url=lambda i: f"/articles/{i}",
    article_ids={"KB977203", "smsts-log-locations"},
    self_id="KB977203",
)


def render(text: str) -> str:
    return render_markdown(text, LINKS)


@pytest.mark.parametrize(
    "markdown, expected",
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
        ("<b onclick=x>bold</b>", "<p>&lt;b onclick=x&gt;bold&lt;/b&gt;</p>\n"),
        ("<!-- hidden -->", "<p>&lt;!-- hidden --&gt;</p>\n"),
        ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>\n"),
        ("![i](data:text/html;base64,AAAA)", "<p>![i](data:text/html;base64,AAAA)</p>\n"),
    ],
)
def test_raw_html_and_unsafe_links_never_pass_through(markdown, expected):
    assert render(markdown) == expected


def test_codes_in_text_link_to_their_page_written_as_in_the_text():
    html = render("It fails with 0x80070002 and (Error: 80004005; Source: Windows).")
    assert '<a href="/codes/0x80070002" class="code-link">0x80070002</a>' in html
    assert '<a href="/codes/0x80004005" class="code-link">80004005</a>' in html


def test_lower_case_hex_links_to_the_canonical_page():
    assert '<a href="/codes/0xC0000001" class="code-link">0xc0000001</a>' in render("0xc0000001")


def test_fenced_log_excerpts_stay_verbatim():
    html = render("```text\nFailed <x> (0x80070002)\tTSManager\n```")
    assert html == (
        '<pre><code class="language-text">Failed &lt;x&gt; (0x80070002)\tTSManager\n</code></pre>\n'
    )


def test_code_spans_link_a_lone_code_or_the_codes_inside():
    assert render("`80070002`") == (
        '<p><a href="/codes/0x80070002" class="code-link"><code>80070002</code></a></p>\n'
    )
    assert render("`Failed <x> (0x80092024)`") == (
        '<p><code>Failed &lt;x&gt; (<a href="/codes/0x80092024" class="code-link">'
        "0x80092024</a>)</code></p>\n"
    )
    assert render("`applicationHost.config`") == "<p><code>applicationHost.config</code></p>\n"


def test_article_ids_link_except_the_article_itself():
    html = render("See smsts-log-locations, and KB977203.")
    assert '<a href="/articles/smsts-log-locations" class="article-link">' in html
    assert "/articles/KB977203" not in html


@pytest.mark.parametrize(
    "text",
    ["smsts-log-locations.md", "x-smsts-log-locations", "/smsts-log-locations/", "KB9772031"],
)
def test_ids_inside_other_words_are_not_linked(text):
    assert "article-link" not in render_markdown(
        text, Links(article_url=str, article_ids=LINKS.article_ids)
    )


def test_text_inside_an_authors_link_is_left_alone():
    html = render("[see 0x80070002 in smsts-log-locations](https://example.com/x)")
    assert (
        html == '<p><a href="https://example.com/x">see 0x80070002 in smsts-log-locations</a></p>\n'
    )


def test_headings_get_anchor_ids():
    html = render("## Symptoms\n\n## More information\n\n## Symptoms")
    assert '<h2 id="symptoms">' in html
    assert '<h2 id="more-information">' in html
    assert '<h2 id="symptoms-2">' in html


def test_tables_render():
    html = render("| code | meaning |\n| --- | --- |\n| 0x5 | denied |")
    assert "<table>" in html and "<th>code</th>" in html


def test_inline_has_no_paragraph_and_links_codes():
    assert render_inline("Install **the hotfix** for 0x80092024.", LINKS) == (
        "Install <strong>the hotfix</strong> for "
        '<a href="/codes/0x80092024" class="code-link">0x80092024</a>.'
    )


def test_without_link_functions_nothing_is_linked():
    assert render_markdown("0x80070002 smsts-log-locations") == (
        "<p>0x80070002 smsts-log-locations</p>\n"
    )


def test_slug():
    assert slug("More information") == "more-information"
    assert slug("!!!") == "section"


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("see http://technet.microsoft.com/en-us/library/bb693923.aspx.", "http://technet.microsoft.com/en-us/library/bb693923.aspx"),
        ("(http://technet.microsoft.com/library/cc766485(WS.10).aspx).", "http://technet.microsoft.com/library/cc766485(WS.10).aspx"),
        ("page: https://www.broadcom.com/support/x.php, then", "https://www.broadcom.com/support/x.php"),
    ],
)  # fmt: skip
def test_bare_web_addresses_become_links(text, href):
    html = render(text)
    assert f'<a href="{href}" class="url-link">{href}</a>' in html


@pytest.mark.parametrize(
    "text",
    [
        "Setting URL = http://<SCCM_MP_Server>/SMS_DP_SMSPKG$/ in text",
        "`Error downloading file from http://SCCMDP02:80/SMS_DP_SMSPKGE%24/x`",
        "http:// alone",
    ],
)
def test_placeholders_code_spans_and_bare_schemes_are_not_linked(text):
    assert "url-link" not in render(text)


def test_a_code_inside_an_address_is_not_linked_as_a_code():
    html = render("http://example.com/0x80070002/page and 0x80070002")
    assert html.count('class="code-link"') == 1


def test_an_image_is_a_link_never_loaded_with_the_page():
    """Pages load nothing from other hosts: an <img> would be fetched as the page opens."""
    html = render_markdown("See ![the pixel](https://evil.example.com/p.png) and ![](x.png).")
    assert "<img" not in html
    assert (
        '<a href="https://evil.example.com/p.png" class="image-link">image: the pixel</a>' in html
    )
    assert '<a href="x.png" class="image-link">image: x.png</a>' in html
