"""A machine's logs as one run: folders and zips, rotated smsts logs, context, safety."""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import tempfile
import zipfile
from datetime import datetime

import pytest

from kb.errors import LogError
from kb.logs import analyze_path, analyze_upload, zip_sources
from kb.logs import sources as log_sources
from kb.search import Engine
from tests.conftest import REPO
from tests.fleetgen import corpus_kinds, render_log

START = datetime(2010, 2, 8, 10, 0, 0)


def failing_run() -> list[str]:
    """Return the lines of a run that fails in Install Software (KB2508665)."""
    kind = next(k for k in corpus_kinds() if k.article == "KB2508665")
    return render_log(random.Random(3), kind, "LON-WKS-0001", START, 30_000).split("\r\n")


def write_machine(root, *, failure_in_rotated: bool = True) -> list[str]:
    """Write a machine's log folder: the run rotated into two smsts logs, and setupact.log."""
    lines = failing_run()
    fail = next(i for i, ln in enumerate(lines) if "Failed to run the action" in ln)
    cut = fail + 3 if failure_in_rotated else len(lines) // 3
    (root / "SMSTSLog").mkdir(parents=True)
    (root / "SMSTSLog" / "smsts-20100208-100030.log").write_bytes(
        ("\r\n".join(lines[:cut]) + "\r\n").encode("utf-8-sig")
    )
    (root / "SMSTSLog" / "smsts.log").write_bytes("\r\n".join(lines[cut:]).encode("utf-8-sig"))
    (root / "Panther").mkdir()
    (root / "Panther" / "setupact.log").write_text(
        "2010-02-08 09:00:00, Error                 SP     Too early: not shown\n"
        "2010-02-08 10:00:20, Error                 SP     CSetupPlatform::Initialize: "
        "disk provisioning failed; hr = 0x80070032\n"
        "2010-02-08 13:00:00, Error                 SP     Too late: not shown\n"
    )
    return lines


def zip_folder(root, target) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for folder, _, files in os.walk(root):
            for name in sorted(files):
                full = os.path.join(folder, name)
                z.write(full, os.path.relpath(full, root))


@pytest.fixture(scope="module")
def engine():
    return Engine.load()


@pytest.fixture
def machine(tmp_path):
    folder = tmp_path / "machine"
    write_machine(folder)
    zipped = tmp_path / "machine.zip"
    zip_folder(folder, zipped)
    return folder, zipped


def test_a_folder_and_a_zip_of_the_same_logs_give_the_same_analysis(engine, machine):
    folder, zipped = machine
    a = engine.analyze(folder)
    b = engine.analyze(zipped)
    assert a["file"] == str(folder) and b["file"] == str(zipped)
    a.pop("file"), b.pop("file")
    assert a == b


def test_rotated_logs_are_stitched_and_the_failure_found_in_the_rotated_one(engine, machine):
    report = engine.analyze(machine[0])
    assert report["failed"] is True and report["failed_action"] == "Install Software"
    assert report["failure_file"] == "SMSTSLog/smsts-20100208-100030.log"
    assert report["results"][0]["id"] == "KB2508665"
    assert {e["file"] for e in report["errors"]} <= {
        "SMSTSLog/smsts-20100208-100030.log",
        "SMSTSLog/smsts.log",
    }
    logs = {log["file"]: log for log in report["logs"]}
    assert set(logs) == {
        "Panther/setupact.log",
        "SMSTSLog/smsts-20100208-100030.log",
        "SMSTSLog/smsts.log",
    }
    assert logs["SMSTSLog/smsts-20100208-100030.log"]["failed"] is True
    assert logs["SMSTSLog/smsts.log"]["failed"] is False
    assert logs["Panther/setupact.log"]["kind"] == "setup"
    assert set(logs["SMSTSLog/smsts.log"]) == {"file", "kind", "format", "lines", "failed"}
    assert sum(log["lines"] for log in logs.values() if log["kind"] == "smsts") == report["lines"]


def test_a_failure_split_across_the_pieces_is_still_found(tmp_path, engine):
    write_machine(tmp_path / "m", failure_in_rotated=False)
    report = engine.analyze(tmp_path / "m")
    assert report["failure_file"] == "SMSTSLog/smsts.log"
    assert report["results"][0]["id"] == "KB2508665"


