"""Failure analysis on synthetic logs: the verdict, the failing step, and its root error chain."""

from __future__ import annotations

import json

import pytest

from kb.errors import LogError
from kb.logs import MAX_ERRORS, analyze_file, analyze_records, analyze_text
from kb.logs.reader import parse_text


def cm(message: str, component: str = "TSManager", type_: int = 1, date: str = "03-14-2010") -> str:
    """Return one smsts.log line."""
    return (
        f'<![LOG[{message}]LOG]!><time="14:02:11.482+480" date="{date}" component="{component}" '
        f'context="" type="{type_}" thread="1716" file="engine.cxx:12">'
    )


def step(name: str) -> list[str]:
    """Return the lines TSManager writes when a step starts."""
    return [
        cm(f"Start executing an instruction. Instruction name: {name}. Instruction pointer: 7"),
        cm(f"Set a global environment variable _SMSTSCurrentActionName={name}", type_=0),
    ]


def done(name: str) -> list[str]:
    """Return the lines TSManager writes when a step succeeds."""
    return [
        cm(f"Successfully completed the action ({name}) with the exit win32 code 0"),
        cm("Set a global environment variable _SMSTSLastActionSucceeded=true", type_=0),
    ]


OK_STEPS = [
    *step("Partition Disk 0"),
    cm("Failed to open volume \\\\.\\D: (0x80070015)", "OSDDiskPart", 3),
    cm("Formatting drive C:", "OSDDiskPart"),
    *done("Partition Disk 0"),
    *step("Apply Operating System"),
    cm("Applying image 1 to volume C:", "ApplyOperatingSystem"),
    *done("Apply Operating System"),
]
DRIVER_FAILURE = [
    *step("Apply Driver Package"),
    cm(
        'Executing command line: "X:\\windows\\Pkgmgr\\pkgmgr.exe" /o:"C:;C:\\Windows"',
        "OSDDriverClient",
    ),
    cm("Process completed with exit code 2", "OSDDriverClient"),
    cm("uExitCode == 0, HRESULT=80070002 (sysprepdriverinstaller.cpp,553)", "OSDDriverClient", 3),
    cm("Package manager failed with return code 2", "OSDDriverClient", 3),
    cm("Failed to add driver to driver store. Code 0x80070002", "OSDDriverClient", 3),
    cm("Failed to provision driver. Code 0x80070002", "OSDDriverClient", 3),
    cm("Exiting with return code 0x80070002", "OSDDriverClient"),
    cm("Process completed with exit code 2147942402"),
    cm(
        "!--------------------------------------------------------------------------------------------!"
    ),
    "<![LOG[Failed to run the action: Apply Driver Package. \r\n"
    "The system cannot find the file specified. (Error: 80070002; Source: Windows)]LOG]!>"
    '<time="14:02:19.001+480" date="03-15-2010" component="TSManager" context="" type="3" '
    'thread="1716" file="instruction.cxx:3011">',
    cm("Sending status message . . ."),
    cm(
        "The execution of the group (Drivers) has failed and the execution has been aborted. "
        "An action failed.\r\nOperation aborted (Error: 80004004; Source: Windows)",
        type_=3,
    ),
    cm(
        "Failed to run the last action: Apply Driver Package. Execution of task sequence failed."
        "\r\nUnspecified error (Error: 80004005; Source: Windows)",
        type_=3,
    ),
    cm("Task Sequence Engine failed! Code: enExecutionFail", type_=3),
    cm("Task sequence execution failed with error code 80004005", type_=3),
    cm("Execution engine result code: Failed (1)", type_=3),
]


def test_failure_in_a_later_step_names_it_and_its_first_errors():
    text = "\r\n".join(OK_STEPS + DRIVER_FAILURE) + "\r\n"
    a = analyze_text(text)
    assert a.failed
    assert a.failed_action == "Apply Driver Package"
    assert a.result == "Execution engine result code: Failed (1)"
    first = text.split("\r\n").index(DRIVER_FAILURE[4]) + 1
    assert a.errors[0].line == first
    assert (
        a.errors[0].message == "uExitCode == 0, HRESULT=80070002 (sysprepdriverinstaller.cpp,553)"
    )
    messages = [e.message for e in a.errors]
    assert "Failed to provision driver. Code 0x80070002" in messages
    assert any(m.startswith("Failed to run the action: Apply Driver Package.") for m in messages)
    assert not any("Failed to open volume" in m for m in messages)
    assert [e.line for e in a.errors] == sorted(e.line for e in a.errors)
    assert len(a.errors) <= MAX_ERRORS
    assert 0x80070002 in a.errors[0].codes
    assert a.codes[:2] == [0x80070015, 0x80070002]
    assert a.failure_date == "2010-03-15"
    assert (a.first_date, a.last_date) == ("2010-03-14", "2010-03-15")
    assert a.failure_line == text.split("\r\n").index(DRIVER_FAILURE[11].split("\r\n")[0]) + 1


