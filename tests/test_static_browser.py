"""The built static site in headless Chromium, from file:// and from a plain HTTP server.

No server code: the search runs in the page. Each test records script errors
and any request that leaves the site (nothing may come from the internet).
"""

from __future__ import annotations

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
from tests.browser_support import browser_skip_reason, launch_chromium, stop, watched_page
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


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch_chromium(p)
        yield chromium
        chromium.close()


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
    page.wait_for_selector("#static-results .no-match")
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
