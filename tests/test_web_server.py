"""The real server (waitress): big bodies get the app's 413, never a reset; a clean stop.

Bodies are sent by a plain HTTP client without ``Expect: 100-continue``: the whole body
goes out before the answer is read, which is what curl, scripts and browsers do.
"""

from __future__ import annotations

import http.client
import json
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.browser_support import running_server
from tests.conftest import REPO, article_text
from tests.web_support import make_app

MB = 1024 * 1024


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, int]]:
    """A ``kb serve`` process on a free loopback port: (host, port)."""
    with running_server() as base:
        host, port = base.removeprefix("http://").rstrip("/").rsplit(":", 1)
        yield host, int(port)


def post(
    where: tuple[str, int], path: str, size: int, chunked: bool = False, **headers: str
) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse, bytes]:
    """POST ``size`` bytes without Expect; return the connection, the answer and its body."""
    conn = http.client.HTTPConnection(*where, timeout=120)
    body = b"x" * size
    headers.setdefault("Content-Type", "application/json")
    if chunked:
        pieces = (body[i : i + MB] for i in range(0, size, MB))
        conn.request("POST", path, body=pieces, headers=headers, encode_chunked=True)
    else:
        conn.request("POST", path, body=body, headers=headers)
    response = conn.getresponse()
    return conn, response, response.read()


LIMIT_MESSAGE = (
    "The upload is larger than the 20 MB limit. Upload only the log that shows the "
    "failure (smsts.log), or paste its red lines."
)


@pytest.mark.slow
@pytest.mark.parametrize("size", [25 * MB, 30 * MB])
@pytest.mark.parametrize("path", ["/api/search", "/api/analyze"])
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_limit_gets_the_json_413(server, path, size, chunked):
    conn, response, body = post(server, path, size, chunked)
    assert response.status == 413
    assert response.getheader("Content-Type") == "application/json"
    assert json.loads(body) == {"error": LIMIT_MESSAGE, "status": 413}
    # The body was read to its end: the same connection answers the next request.
    conn.request("GET", "/healthz")
    assert conn.getresponse().status == 200
    conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/analyze", "/search", "/"])
def test_a_body_over_the_limit_gets_the_html_413_on_pages(server, path):
    conn, response, body = post(
        server, path, 30 * MB, **{"Content-Type": "application/x-www-form-urlencoded"}
    )
    conn.close()
    assert response.status == 413
    assert response.getheader("Content-Type").startswith("text/html")
    assert "Upload too large" in body.decode() and "20 MB limit" in body.decode()


def test_a_body_under_the_limit_still_reaches_the_app(server):
    conn = http.client.HTTPConnection(*server, timeout=60)
    query = json.dumps({"q": "Failed to import the client certificate store (0x80092024)"})
    conn.request("POST", "/api/search", body=query, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    assert response.status == 200
    assert json.loads(response.read())["results"][0]["id"] == "KB977203"
    conn.close()


@contextmanager
def small_server(limit: int, ceiling: int) -> Iterator[tuple[str, int]]:
    """Run make_server in this process with a small limit (the app's) and ceiling."""
    from kbserver import make_server

    app = make_app(MAX_CONTENT_LENGTH=limit)
    server = make_server(app, host="127.0.0.1", port=0, ceiling=ceiling)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", server.effective_port
    finally:
        # Close the sockets from the server's own loop, which then ends.
        server.trigger.pull_trigger(server.close)
        thread.join(10)
        assert not thread.is_alive()


def test_bodies_between_limit_and_ceiling_are_read_and_discarded():
    with small_server(limit=MB, ceiling=4 * MB) as where:
        for chunked in (False, True):
            conn, response, body = post(where, "/api/search", 3 * MB, chunked)
            assert response.status == 413, chunked
            assert json.loads(body)["status"] == 413
            conn.request("GET", "/healthz")
            assert conn.getresponse().status == 200
            conn.close()
        # Just under the limit: the body reaches the app whole.
        conn, response, body = post(where, "/api/search", MB - 10)
        assert response.status == 400 and "not valid JSON" in json.loads(body)["error"]
        conn.close()


def test_a_body_over_the_ceiling_gets_waitress_refusal_without_the_app():
    with small_server(limit=MB, ceiling=2 * MB) as where:
        conn = http.client.HTTPConnection(*where, timeout=60)
        conn.putrequest("POST", "/api/search")
        conn.putheader("Content-Length", str(3 * MB))
        conn.endheaders()  # the answer comes before the body: nothing is sent
        response = conn.getresponse()
        assert response.status == 413
        assert b"exceeds max_body" in response.read()
        conn.close()


# -- starting and stopping ---------------------------------------------------------------


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_serve_says_stopped_when_stopped(tree, how):
    folder = tree({"test-a.md": article_text()})
    proc = subprocess.Popen(
        [sys.executable, "-m", "kb", "serve", "--port", "0", "--articles", str(folder)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        first = proc.stdout.readline()
        assert re.fullmatch(
            r"kb: serving 1 article on http://127\.0\.0\.1:\d+/ \(Ctrl-C to stop\)\n", first
        )
        proc.send_signal(how)
        out, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert out == "kb: stopped\n"
    assert proc.returncode == 0


def test_the_web_app_and_the_cli_share_one_query_limit():
    from kb.search import MAX_QUERY_CHARS
    from kbserver import DEFAULTS

    assert DEFAULTS["KB_MAX_QUERY"] == MAX_QUERY_CHARS
    client = make_app().test_client()
    too_long = "a " * (MAX_QUERY_CHARS // 2) + "b"
    answer = client.post("/api/search", json={"q": too_long})
    assert answer.status_code == 400
    assert f"{MAX_QUERY_CHARS:,}" in answer.get_json()["error"]


@pytest.mark.skipif(not hasattr(__import__("socket"), "SO_REUSEPORT"), reason="Linux and BSD only")
def test_reuse_port_lets_a_second_process_serve_the_same_port():
    with running_server("--reuse-port") as first:
        port = first.rstrip("/").rsplit(":", 1)[1]
        with running_server("--reuse-port", "--port", port) as second:
            assert second == first
        refused = subprocess.run(
            [sys.executable, "-m", "kb", "serve", "--port", port],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"kb: error: cannot listen on 127.0.0.1:{port}: ")
    assert len(refused.stderr.splitlines()) == 1


@pytest.mark.parametrize(("chars", "status"), [(190_000, 200), (210_000, 400)])
def test_a_long_query_in_a_url_gets_the_apps_json_answer(server, chars, status):
    """A GET query near the limit is longer than waitress's default header ceiling."""
    from urllib.parse import quote

    conn = http.client.HTTPConnection(*server, timeout=120)
    conn.request("GET", "/api/search?q=" + quote("é\n" * (chars // 2)))
    res = conn.getresponse()
    body = json.loads(res.read())
    conn.close()
    assert (res.status, res.getheader("Content-Type")) == (status, "application/json")
    assert (
        ("results" in body) if status == 200 else body["error"].startswith("The query is 210,000")
    )