def test_chain_is_not_only_the_generic_final_code():
    blog = """\
Executing command line: "\\\\DP01\\SMSPKGD$\\ABC00003\\SOURCES\\SETUP.EXE" /noreboot OSDSetupWindows
Process completed with exit code 3221225478 OSDSetupWindows
Windows Setup completed with exit code 3221225478 OSDSetupWindows
exitCode == 0, HRESULT=80004005 (setupwindows.cpp,440) OSDSetupWindows
Windows setup failed, code 3221225478 OSDSetupWindows
setup.run(), HRESULT=80004005 (setupwindows.cpp,1707) OSDSetupWindows
Exiting with code 0x80004005 OSDSetupWindows
Process completed with exit code 2147500037 TSManager
!--------------------------------------------------------------------------------------------! TSManager
Failed to run the action: Setup windows and ConfigMgr.
Unspecified error (Error: 80004005; Source: Windows) TSManager
"""
    a = analyze_text(blog)
    assert a.failed
    assert a.failed_action == "Setup windows and ConfigMgr"
    assert a.errors[0].line == 2
    assert {e.line for e in a.errors} >= {2, 5, 10, 11}
    assert 0xC0000006 in a.codes
    assert a.errors[-1].message == "Unspecified error (Error: 80004005; Source: Windows)"
    assert a.errors[-1].component == "TSManager"


def test_successful_run_with_type_3_noise():
    text = "\n".join(
        [
            *OK_STEPS,
            *step("Run PowerShell Script"),
            cm(
                "The search filter is invalid. (Exception from HRESULT: 0x80072020)",
                "RunPowerShellScript",
                3,
            ),
            *done("Run PowerShell Script"),
            cm("The task execution engine successfully completed the task sequence"),
            cm("Execution engine result code: Success (0)"),
            cm("RemoveFile() failed for C:\\_SMSTaskSequence\\TSEnv.dat. 0x80070005.", type_=3),
            cm("Task Sequence Manager could not release active TS request", type_=3),
        ]
    )
    a = analyze_text(text)
    assert not a.failed
    assert a.failed_action is None
    assert a.errors == []
    assert a.result == "Execution engine result code: Success (0)"
    assert a.error_count == 4
    assert [e.codes for e in a.other_errors][:2] == [[0x80070015], [0x80072020]]
    assert a.codes == [0x80070015, 0x80072020, 0x80070005]


def test_reboot_and_continue_is_not_a_failure():
    reboot = [
        *step("Setup Windows and ConfigMgr"),
        cm("The action (Setup Windows and ConfigMgr) initiated a reboot request"),
        cm("Execution engine result code: Reboot (2)", type_=2),
        cm("Process completed with exit code 2147945410", "TSMBootstrap", 0),
        cm("Task Sequence Manager returned code 0x80070BC2", "TSMBootstrap"),
        cm("TS environment is not initialized", "TSBootShell", 3),
    ]
    a = analyze_text("\n".join(reboot))
    assert (a.failed, a.reboot, a.failed_action) == (False, True, None)
    assert a.result == "Task Sequence Manager returned code 0x80070BC2"
    assert 0x80070BC2 not in a.codes
    resumed = [
        cm("Successfully intialized Logging for TS Manager."),
        *step("Install Software"),
        *done("Install Software"),
        cm("Execution engine result code: Success (0)"),
    ]
    a = analyze_text("\n".join(reboot + resumed))
    assert (a.failed, a.reboot) == (False, False)
    a = analyze_text("\n".join(reboot + resumed[:3]))
    assert (a.failed, a.reboot) == (False, False)
    failed_later = [
        cm("Successfully intialized Logging for TS Manager."),
        *step("Install Software"),
        cm("Install Software failed, hr=0x80070643", "InstallSoftware", 3),
        cm("Failed to run the action: Install Software. Error -2147023293", type_=3),
        cm("Execution engine result code: Failed (1)", type_=3),
    ]
    a = analyze_text("\n".join(reboot + failed_later))
    assert (a.failed, a.reboot, a.failed_action) == (True, False, "Install Software")
    assert [e.message for e in a.errors][0] == "Install Software failed, hr=0x80070643"


