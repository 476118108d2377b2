"""Reading log files: encodings, line ends, unreadable files, streaming, and robustness."""

from __future__ import annotations

import os
import tracemalloc

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kb.errors import LogError
from kb.logs.reader import FORMATS, decode_bytes, iter_text_lines, parse_text, read_log
from kb.logs.text import split_lines, text_lines

SMSTS = (
    '<![LOG[Executing command line: "smsswd.exe" /run:ABC0001F setup.exe /q]LOG]!>'
    '<time="11:20:05.130+300" date="04-02-2010" component="InstallSoftware" context="" '
    'type="1" thread="2204" file="commandline.cpp:805">'
)
TEXT = "\n".join(
    [
        SMSTS,
        "<![LOG[Registry value ® not found\ninner line ‘quoted’]LOG]!>"
        '<time="11:20:06.000+300" date="04-02-2010" component="OSDSetupHook" context="" type="3" thread="1" file="">',
        "2010-04-02 11:20:07, Info                  CBS    Ü umlaut café",
        "",
        "plain tail",
    ]
)


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),
        ("cp1252", b""),
    ],
)
def test_encodings_and_line_ends(tmp_path, encoding, bom, newline):
    path = tmp_path / "smsts.log"
    path.write_bytes(bom + TEXT.replace("\n", newline).encode(encoding) + newline.encode(encoding))
    records = list(read_log(path))
    assert records == parse_text(TEXT)
    assert records[1].message == "Registry value ® not found\ninner line ‘quoted’"
    assert [r.line for r in records] == [1, 2, 4, 6]


def test_utf8_bom_with_raw_cp1252_bytes(tmp_path):
    path = tmp_path / "setupact.log"
    path.write_bytes(
        b"\xef\xbb\xbf2022-07-06 08:08:30, Info                  MOUPG  Product [ Microsoft\xae Windows\xae ]\r\n"
        b"2022-07-06 08:08:31, Info                  MOUPG  caf\xc3\xa9 is UTF-8\r\n"
    )
    messages = [r.message for r in read_log(path)]
    assert messages == ["Product [ Microsoft® Windows® ]", "café is UTF-8"]


def test_mixed_crlf_and_lf(tmp_path):
    path = tmp_path / "mixed.log"
    path.write_bytes(b"one\r\ntwo\nthree\r\n\nfive")
    assert list(iter_text_lines(path)) == ["one", "two", "three", "", "five"]


def test_crlf_split_across_chunks():
    chunks = [b"first\r", b"\nsecond\r", b"third\r\n", b"\r"]
    assert list(split_lines(chunks, __import__("re").compile(rb"\r\n|\r|\n"), b"\r")) == [
        b"first",
        b"second",
        b"third",
        b"",
    ]


def test_decode_bytes():
    assert decode_bytes(b"\xef\xbb\xbfhello") == "hello"
    assert decode_bytes("h\u00e9".encode("utf-16")) == "h\u00e9"
    assert decode_bytes(b"\xfe\xff\x00h\x00i") == "hi"
    assert decode_bytes(b"caf\xc3\xa9\r\n\xae\r\n") == "caf\u00e9\r\n\u00ae\r\n"
    assert decode_bytes(b"") == ""


@given(st.binary(max_size=300))
def test_decode_bytes_never_raises(data):
    assert isinstance(decode_bytes(data), str)


def test_text_lines_splits_only_on_line_ends():
    assert text_lines("\ufeffa\x0bb\x85c\u2028d\r\ne\rf\n") == ["a\x0bb\x85c\u2028d", "e", "f"]


