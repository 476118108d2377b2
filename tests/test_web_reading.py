"""How the pages word results (tiers, reasons, next steps) and how long pastes get short links."""

from __future__ import annotations

import re

import pytest

from kbserver.explain import rare_words, tier
from kbserver.pastes import SHORT_QUERY, PasteStore
from kbserver.views import analyze_context, chain_query, is_generic_line
from tests.browser_support import driver_smsts
from tests.conftest import article_text
from tests.real_logs import real_log
from tests.web_support import CERT_LINE, app, client, make_app, shared_engine  # noqa: F401


def reason(kind: str, **fields):
    return {"type": kind, **fields}


@pytest.mark.parametrize(
    ("result", "kinds", "expected"),
    [
        ({"confidence": "possible", "score": 0.99, "reasons": [reason("line", line=1)]}, {}, "possible"),
        ({"confidence": "strong", "score": 0.3, "reasons": []}, {}, "strong"),
        ({"score": 0.8, "reasons": [reason("code", code="0x80092024")]}, {"0x80092024": "specific"}, "strong"),
        ({"score": 0.8, "reasons": [reason("code", code="0x80004005")]}, {"0x80004005": "generic"}, "possible"),
        ({"score": 1.0, "reasons": [reason("text", terms=["boot"], words=["boot"])]}, {}, "possible"),
        ({"score": 0.6, "reasons": [reason("line", line=2)]}, {}, "strong"),
        ({"score": 0.4, "reasons": [reason("line", line=2)]}, {}, "possible"),
    ],
)  # fmt: skip
def test_tier_follows_the_answer_or_the_evidence(result, kinds, expected):
    assert tier(result, kinds) == expected


def test_rare_words_drop_common_words_and_keep_four():
    text = reason(
        "text",
        terms=["hash", "match", "content", "download", "error", "run", "fail", "task"],
        words=["Hash", "matched", "content", "download", "error", "run", "Failed", "task"],
    )
    assert rare_words(text) == ["Hash", "matched", "content", "download"]


@pytest.mark.parametrize(
    ("message", "generic"),
    [
        ("The execution of the group (Install) has failed and the execution has been aborted.", True),
        ("Task Sequence Engine failed! Code: enExecutionFail", True),
        ("Failed to add driver to driver store. Code 0x80070002", False),
        ("Failed to run the action: Apply Driver Package.\nThe system cannot find the file specified.", False),
    ],
)  # fmt: skip
def test_generic_tail_lines_are_told_apart(message, generic):
    assert is_generic_line(message) is generic


def test_the_result_line_is_not_repeated_nor_counted_as_a_task_sequence_tail():
    # ccmsetup's own failure line is the analysis's result: shown once, as the result,
    # and never described as the tail every failed task sequence writes.
    result = "CcmSetup failed with error code 0x80190194"
    report = {
        "file": "ccmsetup.log",
        "kind": "ccmsetup",
        "format": "cmtrace",
        "lines": 3,
        "failed": True,
        "result": result,
        "codes": ["0x80190194"],
        "errors": [
            {
                "line": 2,
                "component": "ccmsetup",
                "message": "Failed to download files. Error: 0x80190194",
                "codes": ["0x80190194"],
                "file": "",
            },
            {
                "line": 3,
                "component": "ccmsetup",
                "message": result,
                "codes": ["0x80190194"],
                "file": "",
            },
        ],
        "results": [],
        "strong": False,
    }
    context = analyze_context(shared_engine(), report)
    assert [e["line"] for e in context["errors"]] == [2]
    assert context["generic_errors"] == 0
    assert context["next_steps"]["task_sequence"] is False


def test_the_analysis_context_puts_the_answer_first_and_caps_the_search_link():
    engine = shared_engine()
    report = engine.analyze_text(driver_smsts(), name="smsts.log")
    context = analyze_context(engine, report)
    assert context["answer"]["id"] == "win7-winpe2-boot-image"
    assert context["generic_errors"] >= 3
    shown = [e["message"] for e in context["errors"] + context["more_errors"]]
    assert not any("Task Sequence Engine failed" in m for m in shown)
    assert len(context["errors"]) == 5 and context["more_errors"]
    assert context["search_q"].splitlines()[0].startswith("uExitCode == 0, HRESULT=80070002")
    long_chain = [{"message": "x" * 1000} for _ in range(20)]
    assert len(chain_query(long_chain)) <= 1500


def test_the_paste_store_keeps_the_newest_within_its_budget():
    store = PasteStore(max_chars=25)
    a, b = store.put("a" * 10), store.put("b" * 10)
    assert store.put("a" * 10) == a  # the same paste, the same key
    store.put("c" * 10)  # over budget: the oldest (b) goes
    assert store.get(b) is None and store.get(a) == "a" * 10
    assert re.fullmatch(r"[0-9a-f]{16}", a)
    assert store.get("../etc/passwd") is None


@pytest.mark.parametrize(
    ("q", "status", "location"),
    [
        ("", 303, r"/$"),
        ("   ", 303, r"/$"),
        (CERT_LINE, 303, r"/search\?q=Failed"),
        ("x" * SHORT_QUERY, 303, r"/search\?q=x+$"),
        ("x" * (SHORT_QUERY + 1), 303, r"/search/[0-9a-f]{16}$"),
    ],
)
def test_the_search_form_posts_and_is_redirected(client, q, status, location):  # noqa: F811
    response = client.post("/search", data={"q": q})
    assert response.status_code == status
    assert re.search(location, response.headers["Location"])