def test_continue_on_error_is_not_the_failure():
    text = "\n".join(
        [
            *step("Install Visio"),
            cm("Failed to run the action: Install Visio. Error -2147023293", type_=3),
            cm(
                "The execution engine ignored the failure of the action (Install Visio) and continues execution"
            ),
            *step("Install Project"),
            *done("Install Project"),
        ]
    )
    a = analyze_text(text)
    assert not a.failed and a.failed_action is None
    a = analyze_text(
        text
        + "\n"
        + "\n".join([*step("Join Domain"), cm("Failed to run the action: Join Domain. Error 1355")])
    )
    assert a.failed_action == "Join Domain"
    assert [e.message for e in a.errors] == ["Failed to run the action: Join Domain. Error 1355"]


def test_a_later_run_decides():
    failure = "\n".join(
        [*step("Apply OS"), cm("Failed to run the action: Apply OS. Error 112", type_=3)]
    )
    retry = "\n".join(
        [
            cm("Successfully intialized Logging for TS Manager."),
            cm("Execution engine result code: Success (0)"),
        ]
    )
    assert analyze_text(failure).failed
    assert not analyze_text(failure + "\n" + retry).failed
    assert analyze_text(retry + "\n" + failure).failed


def test_component_exit_code_alone_is_a_weak_failure():
    weak = "\n".join(
        [
            *step("Capture User State"),
            cm("Exiting with return code 0x80070005", "OSDUserStateCapture"),
        ]
    )
    a = analyze_text(weak)
    assert a.failed and a.result == "Exiting with return code 0x80070005"
    assert not analyze_text(weak + "\n" + "\n".join(step("Next step"))).failed


def test_chain_is_bounded_and_keeps_first_and_last_lines():
    noise = [
        cm(f"Failed to copy file {i}. Error 0x8007000{i % 10}", "InstallSoftware", 3)
        for i in range(300)
    ]
    text = "\n".join(
        [*step("Copy Files"), *noise, cm("Failed to run the action: Copy Files. Error 5", type_=3)]
    )
    a = analyze_text(text)
    assert len(a.errors) == MAX_ERRORS
    assert a.errors[0].line == 3
    assert a.errors[-1].message.startswith("Failed to run the action: Copy Files")
    assert a.error_count == 301


def test_to_dict_is_json_ready_with_hex_codes():
    a = analyze_text("\n".join(DRIVER_FAILURE), name="smsts.log")
    d = a.to_dict()
    json.dumps(d)
    assert {
        "file",
        "format",
        "lines",
        "failed_action",
        "errors",
        "codes",
        "failed",
        "result",
        "machine",
    } <= set(d)
    assert d["file"] == "smsts.log"
    assert d["format"] == "cmtrace"
    assert "0x80070002" in d["codes"]
    assert set(d["errors"][0]) == {"line", "component", "message", "codes", "file"}
    assert d["errors"][0]["codes"] == ["0x80070002"]


def test_file_text_and_records_agree(tmp_path):
    text = "\r\n".join(OK_STEPS + DRIVER_FAILURE) + "\r\n\r\n"
    path = tmp_path / "smsts.log"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    from_file = analyze_file(path)
    from_text = analyze_text(text, name=str(path))
    assert from_file.lines == from_text.lines == len(OK_STEPS) + len(DRIVER_FAILURE) + 4
    assert from_file.errors == from_text.errors
    assert from_file.file == str(path) == from_file.errors[0].file
    from_records = analyze_records(parse_text(text), file=str(path))
    assert from_records.errors == from_text.errors
    assert from_records.records == from_text.records


def test_empty_and_missing():
    a = analyze_text("")
    assert (a.failed, a.records, a.lines, a.format, a.errors, a.codes) == (
        False,
        0,
        0,
        "plain",
        [],
        [],
    )
    with pytest.raises(LogError):
        analyze_file("/nonexistent/smsts.log")
