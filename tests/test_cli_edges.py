"""The shell's edges: no arguments, unknown options, empty paths and folders, pipes, permissions."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import REPO, article_text

CMTRACE_FAILURE = (
    '<![LOG[Failed to run the action: Apply Driver Package. Error 0x80070002]LOG]!><time="10:00:00'
    '.000+000" date="01-01-2020" component="TSManager" context="" type="3" thread="1" file="x">\n'
)


def test_no_arguments_prints_the_help_on_stdout(run):
    res = run()
    assert (res.exit_code, res.stderr) == (0, "")
    assert res.stdout.startswith("Usage: kb [OPTIONS] COMMAND [ARGS]...")
    assert "lookup" in res.stdout and "triage" in res.stdout


@pytest.mark.parametrize(
    "args, option",
    [
        (("lookup", "0x80070002", "--bogus"), "--bogus"),
        (("lookup", "--limit", "3", "0x80070002"), "--limit"),
        (("lookup", "--bogus=1"), "--bogus"),
        (("search", "--bogus", "x"), "--bogus"),
    ],
)
def test_an_unknown_option_is_refused_by_every_command(run, args, option):
    res = run(*args)
    assert (res.exit_code, res.stdout) == (2, "")
    assert res.stderr == f"kb: error: No such option '{option}' (see kb {args[0]} --help)\n"


def test_search_takes_a_negative_decimal_code_as_lookup_does(run):
    searched = run("search", "-2147024894", "--json")
    looked_up = run("lookup", "-2147024894", "--json")
    assert searched.stderr == looked_up.stderr == ""
    assert searched.json()["codes"][0]["hex"] == looked_up.json()["hex"] == "0x80070002"


@pytest.mark.parametrize(
    "args, what",
    [
        (("analyze", ""), "a log file, a folder of logs or a zip"),
        (("analyze", "  "), "a log file, a folder of logs or a zip"),
        (("check", ""), "an article file or a folder of articles"),
    ],
)
def test_an_empty_path_is_refused_not_read_as_the_current_folder(run, args, what):
    res = run(*args)
    assert (res.exit_code, res.stdout) == (2, "")
    assert res.stderr == f"kb: error: PATH is empty: give {what}\n"


def test_check_refuses_a_folder_with_no_articles(run, tmp_path):
    res = run("check", str(tmp_path))
    assert (res.exit_code, res.stdout) == (2, "")
    assert (
        res.stderr
        == f"kb: error: {tmp_path}: no articles to check (an article is a NAME.md file)\n"
    )


def test_check_still_reports_a_folder_whose_only_article_is_broken(run, tmp_path):
    (tmp_path / "bad.md").write_text("no front matter\n", encoding="utf-8")
    res = run("check", str(tmp_path))
    assert res.exit_code == 1
    assert "bad.md:1: no front matter" in res.stderr


def test_serve_refuses_a_folder_with_no_articles(run, tmp_path):
    res = run("serve", "--articles", str(tmp_path), "--port", "0")
    assert (res.exit_code, res.stdout) == (2, "")
    assert (
        res.stderr
        == f"kb: error: {tmp_path}: no articles to serve (an article is a NAME.md file)\n"
    )


def test_serve_still_starts_on_one_article(tmp_path):
    from kbserver import create_app

    (tmp_path / "test-a.md").write_text(article_text(), encoding="utf-8")
    assert len(create_app({"KB_ARTICLES": tmp_path}).extensions["kb"].corpus.articles) == 1


def test_an_empty_log_file_is_bad_input(tmp_path):
    from kb.errors import LogError
    from kb.logs.machine import analyze_path

    (tmp_path / "smsts.log").write_bytes(b"")
    with pytest.raises(LogError, match=r"smsts\.log is empty: give the log that shows the failure"):
        analyze_path(str(tmp_path / "smsts.log"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
@pytest.mark.parametrize("zipped", [False, True])
def test_a_log_read_from_a_pipe_is_read_whole(tmp_path, zipped):
    """kb analyze <(cat smsts.log): the start of a stream is not lost to the zip test."""
    import io
    import zipfile

    from kb.logs.machine import analyze_path

    log = "".join(CMTRACE_FAILURE.replace("10:00:00", f"10:00:{i:02d}") for i in range(40))
    data = log.encode()
    if zipped:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("smsts.log", data)
        data = buf.getvalue()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as f:
            f.write(data)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        analysis = analyze_path(str(fifo))
    finally:
        writer.join(timeout=10)
    assert analysis.to_dict()["lines"] == 40
    assert analysis.to_dict()["failed"] is True


def test_an_out_folder_that_cannot_be_looked_into_is_one_line(monkeypatch, tmp_path):
    from kb.cli.common import Failure, ensure_folder

    blocked = tmp_path / "none"
    real_exists = Path.exists

    def exists(self: Path, *args, **kwargs) -> bool:
        if self == blocked / "site":
            raise PermissionError(13, "Permission denied", str(self))
        return real_exists(self, *args, **kwargs)

    monkeypatch.setattr(Path, "exists", exists)
    with pytest.raises(Failure) as caught:
        ensure_folder(blocked / "site", "--out", parents_only=True)
    assert caught.value.message == (
        f"--out {blocked / 'site'}: cannot look at {blocked / 'site'} (Permission denied); "
        "choose a folder you can write to"
    )


def test_a_cache_folder_that_cannot_be_read_builds_the_index_in_memory(monkeypatch, tmp_path):
    from kb.corpus import default_dir, load_corpus
    from kb.search.index import open_index

    corpus = load_corpus([default_dir()])
    real_exists = Path.exists

    def exists(self: Path, *args, **kwargs) -> bool:
        if self.name == "COMPLETE":
            raise PermissionError(13, "Permission denied", str(self))
        return real_exists(self, *args, **kwargs)

    monkeypatch.setattr(Path, "exists", exists)
    ix = open_index(corpus.articles, tmp_path / "cache", corpus.vocabulary)
    assert ix.doc_count() == len(corpus.articles)
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_a_reader_that_goes_away_is_status_141_not_nothing_found():
    """kb lookup ... | head -1: 1 would say "nothing found"."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kb", "lookup", "0x80070002"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    proc.stdout.close()  # before the interpreter has started: every write fails
    _, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == (141, b"")


