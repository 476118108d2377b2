"""decode: kinds, severities, facilities, wrapped codes, names, descriptions, JSON shape."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.codes import CodeInfo, Facility, decode, format_hex, known_codes, lookup
from kb.errors import CodeError

# value, kind, severity, facility (code, name) or None, win32, a name it must carry
CASES = [
    (0x80070002, "hresult-win32", "error", (7, "WIN32"), 2, "ERROR_FILE_NOT_FOUND"),
    (0xC0000006, "ntstatus", "error", (0, ""), None, "STATUS_IN_PAGE_ERROR"),
    (0x80072EE7, "hresult-win32", "error", (7, "WIN32"), 12007, "ERROR_WINHTTP_NAME_NOT_RESOLVED"),
    (0x80190194, "hresult", "error", (25, "HTTP"), None, "BG_E_HTTP_ERROR_404"),
    (0x80092024, "hresult", "error", (9, "SECURITY"), None, "CRYPT_E_NOT_CHAR_STRING"),
    (0x8009030E, "hresult", "error", (9, "SECURITY"), None, "SEC_E_NO_CREDENTIALS"),
    (0xC0000001, "ntstatus", "error", (0, ""), None, "STATUS_UNSUCCESSFUL"),
    (0x35, "win32", "error", None, 53, "ERROR_BAD_NETPATH"),
    (5, "win32", "error", None, 5, "ERROR_ACCESS_DENIED"),
    (0x40, "win32", "error", None, 64, "ERROR_NETNAME_DELETED"),
    (0x80004005, "hresult", "error", (0, "NULL"), None, "E_FAIL"),
    (0x80004004, "hresult", "error", (0, "NULL"), None, "E_ABORT"),
    (0x80070BC2, "hresult-win32", "success", (7, "WIN32"), 3010, "ERROR_SUCCESS_REBOOT_REQUIRED"),
    (0x8004100E, "hresult", "error", (4, "ITF"), None, "WBEM_E_INVALID_NAMESPACE"),
    (0x80070005, "hresult-win32", "error", (7, "WIN32"), 5, "E_ACCESSDENIED"),
    (0x40010004, "ntstatus", "informational", (1, "DEBUGGER"), None, "DBG_TERMINATE_PROCESS"),
    (0x80000005, "ntstatus", "warning", (0, ""), None, "STATUS_BUFFER_OVERFLOW"),
    (0, "win32", "success", None, 0, "ERROR_SUCCESS"),
    (0x00240005, "hresult", "success", (36, "WINDOWSUPDATE"), None, "WU_S_REBOOT_REQUIRED"),
]


@pytest.mark.parametrize(("value", "kind", "severity", "facility", "win32", "name"), CASES)
def test_decode_known_codes(value, kind, severity, facility, win32, name):
    info = decode(value)
    assert info.kind == kind
    assert info.severity == severity
    assert info.facility == (None if facility is None else Facility(*facility))
    assert info.win32 == win32
    assert name in info.names


def test_decode_the_issue_examples_through_lookup():
    assert lookup("0x80070002").names[0] == "ERROR_FILE_NOT_FOUND"
    assert lookup("3221225478").hex == "0xC0000006"
    assert lookup("3221225478").names == ("STATUS_IN_PAGE_ERROR",)
    assert lookup("2148074254").names == ("SEC_E_NO_CREDENTIALS",)
    assert lookup("0xc0000001").names == ("STATUS_UNSUCCESSFUL",)
    assert lookup("0x35").value == 53
    assert lookup("-2147024894").value == 0x80070002


def test_numbers_of_one_value_agree():
    info = decode(0x80070002)
    assert (info.value, info.hex, info.unsigned, info.signed) == (
        2147942402,
        "0x80070002",
        2147942402,
        -2147024894,
    )
    assert decode(5).signed == 5


def test_aliases_are_all_listed_in_header_order():
    assert decode(0x80070057).names == ("E_INVALIDARG", "ERROR_INVALID_PARAMETER")
    assert decode(12007).names == (
        "ERROR_WINHTTP_NAME_NOT_RESOLVED",
        "ERROR_INTERNET_NAME_NOT_RESOLVED",
    )
    assert decode(0x80072EE7).names == decode(12007).names
    assert decode(0).names[:2] == ("ERROR_SUCCESS", "NO_ERROR")
    # small values are Win32: the HRESULT and NTSTATUS names of 1 are not listed
    assert decode(1).names == ("ERROR_INVALID_FUNCTION",)


def test_a_value_named_both_as_hresult_and_ntstatus_is_an_hresult_with_both_names():
    info = decode(0x8000000A)
    assert info.kind == "hresult"
    assert info.names == ("E_PENDING", "STATUS_HANDLES_CLOSED")


def test_configmgr_client_codes_decode_structurally():
    info = decode(0x87D00215)
    assert info.kind == "hresult"
    assert info.severity == "error"
    assert info.facility == Facility(0x7D0, "")
    assert info.names == ()
    # an undocumented one still decodes from its structure alone
    other = decode(0x87D00216)
    assert (other.names, other.hint, other.message) == ((), None, None)
    assert other.description == (
        "Configuration Manager client error (facility 0x7D0, code 0x0216); "
        "the Windows headers do not name it."
    )
    assert other.source.kind == "headers"


def test_unnamed_values_follow_the_documented_kind_rule():
    assert decode(0xC000FFFE).kind == "ntstatus"  # 0xC000xxxx
    assert decode(0xC0130FFE).kind == "ntstatus"  # NT facility CLUSTER_ERROR_CODE
    assert decode(0xC0130FFE).facility == Facility(0x13, "CLUSTER_ERROR_CODE")
    assert decode(0x4000FFFE).severity == "informational"
    assert decode(0xC142011C).kind == "hresult"  # facility 0x142 is not an NT facility
    assert decode(0x8022FFFE).kind == "hresult"
    assert decode(0x0001FFFE).severity == "success"


def test_hresult_from_nt_wraps_the_ntstatus_names():
    info = decode(0xD0000034)
    assert info.kind == "hresult"
    assert info.names == ("STATUS_OBJECT_NAME_NOT_FOUND",)
    assert info.description.startswith("NTSTATUS 0xC0000034 (STATUS_OBJECT_NAME_NOT_FOUND)")


def test_written_description_hint_and_generic():
    fail = decode(0x80004005)
    assert fail.generic is True
    assert fail.hint
    assert decode(0x80004004).generic is True
    assert decode(1).generic is True
    assert decode(0xC0000001).generic is False  # a specific boot-screen symptom here
    assert decode(0x80070002).generic is False
    assert decode(0x80190194).hint and ".config" in decode(0x80190194).hint


def test_wrapped_win32_code_borrows_the_written_text():
    inner = decode(145)
    info = decode(0x80070091)
    assert info.description == (
        "Win32 error 145 (ERROR_DIR_NOT_EMPTY) returned as an HRESULT: "
        "the folder cannot be removed because it is not empty."
    )
    assert inner.description.startswith("The folder")
    assert decode(0x80070001).generic is True


def test_fallback_descriptions_are_built_from_the_decoding():
    assert (
        decode(1455).description == "Win32 error 1455 (ERROR_COMMITMENT_LIMIT): commitment limit."
    )
    assert decode(0x800705AF).description == (
        "Win32 error 1455 (ERROR_COMMITMENT_LIMIT) returned as an HRESULT: commitment limit."
    )
    assert decode(0xC0000035).description == (
        "NTSTATUS 0xC0000035 (STATUS_OBJECT_NAME_COLLISION): object name collision."
    )
    assert decode(0x800F0970).description == (
        "HRESULT 0x800F0970 (facility SETUPAPI, code 0x0970); the Windows headers do not name it."
    )
    assert decode(0xFFFE).description == "Win32 error 65534; the Windows headers do not name it."
    assert decode(2102).description == "Win32 error 2102 (NERR_NetNotStarted): net not started."


def test_to_dict_has_the_json_shape():
    data = decode(0x80070002).to_dict()
    assert list(data) == [
        "hex",
        "unsigned",
        "signed",
        "kind",
        "severity",
        "facility",
        "win32",
        "names",
        "description",
        "hint",
        "generic",
        "message",
        "source",
        "readings",
    ]
    assert data["source"] == {"kind": "kb", "name": "written for kb", "url": None}
    assert data["readings"] == []
    assert data["facility"] == {"code": 7, "name": "WIN32"}
    assert data["names"] == ["ERROR_FILE_NOT_FOUND"]
    assert json.loads(json.dumps(data)) == data
    assert decode(5).to_dict()["facility"] is None


def test_decode_accepts_signed_values_and_rejects_the_rest():
    assert decode(-2147024894) == decode(0x80070002)
    for bad, message in (
        (1 << 32, "4294967296 is outside the 32-bit range"),
        (-(1 << 31) - 1, "-2147483649 is outside the 32-bit range"),
        ("5", "'5' is not an integer code"),
        (True, "True is not an integer code"),
    ):
        with pytest.raises(CodeError) as caught:
            decode(bad)  # type: ignore[arg-type]
        assert str(caught.value) == message


def test_code_info_is_frozen_and_comparable():
    info = decode(0x80070002)
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.kind = "win32"  # type: ignore[misc]
    fields = {f.name: getattr(info, f.name) for f in dataclasses.fields(CodeInfo)}
    assert CodeInfo(**fields) == info
    assert hash(CodeInfo(**fields)) == hash(info)


def test_known_codes_matches_decode():
    known = known_codes()
    assert known[0x80004005] == ("E_FAIL",)
    assert known[2] == ("ERROR_FILE_NOT_FOUND",)
    assert 0x87D00215 not in known
    for value in (0x80004005, 2, 0xC0000006, 0x80190194, 12007):
        assert decode(value).names[: len(known[value])] == known[value]
    known.clear()  # a copy: clearing it does not touch the module's table
    assert known_codes()


@given(st.integers(min_value=0, max_value=0xFFFFFFFF))
def test_decode_any_value(value):
    info = decode(value)
    assert info.value == info.unsigned == value
    assert info.hex == format_hex(value)
    assert (info.signed & 0xFFFFFFFF) == value
    assert info.kind in ("hresult", "hresult-win32", "ntstatus", "win32")
    assert info.severity in ("error", "warning", "success", "informational")
    assert (info.kind == "win32") == (value < 0x10000)
    assert (info.facility is None) == (info.kind == "win32")
    assert info.description and "\n" not in info.description
    assert len(set(info.names)) == len(info.names)
