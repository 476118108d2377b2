"""The pages a helpdesk admin reads, in the real server and headless Chromium, desktop and phone.

One test (or a few) per promise: the analysis answers first, every example and
code page leads to something to read, articles can be skimmed and fit a phone,
the reasons read plainly, an analysis can be shared, and the small defects stay
fixed.
"""

from __future__ import annotations

import re

import pytest

from tests.browser_support import (
    browser_skip_reason,
    driver_smsts,
    watched_page,
)
from tests.web_support import CERT_LINE, shared_engine

_skip = browser_skip_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_skip is not None, reason=_skip or "")]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
GENERIC_TAIL = (
    "The execution of the group",
    "Task Sequence Engine failed!",
    "Failed to run the last action",
)


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser, server):
    """A page at desktop or phone size that fails the test on script errors or off-site requests."""
    with watched_page(browser, server) as page:
        page.set_viewport_size(VIEWPORTS[request.param])
        page.device = request.param
        yield page


@pytest.fixture
def desktop(browser, server):
    with watched_page(browser, server) as page:
        yield page


@pytest.fixture(scope="module")
def driver_log(tmp_path_factory):
    path = tmp_path_factory.mktemp("logs") / "smsts.log"
    path.write_text(driver_smsts(), encoding="utf-8")
    return path


def upload(page, server, log):
    page.goto(server + "/")
    page.locator("#file").set_input_files(str(log))
    page.locator("#upload button[type=submit]").click()
    page.wait_for_url(re.compile(r"/analyze/[0-9a-f]{16}$"))


def bottom(locator) -> float:
    box = locator.bounding_box()
    return box["y"] + box["height"]


# -- 1. analyze answers first --------------------------------------------------------


def test_analyze_shows_the_verdict_and_the_fix_above_the_fold(page, server, driver_log):
    upload(page, server, driver_log)
    height = page.viewport_size["height"]
    verdict = page.locator(".status-failed")
    answer = page.locator("#answer .result")
    assert "Apply Driver Package" in verdict.inner_text()
    assert (
        answer.locator(".result-title a").get_attribute("href")
        == "/articles/win7-winpe2-boot-image"
    )
    assert answer.locator(".tier-label").inner_text() == "Explains this error"
    assert bottom(answer.locator(".result-title")) < height
    assert answer.locator(".first-step").bounding_box()["y"] < height  # the fix starts on screen
    chain = page.locator(".chain").first
    assert chain.bounding_box()["y"] > answer.locator(".first-step").bounding_box()["y"]


def test_analyze_chain_leaves_out_the_generic_tail_and_folds_when_long(page, server, driver_log):
    upload(page, server, driver_log)
    shown = page.locator(".results > .chain").inner_text()
    assert "Package manager failed with return code 2" in shown
    everything = " ".join(c.text_content() for c in page.locator(".results .chain").all())
    for generic in GENERIC_TAIL:
        assert generic not in everything
    assert "generic lines are not shown" in page.locator(".chain-note").inner_text()
    more = page.locator("details.chain-more")
    assert more.count() == 1 and more.get_attribute("open") is None
    hidden = more.locator(".chain li").first
    assert not hidden.is_visible()
    more.locator("summary").click()
    assert hidden.is_visible()


# -- 2. every example and code page leads to something to read -------------------------


def test_every_home_example_leads_to_an_article(page, server):
    page.goto(server + "/")
    hrefs = [a.get_attribute("href") for a in page.locator(".examples a").all()]
    assert len(hrefs) >= 4
    for href in hrefs:
        page.goto(server + href)
        readable = page.locator(".results .result-title a, .results .possible-ref h3 a")
        assert readable.count() >= 1, href


def test_a_common_code_shows_its_articles_as_possibly_related(page, server):
    page.goto(server + "/search?q=0x80070002")
    assert page.locator("h1").inner_text() == "No article explains this query for sure"
    ref = page.locator(".possible-ref").first
    assert ref.locator("h3 a").get_attribute("href") == "/articles/win7-winpe2-boot-image"
    assert ref.locator(".tier-label").inner_text() == "Possibly related"
    assert "the code alone does not say which problem you have" in ref.inner_text()
    page.goto(server + "/codes/0x80070002")
    assert "Possibly related" in page.locator("h2.section-title").inner_text()
    assert page.locator(".possible-ref a[href='/articles/win7-winpe2-boot-image']").count() == 1
    assert "An everyday Windows error." in page.locator(".code-note").inner_text()