def test_counts_of_one_are_singular():
    from kb.cli.textout import analysis_report

    report = {
        "file": "smsts.log",
        "kind": "smsts",
        "format": "cmtrace",
        "lines": 1,
        "logs": [],
        "failed": False,
        "results": [],
    }
    assert analysis_report(report).splitlines()[0].endswith(", 1 line")


_OLD_MIXED = re.compile(r"[a-z].*[A-Z]|[A-Z].*[a-z]")


@given(st.text(alphabet="aZ_9x", max_size=30))
def test_mixed_case_is_a_lower_and_an_upper_letter(token):
    """The linear test splits exactly the tokens the backtracking pattern did."""
    from kb.search.textnorm import _LOWER_RE, _UPPER_RE

    new = bool(_LOWER_RE.search(token) and _UPPER_RE.search(token))
    assert new == bool(_OLD_MIXED.search(token))


@pytest.mark.parametrize(
    "args",
    [
        ("search", "0x80092024"),
        ("search", "where is smsts.log in winpe"),
        ("search", "Hash could not be matched for the downloaded content."),
        ("search", "-2147024894"),
        ("lookup", "0x80070002"),
        ("lookup", "0xc0000001"),
    ],
)
def test_text_output_fits_an_80_column_terminal_without_markdown(run, args):
    res = run(*args)
    assert res.stdout.strip()
    too_wide = [line for line in res.stdout.splitlines() if len(line) > 80]
    assert too_wide == []
    assert "**" not in res.stdout and "`" not in res.stdout


def test_an_analysis_fits_an_80_column_terminal(run, tmp_path):
    log = tmp_path / "smsts.log"
    log.write_text(CMTRACE_FAILURE.replace("Error 0x80070002", "Error 0x80070002 " + "x" * 200))
    res = run("analyze", str(log))
    lines = res.stdout.splitlines()
    assert [line for line in lines[1:] if len(line) > 80] == []  # the first names the file


def test_a_cited_code_that_finds_nothing_says_who_cites_it(run):
    """kb lookup lists the article; kb search says why it did not answer with it."""
    res = run("search", "0x80070002")
    assert res.exit_code == 1
    text = " ".join(res.stdout.split())
    assert text.startswith("No article matches this query.")
    assert (
        "cited by win7-winpe2-boot-image, but this code alone does not say which failure it is"
        in text
    )


