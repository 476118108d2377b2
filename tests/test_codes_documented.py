"""Codes as ConfigMgr admins meet them: documented messages, low-word readings, restarts."""

from __future__ import annotations

import re

import pytest

from kb.codes import decode, documented_codes, lookup
from kb.codes.descriptions import descriptions
from kb.codes.documented import documented_text, parse_documented
from kb.errors import CodeError
from tests.conftest import ARTICLES, REPO

DOC_URL = "https://learn.microsoft.com/mem/configmgr/tenant-attach/app-install-error-reference"
CONFIGMGR = sorted(v for v in documented_codes() if v >> 20 == 0x87D)


def forms(value: int) -> list[str]:
    """Return every way a user writes a 32-bit code: hex, bare hex, unsigned, signed."""
    signed = value - (1 << 32) if value & 0x8000_0000 else value
    return [f"0x{value:08X}", f"0x{value:08x}", f"{value:08X}", str(value), str(signed)]


def test_the_configmgr_table_holds_the_documented_codes():
    # the 25 Configuration Manager rows of Microsoft's reference, spot-checked word for word
    assert len(CONFIGMGR) == 25
    assert documented_codes()[0x87D00324].message == (
        "The application was not detected after installation completed"
    )
    assert documented_codes()[0x87D00215].message == "Item not found"
    assert documented_codes()[0x87D01106].message == (
        "Failed to verify the executable file is valid or to construct the associated command line"
    )
    assert {d.source.url for d in documented_codes().values()} == {DOC_URL}


@pytest.mark.parametrize("value", CONFIGMGR, ids=[f"0x{v:08X}" for v in CONFIGMGR])
def test_every_documented_configmgr_code_in_every_form(run, value):
    doc = documented_codes()[value]
    for text in forms(value):
        result = run("lookup", text, "--json")
        assert result.exit_code == 0, result.stderr
        data = result.json()
        assert data["hex"] == f"0x{value:08X}"
        assert data["message"] == doc.message
        assert data["description"] == doc.message.rstrip(".") + "."
        assert data["source"] == {
            "kind": "configmgr",
            "name": "Configuration Manager documentation (Microsoft)",
            "url": DOC_URL,
        }
        assert data["hint"] == doc.hint


def test_the_signed_form_in_the_issue():
    assert lookup("-2016411115").hex == "0x87D00215"
    assert lookup("-2016411115").description == "Item not found."


def test_text_output_names_the_source(run):
    out = run("lookup", "0x87D00324").stdout
    assert "meaning:  The application was not detected after installation completed." in out
    assert "source:   Configuration Manager documentation (Microsoft):" in out
    assert DOC_URL in out


def test_a_written_description_keeps_microsofts_message_beside_it(run):
    info = decode(0x80004005)
    assert info.source.kind == "kb"
    assert info.message == "Unspecified error"
    out = run("lookup", "0x80004005").stdout
    assert "message:  Unspecified error (Configuration Manager documentation)" in out


def test_a_documented_windows_code_replaces_the_header_stub():
    assert decode(0x80091007).description == "The hash value is not correct."
    assert decode(0x80091007).source.kind == "configmgr"
    assert "CAS.log" in decode(0x80091007).hint
    # a wrapped Win32 code takes its inner code's documented text
    assert decode(0x80070642).description == (
        "Win32 error 1602 (ERROR_INSTALL_USEREXIT) returned as an HRESULT: "
        "user cancel installation."
    )


LOW_WORDS = [
    (16389, "0x80004005", "E_FAIL"),
    (16388, "0x80004004", "E_ABORT"),
    (65535, "0x8000FFFF", "E_UNEXPECTED"),
    (4110, "0x8004100E", "WBEM_E_INVALID_NAMESPACE"),
    (340, "0x80040154", "REGDB_E_CLASSNOTREG"),
]