def test_no_match_pages_give_concrete_next_steps(page, server):
    for target in ("/search?q=zzqx%20blorf%200x8007045D", "/codes/0x8007045D"):
        page.goto(server + target)
        steps = page.locator(".next-steps")
        assert steps.locator("a[href='/articles/smsts-log-locations']").count() == 1
        assert steps.locator("a[href='/articles/ts-detect-failure-collect-logs']").count() == 1
        assert steps.locator("a[href='/#upload']").count() == 1
        assert "kb new my-problem" in steps.locator("pre.command").inner_text()
        assert "--from-log" in steps.locator("pre.command").inner_text()
        # no loop back to the same empty search
        assert page.locator("main a[href='/search?q=0x8007045D']").count() == 0


def test_analyze_without_an_article_offers_next_steps_not_a_contradiction(
    desktop, server, tmp_path
):
    log = tmp_path / "smsts.log"
    log.write_text(
        "<![LOG[Failed to run the action: Frobnicate.\r\nzzqx blorf]LOG]!>"
        '<time="14:17:09.323+000" date="03-02-2010" component="TSManager" context="" '
        'type="3" thread="2664" file="instruction.cxx:3011">\r\n',
        encoding="utf-8",
    )
    upload(desktop, server, log)
    text = desktop.locator("main").inner_text()
    assert "No article explains this failure yet." in text
    assert "decoded on the right" not in text
    assert desktop.locator(".next-steps pre.command").count() == 1


# -- 3. articles ----------------------------------------------------------------------


def test_an_article_has_contents_and_a_jump_to_the_fix(page, server):
    page.goto(server + "/articles/KB2508665")
    toc = page.locator("nav.toc")
    assert [a.inner_text() for a in toc.locator("a:not(.jump-fix)").all()] == [
        "Symptoms",
        "Cause",
        "Resolution",
        "More information",
    ]
    assert toc.locator("a[href='#more-information']").count() == 1
    jump = toc.locator("a.jump-fix")
    assert jump.bounding_box()["y"] < page.viewport_size["height"]
    jump.click()
    assert page.url.endswith("#resolution")
    heading = page.locator("h2#resolution")
    top = heading.bounding_box()["y"]
    assert 0 <= top < page.viewport_size["height"] / 2


def test_no_article_page_is_wider_than_a_phone(browser, server):
    with watched_page(browser, server) as phone:
        phone.set_viewport_size(VIEWPORTS["phone"])
        for article in shared_engine().articles:
            phone.goto(f"{server}/articles/{article.id}")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{article.id} is {width} px wide"
        for target in ("/", "/articles", "/codes/0x80070002", "/search?q=0x80070002"):
            phone.goto(server + target)
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390, target


def test_bare_urls_in_articles_are_links(page, server):
    page.goto(server + "/articles/osd-nic-driver-winpe")
    link = page.locator(".prose a.url-link[href^='http://www.broadcom.com/']")
    assert link.count() == 1
    assert link.inner_text() == link.get_attribute("href")
    assert page.locator(".prose a.url-link[href$='cc766485(WS.10).aspx']").count() == 1


def test_the_articles_page_lists_titles_with_summaries_and_filters(page, server):
    page.goto(server + "/articles")
    articles = shared_engine().articles
    howtos = sum(a.kind == "how-to" for a in articles)
    task_sequence = sum("task-sequence" in a.tags for a in articles)
    items = page.locator(".article-item")
    assert items.count() == len(articles)
    assert items.first.locator(".article-item-summary").inner_text()
    page.locator("button[data-filter='kind:how-to']").click()
    visible = [i for i in items.all() if i.is_visible()]
    assert len(visible) == howtos
    assert all(i.get_attribute("data-kind") == "how-to" for i in visible)
    page.locator("button[data-filter='tag:task-sequence']").click()
    assert sum(i.is_visible() for i in items.all()) == task_sequence
    page.locator("button[data-filter='']").click()
    assert sum(i.is_visible() for i in items.all()) == len(articles)
    assert page.locator("#tag-usmt + dd a[href='/articles/KB977203']").count() == 1
    # two columns no longer: the list reads top to bottom in one column
    first, second = items.nth(0).bounding_box(), items.nth(1).bounding_box()
    assert second["y"] > first["y"] and abs(second["x"] - first["x"]) < 1


# -- 4. reasons a helpdesk person can read ----------------------------------------------


