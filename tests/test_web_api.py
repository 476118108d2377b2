"""The JSON API: the same objects as the CLI, one error shape, the right statuses."""

from __future__ import annotations

import io
import json
import re

import pytest

from kb.search.answers import lookup_answer
from tests.web_support import (
    CERT_LINE,
    FAILING_SMSTS,
    HASH_LINE,
    SUCCESS_SMSTS,
    make_app,
    shared_engine,
    utf16,
)


def assert_error(response, status: int, fragment: str = "") -> dict:
    """Check an error response: JSON {"error", "status"} with the right status."""
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error", "status"}
    assert body["status"] == status
    assert fragment in body["error"]
    return body


# -- lookup -----------------------------------------------------------------------


@pytest.mark.parametrize("form", ["0x80070002", "80070002", "2147942402", "-2147024894"])
def test_lookup_decodes_any_form(client, form):
    body = client.get(f"/api/lookup/{form}").get_json()
    assert body["hex"] == "0x80070002"
    assert body["input"] == form
    assert body["kind"] == "hresult-win32"
    assert body["win32"] == 2
    assert "ERROR_FILE_NOT_FOUND" in body["names"]


def test_lookup_is_the_cli_object(client):
    body = client.get("/api/lookup/0x80092024").get_json()
    assert body == lookup_answer(shared_engine().corpus, "0x80092024")
    assert [a["id"] for a in body["articles"]] == ["KB977203"]
    assert list(body)[:3] == ["input", "hex", "unsigned"]  # documented order, not sorted


@pytest.mark.parametrize("text", ["hello", "0xZZ", "12abc"])
def test_lookup_of_a_non_code_is_404(client, text):
    assert_error(client.get(f"/api/lookup/{text}"), 404)


# -- search ----------------------------------------------------------------------


def test_search_get_puts_the_right_article_first(client):
    body = client.get("/api/search", query_string={"q": HASH_LINE}).get_json()
    assert body["query"] == HASH_LINE
    assert body["results"][0]["id"] == "ts-hash-mismatch-extended-chars"
    line = next(r for r in body["results"][0]["reasons"] if r["type"] == "line")
    assert line["line"] == 1


def test_search_is_the_engine_answer(client):
    body = client.get("/api/search", query_string={"q": CERT_LINE, "limit": 3}).get_json()
    assert body == json.loads(json.dumps(shared_engine().search(CERT_LINE, 3)))
    assert body["results"][0]["id"] == "KB977203"
    assert body["codes"][0]["hex"] == "0x80092024"


def test_search_post_json(client):
    response = client.post("/api/search", json={"q": "first\n" + CERT_LINE, "limit": 2})
    body = response.get_json()
    assert response.status_code == 200
    assert len(body["results"]) <= 2
    assert body["results"][0]["id"] == "KB977203"
    assert any(r.get("line") == 2 for r in body["results"][0]["reasons"])


def test_search_post_form(client):
    body = client.post("/api/search", data={"q": HASH_LINE}).get_json()
    assert body["results"][0]["id"] == "ts-hash-mismatch-extended-chars"


def test_search_with_no_match_has_empty_results_and_decoded_codes(client):
    body = client.get("/api/search", query_string={"q": "zzqx blorf 0x8007045D"}).get_json()
    assert body["results"] == []
    assert [c["hex"] for c in body["codes"]] == ["0x8007045D"]


@pytest.mark.parametrize(
    "request_kwargs, fragment",
    [
        ({"method": "GET", "path": "/api/search"}, "The query is empty"),
        ({"method": "GET", "path": "/api/search?q=%20%20"}, "The query is empty"),
        ({"method": "POST", "path": "/api/search", "data": {}}, "The query is empty"),
        ({"method": "POST", "path": "/api/search", "json": {"limit": 3}}, "The query is empty"),
        ({"method": "POST", "path": "/api/search", "json": {"q": 5}}, '"q" must be a string'),
        ({"method": "POST", "path": "/api/search", "json": ["q"]}, "must be an object"),
        (
            {
                "method": "POST",
                "path": "/api/search",
                "data": "{bad",
                "content_type": "application/json",
            },
            "not valid JSON",
        ),
        ({"method": "GET", "path": "/api/search?q=x&limit=0"}, "limit must be a whole number"),
        ({"method": "GET", "path": "/api/search?q=x&limit=abc"}, "limit must be a whole number"),
        ({"method": "POST", "path": "/api/search", "json": {"q": "x", "limit": 1.5}}, "limit"),
        ({"method": "POST", "path": "/api/search", "json": {"q": "x", "limit": True}}, "limit"),
    ],
)
def test_search_bad_input_is_400(client, request_kwargs, fragment):
    method = request_kwargs.pop("method")
    path = request_kwargs.pop("path")
    assert_error(client.open(path, method=method, **request_kwargs), 400, fragment)


