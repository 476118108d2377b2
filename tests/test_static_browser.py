"""The built static site in headless Chromium, from file:// and from a plain HTTP server.

No server code: the search runs in the page. Each test records script errors
and any request that leaves the site (nothing may come from the internet).
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from kb.site import BuildOptions, build_site
from tests.browser_support import browser_skip_reason, stop, watched_page
from tests.conftest import ARTICLES

_skip = browser_skip_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_skip is not None, reason=_skip or "")]

# KB2508665's failing download, with another site's servers and package ids.
PASTE = "\n".join(
    [
        "WinHttpQueryHeaders() returns status code 404 (Not Found) InstallSoftware",
        "Download() failed with 0x80004005 InstallSoftware",
        "DownloadFile(sSourceFile, sDestinationFile, ulTotalSizeRequired, ulDownLoaded), HRESULT=80004005 (e:\\nts_sms_fre\\sms\\framework\\tscore\\downloadcontent.cpp,1175) InstallSoftware",
        "Error downloading file from http://srv-dp-77.branch.woodgrove.org:80/SMS_DP_SMSPKGE%24/WGB0007C/Tools/OSDResults/OSDResults.exe.config to C:\\_SMSTaskSequence\\Packages\\WGB0007C\\Tools/OSDResults/OSDResults.exe.config InstallSoftware",
        "Retrying download... InstallSoftware",
    ]
)  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("static") / "site"
    build_site(BuildOptions(out=out, articles_dir=ARTICLES))
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def http_root(site) -> Iterator[str]:
    """Serve the site with ``python -m http.server`` on loopback, from a sub-path."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site.parent)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    root = f"http://127.0.0.1:{port}/{site.name}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(root + "index.html", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield root
    finally:
        stop(proc)


@pytest.fixture(params=["file", "http"])
def root(request, site) -> str:
    """The site's root URL: the folder opened from disk, or served over HTTP."""
    if request.param == "file":
        return site.as_uri() + "/"
    return request.getfixturevalue("http_root")


@pytest.fixture
def page(browser, root):
    """A fresh page that fails the test on script errors or requests outside the site."""
    with watched_page(browser, root) as page:
        yield page


def first_result(page) -> str:
    page.wait_for_selector("#static-results .result")
    return page.locator("#r1 .result-title a").get_attribute("href")


def test_a_typed_code_finds_its_article(page, root):
    page.goto(root + "index.html")
    box = page.locator("#q")
    box.click()
    box.type("0x80092024")
    box.press("Enter")
    assert first_result(page) == "articles/KB977203.html"
    assert page.url.endswith("index.html#q=0x80092024")  # shareable
    assert page.locator(".code-card .code-names").first.inner_text() == "CRYPT_E_NOT_CHAR_STRING"


def test_a_pasted_log_finds_its_article_and_marks_the_lines(page, root):
    page.goto(root + "index.html")
    page.locator("#q").click()
    page.keyboard.insert_text(PASTE)  # what a paste does
    page.locator("#q").press("Enter")
    assert first_result(page) == "articles/KB2508665.html"
    assert page.locator(".paste .ln.hit").count() >= 2
    assert page.locator("#r1 .reason-line").first.inner_text().lower().startswith("line 1")


def test_a_shared_link_runs_its_search_on_load(page, root):
    page.goto(
        root + "index.html#q=" + quote("Hash could not be matched for the downloaded content.")
    )
    assert first_result(page) == "articles/ts-hash-mismatch-extended-chars.html"
    assert (
        page.locator("#q").input_value() == "Hash could not be matched for the downloaded content."
    )


def test_no_match_still_decodes_the_codes(page, root):
    page.goto(root + "index.html#q=" + quote("windows update agent 0x80244019 on a laptop"))
    page.wait_for_selector("#static-results .next-steps")
    assert "0x80244019" in page.locator(".code-card").first.inner_text()


def test_code_cards_show_the_source_and_other_readings(page, root):
    page.goto(root + "index.html#q=" + quote("status message error code 16389, then 0x87D00324"))
    page.wait_for_selector("#static-results .code-card")
    cards = page.locator(".code-card").all_inner_texts()
    reading = page.locator(".code-card .code-reading").first
    assert reading.locator(".label").text_content() == "also"
    assert reading.locator("a code").text_content() == "0x80004005"
    assert "E_FAIL: 16389 is 0x4005, the low word of this HRESULT" in reading.text_content()
    configmgr = next(c for c in cards if "0x87D00324" in c)
    assert "The application was not detected after installation completed." in configmgr
    link = page.locator(".code-card .code-source a").first
    assert link.inner_text() == "Configuration Manager documentation (Microsoft)"
    assert link.get_attribute("href").startswith("https://learn.microsoft.com/")


