"""parse_code: every input form, every rejection with its exact message, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.codes import format_hex, lookup, parse_code
from kb.errors import CodeError, KbError

VALID = [
    # bare numbers
    ("0x80070002", 0x80070002),
    ("0X80070002", 0x80070002),
    ("0x80070bc2", 0x80070BC2),
    ("80070002", 0x80070002),
    ("c0000005", 0xC0000005),
    ("00000035", 0x35),
    ("0x35", 53),
    ("0x40", 64),
    ("0x0", 0),
    ("0x(80070057)", 0x80070057),
    ("5", 5),
    ("53", 53),
    ("0", 0),
    ("+5", 5),
    ("3221225478", 0xC0000006),
    ("2148074254", 0x8009030E),
    ("4294967295", 0xFFFFFFFF),
    ("-2147024894", 0x80070002),
    ("-1", 0xFFFFFFFF),
    ("-2147483648", 0x80000000),
    ("  0x80070002 \n", 0x80070002),
    ("(80070057)", 0x80070057),
    ("[0x35]", 0x35),
    # short text around one code
    ("Error: 80070003", 0x80070003),
    ("(Error: 80070057; Source: Windows)", 0x80070057),
    ("Error 0x(80070057)", 0x80070057),
    ("Error -2147024894", 0x80070002),
    ("code 0x80070002", 0x80070002),
    ("Code 0x80070002", 0x80070002),
    ("HRESULT=80072ee7", 0x80072EE7),
    ("exit code 3221225478", 0xC0000006),
    ("[gle=0x00000035]", 0x35),
    ("Process completed with exit code 2147945410", 0x80070BC2),
    ("Failed to run the action: Apply Driver Package. Error 1", 1),
    ("The system cannot find the file specified. (Error: 80070002; Source: Windows)", 0x80070002),
    ("my deployment fails with 0x80070002 after the driver step", 0x80070002),
    # the same code written twice, in two forms
    ("Code 2148074254 or 0x8009030E means SEC_E_NO_CREDENTIALS", 0x8009030E),
    ("0x80070002 (-2147024894)", 0x80070002),
    # no error word: a standalone number written as a code counts
    ("80070002 after the reboot", 0x80070002),
    ("setup stops with 0x35 at 14:02:11", 0x35),
    ("windows 7 setup ends with 3221225478", 0xC0000006),
]


@pytest.mark.parametrize(("text", "value"), VALID)
def test_parse_code_accepts(text, value):
    assert parse_code(text) == value


REJECTED = [
    ("", "empty input: expected an error code such as 0x80070002"),
    ("   \n\t", "empty input: expected an error code such as 0x80070002"),
    ("hello world", "no error code found in 'hello world'"),
    ("ERROR CONTEXT", "no error code found in 'ERROR CONTEXT'"),
    ("14:02:11.123", "no error code found in '14:02:11.123'"),
    (
        "the task sequence failed\nand nothing else is known about it at all",
        "no error code found in 'the task sequence failed and nothing ...'",
    ),
    ("0x", "malformed hex number '0x'"),
    ("0x8007000G", "malformed hex number '0x8007000G'"),
    ("0xZZ", "malformed hex number '0xZZ'"),
    ("Error 0x8007000G", "malformed hex number '0x8007000G'"),
    ("0x100000000", "'0x100000000' is outside the 32-bit range"),
    ("4294967296", "'4294967296' is outside the 32-bit range"),
    ("-2147483649", "'-2147483649' is outside the 32-bit range"),
    ("exit code 99999999999", "'99999999999' is outside the 32-bit range"),
    ("0x80070002 0x80070005", "more than one error code: 0x80070002, 0x80070005"),
    (
        "Error 2 then HRESULT=80004005 and 0xC0000006",
        "more than one error code: 0x00000002, 0x80004005, 0xC0000006",
    ),
    ("0x0C 0x0D", "more than one error code: 0x0000000C, 0x0000000D"),
    # short decimals in prose are not codes
    ("5 errors", "no error code found in '5 errors'"),
    ("sccm 2007 sp1 on windows 7", "no error code found in 'sccm 2007 sp1 on windows 7'"),
]


@pytest.mark.parametrize(("text", "message"), REJECTED)
def test_parse_code_rejects_with_a_one_line_reason(text, message):
    with pytest.raises(CodeError) as caught:
        parse_code(text)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_parse_code_rejects_non_text():
    with pytest.raises(CodeError, match="^expected text, got int$"):
        parse_code(5)  # type: ignore[arg-type]


def test_code_error_is_a_kb_error():
    assert issubclass(CodeError, KbError)


def test_eight_bare_decimal_digits_read_as_hex():
    # Documented ambiguity: logs write HRESULTs as 8 bare hex digits.
    assert parse_code("12345678") == 0x12345678


def test_lookup_parses_then_decodes():
    info = lookup("Error: 80070003")
    assert info.hex == "0x80070003"
    assert info.win32 == 3


def test_lookup_raises_code_error():
    with pytest.raises(CodeError):
        lookup("nothing here")


def _signed(value: int) -> int:
    return value - (1 << 32) if value & 0x80000000 else value


@given(st.integers(min_value=0, max_value=0xFFFFFFFF))
def test_hex_unsigned_and_signed_forms_round_trip(value):
    assert parse_code(format_hex(value)) == value
    assert parse_code(f"{value:#x}") == value
    assert parse_code(f"{value:08x}") == value
    for text in (str(value), str(_signed(value))):
        # Exactly 8 bare decimal digits are hex by the documented rule.
        expected = int(text, 16) if len(text) == 8 and text.isdigit() else value
        assert parse_code(text) == expected
    if value >= 0x80000000:
        assert parse_code(f"exit code {_signed(value)}") == value
        assert parse_code(f"Process completed with exit code {value}") == value


@given(st.text(max_size=200))
@settings(max_examples=300)
def test_arbitrary_text_raises_only_code_error(text):
    try:
        value = parse_code(text)
    except CodeError as exc:
        assert "\n" not in str(exc)
    else:
        assert 0 <= value <= 0xFFFFFFFF


@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789abcdefxX()[]-+ :=;.,\tEerorcdsu\n")), max_size=60
    )
)
@settings(max_examples=300)
def test_code_like_text_raises_only_code_error(text):
    try:
        value = parse_code(text)
    except CodeError:
        return
    assert 0 <= value <= 0xFFFFFFFF


@pytest.mark.parametrize("digits", [21, 4301, 50_000])
def test_a_number_too_long_for_any_code_is_refused_in_one_short_line(digits):
    """Python will not even convert more than 4,300 digits: refused before converting."""
    for token in ("9" * digits, "0x" + "F" * digits):
        with pytest.raises(CodeError) as caught:
            parse_code(token)
        shown = token if len(token) <= 40 else token[:40] + "…"
        assert str(caught.value) == f"'{shown}' is outside the 32-bit range"