def test_a_folder_that_cannot_be_listed_says_so(monkeypatch, tmp_path):
    import kb.logs.sources as sources
    from kb.errors import LogError

    def walk(top, onerror=None):
        onerror(PermissionError(13, "Permission denied", str(top)))
        return iter(())

    monkeypatch.setattr(sources.os, "walk", walk)
    with pytest.raises(
        LogError, match=rf"^cannot read {re.escape(str(tmp_path))}: Permission denied$"
    ):
        sources.folder_sources(tmp_path)


def test_a_folder_and_its_zip_list_their_logs_in_the_same_order(tmp_path):
    import io
    import zipfile

    from kb.logs.sources import folder_sources, zip_sources

    names = ["z.log", "sub/b.log", "a.log", "sub/deeper/c.log", "m.lo_"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in names:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text("x\n")
            z.writestr(name, "x\n")
    in_folder = [s.name for s in folder_sources(tmp_path)]
    assert in_folder == [s.name for s in zip_sources("logs.zip", buf.getvalue())]
    assert in_folder == sorted(names)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_pipe_among_a_machines_logs_is_left_out_not_waited_on(tmp_path):
    from kb.logs.sources import folder_sources

    (tmp_path / "smsts.log").write_text(CMTRACE_FAILURE)
    os.mkfifo(tmp_path / "fifo.log")  # opening it would wait for a writer forever
    assert [s.name for s in folder_sources(tmp_path)] == ["smsts.log"]


def test_terminal_controls_in_a_log_or_an_article_are_never_printed(run, tmp_path):
    """ESC sequences could clear the screen, set the title or the clipboard (OSC 52)."""
    hostile = "\x1b]0;PWNED\x07\x1b[2J\x1b]52;c;ZWNobyBoaQ==\x07\u202e"
    log = tmp_path / "smsts.log"
    log.write_text(CMTRACE_FAILURE.replace("Apply Driver Package", "Apply " + hostile))
    folder = tmp_path / "arts"
    folder.mkdir()
    (folder / "test-a.md").write_text(
        article_text().replace('title: "', 'title: "' + hostile.replace("\x07", ""), 1),
        encoding="utf-8",
    )
    outputs = [
        run("analyze", str(log)),
        run("search", "--articles", str(folder), "Failed to do the test thing (0x80070002)"),
        run("check", str(folder)),
        run("analyze", str(tmp_path / ("missing" + hostile))),
    ]
    for res in outputs:
        for stream in (res.stdout, res.stderr):
            assert not any(c in stream for c in "\x1b\x07\u202e"), stream
    assert "\ufffd]0;PWNED" in outputs[0].stdout


def test_a_small_log_ending_in_nul_padding_is_read(tmp_path):
    """A power loss leaves NULs where the last writes never reached the disk."""
    from kb.logs.machine import analyze_path

    log = tmp_path / "smsts.log"
    log.write_bytes(CMTRACE_FAILURE.encode() * 20 + b"\x00" * 4096)
    analysis = analyze_path(str(log)).to_dict()
    assert analysis["failed"] is True and analysis["kind"] == "smsts"
    only_nuls = tmp_path / "nuls.log"
    only_nuls.write_bytes(b"\x00" * 4096)
    from kb.errors import LogError

    with pytest.raises(LogError, match="binary file, not a text log"):
        analyze_path(str(only_nuls))


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_a_damaged_cached_index_is_dropped_and_built_again(tmp_path, damage):
    from kb.corpus import default_dir, load_corpus
    from kb.search import Engine

    corpus = load_corpus([default_dir()])
    Engine(corpus, index_folder=tmp_path)  # builds the cache
    [built] = [p for p in tmp_path.iterdir() if p.name.startswith("index-")]
    files = sorted(p for p in built.iterdir() if p.suffix in (".seg", ".toc"))
    assert files
    for f in files:
        data = f.read_bytes()
        f.write_bytes(data[: len(data) // 3] if damage == "truncate" else b"\x07" * len(data))
    engine = Engine(corpus, index_folder=tmp_path)
    assert engine.search("0x80092024")["results"][0]["id"] == "KB977203"
    assert not built.exists()  # dropped: the next run builds a sound one