def test_empty_file_has_no_records(tmp_path):
    path = tmp_path / "empty.log"
    path.write_bytes(b"")
    assert list(read_log(path)) == []
    path.write_bytes(b"\xef\xbb\xbf")
    assert list(read_log(path)) == []


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "smsts.log"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4)
    with pytest.raises(LogError) as exc:
        read_log(path)
    assert str(exc.value) == f"cannot read {path}: binary file, not a text log"


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(LogError, match=r"^cannot read .*nope\.log: no such file$"):
        read_log(tmp_path / "nope.log")
    with pytest.raises(LogError, match=r"^cannot read .*: is a directory$"):
        read_log(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.log"
    path.write_text("x")
    path.chmod(0)
    with pytest.raises(LogError, match=r"^cannot read .*: permission denied$"):
        read_log(path)


def test_nul_runs_after_a_crash_are_dropped(tmp_path):
    path = tmp_path / "smsts.log"
    path.write_bytes(
        SMSTS.encode() + b"\r\n" + b"x" * 10000 + b"\x00" * 64 + b"\r\n" + SMSTS.encode()
    )
    records = list(read_log(path))
    assert len(records) == 3
    assert records[1].message == "x" * 10000


@pytest.mark.slow
def test_large_file_streams_in_bounded_memory(tmp_path):
    path = tmp_path / "big-smsts.log"
    multi = (
        '<![LOG[Failed to save the current environment block.\r\nThe parameter is incorrect.]LOG]!><time="1'
        '1:20:06.000+300" date="04-02-2010" component="TSManager" context="" type="3" thread="1" file="">'
    )
    block = "\r\n".join([SMSTS] * 49 + [multi]) + "\r\n"
    with path.open("w", encoding="utf-8", newline="") as f:
        while f.tell() < 20 * 2**20:
            f.write(block)
        f.write("<![LOG[" + "y" * (2 * 2**20) + "\r\n")  # an unterminated 2 MB record
        f.write(block)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        count = multi_count = 0
        for r in read_log(path):
            count += 1
            multi_count += "\n" in r.message
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size > 20 * 2**20
    assert multi_count == count // 50
    assert peak < 30 * 2**20


# -- robustness ------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "<![LOG[",
        "]LOG]!>",
        '<time="10:00:00.000+000" date="1-2-2015" component="X" context="" type="3" thread="1" file="">',
        '<time="1',
        "\t",
        "   ",
        "8/4/2020 1:01:03 PM",
        " 1100 (0x044C)",
        "2019-03-27 10:12:11, Info ",
        "IBS ",
        "#Fields: date time cs-method cs-uri-stem sc-status",
        "2011-02-03 18:07:33 1.2.3.4 GET /x - 80 - 1.2.3.5 UA 404 0 0 1",
        "ERROR CODE: 0x80190194",
        " TSManager",
        "]]>",
        "\r",
        "\n",
        "\r\n",
        "",
    ]
)
_TEXT = st.lists(st.one_of(st.text(max_size=12), _PIECES), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
@example(
    '<![LOG[\r]LOG]!><time="10:00:00.000+000" date="1-2-2015" component="X" context="" type="3"'
    ' thread="1" file="">'
)
def test_parse_text_never_raises_and_keeps_every_line(text):
    records = parse_text(text)
    assert all(r.format in FORMATS and r.line >= 1 for r in records)
    assert [r.line for r in records] == sorted(r.line for r in records)
    spans = [(r, r.line, r.line + r.message.count("\n")) for r in records]
    for n, raw in enumerate(text_lines(text), 1):
        line = raw.rstrip()
        if not line.strip():
            continue
        covering = [(r, first, last) for r, first, last in spans if first <= n <= last]
        if not covering and line.lstrip().startswith("]LOG]!>"):
            # The trailer of a CMTrace record whose message ended with a line break: the
            # message keeps no trailing break, so the record's span ends a line early.
            before = [r for r, first, last in spans if last == n - 1]
            assert before and before[-1].format == "cmtrace", f"line {n} {line!r} is in no record"
            continue
        assert covering, f"line {n} {line!r} is in no record"
        r, first, last = covering[0]
        part = r.message.split("\n")[n - first].strip()
        assert part in line
        if r.format == "plain" and first == last:
            assert (
                line.strip() == r.message if not r.component else line.strip().endswith(r.component)
            )


@pytest.mark.parametrize("inside", ["\r", "a\n", "a\r\n", "\n\n"])
def test_a_cmtrace_message_ending_in_a_line_break_is_one_record(inside):
    text = (
        f'<![LOG[{inside}]LOG]!><time="10:00:00.000+000" date="1-2-2015" '
        'component="X" context="" type="3" thread="1" file="">\nnext line'
    )
    records = parse_text(text)
    assert [r.format for r in records] == ["cmtrace", "plain"]
    assert records[0].message == inside.strip() and records[0].component == "X"
    assert records[1].message == "next line"
