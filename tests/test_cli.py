"""The kb command line: lookup, analyze and the shell around the core."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO, SHARED

LOOKUPS = [
    ("0x80070002", "0x80070002", "ERROR_FILE_NOT_FOUND", ["win7-winpe2-boot-image"]),
    ("80070002", "0x80070002", "ERROR_FILE_NOT_FOUND", ["win7-winpe2-boot-image"]),
    ("2147942402", "0x80070002", "ERROR_FILE_NOT_FOUND", ["win7-winpe2-boot-image"]),
    ("-2147024894", "0x80070002", "ERROR_FILE_NOT_FOUND", ["win7-winpe2-boot-image"]),
    ("3221225478", "0xC0000006", "STATUS_IN_PAGE_ERROR", ["osd-nic-driver-winpe"]),
    ("0x80190194", "0x80190194", "BG_E_HTTP_ERROR_404", ["KB2508665"]),
    ("0x80092024", "0x80092024", "CRYPT_E_NOT_CHAR_STRING", ["KB977203"]),
    ("0x80072ee7", "0x80072EE7", "ERROR_WINHTTP_NAME_NOT_RESOLVED", ["osd-nic-driver-winpe"]),
    ("2148074254", "0x8009030E", "SEC_E_NO_CREDENTIALS", ["client-approval-kerberos"]),
    ("0xc0000001", "0xC0000001", "STATUS_UNSUCCESSFUL", ["win7-winpe2-boot-image"]),
    ("0x35", "0x00000035", "ERROR_BAD_NETPATH", ["osd-nic-driver-winpe"]),
    ("5", "0x00000005", "ERROR_ACCESS_DENIED", []),
    (
        "(Error: 80004005; Source: Windows)",
        "0x80004005",
        "E_FAIL",
        ["KB2508665", "osd-nic-driver-winpe"],
    ),
]


@pytest.mark.parametrize("text, hex_, name, articles", LOOKUPS, ids=[x[0] for x in LOOKUPS])
def test_lookup_json(run, text, hex_, name, articles):
    result = run("lookup", text, "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["input"] == text
    assert data["hex"] == hex_
    assert name in data["names"]
    assert [a["id"] for a in data["articles"]] == articles
    assert {"unsigned", "signed", "kind", "severity", "facility", "win32", "description", "hint",
            "generic"} <= set(data)  # fmt: skip
    assert data["unsigned"] == int(hex_, 16)
    assert data["signed"] == (
        data["unsigned"] - (1 << 32) if data["unsigned"] >= 1 << 31 else data["unsigned"]
    )


def test_lookup_decodes_a_wrapped_win32_error(run):
    data = run("lookup", "0x80070002", "--json").json()
    assert (data["kind"], data["facility"], data["win32"]) == (
        "hresult-win32",
        {"code": 7, "name": "WIN32"},
        2,
    )


def test_lookup_text_output_lists_articles(run):
    result = run("lookup", "3221225478")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "code:     0xC0000006  (unsigned 3221225478, signed -1073741818)"
    )
    assert "STATUS_IN_PAGE_ERROR" in result.stdout
    assert "  osd-nic-driver-winpe: " in result.stdout
    assert run("lookup", "5").stdout.rstrip().endswith("No article cites this code.")


@pytest.mark.parametrize(
    "text, message",
    [
        ("0xZZ", "malformed hex number '0xZZ'"),
        ("0x80070002 and 0x80070005", "more than one error code: 0x80070002, 0x80070005"),
        ("0x1FFFFFFFF", "'0x1FFFFFFFF' is outside the 32-bit range"),
        ("hello", "no error code found in 'hello'"),
    ],
)
def test_lookup_rejects_with_one_line(run, text, message):
    result = run("lookup", text)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"kb: error: {message}\n"


def test_help_lists_every_command(run):
    out = run("--help").stdout
    for command in ("analyze", "check", "lookup", "new", "search"):
        assert f"  {command} " in out


def test_python_dash_m_and_console_script_agree():
    via_module = subprocess.run(
        [sys.executable, "-m", "kb", "lookup", "0x35"], capture_output=True, text=True, cwd=REPO
    )
    assert via_module.returncode == 0 and "ERROR_BAD_NETPATH" in via_module.stdout


def test_unexpected_error_prints_no_traceback(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "KB_ARTICLES": str(tmp_path / "missing"), "HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "kb", "search", "x"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert (
        proc.stderr.strip()
        == f"kb: error: {tmp_path / 'missing'}: no such articles folder (set --articles or KB_ARTICLES)"
    )


# -- kb analyze ----------------------------------------------------------------------

REAL = SHARED / "real-logs"
REAL_LOGS = sorted(REAL.glob("*.log")) if REAL.is_dir() else []
FAILED_ACTIONS = {
    "smsts-cmtracecopy-excerpt-moderndrivermgmt-issue17.log": "Dynamically Apply Drivers",
    "statusmsg-excerpt-osd-reporting-issue17.log": "Apply Windows Settings",
}
SUCCEEDED = {
    "smsts-log_reader-1.log", "smsts-mdtlogfiles-1.log", "smsts-hello-world-1.log",
    "execmgr-excerpt-logslothparser-1.log", "wuahandler-findingsanity-1.log", "sccm-various-plaso-1.log",
}  # fmt: skip


@pytest.mark.skipif(not REAL_LOGS, reason="../shared/real-logs is not present")
@pytest.mark.parametrize("path", REAL_LOGS, ids=lambda p: p.name)
def test_analyze_every_real_log(run, path):
    result = run("analyze", str(path), "--json")
    data = result.json()
    # 0 only when an article answers a failure; a run that did not fail is 1.
    assert result.exit_code == (0 if data["failed"] and data["results"] else 1), result.stderr
    assert {
        "file",
        "kind",
        "format",
        "lines",
        "failed",
        "failed_action",
        "errors",
        "results",
    } <= set(data)
    assert data["lines"] > 0
    if path.name in FAILED_ACTIONS:
        assert data["failed"] is True
        assert data["failed_action"] == FAILED_ACTIONS[path.name]
    if path.name in SUCCEEDED:
        assert data["failed"] is False and data["failed_action"] is None and data["results"] == []
    for e in data["errors"]:
        assert {"line", "component", "message", "codes", "file"} <= set(e) and e["line"] >= 1
    text = run("analyze", str(path)).stdout
    assert text.startswith(f"{path}: ")


def test_analyze_a_generated_failure_names_the_step_and_article(run, tmp_path):
    from tests.logfactory import wrap_in_noise

    lines = [
        "Failed to import the client certificate store (0x80092024)",
        "Failed to run the action: Capture User State.\nUnknown error (Error: 80092024; Source: Unknown)",
    ]
    log = tmp_path / "smsts.log"
    log.write_bytes(wrap_in_noise(lines, 60, seed=4).encode("utf-16"))
    data = run("analyze", str(log), "--json").json()
    assert data["failed"] is True
    assert data["failed_action"] == "Capture User State"
    assert data["results"][0]["id"] == "KB977203"
    assert any(e["codes"] == ["0x80092024"] for e in data["errors"])


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "cannot read {path}: no such file"),
        (b"\x00\x01\x02\x7fELF\x00\x00" * 200, "{path}: binary file, not a text log"),
    ],
)
def test_analyze_bad_files_fail_with_one_line(run, tmp_path, content, message):
    path = tmp_path / "smsts.log"
    if content is not None:
        path.write_bytes(content)
    result = run("analyze", str(path))
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_analyze_empty_log_is_bad_input_as_on_stdin_and_upload(run, tmp_path):
    path = tmp_path / "smsts.log"
    path.write_bytes(b"")
    res = run("analyze", str(path), "--json")
    assert (res.exit_code, res.stdout) == (2, "")
    assert res.stderr == f"kb: error: {path} is empty: give the log that shows the failure\n"


# -- odd input on stdin ------------------------------------------------------------


def run_stdin(data: bytes, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kb", "search", *args], input=data, capture_output=True, cwd=REPO
    )


def test_search_reads_utf16_stdin():
    paste = "Hash could not be matched for the downloaded content.\r\n".encode("utf-16")
    proc = run_stdin(paste, "-")
    assert proc.returncode == 0
    assert proc.stdout.decode().startswith("1. ts-hash-mismatch-extended-chars:")


def test_search_reads_cp1252_stdin():
    proc = run_stdin(
        "Der Tasksequenz-Download für Übersicht.pdf: Hash could not be matched for the downloaded content.".encode(
            "cp1252"
        )
    )
    assert proc.returncode == 0 and b"ts-hash-mismatch-extended-chars" in proc.stdout


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (bytes(range(256)) * 2000, "<stdin> is binary data, not text"),
        (bytes(range(256)), "<stdin> is binary data, not text"),
        (b"a" * 2_000_000, "the query is "),
    ],
)
def test_search_on_binary_or_huge_stdin_is_one_line(data, said):
    proc = run_stdin(data, "-")
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr
    assert proc.stderr.decode().startswith(f"kb: error: {said}")
    assert len(proc.stderr.decode().strip().splitlines()) == 1