def test_other_logs_around_the_failure_are_context(engine, machine):
    report = engine.analyze(machine[0])
    assert [(c["file"], c["line"]) for c in report["context"]] == [("Panther/setupact.log", 2)]
    assert "0x80070032" in report["context"][0]["codes"]


def test_ccm_logs_without_a_task_sequence_report_the_failed_log(tmp_path):
    (tmp_path / "ccmsetup.log").write_text(
        '<![LOG[CcmSetup failed with error code 0x80190194]LOG]!><time="10:00:00.000+000" '
        'date="02-08-2010" component="ccmsetup" context="" type="1" thread="1" file="c.cpp:1">\n'
    )
    (tmp_path / "execmgr.log").write_text("nothing happened here\n")
    a = analyze_path(str(tmp_path))
    assert (a.kind, a.failed, a.headline) == ("ccmsetup", True, "ccmsetup failed with 0x80190194.")
    assert [s.file for s in a.logs] == ["ccmsetup.log", "execmgr.log"]


def test_binary_files_in_a_folder_are_listed_as_skipped(tmp_path):
    write_machine(tmp_path)
    (tmp_path / "dump.log").write_bytes(b"\x00\x01\x02\x7fELF\x00" * 400)
    a = analyze_path(str(tmp_path))
    assert a.failed and a.skipped == [("dump.log", "binary file, not a text log")]


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    "member", ["../evil.log", "a/../../evil.log", "/etc/evil.log", "C:/evil.log", "..\\evil.log"]
)
def test_traversal_names_are_refused(member):
    data = zip_of({"smsts.log": b"x\n", member: b"y\n"})
    with pytest.raises(LogError) as exc:
        zip_sources("logs.zip", data)
    assert str(exc.value) == f"logs.zip: unsafe member name {member!r} in the zip: refused"


def test_a_zip_bomb_is_refused_before_anything_is_read():
    data = b"\x00" * (log_sources.MAX_ZIP_BYTES + 1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("smsts.log", data)
    del data
    assert len(buf.getvalue()) < 2 * 1024 * 1024  # small on disk, 200 MB unpacked
    with pytest.raises(LogError) as exc:
        analyze_upload("bomb.zip", buf.getvalue())
    assert str(exc.value) == "bomb.zip: the zip unpacks to more than 200 MB: refused"


def test_too_many_files_are_refused(monkeypatch):
    monkeypatch.setattr(log_sources, "MAX_ZIP_FILES", 3)
    data = zip_of({f"l{i}.log": b"x\n" for i in range(4)})
    with pytest.raises(LogError) as exc:
        zip_sources("many.zip", data)
    assert str(exc.value) == "many.zip: 4 files in the zip (the limit is 3): refused"


def test_a_zip_is_read_without_writing_anything(tmp_path, monkeypatch, machine):
    before = set(os.listdir(tempfile.gettempdir()))
    monkeypatch.chdir(tmp_path)
    listed = set(os.listdir(tmp_path))
    analyze_upload("machine.zip", machine[1].read_bytes())
    assert set(os.listdir(tmp_path)) == listed
    assert set(os.listdir(tempfile.gettempdir())) <= before | {tmp_path.name}


def test_a_broken_zip_is_one_clear_error():
    with pytest.raises(LogError, match=r"^cannot read x.zip: not a valid zip"):
        analyze_upload("x.zip", b"PK\x03\x04 not really a zip")


# -- the command line and the web app ------------------------------------------------


def test_cli_analyzes_a_folder_and_a_zip_and_exits_0_when_answered(run, machine):
    for target in machine:
        result = run("analyze", str(target))
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith(f"{target}: 3 logs, ")
        assert "SMSTSLog/smsts-20100208-100030.log:" in result.stdout
        assert "Other logs around the failure:" in result.stdout


def test_cli_exit_1_for_a_run_that_did_not_fail(run, tmp_path):
    path = tmp_path / "smsts.log"
    path.write_text("Task sequence completed 0x00000000\n")
    assert run("analyze", str(path)).exit_code == 1


def test_cli_reads_a_log_from_stdin(machine):
    data = (machine[0] / "SMSTSLog" / "smsts-20100208-100030.log").read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "kb", "analyze", "-", "--json"],
        input=data,
        capture_output=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert b'"failed_action": "Install Software"' in result.stdout