def test_click_through_to_the_article_and_a_code_page_then_search_again(page, root):
    page.goto(root + "index.html#q=0x80092024")
    first_result(page)
    page.locator("#r1 .result-title a").click()
    page.wait_for_url("**/articles/KB977203.html")
    assert "0x80092024" in page.locator("h1").inner_text()
    page.locator(".fact-codes a.code-link").first.click()
    page.wait_for_url("**/codes/0x80092024.html")
    assert page.locator(".code-title code").inner_text() == "0x80092024"
    page.keyboard.press("/")  # focuses the header search box
    page.keyboard.type("Hash could not be matched for the downloaded content.")
    page.keyboard.press("Enter")
    page.wait_for_url("**/index.html#q=*")
    assert first_result(page) == "articles/ts-hash-mismatch-extended-chars.html"


def test_slash_focuses_the_search_box(page, root):
    page.goto(root + "articles/index.html")
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"


# -- the pages a helpdesk admin reads, as the static site renders them -----------------

PHONE = {"width": 390, "height": 844}
SIZES = pytest.mark.parametrize(
    "size", [PHONE, {"width": 1280, "height": 900}], ids=["phone", "desktop"]
)


@SIZES
def test_every_home_example_leads_to_an_article(page, root, size):
    page.set_viewport_size(size)
    page.goto(root + "index.html")
    hrefs = [a.get_attribute("href") for a in page.locator(".examples a").all()]
    assert len(hrefs) >= 4
    for href in hrefs:
        page.goto(root + href)
        page.wait_for_selector("#static-results .results")
        found = page.locator("#static-results .result-title a, #static-results .possible-ref h3 a")
        assert found.count() >= 1, href


@SIZES
def test_a_common_code_is_possibly_related_and_no_match_gives_next_steps(page, root, size):
    page.set_viewport_size(size)
    page.goto(root + "index.html#q=0x80070002")
    ref = page.locator("#static-results .possible-ref").first
    ref.wait_for()
    assert ref.locator("h3 a").get_attribute("href") == "articles/win7-winpe2-boot-image.html"
    assert "the code alone does not say which problem you have" in ref.inner_text()
    steps = page.locator("#static-results .next-steps")
    assert steps.locator("a[href='articles/smsts-log-locations.html']").count() == 1
    assert "--from-log" in steps.locator("pre.command").inner_text()
    page.goto(root + "codes/0x80070002.html")
    assert (
        page.locator(".possible-ref a[href='../articles/win7-winpe2-boot-image.html']").count() == 1
    )


@SIZES
def test_static_reasons_read_like_the_web_app(page, root, size):
    page.set_viewport_size(size)
    page.goto(root + "index.html#q=" + quote(PASTE))
    first_result(page)
    first = page.locator("#r1")
    assert first.locator("h4.why-title").inner_text().lower() == "why this article"
    assert first.locator(".tier-label").inner_text() == "Explains this error"
    assert "weak" in first.locator(".reason-generic").inner_text()
    assert not re.search(r"\d+%", first.locator(".result-head").inner_text())
    first.locator("details.score-details summary").click()
    assert "not a probability" in first.locator("details.score-details p").inner_text()
    assert "is the number of the result" in page.locator(".legend").inner_text()
    page.goto(root + "index.html#q=0x80092024")
    first_result(page)
    assert page.locator(".panel-title .muted").first.inner_text() == "1 line, 1 matched"


@pytest.mark.parametrize("size", [PHONE, {"width": 1280, "height": 900}], ids=["phone", "desktop"])
def test_static_article_contents_and_jump_to_the_fix(page, root, size):
    page.set_viewport_size(size)
    page.goto(root + "articles/osd-nic-driver-winpe.html")
    jump = page.locator("nav.toc a.jump-fix")
    assert jump.bounding_box()["y"] < size["height"]
    jump.click()
    assert page.url.endswith("#resolution")
    assert 0 <= page.locator("h2#resolution").bounding_box()["y"] < size["height"] / 2
    assert page.locator(".prose a.url-link[href^='http://www.broadcom.com/']").count() == 1


def test_no_static_article_page_is_wider_than_a_phone(page, root, site):
    page.set_viewport_size(PHONE)
    for path in sorted((site / "articles").glob("*.html")):
        page.goto(root + "articles/" + path.name)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path.name} is {width} px wide"


