"""Every real log beside the repository parses, with the shape SOURCES.md describes."""

from __future__ import annotations

from collections import Counter

import pytest

from kb.logs.reader import detect_format, read_log
from tests.real_logs import real_log, real_log_names

# name: (format, records of that format, multi-line records, other records)
EXPECTED = {
    "applydriverpackage-cmtracecopy-excerpt-msendpointmgr-issue243.log": ("cmtrace-copy", 9, 0, 0),
    "applydriverpackage-cmtracecopy-excerpt-msendpointmgr-issue255.log": ("cmtrace-copy", 9, 0, 0),
    "applydriverpackage-excerpt-msendpointmgr-issue291.log": ("cmtrace", 6, 0, 0),
    "bdd-mdtlogfiles-1.log": ("cmtrace", 1393, 101, 0),
    "bdd-mdtlogfiles-2-failure5212.log": ("cmtrace", 1, 0, 0),
    "ccmsetup-reddit-jimbocalvo-1.log": ("cmtrace", 195, 4, 0),
    "execmgr-excerpt-logslothparser-1.log": ("cmtrace", 8, 0, 0),
    "sccm-various-plaso-1.log": ("cmtrace", 10, 2, 0),
    "setupact-errorcode-bitbtrust-1.log": ("setupact", 3807, 1, 0),
    "setupact-setup-log-rickak77-1.log": ("setupact", 6058, 18, 0),
    "smsts-cmtracecopy-excerpt-moderndrivermgmt-issue17.log": ("cmtrace-copy", 1, 0, 0),
    "smsts-excerpt-msqa-1007260.log": ("cmtrace", 33, 0, 1),
    "smsts-hello-world-1.log": ("cmtrace", 881, 0, 0),
    # 5,939 complete records and 22 multi-line ones (SOURCES.md), plus 5 lines whose
    # start another writer overwrote ("ding file /SMS_DP_...]LOG]!><time=..."): plain.
    "smsts-log_reader-1.log": ("cmtrace", 5939, 22, 5),
    "smsts-mdtlogfiles-1.log": ("cmtrace", 894, 7, 0),
    "statemessage-excerpt-sharpsccm-issue62.log": ("cmtrace", 5, 0, 0),
    "statusmsg-excerpt-osd-reporting-issue17.log": ("plain", 11, 0, 0),
    "updatesdeployment-findingsanity-1.log": ("cmtrace", 107, 1, 0),
    "wuahandler-findingsanity-1.log": ("cmtrace", 26, 0, 0),
}


def test_every_real_log_is_expected():
    names = real_log_names()
    if not names:
        pytest.skip("the real logs are not available")
    assert sorted(EXPECTED) == names


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_log_parses_with_its_format(name):
    fmt, count, multi, other = EXPECTED[name]
    records = list(read_log(real_log(name)))
    formats = Counter(r.format for r in records)
    assert formats[fmt] == count
    assert len(records) - count == other
    assert sum("\n" in r.message for r in records) == multi
    sample = real_log(name).read_text(encoding="utf-8", errors="replace")[:20000]
    assert detect_format(sample) == fmt


def by_line(name: str) -> dict[int, object]:
    """Return a real log's records by their first line."""
    return {r.line: r for r in read_log(real_log(name))}


def test_log_reader_multi_line_powershell_blocks_and_fragments():
    records = list(read_log(real_log("smsts-log_reader-1.log")))
    fragments = [r for r in records if r.format == "plain"]
    assert [r.line for r in fragments] == [357, 671, 758, 801, 848]
    assert all("]LOG]!><time=" in r.message for r in fragments)
    assert records[0].message.startswith("Downloaded file from http://SCCM.")
    assert sum(r.severity == 3 for r in records) == 19
    assert {r.date for r in records if r.format == "cmtrace"} == {"2019-10-18"}


def test_mdtlogfiles_bare_lf_inside_records():
    records = [r for r in read_log(real_log("smsts-mdtlogfiles-1.log")) if "\n" in r.message]
    assert len(records) == 7
    assert all(r.severity == 3 for r in records)
    assert all("(Error: 80070057; Source: Windows)" in r.message for r in records)