def test_cli_refuses_an_unsafe_zip_with_one_line(run, tmp_path):
    path = tmp_path / "evil.zip"
    path.write_bytes(zip_of({"../evil.log": b"x\n"}))
    result = run("analyze", str(path))
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"kb: error: {path}: unsafe member name '../evil.log' in the zip: refused\n"
    )


def test_web_upload_of_a_zip(client, machine):
    data = machine[1].read_bytes()
    response = client.post("/api/analyze", data={"file": (io.BytesIO(data), "machine.zip")})
    body = response.get_json()
    assert response.status_code == 200
    assert body["file"] == "machine.zip" and len(body["logs"]) == 3
    assert body["results"][0]["id"] == "KB2508665"
    page = client.post(
        "/analyze", data={"file": (io.BytesIO(data), "machine.zip")}, follow_redirects=True
    )
    assert page.status_code == 200
    assert "Other logs around the failure" in page.get_data(as_text=True)


@pytest.mark.parametrize("route", ["/api/analyze", "/analyze"])
def test_web_refuses_a_binary_upload_with_the_cli_message(client, run, tmp_path, route):
    blob = b"\x1f\x8b\x08\x00" + bytes(range(256)) * 40
    path = tmp_path / "smsts.log.gz"
    path.write_bytes(blob)
    cli = run("analyze", str(path))
    assert cli.exit_code == 2
    assert cli.stderr == f"kb: error: cannot read {path}: binary file, not a text log\n"
    response = client.post(route, data={"file": (io.BytesIO(blob), "smsts.log.gz")})
    assert response.status_code == 400
    message = "cannot read smsts.log.gz: binary file, not a text log"
    if route.startswith("/api/"):
        assert response.get_json() == {"error": message, "status": 400}
    else:
        assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p / "missing", "cannot read {p}: no such file or folder"),
        (lambda p: p, "{p}: no readable log in it"),
        (
            lambda p: (p / "x.zip").write_bytes(zip_of({"a.txt": b"x"})) and p / "x.zip",
            "{p}: no readable log in it",
        ),
    ],
    ids=["missing", "empty folder", "zip without logs"],
)
def test_cli_bad_paths_are_one_line(run, tmp_path, make, message):
    path = make(tmp_path)
    result = run("analyze", str(path))
    assert result.exit_code == 2
    assert result.stderr == "kb: error: " + message.format(p=path) + "\n"


def test_cli_empty_stdin_is_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "kb", "analyze", "-"], input=b"", capture_output=True, cwd=REPO
    )
    assert result.returncode == 2
    assert (
        result.stderr
        == b"kb: error: <stdin> is empty: pipe a log (or a zip of logs) into kb analyze -\n"
    )


def test_triage_reads_a_machine_folder_and_a_zip_as_one_run_each(tmp_path):
    from kb.triage import TriageOptions, triage

    share = tmp_path / "share"
    folder = share / "0A1B2C3D-1111-2222-3333-444455556666"
    write_machine(folder)
    zip_folder(folder, share / "7F000000-1111-2222-3333-444455556666.zip")
    options = TriageOptions(workers=1, cache_path=str(tmp_path / "cache.sqlite3"))
    first = triage([str(share)], options)
    by_file = {os.path.basename(r["file"]): r for r in first.results}
    assert set(by_file) == {folder.name, "7F000000-1111-2222-3333-444455556666.zip"}
    for r in by_file.values():
        assert (r["status"], r["failed"], r["article"]) == ("ok", True, "KB2508665")
    assert first.report["failed_machines"] == 2
    # A rerun takes both from the cache, until a log inside the folder changes.
    assert triage([str(share)], options).cached == 2
    piece = folder / "SMSTSLog" / "smsts.log"
    piece.write_bytes(piece.read_bytes() + b"\r\n")
    assert triage([str(share)], options).cached == 1
