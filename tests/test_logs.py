"""Parsing every log shape: CMTrace, CMTrace copies, setupact, IIS, bitsadmin, plain."""

from __future__ import annotations

import pytest

from kb.logs.reader import LogRecord, detect_format, parse_lines, parse_text


def cm(message: str, time: str = "14:02:11.482+480", date: str = "03-14-2010", **attrs: str) -> str:
    """Return one CMTrace line."""
    a = {"component": "TSManager", "context": "", "type": "1", "thread": "1716", "file": "x.cpp:12"}
    a.update(attrs)
    tail = " ".join(f'{k}="{v}"' for k, v in a.items())
    return f'<![LOG[{message}]LOG]!><time="{time}" date="{date}" {tail}>'


# -- CMTrace -----------------------------------------------------------------------------


def test_cmtrace_line_fields():
    line = cm("Executing command line: OSDApplyOS.exe /image:XYZ00042,1", type="1", thread="1716")
    [r] = parse_text(line)
    assert r == LogRecord(
        line=1,
        message="Executing command line: OSDApplyOS.exe /image:XYZ00042,1",
        component="TSManager",
        time="14:02:11.482",
        date="2010-03-14",
        severity=1,
        thread=1716,
        format="cmtrace",
    )


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        ("14:02:11.482+480", "14:02:11.482"),
        ("09:15:00.007-60", "09:15:00.007"),
        ("23:59:59.999-330", "23:59:59.999"),
        ("15:10:29.068+00", "15:10:29.068"),  # two-digit bias (ccmsetup)
        ("10:22:50.8422964", "10:22:50.8422964"),  # .NET ticks, no bias (SCClient)
        ("07:02:03.91660", "07:02:03.916"),  # bias glued to the milliseconds
        ("07:02:03.916", "07:02:03.916"),  # no bias at all
        ("7:02:03.916+000", "7:02:03.916"),
        ("not a time", ""),
    ],
)
def test_cmtrace_times(time, expected):
    [r] = parse_text(cm("x", time=time))
    assert r.time == expected


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("03-14-2010", "2010-03-14"),
        ("1-2-2015", "2015-01-02"),  # unpadded month-day-year
        ("12-1-2019", "2019-12-01"),
        ("02-30-2020", ""),  # no such day
        ("2020-02-03", ""),  # not a CMTrace date
        ("", ""),
    ],
)
def test_cmtrace_dates(date, expected):
    [r] = parse_text(cm("x", date=date))
    assert r.date == expected


@pytest.mark.parametrize(
    ("type_", "severity"), [("0", 0), ("1", 1), ("2", 2), ("3", 3), ("", None), ("9", None)]
)
def test_cmtrace_type_is_severity(type_, severity):
    [r] = parse_text(cm("x", type=type_))
    assert r.severity == severity


def test_mdt_bdd_line_with_empty_thread():
    line = cm(
        "Property OSDComputerName is now = LAB-PC-017",
        time="09:41:07.000+000",
        date="05-21-2009",
        component="ZTIGather",
        thread="",
        file="ZTIGather",
    )
    [r] = parse_text(line)
    assert (r.component, r.thread, r.severity, r.date) == ("ZTIGather", None, 1, "2009-05-21")


def test_multi_line_record_keeps_inner_newlines():
    text = (
        cm("Before")
        + "\r\n<![LOG[Failed to save the current environment block.\r\n"
        + "The parameter is incorrect. (Error: 80070057; Source: Windows)"
        + cm("", type="3")[len("<![LOG[") :]
        + "\r\n"
        + cm("After")
        + "\r\n"
    )
    records = parse_text(text)
    assert [r.line for r in records] == [1, 2, 4]
    assert records[1].message == (
        "Failed to save the current environment block.\n"
        "The parameter is incorrect. (Error: 80070057; Source: Windows)"
    )
    assert records[1].severity == 3


def test_multi_line_record_with_bare_lf_inside_crlf_file():
    text = (
        "<![LOG[Line one\nline two\n\n  indented four" + cm("")[7:] + "\r\n" + cm("next") + "\r\n"
    )
    records = parse_text(text)
    assert records[0].message == "Line one\nline two\n\n  indented four"
    assert records[1].line == 5


def test_markers_inside_messages():
    cdata = "Reply: <![CDATA[<Site><Code>XYZ</Code></Site>]]> done"
    bracket = (
        "+++ Executing script to discover application. [AppDT Id: ScopeId_1/DT_2, Revision: 6]"
    )
    fake = "text with ]LOG]!> but no time"
    records = parse_text("\n".join(cm(m) for m in (cdata, bracket, fake)))
    assert [r.message for r in records] == [cdata, bracket, fake]
    assert all(r.format == "cmtrace" for r in records)