def test_search_over_the_query_cap_is_400():
    client = make_app(KB_MAX_QUERY=100).test_client()
    body = assert_error(client.post("/api/search", json={"q": "x" * 101}), 400)
    assert body["error"].startswith("The query is 101 characters; the limit is 100.")


def test_a_body_over_the_limit_is_413():
    client = make_app(MAX_CONTENT_LENGTH=1024).test_client()
    assert_error(client.post("/api/search", json={"q": "x" * 4000}), 413, "MB limit")
    data = {"file": (io.BytesIO(b"x" * 4000), "smsts.log")}
    assert_error(client.post("/api/analyze", data=data), 413)


# -- analyze ------------------------------------------------------------------------


def post_log(client, data: bytes, name: str = "smsts.log"):
    return client.post("/api/analyze", data={"file": (io.BytesIO(data), name)})


def test_analyze_a_utf16_smsts_log(client):
    body = post_log(client, utf16(FAILING_SMSTS)).get_json()
    assert body["file"] == "smsts.log"
    assert body["format"] == "cmtrace"
    assert body["failed"] is True
    assert body["failed_action"] == "Capture User State"
    assert body["errors"][0] == {
        "line": 2,
        "component": "OSDSMPClient",
        "message": CERT_LINE,
        "codes": ["0x80092024"],
        "file": "smsts.log",
    }
    assert body["codes"] == ["0x80092024"]
    assert body["results"][0]["id"] == "KB977203"


def test_analyze_is_the_engine_report(client):
    body = post_log(client, FAILING_SMSTS.encode()).get_json()
    expected = shared_engine().analyze_text(FAILING_SMSTS, name="smsts.log")
    assert body == json.loads(json.dumps(expected))


def test_analyze_a_successful_log(client):
    body = post_log(client, SUCCESS_SMSTS.encode()).get_json()
    assert body["failed"] is False
    assert body["results"] == []


def test_analyze_cp1252_bytes(client):
    text = FAILING_SMSTS.replace("Capture User State", "Capture Benutzerstatus für Müller")
    body = post_log(client, text.encode("cp1252")).get_json()
    assert body["failed_action"] == "Capture Benutzerstatus für Müller"


def test_analyze_an_empty_file_is_400(client):
    assert_error(post_log(client, b""), 400, "smsts.log is empty")


def test_analyze_without_a_file_is_400(client):
    assert_error(client.post("/api/analyze", data={"q": "x"}), 400, "Choose a log file")


# -- articles -----------------------------------------------------------------------


def test_articles_lists_refs_with_tags(client):
    body = client.get("/api/articles").get_json()
    assert len(body["articles"]) == 17
    kb = next(a for a in body["articles"] if a["id"] == "KB977203")
    assert set(kb) == {"id", "title", "summary", "kind", "tags"}
    assert "usmt" in kb["tags"]


def test_article_has_metadata_markdown_and_html(client):
    body = client.get("/api/articles/KB977203").get_json()
    assert body["id"] == "KB977203"
    assert body["signatures"]["codes"] == ["0x80092024"]
    assert body["codes"][0] == "0x80092024"
    assert body["body"].lstrip().startswith("## Symptoms")
    assert '<h2 id="symptoms">Symptoms</h2>' in body["html"]
    assert 'href="/codes/0x80092024"' in body["html"]
    assert body["first_step"].startswith("Install the hotfix")


@pytest.mark.parametrize("article_id", ["nope", "..%2f..%2fetc%2fpasswd", "%2e%2e", "a.md"])
def test_unknown_article_is_404(client, article_id):
    assert_error(client.get(f"/api/articles/{article_id}"), 404)


