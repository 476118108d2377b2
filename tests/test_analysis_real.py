"""Failure analysis of the real logs beside the repository (see ../shared/real-logs/SOURCES.md)."""

from __future__ import annotations

import pytest

from kb.logs import MAX_ERRORS, analyze_file
from tests.real_logs import real_log

# name: (failed, failing action, machine)
VERDICTS = {
    # Excerpts of the matching phase of runs that failed later: nothing here says so.
    "applydriverpackage-cmtracecopy-excerpt-msendpointmgr-issue243.log": (False, None, None),
    "applydriverpackage-cmtracecopy-excerpt-msendpointmgr-issue255.log": (False, None, None),
    # The script's own log: it gives up ("process failed"); the TS step name is not in it.
    "applydriverpackage-excerpt-msendpointmgr-issue291.log": (True, None, None),
    # "ERROR: Invalid OS GUID" lines are wizard noise; the phase ends in a reboot request.
    "bdd-mdtlogfiles-1.log": (False, None, "PHL-LTLOANER07"),
    "bdd-mdtlogfiles-2-failure5212.log": (True, None, None),
    "ccmsetup-reddit-jimbocalvo-1.log": (True, None, "TARGETSERVER"),
    "execmgr-excerpt-logslothparser-1.log": (False, None, None),
    "sccm-various-plaso-1.log": (False, None, None),
    "setupact-errorcode-bitbtrust-1.log": (False, None, "WIN-1JOFITDQ334"),
    # SOURCES.md calls this down-level phase normal, but the log itself reports
    # "Setup phase change: [SetupPhaseInstall] -> [SetupPhaseError]" and
    # "SetupHost: Reporting error event -> [0x80070032, 0x50013]": the upgrade failed.
    "setupact-setup-log-rickak77-1.log": (True, None, "PDQ-1"),
    "smsts-cmtracecopy-excerpt-moderndrivermgmt-issue17.log": (
        True,
        "Dynamically Apply Drivers",
        None,
    ),
    # A reboot request (0x80070BC2 = 3010), not a failure; the loop it caused is not in the log.
    "smsts-excerpt-msqa-1007260.log": (False, None, None),
    "smsts-hello-world-1.log": (False, None, None),
    "smsts-log_reader-1.log": (False, None, None),
    "smsts-mdtlogfiles-1.log": (False, None, None),
    "statemessage-excerpt-sharpsccm-issue62.log": (False, None, None),
    "statusmsg-excerpt-osd-reporting-issue17.log": (True, "Apply Windows Settings", None),
    "updatesdeployment-findingsanity-1.log": (False, None, None),
    "wuahandler-findingsanity-1.log": (False, None, None),
}


@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_verdict(name):
    failed, action, machine = VERDICTS[name]
    a = analyze_file(real_log(name))
    assert (a.failed, a.failed_action, a.machine) == (failed, action, machine)
    assert len(a.errors) <= MAX_ERRORS
    assert [e.line for e in a.errors] == sorted(e.line for e in a.errors)
    if failed:
        assert a.errors and a.failure_line == max(
            e.line for e in a.errors if e.line <= a.failure_line
        )
    else:
        assert a.errors == [] and a.failure_date == ""


def messages(a) -> list[str]:
    """Return the messages of an analysis's error chain."""
    return [e.message for e in a.errors]


def test_log_reader_succeeds_despite_19_type_3_lines():
    a = analyze_file(real_log("smsts-log_reader-1.log"))
    # After "Execution engine result code: Success (0)", TSManager's last word:
    assert a.result == "Task sequence completed 0x00000000"
    assert a.records == 5944 and a.lines == 6083
    assert a.error_count >= 19 and a.other_errors
    assert {0x80070005, 0x80004005} <= set(a.codes)
    assert (a.first_date, a.last_date) == ("2019-10-18", "2019-10-18")


def test_mdt_smsts_logs_succeed_with_recurring_80070057():
    a = analyze_file(real_log("smsts-mdtlogfiles-1.log"))
    assert a.codes == [0x80070057]
    assert a.result is None
    b = analyze_file(real_log("smsts-hello-world-1.log"))
    assert b.codes == [0x80070003]


def test_moderndrivermgmt_failure_line():
    a = analyze_file(real_log("smsts-cmtracecopy-excerpt-moderndrivermgmt-issue17.log"))
    [e] = a.errors
    assert (e.line, e.component) == (1, "TSManager")
    assert a.failure_date == "2020-08-04"


def test_status_message_failure_and_its_hresult_chain():
    a = analyze_file(real_log("statusmsg-excerpt-osd-reporting-issue17.log"))
    assert a.codes == [0x80220005]
    assert a.result == "Exiting with return code 0x80220005"
    assert a.errors[0].message.startswith(
        "The task sequence execution engine failed executing the action"
    )
    assert (
        "pAnswerFile->SetComputerNameW(sValue), HRESULT=80220005 (osdwinsettings.cpp,375)"
        in messages(a)
    )


def test_ccmsetup_failure_with_bits_404():
    a = analyze_file(real_log("ccmsetup-reddit-jimbocalvo-1.log"))
    assert a.result == "CcmSetup failed with error code 0x80190194"
    assert a.errors[-1].message == "CcmSetup failed with error code 0x80190194"
    assert "Failed to download client files by BITS. Error 0x80190194" in messages(a)
    assert {0x80190194, 0x8004100E, 0x80004005, 0x80070002} <= set(a.codes)
    assert a.to_dict()["errors"][-1]["codes"] == ["0x80190194"]


def test_bdd_failure_5212():
    a = analyze_file(real_log("bdd-mdtlogfiles-2-failure5212.log"))
    assert a.result == "FAILURE ( 5212 ): Welcome wizard failed or was cancelled"
    assert messages(a) == ["FAILURE ( 5212 ): Welcome wizard failed or was cancelled"]
    assert a.failure_date == "2024-02-20"


def test_apply_driver_package_script_failure():
    a = analyze_file(real_log("applydriverpackage-excerpt-msendpointmgr-issue291.log"))
    assert [e.line for e in a.errors] == [5, 6]
    assert "Validation failed with empty list of matched driver packages" in a.errors[0].message


def test_msqa_reboot_request():
    a = analyze_file(real_log("smsts-excerpt-msqa-1007260.log"))
    assert a.reboot
    assert a.result == "Task Sequence Manager returned code 0x80070BC2"
    assert 0x80070BC2 not in a.codes


def test_windows_upgrade_failure_chain():
    a = analyze_file(real_log("setupact-setup-log-rickak77-1.log"))
    assert a.result == "CSetupHost::Execute(433): Result = 0x80070032"
    assert a.errors[-1].message == "Setup phase change: [SetupPhaseInstall] -> [SetupPhaseError]"
    assert sum(0x80070032 in e.codes for e in a.errors) >= 5
    assert (
        "CSetupPlatform::Initialize: Disk provisioning is not available; hr = 0x80070032"
        in messages(a)
    )


def test_windows_setup_from_winpe_reports_its_first_errors_as_not_the_failure():
    a = analyze_file(real_log("setupact-errorcode-bitbtrust-1.log"))
    assert a.result is None and a.error_count > len(a.other_errors) == MAX_ERRORS
    assert 0x80070490 in a.codes
