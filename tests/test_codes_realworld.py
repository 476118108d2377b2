"""Code extraction on real admins' pastes: copied CMTrace lines, long pastes, exit codes, KB numbers."""

from __future__ import annotations

import pytest

from kb.codes import code_values, exit_code_values
from kb.search.engine import Engine
from tests.quality.realworld import load_realworld

ENGINE = Engine.load(in_memory=True)
CASES = {c.id: c for c in load_realworld()}


def codes_of(text: str) -> list[str]:
    return [c["hex"] for c in ENGINE.search(text)["codes"]]


def test_codes_in_cmtrace_lines_copied_with_spaces_are_found():
    # rw-045 was copied from CMTrace with tabs; a mail client turns them into spaces.
    spaced = CASES["rw-045"].text.replace("\t", " ")
    assert "\t" not in spaced
    assert codes_of(spaced) == codes_of(CASES["rw-045"].text) == ["0x80040102"]


def test_a_code_with_no_known_name_is_kept_in_a_long_paste():
    line = "Unknown error (Error: 8007F00D; Source: Windows) TSManager 6/21/2010 3:02:17 PM 2096 (0x0830)"
    noise = [f"Executing command line: cmd /c echo {n}" for n in range(60)]
    assert codes_of(line) == ["0x8007F00D"]
    assert codes_of("\n".join([*noise, line, *noise])) == ["0x8007F00D"]


def test_a_process_exit_code_is_labelled_not_asserted():
    # rw-049: "Process completed with exit code 38", then "(0x00000026)" as a code.
    text = "Process completed with exit code 31 OSDUSMT"
    (code,) = ENGINE.search(text)["codes"]
    assert code["process_exit"] is True
    assert code["description"].startswith(
        "Process exit code 31: the program that exited chose this number. If it is a Win32 error: "
    )
    assert exit_code_values(text) == {31}
    # Written once as a code too, it is a code.
    assert exit_code_values(CASES["rw-049"].text) == set()
    assert ENGINE.search(CASES["rw-049"].text)["codes"][0]["process_exit"] is False


def test_kb_lookup_labels_exit_codes(run):
    out = run("lookup", "exit code 31").stdout
    assert "process exit code (if it is a Win32 error: Win32 error, error)" in out
    assert "if it is a Win32 error: ERROR_GEN_FAILURE" in out
    assert run("lookup", "--json", "0x1F").json()["process_exit"] is False


@pytest.mark.parametrize(
    "text",
    [
        "KB2508665",
        "see article 2508665 for the fix",
        "Installed KB977203 on the site server",  # rw-030
        "KB 977203 and 974571",
        "security update 974571",
    ],
)
def test_kb_numbers_are_never_codes(text):
    assert code_values(text) == []
    assert codes_of(text) == []