def test_ccmsetup_two_digit_bias_and_xml_bodies():
    records = list(read_log(real_log("ccmsetup-reddit-jimbocalvo-1.log")))
    assert records[0].time == "15:10:29.068"
    assert records[0].date == "2020-02-04"
    multi = [r for r in records if "\n" in r.message]
    assert sum("\n\t<SourceHost>NDCVM005</SourceHost>" in r.message for r in multi) == 2
    assert multi[-1].message.startswith("Failed to download files through BITS. Error: 0x80190194")
    assert records[-1].message == "CcmSetup failed with error code 0x80190194"
    assert records[-1].severity == 1


def test_plaso_seven_digit_fractions_and_unpadded_dates():
    records = by_line("sccm-various-plaso-1.log")
    assert (records[3].time, records[3].date, records[3].severity) == (
        "10:22:50.8422964",
        "2015-01-02",
        0,
    )
    assert records[3].message.count("\n") == 13
    assert records[85].component == "setuppolicyevaluator"
    assert records[85].time == "04:20:47.594"


def test_powershell_glued_bias_and_system_context():
    records = list(read_log(real_log("applydriverpackage-excerpt-msendpointmgr-issue291.log")))
    assert [r.time for r in records][:4] == [
        "07:02:03.916",
        "07:02:03.916",
        "07:02:03.916",
        "07:02:03.932",
    ]
    assert [r.severity for r in records] == [1, 1, 1, 2, 3, 3]


def test_cmtrace_copy_us_and_uk_dates():
    us = list(
        read_log(real_log("applydriverpackage-cmtracecopy-excerpt-msendpointmgr-issue243.log"))
    )
    uk = list(
        read_log(real_log("applydriverpackage-cmtracecopy-excerpt-msendpointmgr-issue255.log"))
    )
    assert {r.date for r in us} == {"2020-07-03"}
    assert us[0].time == "10:33:30"
    # 03/08/2020 in 24-hour time: 3 August or 8 March; no line settles it.
    assert {r.date for r in uk} == {""}
    assert {(r.component, r.thread) for r in uk} == {("ApplyDriverPackage", 1792)}
    [one] = read_log(real_log("smsts-cmtracecopy-excerpt-moderndrivermgmt-issue17.log"))
    assert (one.component, one.date, one.time, one.thread) == (
        "TSManager",
        "2020-08-04",
        "13:01:03",
        1100,
    )


def test_msqa_paste_with_blank_lines_and_a_truncated_fragment():
    records = list(read_log(real_log("smsts-excerpt-msqa-1007260.log")))
    [fragment] = [r for r in records if r.format == "plain"]
    assert fragment.message.startswith('5:33.198-60" date="09-07-2022"')
    assert all(r.line % 2 == 1 for r in records)
    assert [r.severity for r in records].count(0) == 12


def test_bdd_log_is_all_type_1_with_empty_threads():
    records = list(read_log(real_log("bdd-mdtlogfiles-1.log")))
    assert {r.thread for r in records} == {None}
    errors = [r for r in records if r.message.startswith("ERROR: Invalid OS GUID")]
    assert len(errors) == 4
    assert {r.severity for r in errors} == {1}


def test_setupact_cp1252_bytes_behind_a_utf8_bom():
    records = list(read_log(real_log("setupact-setup-log-rickak77-1.log")))
    assert sum("®" in r.message for r in records) == 13
    assert not any("\ufffd" in r.message for r in records)
    host = next(r for r in records if r.message.startswith("Host system information:"))
    assert "Firmware type: UEFI" in host.message


def test_setupact_lf_only_with_replacement_characters():
    records = list(read_log(real_log("setupact-errorcode-bitbtrust-1.log")))
    assert sum(r.message.count("\ufffd") for r in records) == 118
    [error] = [r for r in records if r.severity == 3]
    assert (error.component, error.line) == ("IBS", 2473)
    assert "Required profile hive does not exist" in error.message
