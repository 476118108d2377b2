"""Failure analysis of other logs (ccmsetup, MDT, Windows Setup, execmgr, status messages) and machine names."""

from __future__ import annotations

import pytest

from kb.logs import analyze_text
from tests.test_analysis import cm

SETUPACT = "2022-07-06 08:20:07, Error                 MOUPG  "
VERDICTS = [
    # (log text, failed, result line or None when not checked)
    ("Task sequence completed 0x00000000", False, "Task sequence completed 0x00000000"),
    ("Task sequence completed 0x80070002", True, "Task sequence completed 0x80070002"),
    ("CcmSetup is exiting with return code 0", False, "CcmSetup is exiting with return code 0"),
    ("CcmSetup is exiting with return code 7", False, "CcmSetup is exiting with return code 7"),
    (
        "Failed to connect to policy namespace. Error 0x8004100e\n"
        "CcmSetup failed with error code 0x80072efd",
        True,
        "CcmSetup failed with error code 0x80072efd",
    ),
    ("FAILURE ( 7001 ): ZTIApplications failed", True, "FAILURE ( 7001 ): ZTIApplications failed"),
    ("Litetouch deployment failed, Return Code = -2147467259  0x80004005", True, None),
    (
        "2019-03-27 10:12:16, Info   [setup.exe] Called script [X:\\E.cmd] to handle fatal error",
        True,
        None,
    ),
    (
        SETUPACT + "CSetupHost::Execute(433): Result = 0x800F0922",
        True,
        "CSetupHost::Execute(433): Result = 0x800F0922",
    ),
    (
        SETUPACT + "CSetupHost::Execute(433): Result = 0x0",
        False,
        "CSetupHost::Execute(433): Result = 0x0",
    ),
    (SETUPACT + "SetupHost: Reporting error event -> [0xC1900101, 0x30018]", True, None),
    (
        "Execution is complete for program Install. The exit code is 1603, the execution status is FailureNonRetry",
        True,
        None,
    ),
    (
        "Execution is complete for program Install. The exit code is 0, the execution status is Success",
        False,
        None,
    ),
    ("ERROR: Invalid OS GUID {1} specified for task sequence WIN10", False, None),
    (
        "The task sequence execution engine failed executing the action (Apply Network Settings) in the group (Setup) with the error code 2147944755",
        True,
        None,
    ),
]


@pytest.mark.parametrize(("text", "failed", "result"), VERDICTS)
def test_other_logs_verdicts(text, failed, result):
    a = analyze_text(text)
    assert a.failed is failed
    if result is not None:
        assert a.result == result


def test_status_message_action_name():
    a = analyze_text(
        "The task sequence execution engine failed executing the action (Add Windows Recovery (WinRE)) in the group (Postinstall) with the error code 2147942402"
    )
    assert a.failed_action == "Add Windows Recovery (WinRE)"
    assert a.codes == [0x80070002]


@pytest.mark.parametrize(
    ("line", "machine"),
    [
        (cm("Property OSDComputerName is now = LAB-PC-017", "ZTIGather"), "LAB-PC-017"),
        (
            cm("Set a global environment variable _SMSTSMachineName=CLASSRM-22", type_=0),
            "CLASSRM-22",
        ),
        (
            "2019-03-29 00:35:14, Info       [0x06025d] IBS    Callback_ComputerName_Validate:Computer name is WIN-7QK2",
            "WIN-7QK2",
        ),
        (
            cm("[KIOSK07] Running on 'Microsoft Windows 10 Enterprise' (10.0.19045).", "ccmsetup"),
            "KIOSK07",
        ),
        (cm("Property OSDComputerName is now = %SerialNumber%", "ZTIGather"), None),
        (cm("SetComputerNameW(pszComputerName), HRESULT=80220005", "OSDWinSettings"), None),
    ],
)
def test_machine_name(line, machine):
    assert analyze_text(line).machine == machine


def test_machine_name_prefers_the_deployment_name_to_the_winpe_one():
    text = "\n".join(
        [
            cm("Property HostName is now = MININT-TEST01"),
            cm("Property OSDComputerName is now = PHL-LT07"),
            cm("Property HostName is now = MININT-TEST01"),
        ]
    )
    assert analyze_text(text).machine == "PHL-LT07"