def test_two_records_on_one_line():
    records = parse_text(cm("first") + cm("second", type="2"))
    assert [(r.line, r.message, r.severity) for r in records] == [(1, "first", 1), (1, "second", 2)]


def test_pasted_block_blank_lines_trailing_spaces_and_a_truncated_fragment():
    text = (
        cm("The action (Setup Windows and ConfigMgr) initiated a reboot request")
        + "  \n\n"
        + '2:41.310+120" date="06-11-2021" component="TSManager" context="" type="1" thread="988">  \n'
        + "\n"
        + cm("Execution engine result code: Reboot (2)", type="2")
        + "   \n"
    )
    records = parse_text(text)
    assert [(r.line, r.format) for r in records] == [(1, "cmtrace"), (3, "plain"), (5, "cmtrace")]
    assert records[1].message.startswith('2:41.310+120" date=')
    assert records[2].message == "Execution engine result code: Reboot (2)"


def test_unterminated_record_becomes_plain_lines():
    text = "<![LOG[Downloading file /SMS_DP_SMSPKG$/ABC00012/setup.exe\nmore of it\n" + cm("next")
    records = parse_text(text)
    assert [(r.line, r.format) for r in records] == [(1, "plain"), (2, "plain"), (3, "cmtrace")]
    assert records[0].message == "<![LOG[Downloading file /SMS_DP_SMSPKG$/ABC00012/setup.exe"


def test_unterminated_record_at_end_of_text():
    records = parse_text(cm("ok") + "\n<![LOG[Failed to run the action: Partition Disk 0")
    assert records[-1] == LogRecord(2, "<![LOG[Failed to run the action: Partition Disk 0")


# -- Windows Setup -----------------------------------------------------------------------


def test_setupact_lines_components_and_severity():
    text = (
        "2019-03-27 10:12:11, Info                  [0x0606ae] IBS    Callback_Productkey_Validate: key ok\n"
        "2019-03-27 10:12:12, Error                 CSI    00000001 (F) STATUS_OBJECT_NAME_NOT_FOUND #40#\n"
        "2019-03-27 10:12:13, Warning               CBS    Failed to get session package state [HRESULT = 0x80070002]\n"
        "2019-03-27 10:12:14, Info                  MIG    COnlineWinNTPlatform: ComputerName=KIOSK-12\n"
        "2019-03-27 10:12:15, Info                         SPGetFootprintCapabilities: Starting\n"
        "2019-03-27 10:12:16, FatalError            [0x090001] PANTHR Unhandled exception (code 0xC0000006)\n"
        "2019-03-27 10:12:17, Info                  [setup.exe] Called script to handle fatal error\n"
    )
    records = parse_text(text)
    assert [(r.component, r.severity) for r in records] == [
        ("IBS", 1),
        ("CSI", 3),
        ("CBS", 2),
        ("MIG", 1),
        ("", 1),
        ("PANTHR", 3),
        ("setup.exe", 1),
    ]
    assert records[0].message == "Callback_Productkey_Validate: key ok"
    assert (records[0].date, records[0].time, records[0].format) == (
        "2019-03-27",
        "10:12:11",
        "setupact",
    )


def test_setupact_continuation_lines_belong_to_the_previous_record():
    text = (
        "2022-07-06 08:08:30, Info                  SP     Host system information:\r\n"
        "                                   VM: NO\n"
        "                                   Firmware type: UEFI\r\n"
        "\r\n"
        "2022-07-06 08:08:31, Info                  SP     next\r\n"
        "trailing text after a blank line\r\n"
        "\r\n"
        "stray line\r\n"
    )
    records = parse_text(text)
    assert [r.line for r in records] == [1, 5, 8]
    assert records[0].message.splitlines() == [
        "Host system information:",
        "                                   VM: NO",
        "                                   Firmware type: UEFI",
    ]
    assert records[1].message == "next\ntrailing text after a blank line"
    assert (records[2].format, records[2].message) == ("plain", "stray line")


def test_setupact_with_placeholder_dates_from_articles():
    [r] = parse_text(
        "<Date> <TIME>, Error [0x060412] IBS IsValidTargetLanguage: failed [gle=0x00000035]"
    )
    assert (r.format, r.component, r.severity, r.date, r.time) == ("setupact", "IBS", 3, "", "")


# -- IIS and bitsadmin -------------------------------------------------------------------