@SIZES
def test_static_articles_page_filters_by_kind(page, root, size):
    page.set_viewport_size(size)
    page.goto(root + "articles/index.html")
    from tests.web_support import shared_engine

    articles = shared_engine().articles
    items = page.locator(".article-item")
    assert items.count() == len(articles)
    page.locator("button[data-filter='kind:how-to']").click()
    assert sum(i.is_visible() for i in items.all()) == sum(a.kind == "how-to" for a in articles)


def test_static_results_line_up_with_the_search_box(page, root):
    page.goto(root + "index.html#q=0x80092024")
    first_result(page)
    box = page.locator(".hero textarea").bounding_box()
    results = page.locator("#static-results .results-layout").bounding_box()
    assert abs(box["x"] - results["x"]) < 2
    assert abs(box["width"] - results["width"]) < 2


def test_without_javascript_the_notice_comes_first_and_the_hint_is_hidden(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.as_uri() + "/index.html")
    notice = page.locator(".static-noscript")
    assert notice.is_visible()
    assert notice.bounding_box()["y"] < page.locator(".home-grid").bounding_box()["y"]
    assert not page.locator(".hint").is_visible()
    assert [a.inner_text() for a in page.locator("nav.nav a").all()] == ["Articles"]
    context.close()


def test_the_404_page_is_styled_at_any_depth(browser, site, tmp_path):
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "404.html").write_text(
        (site / "404.html").read_text(encoding="utf-8"), encoding="utf-8"
    )
    context = browser.new_context()
    page = context.new_page()
    page.goto((deep / "404.html").as_uri())
    assert page.locator(".topbar").evaluate("el => getComputedStyle(el).display") == "block"
    assert page.locator(".topbar-inner").evaluate("el => getComputedStyle(el).display") == "flex"
    context.close()


def test_static_results_headings_step_down_one_level_at_a_time(page, root):
    for query in ("0x80092024", "0x80070002", PASTE):
        page.goto(root + "index.html#q=" + quote(query))
        page.wait_for_selector("#static-results .results")
        levels = page.evaluate(
            "Array.from(document.querySelectorAll('#static-results h1, #static-results h2,"
            " #static-results h3, #static-results h4')).map(h => Number(h.tagName[1]))"
        )
        assert levels[0] == 1
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{query}: h{before} then h{after}"
        assert page.locator("#static-results span[aria-label]").count() == 0


def test_a_query_over_the_limit_gets_one_clear_alert(page, root):
    from kb.search import MAX_QUERY_CHARS

    page.goto(root + "index.html#q=" + "x" * (MAX_QUERY_CHARS + 1))
    alert = page.locator("#static-results .alert-error")
    alert.wait_for()
    text = alert.inner_text()
    assert alert.get_attribute("role") == "alert"
    assert text[0].isupper() and text.endswith(".") and f"{MAX_QUERY_CHARS:,}" in text


def test_the_404_search_box_works_like_every_other(page, root):
    page.goto(root + "404.html")
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("0x80092024")
    page.keyboard.press("Enter")  # submits the form as typed: the home page reads ?q=
    page.wait_for_url("**/index.html?q=0x80092024")
    assert first_result(page) == "articles/KB977203.html"


@SIZES
def test_a_topic_link_from_home_shows_that_topics_articles(page, root, size):
    page.set_viewport_size(size)
    page.goto(root + "index.html")
    page.locator("nav.tags a.tag", has_text="winpe").first.click()
    page.wait_for_url("**/articles/index.html#tag-winpe")
    pressed = page.locator("button[data-filter='tag:winpe']")
    assert pressed.get_attribute("aria-pressed") == "true"
    page.wait_for_timeout(200)  # the jump to the filters comes after the page's load
    box = pressed.bounding_box()
    assert 0 <= box["y"] <= page.viewport_size["height"] - box["height"]  # in view
    shown = [i for i in page.locator(".article-item").all() if i.is_visible()]
    assert shown and all("winpe" in i.get_attribute("data-tags").split() for i in shown)
    assert len(shown) < page.locator(".article-item").count()


def test_bidi_overrides_in_a_paste_never_reach_the_static_page(page, root):
    q = "Failed to run the action: Apply \u202eOperating System (Error: 80070002; Source: Windows)"
    page.goto(root + "index.html#q=" + quote(q))
    page.locator("#static-results .paste-lines, #static-results .results-layout").first.wait_for()
    text = page.locator("#static-results").inner_text()
    assert "\u202e" not in text


@pytest.mark.parametrize("fragment", ["%E0%A4%A", "%ED%A0%80"])
def test_a_mangled_search_link_says_so(page, root, fragment):
    page.goto(root + "index.html#q=" + fragment)
    alert = page.locator("#static-results .alert-error")
    alert.wait_for()
    assert "not valid text" in alert.inner_text()