def test_a_long_paste_link_shows_its_results_and_an_unknown_one_explains(client):  # noqa: F811
    paste = "\n".join(["Ordinary line of a long paste"] * 100 + [CERT_LINE])
    location = client.post("/search", data={"q": paste}).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert 'href="/articles/KB977203"' in html
    missing = client.get("/search/0123456789abcdef")
    assert missing.status_code == 404
    assert "Paste the lines again" in missing.get_data(as_text=True)


def test_a_paste_over_the_limit_posted_gets_the_friendly_400():
    tight = make_app(KB_MAX_QUERY=3000).test_client()
    response = tight.post("/search", data={"q": "y" * 3001})
    assert response.status_code == 400
    assert "upload the whole log" in response.get_data(as_text=True)


def test_no_match_shows_next_steps_and_no_search_loop(client):  # noqa: F811
    html = client.get("/codes/0x8007045D").get_data(as_text=True)
    assert 'class="card next-steps"' in html
    assert 'href="/search?q=0x8007045D"' not in html
    assert "kb new my-problem --title &#34;...&#34; --from-log smsts.log" in html


def test_a_failure_that_is_not_a_task_sequence_step_is_not_called_one(client):  # noqa: F811
    log = real_log("ccmsetup-reddit-jimbocalvo-1.log")
    data = {"file": (log.open("rb"), "ccmsetup.log")}
    html = client.post("/analyze", data=data, follow_redirects=True).get_data(as_text=True)
    assert "ccmsetup failed with 0x80190194." in html  # worded for the log's kind
    assert "The task sequence failed" not in html


def test_the_analysis_page_shows_the_log_kind_files_and_logs_when_given(app):  # noqa: F811
    from flask import render_template

    engine = shared_engine()
    report = engine.analyze_text(driver_smsts(), name="logs.zip")
    report["kind"] = "smsts"
    report["logs"] = [{"file": "PC1/smsts.log"}, {"file": "PC1/smsts-20100203.log"}]
    for e in report["errors"]:
        e["file"] = "PC1/smsts.log"
    with app.test_request_context("/"):
        html = render_template("analyze.html", **analyze_context(engine, report))
    assert "format cmtrace · smsts · 2 logs" in html
    assert '<span class="chain-line">PC1/smsts.log line 6</span>' in html


def test_words_a_matched_line_shows_are_not_repeated():
    from kbserver.explain import result_view

    text = reason("text", terms=["hash", "umlaut"], words=["Hash", "umlauts"])
    line = reason("line", line=1, text="Hash could not be matched", matched="...", similarity=100.0)
    base = {"id": "ts-hash-mismatch-extended-chars", "score": 0.9}
    with_line = result_view(shared_engine(), {**base, "reasons": [line, text]}, 1, {})
    assert with_line["words"] == ["umlauts"]
    words_only = result_view(shared_engine(), {**base, "reasons": [text]}, 1, {})
    assert words_only["words"] == ["Hash", "umlauts"] and words_only["tier"] == "possible"


def test_an_upload_is_answered_with_a_link_to_its_analysis(client):  # noqa: F811
    import io

    data = {"file": (io.BytesIO(driver_smsts().encode()), "smsts.log")}
    response = client.post("/analyze", data=data)
    assert response.status_code == 303
    location = response.headers["Location"]
    assert re.fullmatch(r"/analyze/[0-9a-f]{16}", location)
    html = client.get(location).get_data(as_text=True)
    assert "The task sequence failed at the step “Apply Driver Package”" in html
    assert f'<a href="http://localhost{location}">' in html  # the share line
    missing = client.get("/analyze/0123456789abcdef")
    assert missing.status_code == 404
    assert "Upload the log again." in missing.get_data(as_text=True)


def test_behind_a_proxy_the_analysis_link_uses_the_base_url():
    import io

    proxied = make_app(KB_BASE_URL="https://kb.corp.example/").test_client()
    data = {"file": (io.BytesIO(driver_smsts().encode()), "smsts.log")}
    html = proxied.post("/analyze", data=data, follow_redirects=True).get_data(as_text=True)
    assert re.search(
        r'This analysis: <a href="https://kb\.corp\.example/analyze/[0-9a-f]{16}">', html
    )


def test_past_three_matched_lines_the_reasons_count_the_rest(client):  # noqa: F811
    import io

    data = {"file": (io.BytesIO(driver_smsts().encode()), "smsts.log")}
    html = client.post("/analyze", data=data, follow_redirects=True).get_data(as_text=True)
    answer = html[html.index('id="answer"') : html.index("What failed")]
    assert answer.count('class="reason reason-line"') == 3
    assert re.search(r"and \d+ more lines? match(es)? the article's lines", answer)


def test_a_draft_is_badged_in_results_the_list_and_its_page(tree):
    from kbserver import create_app

    draft = article_text(
        "test-draft", **{"kind: troubleshooting": "kind: troubleshooting\nstatus: draft"}
    )
    folder = tree({"test-draft.md": draft})
    drafts = create_app({"TESTING": True, "KB_ARTICLES": str(folder)}).test_client()
    badge = '<span class="badge badge-draft">Draft</span>'
    results = drafts.get("/search", query_string={"q": "Failed to do the test thing"})
    assert badge in results.get_data(as_text=True)
    assert badge in drafts.get("/articles").get_data(as_text=True)
    assert badge in drafts.get("/articles/test-draft").get_data(as_text=True)
