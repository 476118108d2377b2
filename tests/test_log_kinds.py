"""Log kinds, the verdict's wording, restarts, and evidence from logs that did not fail."""

from __future__ import annotations

import pytest

from kb.logs import analyze_file, analyze_text, kind_from_name
from kb.search import Engine
from tests.real_logs import real_log

KINDS_BY_NAME = [
    ("smsts.log", "smsts"),
    ("smsts-20100215-101112.log", "smsts"),
    ("0A1B2C3D-0000-0000-0000-000000000000-smsts.log", "smsts"),
    (r"C:\_SMSTaskSequence\Logs\Smstslog\smsts.log", "smsts"),
    ("ccmsetup.log", "ccmsetup"),
    ("ccmsetup-ccmeval.log", "ccmsetup"),
    ("setupact.log", "setup"),
    ("setuperr.log", "setup"),
    ("BDD.log", "bdd"),
    ("ZTIGather.log", "bdd"),
    ("ApplyDriverPackage.log", "script"),
    ("execmgr.log", None),
    ("upload.log", None),
    ("<paste>", None),
    ("smsts.zip", None),
]


@pytest.mark.parametrize("name, kind", KINDS_BY_NAME)
def test_kind_from_name(name, kind):
    assert kind_from_name(name) == kind


# Real logs under names that do not tell: their content does.
KINDS_BY_CONTENT = [
    ("ccmsetup-reddit-jimbocalvo-1.log", "ccmsetup"),
    ("applydriverpackage-excerpt-msendpointmgr-issue291.log", "script"),
    ("applydriverpackage-cmtracecopy-excerpt-msendpointmgr-issue243.log", "script"),
    ("bdd-mdtlogfiles-1.log", "bdd"),
    ("setupact-setup-log-rickak77-1.log", "setup"),
    ("smsts-log_reader-1.log", "smsts"),
    ("smsts-cmtracecopy-excerpt-moderndrivermgmt-issue17.log", "smsts"),
    ("wuahandler-findingsanity-1.log", "cmtrace"),
    ("statusmsg-excerpt-osd-reporting-issue17.log", "text"),
]


@pytest.mark.parametrize("name, kind", KINDS_BY_CONTENT)
def test_kind_from_content(name, kind):
    text = real_log(name).read_bytes().decode("utf-8", "replace")
    assert analyze_text(text, name="upload.log").kind == kind


@pytest.fixture(scope="module")
def engine():
    return Engine.load()


def test_ccmsetup_failure_is_worded_as_ccmsetup_and_not_matched_to_the_ts_article(engine):
    report = engine.analyze(real_log("ccmsetup-reddit-jimbocalvo-1.log"))
    assert report["kind"] == "ccmsetup"
    assert report["headline"] == "ccmsetup failed with 0x80190194."
    assert report["code"] == "0x80190194"
    # KB2508665 is the task sequence's download of the toolkit package (smsts.log).
    assert "KB2508665" not in [r["id"] for r in report["results"]]
    assert report["strong"] is False  # decided on the results kept, not on the search's


def test_script_log_failure_is_the_script_s(engine):
    report = engine.analyze(real_log("applydriverpackage-excerpt-msendpointmgr-issue291.log"))
    assert (report["kind"], report["failed"]) == ("script", True)
    assert report["headline"] == "The script failed."
    assert "task sequence" not in report["headline"].lower()


def test_task_sequence_failure_names_its_step(engine):
    report = engine.analyze(real_log("smsts-cmtracecopy-excerpt-moderndrivermgmt-issue17.log"))
    assert report["headline"].startswith(
        "The task sequence failed at the step “Dynamically Apply Drivers”"
    )


def tsm(message: str, type_: int = 1) -> str:
    return (
        f'<![LOG[{message}]LOG]!><time="10:00:00.000+000" date="03-04-2011" '
        f'component="TSManager" context="" type="{type_}" thread="1" file="t.cpp:1">'
    )


RESTARTS = [
    ["Execution engine result code: Reboot (2)"],
    ["Task Sequence Manager returned code 0x80070BC2"],
    ["Task sequence completed 0x80070BC2"],
    ["Task Sequence Manager returned code 0x80070669"],
    ["CcmSetup is exiting with return code 7"],
    ["CcmSetup is exiting with return code 3010"],
    ["CcmSetup is exiting with return code 1641"],
]


@pytest.mark.parametrize("lines", RESTARTS, ids=lambda x: x[0])
def test_a_success_with_restart_is_not_a_failure(lines):
    a = analyze_text("\n".join(tsm(m) for m in lines))
    assert (a.failed, a.reboot) == (False, True)
    assert "asking for a restart" in a.headline and "not a failure" in a.headline


def test_an_excerpt_of_utf16_error_lines_gets_its_article(engine, tmp_path):
    line = tsm("Failed to import the client certificate store (0x80092024)", 3)
    path = tmp_path / "excerpt.log"
    path.write_bytes(b"\xff\xfe" + "\r\n".join([line] * 3).encode("utf-16-le"))
    report = engine.analyze(path)
    assert report["failed"] is False
    assert [r["id"] for r in report["results"]][:1] == ["KB977203"]
    assert report["headline"] == (
        "The run did not fail (or this log does not show its end), but these lines match: KB977203."
    )
    assert [e["line"] for e in report["evidence"]] == [1, 2, 3]


def test_a_warning_level_signature_line_counts_for_the_failure(engine):
    lines = [
        tsm(
            "Start executing an instruction. Instruction name: Send Status. Instruction pointer: 3"
        ),
        tsm("WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED", 2),
        tsm(
            "Failed to run the action: Send Status.\nUnspecified error (Error: 80004005; Source: Windows)",
            3,
        ),
    ]
    report = engine.analyze_text("\n".join(lines))
    assert report["failed"] is True
    assert [s["line"] for s in report["signatures"]] == [2]
    assert report["results"][0]["id"] == "ts-native-mode-crl"
    # Without the watch words, the line is not evidence and the article is not found.
    plain = engine.match_analysis(analyze_text("\n".join(lines)))
    assert "ts-native-mode-crl" not in [r["id"] for r in plain["results"]]


def test_a_successful_log_with_noise_errors_has_no_evidence(engine):
    report = engine.analyze(real_log("smsts-hello-world-1.log"))
    assert report["failed"] is False and report["results"] == [] and report["evidence"] == []


def test_file_field_on_every_kept_line(tmp_path):
    path = tmp_path / "smsts.log"
    path.write_text(tsm("Failed to run the action: X.\n(Error: 80070002; Source: Windows)", 3))
    a = analyze_file(path)
    assert a.errors and all(e.file == str(path) for e in a.errors)


def test_a_run_that_shows_its_successful_end_says_so():
    from kb.logs.kinds import headline

    said = headline("smsts", False, None, None, False, "Task sequence completed 0x00000000")
    assert said == "The task sequence ended without a failure (Task sequence completed 0x00000000)."
    assert headline("smsts", False, None, None, False, None) == (
        "The run did not fail (or this log does not show its end)."
    )
