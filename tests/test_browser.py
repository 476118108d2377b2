"""End to end: the real waitress server (``python -m kb serve``) driven by headless Chromium."""

from __future__ import annotations

import re

import pytest

from tests.browser_support import (
    browser_skip_reason,
    watched_page,
)
from tests.web_support import CERT_LINE, FAILING_SMSTS, utf16

_skip = browser_skip_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_skip is not None, reason=_skip or "")]


@pytest.fixture
def page(browser, server):
    """A fresh page that fails the test on script errors or requests outside the site."""
    with watched_page(browser, server) as page:
        yield page


def test_paste_press_enter_and_the_matched_line_is_highlighted(page, server):
    page.goto(server + "/")
    box = page.locator("#q")
    box.click()
    height = box.bounding_box()["height"]
    box.type("Executing command line: OSDSMPClient.exe /capture")
    box.press("Shift+Enter")  # a new line, not a search
    box.type("Process completed")
    box.press("Shift+Enter")
    box.type(CERT_LINE)
    box.press("Shift+Enter")
    box.type("Failed to run the action: Capture User State.")
    assert page.url == server + "/"
    assert box.input_value().count("\n") == 3
    assert box.bounding_box()["height"] >= height  # it grows, never shrinks below its rows
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))

    first = page.locator("article.result").first
    assert first.locator("footer a").first.get_attribute("href") == "/articles/KB977203"
    hit = page.locator(".ln.hit")
    assert hit.count() == 1
    assert hit.get_attribute("id") == "L3"
    assert CERT_LINE in hit.inner_text()
    # The highlight is visible: a background different from a plain line's.
    plain = page.locator("#L1")
    style = "el => getComputedStyle(el).backgroundColor"
    assert hit.evaluate(style) != plain.evaluate(style)
    # The query survives in the box and in a shareable URL.
    assert CERT_LINE in page.locator("#q").input_value()
    page.goto(page.url)
    assert page.locator(".ln.hit").get_attribute("id") == "L3"


def test_search_works_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/")
    page.locator("#q").fill(CERT_LINE)
    page.locator("button.primary").click()
    page.wait_for_url(re.compile(r"/search\?q="))
    assert page.locator("article.result h3").first.inner_text().startswith("User state capture")
    context.close()


def test_upload_a_log_file(page, server, tmp_path):
    log = tmp_path / "smsts.log"
    log.write_bytes(utf16(FAILING_SMSTS))
    page.goto(server + "/")
    page.locator("#file").set_input_files(str(log))
    page.locator("#upload button[type=submit]").click()
    page.wait_for_url(re.compile(r"/analyze/[0-9a-f]{16}$"))
    assert "Capture User State" in page.locator(".status-failed").inner_text()
    assert page.locator(".chain li").first.locator(".chain-line").inner_text() == "line 2"
    first = page.locator("article.result").first
    assert first.locator("footer a").first.get_attribute("href") == "/articles/KB977203"


def test_open_an_article_then_a_code_page(page, server):
    page.goto(server + "/articles")
    page.locator("a[href='/articles/KB977203']").first.click()
    page.wait_for_url(server + "/articles/KB977203")
    assert "security update 974571" in page.locator("h1").inner_text()
    assert page.locator(".prose pre code").count() >= 1
    page.locator(".facts a.code-link[href='/codes/0x80092024']").click()
    page.wait_for_url(server + "/codes/0x80092024")
    assert page.locator("h1 code").inner_text() == "0x80092024"
    assert page.locator(".article-ref a[href='/articles/KB977203']").count() == 1


def test_a_code_in_decimal_lands_on_the_canonical_page(page, server):
    page.goto(server + "/codes/2147942402")
    assert page.url == server + "/codes/0x80070002"
    assert "ERROR_FILE_NOT_FOUND" in page.locator("main").inner_text()


def test_slash_focuses_the_search_box_but_not_while_typing(page, server):
    page.goto(server + "/articles/ts-hash-mismatch-extended-chars")
    focused = "() => document.activeElement && document.activeElement.id"
    assert page.evaluate(focused) != "q"
    page.keyboard.press("/")
    assert page.evaluate(focused) == "q"
    assert page.locator("#q").input_value() == ""  # the "/" was not typed into it
    page.keyboard.type("a/b")  # inside the box, "/" is just a character
    assert page.locator("#q").input_value() == "a/b"