@pytest.mark.parametrize("value, hex_, name", LOW_WORDS, ids=[str(x[0]) for x in LOW_WORDS])
def test_a_status_message_decimal_is_win32_first_then_the_low_word_hresult(value, hex_, name):
    info = lookup(str(value))
    assert info.kind == "win32"
    assert info.hex == f"0x{value:08X}"
    (reading,) = info.readings
    assert reading.hex == hex_
    assert reading.names[0] == name
    assert reading.why == (
        f"{value} is 0x{value:04X}, the low word of this HRESULT: status messages and "
        "reports often show only the low word of an HRESULT, in decimal."
    )


@pytest.mark.parametrize("value", [0, 2, 5, 87, 255, 0x4006, 0x80004005, 0x87D00215, 0x10005])
def test_no_other_reading_for_small_values_hresults_or_undescribed_low_words(value):
    assert decode(value).readings == ()


def test_readings_in_json_and_text(run):
    data = run("lookup", "16389", "--json").json()
    assert data["description"] == (
        "Win32 error 16389, which the Windows headers do not name; most likely the low word "
        "of 0x80004005 (E_FAIL), as status messages print it."
    )
    assert data["readings"] == [
        {
            "hex": "0x80004005",
            "names": ["E_FAIL"],
            "why": "16389 is 0x4005, the low word of this HRESULT: status messages and "
            "reports often show only the low word of an HRESULT, in decimal.",
        }
    ]
    out = run("lookup", "16389").stdout
    assert re.search(r"^also:\s+0x80004005 \(E_FAIL\): 16389 is 0x4005", out, re.M)


@pytest.mark.parametrize(
    "text", ["3010", "0x80070BC2", "1641", "0x80070669", "3011", "0", "0x87D1076C", "0x00240005"]
)
def test_success_and_restart_codes_have_severity_success(text):
    assert lookup(text).severity == "success"


@pytest.mark.parametrize("text", ["3010", "0x80070BC2", "1641", "0x80070669", "3011"])
def test_restart_codes_say_a_restart_was_requested(text):
    description = lookup(text).description.lower()
    assert "restart" in description and "succeeded" in description


@pytest.mark.parametrize("text", ["3017", "0x80070BC9", "1603", "0x80070643", "0x87D00324"])
def test_failures_near_them_stay_errors(text):
    assert lookup(text).severity == "error"


def test_a_process_exit_code_is_the_programs_number_first(run):
    data = run("lookup", "exit code 2", "--json").json()
    assert data["description"] == (
        "Process exit code 2: the program that exited chose this number. If it is a "
        "Win32 error: A file that the operation needs does not exist at the path it used."
    )
    # a bare number is read as Win32 directly
    assert run("lookup", "2", "--json").json()["description"].startswith("A file")


ARTICLE_IDS = [
    (
        "KB2508665",
        "KB2508665 is an article id, not an error code: MDT Use Toolkit Package content "
        "fails to download from a Windows Server 2008 distribution point",
    ),
    (
        "kb2508665",
        "kb2508665 is an article id, not an error code: MDT Use Toolkit Package content "
        "fails to download from a Windows Server 2008 distribution point",
    ),
    (
        "KB1234567",
        "KB1234567 is a Knowledge Base article id, not an error code; no article has that id",
    ),
    ("smsts-log-locations", None),
]


@pytest.mark.parametrize("text, message", ARTICLE_IDS, ids=[x[0] for x in ARTICLE_IDS])
def test_lookup_of_an_article_id_exits_2_and_says_so(run, text, message):
    result = run("lookup", text)
    assert result.exit_code == 2
    assert result.stdout == ""
    if message is None:
        assert result.stderr.startswith(f"kb: error: {text} is an article id, not an error code: ")
    else:
        assert result.stderr == f"kb: error: {message}\n"


def test_the_api_answers_404_for_an_article_id(client):
    response = client.get("/api/lookup/KB2508665")
    assert response.status_code == 404
    assert "KB2508665 is an article id" in response.get_json()["error"]


