"""The prefilter skips ordinary records on the raw bytes: reports stay exactly the same."""

from __future__ import annotations

import random
from datetime import datetime
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.errors import LogError
from kb.logs import analyze_file, analyze_stream, parse_lines
from kb.logs.gate import gate_terms, holds_term, term_finder
from kb.logs.steps import classify, has_error_word, machine_name
from kb.logs.text import iter_text_lines
from kb.search import Engine
from tests.fleetgen import generate_fleet
from tests.logfactory import cmtrace_line, ordinary_messages
from tests.real_logs import REAL_LOGS, real_log_names

W = datetime(2011, 3, 4, 10, 0, 0)


def same(path, watch=()) -> None:
    """Assert the prefiltered and the full analysis of a file are equal."""
    fast = analyze_file(path, watch=watch).to_dict()
    full = analyze_file(path, watch=watch, prefilter=False).to_dict()
    assert fast == full, path


@pytest.fixture(scope="module")
def watch():
    return Engine.load().watch_terms()


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    """Return the 200 log files of a generated fleet (a machine folder is a truth, not a file)."""
    root = tmp_path_factory.mktemp("fleet")
    generate_fleet(root, 200, seed=11)
    return sorted(str(p) for p in root.rglob("*.log"))


@pytest.mark.parametrize("name", real_log_names())
def test_every_real_log_gives_the_same_report(name, watch):
    same(REAL_LOGS / name)
    same(REAL_LOGS / name, watch)


def test_200_generated_logs_give_the_same_reports(fleet, watch):
    assert len(fleet) == 200
    for path in fleet:
        same(path, watch)


def test_a_large_log_with_every_odd_line_gives_the_same_report(tmp_path):
    rng = random.Random(3)
    lines = []
    for i, (message, component) in enumerate(ordinary_messages(rng, 3000)):
        lines.append(cmtrace_line(message, component, W, 1744, rng.choice([1, 1, 1, 2, 3])))
        if i % 250 == 7:  # a record over several lines
            lines.append(cmtrace_line("first\nFailed to x (0x80070005)\nlast", "TSManager", W, 4))
        if i % 300 == 11:
            lines.append("a plain line between records")
        if i % 400 == 113:  # non-ASCII, NUL, a second record on the line, a record opened mid-line
            lines.append(cmtrace_line("Benutzer Müller", "TSManager", W, 5))
            lines.append(cmtrace_line("cut\x00short", "TSManager", W, 5))
            lines.append(cmtrace_line("one", "TSManager", W, 5) + cmtrace_line("two", "X", W, 5))
            lines.append("text " + cmtrace_line("mid", "TSManager", W, 5))
        if i % 500 == 17:  # a code alone makes an error line; a machine name
            lines.append(cmtrace_line("Result 0x80070490 from the call", "OSDDriverClient", W, 6))
            lines.append(cmtrace_line("Set OSDComputerName=LON-WKS-1", "TSManager", W, 6))
    body = "\r\n".join(lines) + "\r\n"
    for name, data in (
        ("crlf.log", body.encode("utf-8-sig")),
        ("lf.log", body.replace("\r\n", "\n").encode()),
        ("mixed.log", body.replace("\r\n", "\n", 500).encode()),
        ("cr.log", body.replace("\r\n", "\r").encode()),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        same(path)


_PIECES = [
    "<![LOG[",
    ']LOG]!><time="10:00:00.000+000" date="03-04-2011" component="TSManager" context="" '
    'type="1" thread="1" file="x.cpp:1">',
    ']LOG]!><time="10:00:00.000+000" date="03-04-2011" component="TSManager" context="" '
    'type="3" thread="1" file="x.cpp:1">',
    "Failed to run the action: Gather",
    "Start executing an instruction. Instruction name: Gather. Instruction pointer: 1",
    "Successfully completed the action (Gather) with the exit win32 code 0",
    "Execution engine result code: Reboot (2)",
    "0x80070002",
    "{388298AB-0BDF-E340-EAE4-FC78B6307ED0}",
    "exit code -1",
    "OSDComputerName=PC-1",
    "(Error: 80004005; Source: Windows)",
    "WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED",
    "Hash could not be matched for the downloaded content.",
    "ordinary words",
    "é",
    "\x00",
    " ",
    "\r\n",
    "\n",
    "\r",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=60), st.integers(0, 300))
def test_any_mix_of_pieces_gives_the_same_report(pieces, lead):
    # Enough ordinary records first that the prefilter is on when the pieces come.
    lead_lines = [cmtrace_line("ordinary", "TSManager", W, 1) for _ in range(lead)]
    data = ("\r\n".join(lead_lines) + "\r\n" + "".join(pieces)).encode()
    watch = ("hash could not be matched for the downloaded content",)
    assert outcome([data[:100], data[100:]], watch, True) == outcome([data], watch, False)


def outcome(chunks, watch, prefilter):
    """Return the report of a stream, or the error it raises."""
    try:
        return analyze_stream("x.log", chunks, watch=watch, prefilter=prefilter).to_dict()
    except LogError as exc:
        return str(exc)