def test_reasons_are_labelled_and_readable(page, server):
    paste = "\n".join(
        [
            "WinHttpQueryHeaders() returns status code 404 (Not Found) InstallSoftware",
            "Download() failed with 0x80004005 InstallSoftware",
            "Tried all the available http based locations. SMB based locations will be attempted now.",
        ]
    )
    page.goto(server + "/")
    page.locator("#q").fill(paste)
    page.locator("button.primary").click()
    page.wait_for_url(re.compile(r"/search\?q="))
    first = page.locator("#r1")
    assert first.locator("h4.why-title").inner_text().lower() == "why this article"
    assert first.locator("h4.why-title").is_visible()
    weak = first.locator(".reason-generic")
    assert "0x80004005" in weak.inner_text() and "weak" in weak.inner_text()
    line = first.locator(".reason-line").first
    assert line.locator(".pair-key").first.inner_text() in ("yours", "same as")
    words = first.locator(".reason-text")
    if words.count():
        shown = words.inner_text().removeprefix("WORDS").strip().split(", ")
        assert len(shown) <= 4 and not {"error", "failed", "run"} & {w.lower() for w in shown}
    assert first.locator(".tier-label").inner_text() == "Explains this error"
    assert not re.search(r"\d+%", first.locator(".result-head").inner_text())
    details = first.locator("details.score-details")
    assert not details.locator("p").is_visible()
    details.locator("summary").click()
    assert "not a probability" in details.locator("p").inner_text()
    assert page.locator(".legend").is_visible()
    assert "is the number of the result" in page.locator(".legend").inner_text()


def test_a_line_whose_code_matched_counts_as_matched(page, server):
    page.goto(server + "/search?q=0x80092024")
    assert page.locator(".panel-title .muted").first.inner_text() == "1 line, 1 matched"
    assert page.locator(".ln.hit .hit-tag").inner_text() == "#1"


# -- 5. share and escalate --------------------------------------------------------------


def test_an_analysis_links_its_root_lines_as_a_search_and_copies_the_link(
    browser, server, driver_log
):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    upload(page, server, driver_log)
    link = page.locator("a.search-these")
    href = link.get_attribute("href")
    assert href.startswith("/search?q=") and len(href) < 2500
    page.locator("button.copy-link").click()
    page.wait_for_function("document.querySelector('.copy-status').textContent !== ''")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == server + href
    analysis = page.url
    page.reload()  # the analysis has its own link: a reload shows it again
    assert page.url == analysis
    assert "Apply Driver Package" in page.locator(".status-failed").inner_text()
    assert page.locator(".share-analysis a").get_attribute("href") == analysis
    link.click()
    page.wait_for_url(re.compile(r"/search\?q="))
    assert "Package manager failed with return code 2" in page.locator("#q").input_value()
    assert (
        page.locator("#r1 .result-title a").get_attribute("href")
        == "/articles/win7-winpe2-boot-image"
    )
    context.close()


def test_a_long_paste_gets_a_short_link_and_a_short_query_keeps_its_url(page, server):
    noise = "\n".join(f"Ordinary line {i} of a long smsts.log paste" for i in range(200))
    page.goto(server + "/")
    page.locator("#q").fill(noise + "\n" + CERT_LINE)
    page.locator("button.primary").click()
    page.wait_for_url(re.compile(r"/search/[0-9a-f]{16}$"))
    assert len(page.url) < 100
    assert page.locator("#r1 .result-title a").get_attribute("href") == "/articles/KB977203"
    page.goto(page.url)  # the link can be reloaded and shared
    assert page.locator("#r1 .result-title a").get_attribute("href") == "/articles/KB977203"
    page.goto(server + "/")
    page.locator("#q").fill(CERT_LINE)
    page.locator("button.primary").click()
    page.wait_for_url(re.compile(r"/search\?q=Failed"))


# -- 6. the smaller defects ---------------------------------------------------------------


def test_the_enter_hint_shows_only_with_javascript(browser, server):
    for enabled in (False, True):
        context = browser.new_context(java_script_enabled=enabled, viewport=VIEWPORTS["desktop"])
        page = context.new_page()
        page.goto(server + "/")
        assert page.locator(".hint").is_visible() is enabled
        context.close()


def test_header_and_headings_are_tidy(page, server):
    for target in (
        "/",
        "/search?q=" + CERT_LINE,
        "/search?q=0x80070002",
        "/articles",
        "/codes/0x80070002",
    ):
        page.goto(server + target)
        nav = [a.inner_text() for a in page.locator("nav.nav a").all()]
        assert "Search" not in nav, target
        levels = page.evaluate(
            "Array.from(document.querySelectorAll('main h1, main h2, main h3, main h4'))"
            ".map(h => Number(h.tagName[1]))"
        )
        assert levels[0] == 1, target
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{target}: h{before} then h{after}"
        assert page.locator("span[aria-label]").count() == 0, target