def test_iis_without_fields_header():
    text = (
        "2011-02-03 18:07:33 10.1.1.5 GET /SMS_DP_SMSPKGD$/ABC00010/Tools/OSDResults.exe.config - 80 - 10.1.1.9 SMS+TS 404 7 64 15\n"
        "2011-02-03 18:07:34 W3SVC1 10.1.1.5 CCM_POST /ccm_system/request - 80 - 10.1.1.9 ccmhttp 200 0 0\n"
        "2011-02-03 18:07:35 W3SVC1 10.1.1.5 CCM_POST /ccm_system_windowsauth/request - 80 - 10.1.1.9 ccmhttp 401 2 2148074254\n"
    )
    records = parse_text(text)
    assert [r.format for r in records] == ["iis"] * 3
    assert [r.severity for r in records] == [3, 1, 3]
    assert records[0].message == text.splitlines()[0]
    assert (records[0].date, records[0].time) == ("2011-02-03", "18:07:33")


def test_iis_with_fields_header_in_its_own_order():
    text = (
        "#Software: Microsoft Internet Information Services 7.5\n"
        "#Fields: date time cs-method cs-uri-stem sc-status s-ip time-taken\n"
        "2011-02-03 18:07:33 HEAD /SMS_DP_SMSPKGD$/ABC00010/x.cab 500 10.1.1.5 15\n"
        "2011-02-03 18:07:34 GET /SMS_DP_SMSPKGD$/ABC00010/y.cab 206 10.1.1.5 15\n"
    )
    records = parse_text(text)
    assert [(r.format, r.severity) for r in records] == [
        ("iis", None),
        ("iis", None),
        ("iis", 3),
        ("iis", 1),
    ]


def test_bitsadmin_verbose_output():
    text = (
        "GUID: {7A4B6F3E-1C2D-4E5F-8A9B-0C1D2E3F4A5B} DISPLAY: 'CCMDTS Job'\n"
        "TYPE: DOWNLOAD STATE: TRANSIENT_ERROR OWNER: NT AUTHORITY\\SYSTEM\n"
        "PRIORITY: NORMAL FILES: 3 / 11 BYTES: 81920 / 1048576\n"
        "ERROR FILE: http://dp01:80/SMS_DP_SMSPKGD$/ABC00010/web.config -> C:\\Windows\\ccmcache\\1\\web.config\n"
        "ERROR CODE: 0x80190194 - HTTP status 404: The requested URL does not exist on the server.\n"
        "ERROR CONTEXT: 0x00000005 - The error occurred while the remote file was being processed.\n"
        "Listed 1 job(s).\n"
    )
    records = parse_text(text)
    assert [r.format for r in records] == ["bitsadmin"] * 7
    assert [r.severity for r in records] == [None, 2, None, None, 3, None, None]
    assert records[4].message.startswith("ERROR CODE: 0x80190194")


# -- anything else -----------------------------------------------------------------------


def test_plain_lines_one_record_per_non_empty_line():
    text = "  first line  \n\n\tsecond\n   \nthird"
    assert [(r.line, r.message, r.format, r.severity) for r in parse_text(text)] == [
        (1, "first line", "plain", None),
        (3, "second", "plain", None),
        (5, "third", "plain", None),
    ]


def test_mixed_shapes_in_one_paste():
    text = "\n".join(
        [
            "Here is my smsts.log:",
            cm("Start executing an instruction. Instruction name: Apply OS."),
            "Failed to run the action: Apply OS. Error 5\tTSManager\t8/4/2020 1:01:03 PM\t1100 (0x044C)",
            "2019-03-27 10:12:11, Error                 IBS    Setup failed",
            "ERROR CODE: 0x80070005 - Access is denied.",
        ]
    )
    formats = [r.format for r in parse_text(text)]
    assert formats == ["plain", "cmtrace", "cmtrace-copy", "setupact", "bitsadmin"]


def test_empty_and_blank_text():
    assert parse_text("") == []
    assert parse_text("\r\n \n\t\n") == []


def test_parse_lines_streams_from_any_iterable():
    lines = iter([cm("a"), cm("b")])
    records = parse_lines(lines)
    assert next(records).message == "a"
    assert next(records).message == "b"


@pytest.mark.parametrize(
    ("sample", "fmt"),
    [
        (cm("a") + "\n" + cm("b"), "cmtrace"),
        ("m\tTSManager\t8/4/2020 1:01:03 PM\t1 (0x1)", "cmtrace-copy"),
        ("2019-03-27 10:12:11, Info                  IBS    x", "setupact"),
        ("#Fields: date time cs-method cs-uri-stem sc-status", "iis"),
        ("ERROR CODE: 0x80190194 - HTTP status 404", "bitsadmin"),
        ("hello\nworld", "plain"),
        ("", "plain"),
        ("intro text\n" + cm("a") + "\n" + '5:33.198-60" date="09-07-2022">', "cmtrace"),
    ],
)
def test_detect_format(sample, fmt):
    assert detect_format(sample) == fmt