def test_api_and_code_page_show_the_source_and_other_readings(client):
    data = client.get("/api/lookup/0x87D00324").get_json()
    assert data["source"]["url"] == DOC_URL
    page = client.get("/codes/0x87D00324").get_data(as_text=True)
    assert f'href="{DOC_URL}"' in page
    page = client.get("/codes/0x00004005").get_data(as_text=True)
    assert 'href="/codes/0x80004005"' in page
    assert "the low word of this HRESULT" in page


def _cited_values() -> set[int]:
    from kb.corpus import load_corpus

    return {v for a in load_corpus([ARTICLES]).articles for v in a.codes}


def _is_sentence(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z0-9].*[.!?]", text)) and len(text.split()) >= 4


@pytest.mark.parametrize(
    "value", sorted(_cited_values() | set(descriptions())), ids=lambda v: f"0x{v:08X}"
)
def test_cited_and_described_codes_have_a_full_sentence(value):
    info = decode(value)
    assert info.source.kind != "headers", info.description
    assert _is_sentence(info.description), info.description


# Codes OSD admins meet whose header-comment stub ("gen failure.") was replaced.
STUBS = [31, 0x8007001F, 23, 121, 193, 1641, 3011, 0x80091007, 0x80041013, 0x800B0100]


@pytest.mark.parametrize("value", STUBS, ids=lambda v: f"0x{v:08X}")
def test_header_stubs_are_replaced_for_the_codes_osd_admins_meet(value):
    info = decode(value)
    assert info.source.kind in ("kb", "configmgr")
    assert _is_sentence(info.description)


# Win32 codes that mingw-w64-common 10.0.0 (the newest in Debian) does not name.
# When a newer header set names one, this fails: regenerate codes.tsv and drop it.
KNOWN_GAPS = {740: "ERROR_ELEVATION_REQUIRED", 3017: "", 3019: ""}


def test_the_known_gaps_of_the_header_table():
    assert [v for v in KNOWN_GAPS if decode(v).names] == []
    assert [v for v in KNOWN_GAPS if decode(0x80070000 | v).names] == []
    assert decode(0x80070BC9).description == (
        "Win32 error 3017 returned as an HRESULT; the Windows headers do not name it."
    )


BAD_TABLES = [
    ("0x87D00202\tx\ty\tz\tnone", "documented codes line 1: unknown source 'none'"),
    ("# source s: no address\n", "documented codes line 1: the source has no https address"),
    ("# source s: https://x\n0x87d0\ta\tb\tc\ts", "documented codes line 2: bad code '0x87d0'"),
    ("# source s: https://x\n1\ta\tb\tc", "documented codes line 2: expected code, area, message, hint, source"),
    ("# source s: https://x\n1\ta\t \tc\ts", "documented codes line 2: expected code, area, message, hint, source"),
    ("# source s: https://x\n1\ta\tb\tc\ts\n1\ta\tb\tc\ts", "documented codes line 3: 1 is listed twice"),
]  # fmt: skip


@pytest.mark.parametrize("text, message", BAD_TABLES, ids=[m for _, m in BAD_TABLES])
def test_a_bad_documented_table_is_refused_with_one_line(text, message):
    with pytest.raises(CodeError) as excinfo:
        parse_documented(text)
    assert str(excinfo.value) == message


def test_sources_md_lists_every_data_file_and_source():
    sources = (REPO / "kb" / "data" / "SOURCES.md").read_text(encoding="utf-8")
    for path in (REPO / "kb" / "data").iterdir():
        if path.name != "SOURCES.md":
            assert f"`{path.name}`" in sources, path.name
    cited = [
        m.groups()
        for m in re.finditer(
            r"^# source [\w-]+: .*?(https://\S+) \(MicrosoftDocs/memdocs (\S+) at (\w+)\)",
            documented_text(),
            re.M,
        )
    ]
    assert len(cited) == 1
    for part in cited[0]:
        assert part in sources
    assert "CC BY 4.0" in sources