# -- routes, methods, description ------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/", "/api/nope", "/api/lookup", "/api/articles/a/b"])
def test_unknown_api_routes_are_json_404(client, path):
    assert_error(client.get(path), 404)


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/analyze"),
        ("DELETE", "/api/search"),
        ("PUT", "/api/search"),
        ("POST", "/api/lookup/0x5"),
        ("POST", "/api/articles"),
    ],
)
def test_wrong_method_is_json_405(client, method, path):
    response = client.open(path, method=method)
    assert_error(response, 405, f"does not accept {method} requests")
    assert response.headers["Allow"]


def test_openapi_describes_exactly_the_api_routes(app, client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    described = {(path, method.upper()) for path, item in spec["paths"].items() for method in item}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule).replace("{article_id}", "{id}")
            routes |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert described == routes


def test_openapi_references_resolve(client):
    spec = client.get("/api/openapi.json").get_json()
    text = json.dumps(spec)
    for ref in set(re.findall(r'"\$ref": "#/components/(\w+)/(\w+)"', text)):
        assert ref[1] in spec["components"][ref[0]], ref


def test_api_answers_send_the_security_headers(client):
    headers = client.get("/api/lookup/0x5").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in headers["Content-Security-Policy"]


def test_a_browsers_line_breaks_count_once_against_the_query_limit():
    """A text box sends CRLF: 199,998 characters as typed, 299,997 as sent."""
    client = make_app().test_client()
    typed = "a\r\n" * 99_999
    assert client.post("/api/search", data={"q": typed}).status_code == 200
    assert client.get("/api/search", query_string={"q": typed}).status_code == 200
    page = client.post("/search", data={"q": typed})
    assert page.status_code == 303 and "/search/" in page.headers["Location"]


def test_a_body_neither_json_nor_a_form_is_415_not_an_empty_query():
    client = make_app().test_client()
    res = client.post("/api/search", data="0x80092024", content_type="text/plain")
    assert res.status_code == 415
    assert res.get_json() == {
        "error": 'A body of type text/plain cannot be read: send JSON {"q": "..."} '
        "(application/json) or a form field q.",
        "status": 415,
    }


def test_the_articles_list_takes_a_trailing_slash_and_a_kb_number_leads_to_its_article():
    client = make_app().test_client()
    assert client.get("/articles/").status_code == 200
    for given in ("KB977203", "kb977203"):
        res = client.get(f"/codes/{given}")
        assert (res.status_code, res.headers["Location"]) == (302, "/articles/KB977203")
    assert client.get("/codes/hello").status_code == 404


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ('{"q": "abc \\ud800"}', '"q" holds an unpaired surrogate escape: it is not text.'),
        ('{"q": "x", "z": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ('{"q": "0x80070002", "limit": 1e400}', "limit must be a whole number from 1 to 100."),
    ],
)
def test_json_bodies_python_cannot_take_are_400_not_500(body, said):
    res = make_app().test_client().post("/api/search", data=body, content_type="application/json")
    assert res.status_code == 400
    assert said in res.get_json()["error"]


@pytest.mark.parametrize("path", ["/api/lookup/", "/codes/"])
def test_a_number_of_thousands_of_digits_is_404_not_500(path):
    res = make_app().test_client().get(path + "9" * 5000)
    assert res.status_code == 404


def test_bidi_overrides_in_a_paste_never_reach_the_page():
    """U+202E would show the line's codes reversed: 20007008 for 80070002."""
    q = "Failed to run the action: Apply \u202eOperating System (Error: 80070002; Source: Windows)"
    page = make_app().test_client().get("/search", query_string={"q": q}).get_data(as_text=True)
    assert "\u202e" not in page and "\ufffdOperating System" in page


def test_a_form_of_too_many_parts_is_413_that_says_so_not_upload_too_large():
    client = make_app().test_client()
    res = client.post(
        "/api/analyze", data={f"f{i}": "x" for i in range(3000)}, content_type="multipart/form-data"
    )
    assert res.status_code == 413
    assert res.get_json()["error"].startswith("The form has too many parts, or a text field")