def gate_checked_lines(paths) -> int:
    """Assert every signal, error and machine line of the logs holds a gate word; count them."""
    gate = term_finder(gate_terms(()))
    checked = 0
    for path in paths:
        for record in parse_lines(iter_text_lines(path)):
            message = record.message
            low = message.lower()
            if classify(message, low) or has_error_word(low) or machine_name(message):
                checked += 1
                assert holds_term(gate, low.encode("utf-8", "replace")), message
    return checked


def test_the_gate_words_cover_every_signal_error_and_machine_line(fleet):
    """A line the prefilter may skip can be no signal, no error word and no machine name."""
    assert gate_checked_lines(fleet[:40]) > 500


def test_the_gate_words_cover_the_real_logs_too():
    names = real_log_names()
    if not names:
        pytest.skip(f"the real logs are not available in {REAL_LOGS}")
    assert gate_checked_lines([REAL_LOGS / n for n in names]) > 500


_DAYS = [datetime(2011, 3, d, 23, 59, 58) for d in (4, 5, 6)]
_MESSAGES = [
    "ordinary words",
    "Set a TS execution environment variable _SMSTSNextInstructionPointer=6",
    "Environment scope created: Global\\{388298AB-0BDF-E340-EAE4-FC78B6307ED0}",
    "GUID {388298AB-0BDF-E340-EAE4-FC78B6307ED0} status 0",
    "Return value 2147942402 from the call",
    "exit code -1 for 0123456",
    "Start executing an instruction. Instruction name: Gather. Instruction pointer: 1",
    "Failed to run the action: Gather",
    "Unspecified error (Error: 80004005; Source: Windows)",
    "Execution engine result code: Reboot (2)",
    "WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED",
    "Set OSDComputerName=LON-WKS-1",
    "a message <![log[ opened in lower case",
    "a message <![LOG[ opened again",
    'a message with ]LOG]!><time="1" in it',
    "Benutzer Müller",
]
# Ways a record's trailer is written: the usual one, and shapes the parser accepts too.
_SHAPES = [
    lambda line: line,
    lambda line: line.replace(' context=""', '  context=""'),
    lambda line: line.replace(' file="', ' extra="1" file="'),
    lambda line: line.rsplit(' file="', 1)[0] + ">",
    lambda line: line + " ",
    lambda line: " " + line,
    lambda line: line.replace('date="03-', 'date="3-'),
]


# Lines that are no ordinary record, among them a trailer whose time runs on to the next line.
_ODD = [
    "",
    "plain text",
    "\x00",
    "\xff",
    "first of two\nsecond",
    '<![LOG[cut]LOG]!><time="1\n2" date="03-04-2011" component="C" context="" type="1" thread="1">',
]


def _mixed_log(rng: random.Random) -> tuple[bytes, list[bytes]]:
    """Return a log of odd records among runs of ordinary ones, and the same bytes cut in chunks."""
    lines = [cmtrace_line("ordinary", "TSManager", _DAYS[0], 1) for _ in range(210)]
    count, each = rng.randint(1, 60), rng.randint(1, 40)
    for i in range(count):
        if rng.randint(0, 15) == 15:
            lines.append(rng.choice(_ODD))
        else:
            when = rng.choice([_DAYS[0]] * 4 + _DAYS)
            line = cmtrace_line(rng.choice(_MESSAGES), "TSManager", when, 7, rng.randint(0, 3))
            lines.append(rng.choice(_SHAPES)(line))
        day = _DAYS[3 * i // count]  # the log's date moves on, as over midnight
        lines.extend(
            cmtrace_line("ordinary", "TSManager", day, 1) for _ in range(rng.randint(0, each))
        )
    eol = rng.choice(["\r\n", "\n"])
    data = (eol.join(lines) + eol).encode().replace("\xff".encode(), b"\xff")
    edges = sorted({0, len(data), *(rng.randint(0, len(data)) for _ in range(rng.randint(0, 4)))})
    return data, [data[a:b] for a, b in pairwise(edges)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_any_mix_of_records_and_cuts_gives_the_same_report(rng):
    data, chunks = _mixed_log(rng)
    watch = ("winhttp_callback_status_flag_cert_rev_failed", "ordinary words")
    assert outcome(chunks, watch, True) == outcome([data], watch, False)


_PLAIN_PIECES = [
    "2010-03-04 10:00:00, Error                 [0x0606ae] IBS    Required profile hive does not exist",
    "2010-03-04 10:00:01, Info                  SP     Setup phase change",
    "    continued detail of the record above",
    "Failed to run the action: Apply Driver Package. Error 0x80070002",
    "<![LOG[half a CMTrace record",
    "ordinary words",
    "",
    " ",
    "\t",
    "\r",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PLAIN_PIECES), max_size=80), st.sampled_from(["\n", "\r\n"]))
def test_blank_lines_among_plain_and_setup_records_give_the_same_report(pieces, eol):
    """Blank lines are counted, not parsed, outside a record: the same report either way."""
    data = (eol.join(pieces) + eol).encode()
    assert outcome([data[:50], data[50:]], (), True) == outcome([data], (), False)
