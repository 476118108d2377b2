"""Parsing the text CMTrace copies to the clipboard, and blog-style "message Component" lines."""

from __future__ import annotations

import pytest

from kb.logs.reader import LogRecord, parse_text


def test_cmtrace_copy_with_tabs():
    line = "Failed to run the action: Apply Network Settings. Error 5\tTSManager\t8/4/2020 1:01:03 PM\t1100 (0x044C)"
    [r] = parse_text(line)
    assert r == LogRecord(
        1,
        "Failed to run the action: Apply Network Settings. Error 5",
        "TSManager",
        time="13:01:03",
        date="2020-08-04",
        thread=1100,
        format="cmtrace-copy",
    )


def test_cmtrace_copy_with_spaces_as_email_leaves_it():
    line = "Process completed with exit code 2147942402    TSManager   9/15/2021 12:05:44 AM    2212 (0x08A4)"
    [r] = parse_text(line)
    assert (r.message, r.component, r.date, r.time, r.thread) == (
        "Process completed with exit code 2147942402",
        "TSManager",
        "2021-09-15",
        "00:05:44",
        2212,
    )


def test_cmtrace_copy_message_with_tabs_inside():
    [r] = parse_text("a\tb\tOSDSetupHook\t2021-09-15 10:05:44\t8 (0x0008)")
    assert (r.message, r.component, r.date) == ("a\tb", "OSDSetupHook", "2021-09-15")


@pytest.mark.parametrize(
    ("stamp", "date"),
    [
        ("8/4/2020 1:01:03 PM", "2020-08-04"),  # AM/PM: taken as US month/day
        ("03/08/2020 10:17:57", ""),  # 24-hour, both parts <= 12: ambiguous
        ("23/08/2020 10:17:57", "2020-08-23"),  # day > 12 proves day/month
        ("08/23/2020 10:17:57", "2020-08-23"),  # day > 12 proves month/day
        ("23/08/2020 10:17:57 PM", "2020-08-23"),  # proof beats the AM/PM guess
        ("03.08.2020 10:17:57", "2020-08-03"),  # dotted dates are day first
        ("2020-08-03 10:17:57", "2020-08-03"),
        ("2/30/2020 10:17:57 AM", ""),
        ("3/8/20 10:17:57", ""),  # two-digit year
    ],
)
def test_cmtrace_copy_dates(stamp, date):
    [r] = parse_text(f"msg\tApplyDriverPackage\t{stamp}\t1792 (0x0700)")
    assert r.date == date


def test_cmtrace_copy_date_order_learned_from_an_earlier_line():
    text = (
        "one\tApplyDriverPackage\t03/08/2020 10:17:57\t1792 (0x0700)\n"
        "two\tApplyDriverPackage\t13/08/2020 10:17:58\t1792 (0x0700)\n"
        "three\tApplyDriverPackage\t03/08/2020 10:17:59\t1792 (0x0700)\n"
    )
    assert [r.date for r in parse_text(text)] == ["", "2020-08-13", "2020-08-03"]


@pytest.mark.parametrize(
    ("stamp", "time"),
    [
        ("12:00:01 AM", "00:00:01"),
        ("12:30:00 PM", "12:30:00"),
        ("9:05:00 pm", "21:05:00"),
        ("10:17:57.123", "10:17:57.123"),
    ],
)
def test_cmtrace_copy_times(stamp, time):
    [r] = parse_text(f"msg\tTSManager\t8/4/2020 {stamp}\t1 (0x0001)")
    assert r.time == time


def test_blog_form_splits_only_known_components():
    text = (
        "Failed to add driver to driver store. Code 0x80070002 OSDDriverClient\n"
        "Failed to run the action: Apply Driver Package.\n"
        "The group (Drivers) has been successfully completed\n"
        "Released the resolved source \\\\DP01\\SMSPKGD$\\ABC00007\\ InstallSoftware\n"
    )
    records = parse_text(text)
    assert [(r.message, r.component, r.format) for r in records] == [
        ("Failed to add driver to driver store. Code 0x80070002", "OSDDriverClient", "plain"),
        ("Failed to run the action: Apply Driver Package.", "", "plain"),
        ("The group (Drivers) has been successfully completed", "", "plain"),
        ("Released the resolved source \\\\DP01\\SMSPKGD$\\ABC00007\\", "InstallSoftware", "plain"),
    ]
