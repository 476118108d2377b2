"""Bad arguments: exit 2 and one line naming the argument and the fix, never an internal error.

Also the small promises of the command line: plurals, the version line, the stdin
limit, --since, broken articles reported by every command, the index cache of tests.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.conftest import ARTICLES, article_text

# {tmp} is a fresh folder; {file} a file in it. Each row: arguments, the exact stderr line.
BAD_ARGUMENTS = [
    (
        ["serve", "--host", "http://127.0.0.1"],
        "Invalid value for '--host': 'http://127.0.0.1' is a URL; give only the address to "
        "listen on, such as 127.0.0.1, 0.0.0.0 (every IPv4 address) or :: (every address), "
        "and the port with --port (see kb serve --help)",
    ),
    (
        ["serve", "--host", "256.1.1.1"],
        "Invalid value for '--host': '256.1.1.1' is not an IP address or host name "
        "(such as 127.0.0.1 or 0.0.0.0) (see kb serve --help)",
    ),
    (
        ["serve", "--host", "kb server"],
        "Invalid value for '--host': 'kb server' is not an IP address or host name "
        "(such as 127.0.0.1 or 0.0.0.0) (see kb serve --help)",
    ),
    (
        ["serve", "--host", "127.0.0.1:8000"],
        "Invalid value for '--host': '127.0.0.1:8000' holds a port; give the address with "
        "--host and the port with --port (see kb serve --help)",
    ),
    (
        ["serve", "--port", "70000"],
        "Invalid value for '--port': 70000 is not in the range 0<=x<=65535 (see kb serve --help)",
    ),
    (
        ["serve", "--workers", "0"],
        "Invalid value for '--workers': 0 is not in the range 1<=x<=256 (see kb serve --help)",
    ),
    (
        ["serve", "--articles", "{tmp}/missing"],
        "{tmp}/missing: no such articles folder (set --articles or KB_ARTICLES)",
    ),
    (
        ["build", "--out", "{file}/site"],
        "--out {file}/site: {file} is a file, not a folder; choose another folder",
    ),
    (
        ["build", "--out", "{file}"],
        "Invalid value for '--out': Directory '{file}' is a file (see kb build --help)",
    ),
    (
        ["build", "--out", "{tmp}/site", "--base-url", "not a url"],
        "Invalid value for '--base-url': 'not a url' is not an absolute http:// or https:// "
        "URL (e.g. https://intranet.corp.example/kb) (see kb build --help)",
    ),
    (
        ["build", "--out", "{tmp}/site", "--base-url", "ftp://intranet/kb"],
        "Invalid value for '--base-url': 'ftp://intranet/kb' is not an absolute http:// or "
        "https:// URL (e.g. https://intranet.corp.example/kb) (see kb build --help)",
    ),
    (
        ["build", "--out", "{tmp}/site", "--base-url", "https://"],
        "Invalid value for '--base-url': 'https://' is not an absolute http:// or https:// "
        "URL (e.g. https://intranet.corp.example/kb) (see kb build --help)",
    ),
    (
        ["triage", "{tmp}", "--kb-url", "not a url"],
        "Invalid value for '--kb-url': 'not a url' is not an absolute http:// or https:// or "
        "file:// URL (e.g. http://kb.intranet:8000) (see kb triage --help)",
    ),
    (
        ["triage", "{tmp}", "--kb-url", "/srv/kb"],
        "Invalid value for '--kb-url': '/srv/kb' is a folder or a file other than a page: "
        "give the static site's index.html (e.g. D:\\publish\\kb\\index.html) "
        "(see kb triage --help)",
    ),
    (
        ["triage", "{tmp}", "--kb-url", "file:///srv/kb/"],
        "Invalid value for '--kb-url': 'file:///srv/kb/' is not an absolute http:// or "
        "https:// or file:// URL (e.g. http://kb.intranet:8000) (see kb triage --help)",
    ),
    (
        ["triage", "{tmp}", "--out", "{file}/out"],
        "--out {file}/out: {file} is a file, not a folder; choose another folder",
    ),
    (
        ["triage", "{tmp}", "--since", "2020-13-45"],
        "Invalid value for '--since': '2020-13-45' does not match the format '%Y-%m-%d' "
        "(see kb triage --help)",
    ),
    (
        ["triage", "{tmp}", "--format", "pdf"],
        "Invalid value for '--format': 'pdf': choose from html, json, csv (see kb triage --help)",
    ),
    (
        ["triage", "{tmp}/nothing-here", "--out", "{tmp}/out"],
        "{tmp}/nothing-here: no such file or folder",
    ),
    (
        ["search", "--limit", "0", "x"],
        "Invalid value for '--limit': 0 is not in the range 1<=x<=100 (see kb search --help)",
    ),
    (["lookup"], "Missing argument 'CODE...' (see kb lookup --help)"),
    (["analyze"], "Missing argument 'PATH' (see kb analyze --help)"),
    (["lookup", "hello"], "no error code found in 'hello'"),
    (
        ["search", "--articles", "{file}", "x"],
        "{file}: no such articles folder (set --articles or KB_ARTICLES)",
    ),
    (
        ["new", "bad!", "--title", "t", "--articles", "{tmp}"],
        "'bad!' is not a valid id: use letters, digits, '-' and '_'",
    ),
    (["nope"], "No such command 'nope' (see kb --help)"),
    (["check", "--colour"], "No such option '--colour' (see kb check --help)"),
]
if Path("/proc/self").is_dir():  # Linux: a folder nobody can create anything in
    BAD_ARGUMENTS.append(
        (
            ["build", "--out", "/proc/kb-site"],
            "/proc: cannot write here (No such file or directory); choose another folder with --out",
        )
    )
    BAD_ARGUMENTS.append(
        (
            ["triage", "{tmp}", "--out", "/proc/kb-triage"],
            "--out /proc/kb-triage: cannot create the folder (No such file or directory); "
            "choose a folder you can write to",
        )
    )


@pytest.mark.parametrize(
    "args, message", BAD_ARGUMENTS, ids=[" ".join(a) for a, _ in BAD_ARGUMENTS]
)
def test_bad_arguments_exit_2_with_one_line(run, tmp_path, args, message):
    file = tmp_path / "a-file.txt"
    file.write_text("not a folder\n", encoding="utf-8")
    fill = {"tmp": str(tmp_path), "file": str(file)}
    result = run(*[a.format(**fill) for a in args])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"kb: error: {message.format(**fill)}\n"


def test_version_shows_the_article_count(run, monkeypatch):
    monkeypatch.delenv("KB_ARTICLES", raising=False)
    count = len([p for p in ARTICLES.glob("*.md") if p.name.lower() != "readme.md"])
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"kb 0.1.0 ({count} articles in {ARTICLES})\n")


def test_version_with_one_article_is_singular(run, tree, monkeypatch):
    folder = tree({"test-a.md": article_text()})
    monkeypatch.setenv("KB_ARTICLES", str(folder))
    assert run("--version").stdout == f"kb 0.1.0 (1 article in {folder})\n"


# -- broken articles are reported by every command that loads them ----------------------


@pytest.mark.parametrize(
    "command", [["search", "Failed to do the test thing"], ["lookup", "0x80070002"]]
)
def test_search_and_lookup_report_broken_articles_like_check(run, tree, command):
    folder = tree({"test-a.md": article_text(), "broken.md": "---\nid: [\n---\n"})
    checked = run("check", str(folder))
    assert checked.exit_code == 1
    problem = next(line for line in checked.stderr.splitlines() if "broken.md" in line)
    result = run(*command, "--articles", str(folder))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"kb: warning: {problem}",
        f"kb: warning: 1 error in the articles; run: kb check {folder}",
    ]
    assert "test-a" in result.stdout


# -- stdin, --since, plurals ------------------------------------------------------------


def test_stdin_over_the_limit_is_not_given_a_false_length():
    import subprocess

    from kb.search import MAX_QUERY_CHARS

    proc = subprocess.run(
        [sys.executable, "-m", "kb", "search", "-"],
        input=b"a" * (5 * MAX_QUERY_CHARS),
        capture_output=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.decode() == (
        f"kb: error: the query is more than {MAX_QUERY_CHARS:,} characters, the limit "
        "(use kb analyze for a whole log file)\n"
    )


def failing_log(folder: Path) -> Path:
    from tests.logfactory import wrap_in_noise

    lines = [
        "Failed to import the client certificate store (0x80092024)",
        "Failed to run the action: Capture User State.\nUnknown error (Error: 80092024; Source: Unknown)",
    ]
    log = folder / "smsts.log"
    log.write_text(wrap_in_noise(lines, 40, seed=4), encoding="utf-8")
    return log


def test_triage_counts_one_of_each_in_the_singular(run, tmp_path):
    log = failing_log(tmp_path)
    result = run("triage", str(log), "--out", str(tmp_path / "out"), "--workers", "1", "--no-cache")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "1 log: 1 failed on 1 machine, 1 explained by 1 article, 0 unexplained in "
        "0 new problems; 0 could not be analyzed"
    )


def test_triage_since_that_leaves_out_every_log_says_so(run, tmp_path):
    log = failing_log(tmp_path)
    result = run(
        "triage", str(log), "--out", str(tmp_path / "out"), "--since", "2100-01-01", "--no-cache"
    )
    assert result.exit_code == 1
    assert result.stderr == "kb: 1 log found, none dated on or after 2100-01-01 (see --since)\n"


def test_check_counts_in_the_singular(run, tree):
    folder = tree({"test-a.md": article_text(), "broken.md": "---\nid: [\n---\n"})
    assert run("check", str(folder)).stdout == (
        "1 article, 1 example: all find their article; 1 error, 0 warnings\n"
    )


@pytest.mark.parametrize(
    "count, word, many, expected",
    [(0, "article", None, "0 articles"), (1, "article", None, "1 article"),
     (2, "article", None, "2 articles"), (1_000, "log", None, "1,000 logs"),
     (2, "machine", "machines", "2 machines")],
)  # fmt: skip
def test_plural(count, word, many, expected):
    from kb.cli.common import plural

    assert plural(count, word, many) == expected


def test_tests_build_indexes_outside_the_user_cache():
    cache = Path(os.environ["KB_CACHE_DIR"]).resolve()
    home_cache = (Path.home() / ".cache" / "kb").resolve()
    assert cache != home_cache and home_cache not in cache.parents
    from kb.search.index import cache_dir

    assert cache_dir().resolve() == cache


@pytest.mark.parametrize(
    "given, link",
    [
        (r"D:\publish\kb\index.html", "file:///D:/publish/kb/articles/KB977203.html"),
        (r"\\deploy01\kb$\index.html", "file://deploy01/kb%24/articles/KB977203.html"),
        ("/srv/kb/index.html", "file:///srv/kb/articles/KB977203.html"),
        ("file:///D:/publish/kb/index.html", "file:///D:/publish/kb/articles/KB977203.html"),
        ("http://kb.intranet:8000", "http://kb.intranet:8000/articles/KB977203"),
    ],
)
def test_triage_links_to_the_static_site_by_windows_or_posix_path(run, tmp_path, given, link):
    log = failing_log(tmp_path)
    out = tmp_path / "out"
    result = run("triage", str(log), "--out", str(out), "--no-cache", "--kb-url", given)
    assert result.exit_code == 0, result.stderr
    assert f'href="{link}"' in (out / "triage.html").read_text(encoding="utf-8")


def test_build_counts_one_article_in_the_singular(run, tree, tmp_path):
    folder = tree({"test-a.md": article_text()})
    out = tmp_path / "site"
    result = run("build", "--articles", str(folder), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"built {out}{os.sep}: 1 article, ")
