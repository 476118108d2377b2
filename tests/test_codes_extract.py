"""extract_codes: codes in free text and real logs, and the look-alikes that are not codes.

The real logs and source documents are read in place from the shared folder
next to the repository; the tests that need them skip when it is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.codes import FoundCode, code_values, extract_codes
from tests.conftest import SHARED

REAL_LOGS = SHARED / "real-logs"
SEEDS = SHARED / "seeds"

FOUND = [
    ("Process completed with exit code 3221225478", [0xC0000006]),
    ("exitCode == 0, HRESULT=80004005 (e:\\nts_sms_fre\\setupwindows.cpp,440)", [0x80004005]),
    ("Exiting with code 0x80004005", [0x80004005]),
    ("Unspecified error (Error: 80004005; Source: Windows)", [0x80004005]),
    ("Error code is [0x35]", [0x35]),
    ("Unable to get languages from the lang.ini file.[gle=0x00000035]", [0x35]),
    ("Error. Received 0x80072ee7 from WinHttpSendRequest.", [0x80072EE7]),
    ("sending with winhttp failed; 80072ee7", [0x80072EE7]),
    ("SendResourceRequest() failed with 0x80072ee7", [0x80072EE7]),
    ("Status: 0xc0000001", [0xC0000001]),
    ("Process completed with exit code 2", [2]),
    ("Package manager failed with return code 2", [2]),
    ("Info CBS Pkgmgr: return code: 0x2", [2]),
    ("Failed to start dism.exe. [HRESULT = 0x80070002 - ERROR_FILE_NOT_FOUND]", [0x80070002]),
    ("Failed to import the client certificate store (0x80092024)", [0x80092024]),
    ("Code 2148074254 or 0x8009030E means SEC_E_NO_CREDENTIALS", [0x8009030E, 0x8009030E]),
    ("ccmhttp 401 2 2148074254", [0x8009030E]),
    ("Failed to persist execution state. Error 0x(80070057)", [0x80070057]),
    ("Failed to save environment to  (80070057)", [0x80070057]),
    ("Command completed, return code = -2147021886", [0x80070BC2]),
    ("failed executing the action with the error code 2149711877", [0x80220005]),
    ("GetUpdateInfo - failed to get targeted update, error = 0x87d00215.", [0x87D00215]),
    ("Failed to run the action: Dynamically Apply Drivers. Error 1", [1]),
    ("Could not delete the file C:\\WINDOWS\\system32\\OSDSETUPHOOK.EXE. Error code 5", [5]),
    ("Process completed with exit code 1073807364", [0x40010004]),
    ("CDISMProviderStore::Internal_GetProvider(hr:0x8007007e)", [0x8007007E]),
    ("Disk provisioning is not available; hr = 0x80070032", [0x80070032]),
    ("[8312] [0xc142011c] WIMGetMountedImageHandle", [0xC142011C]),
    ("File: \\Device\\HarddiskVolume6\\Boot\\BCD Status: c000000f", [0xC000000F]),
    ("ERROR CODE: 0x80190194 - HTTP status 404: The requested URL does not exist", [0x80190194]),
    ("ERROR: 0x80070005 and then Error 0x80070002", [0x80070005, 0x80070002]),
    ("`0x80070002` in a Markdown body", [0x80070002]),
]


@pytest.mark.parametrize(("text", "values"), FOUND)
def test_codes_are_found(text, values):
    assert [f.value for f in extract_codes(text)] == values


NOT_CODES = [
    "Tried all the available http based locations.\tInstallSoftware\t2/3/2011 9:12:44 AM\t1744 (0x06D0)",
    "Error [0x060412] IBS IsValidTargetLanguage: Unable to get languages",
    "FatalError [0x090001] PANTHR Unhandled exception occurred at 0x735E87D4 in win32ui.dll (+000287D4)",
    "Info [0x0601d7] IBS InstallWindows:Error Type = 3211266",
    "ERROR CONTEXT: 0x00000005 - The error occurred while the remote file was being processed.",
    "WinHttpQueryHeaders() returns status code 404 (Not Found)",
    "HTTP status 404: The requested URL does not exist on the server.",
    "Process completed with exit code 0",
    "ThreadToResolveAndExecuteTaskSequence returned code 0x00000000",
    "Set a global environment variable _SMSTSLastActionRetCode=0",
    '<time="14:02:11.123+300" date="10-15-2019" component="TSManager" type="3" thread="1744" file="utils.cpp:5463">',
    "Executing command line: smsswd.exe /pkg:P0100023 /install /status:940",
    "Connecting to 192.168.120.20:80 at 2009-05-20 19:35:11",
    "Environment scope: Global\\{C25D7C38-94EB-43AE-A0DE-F374E3E7E03B}",
    "Attempting to add direct mapping for HKCU to 0x80000003",
    "Disk signature [0xFBBC5AB5], Attrib : 0X8000000000000000, Flags: 0x80000020",
    "(@Certificate) 0x308201E03082014DA0030201020210C25D7C383E3CB6AE466BE10C22ACF3AE3009",
    "Downloaded 2147942402bytes; size 3671061888; error 12.5",
    "FAILURE ( 5212 ): Welcome wizard failed or was cancelled",
    "Size (bytes) [575668224 / 0x22500000] MBR partition type: 0x7",
]


@pytest.mark.parametrize("text", NOT_CODES)
def test_look_alikes_are_not_codes(text):
    assert extract_codes(text) == []


def test_found_code_gives_the_span_of_the_code_as_written():
    text = "Failed (Error: 80070057; Source: Windows) then Error 0x(80070005) and code 0xC0000006."
    found = extract_codes(text)
    assert [f.text for f in found] == ["80070057", "0x(80070005)", "0xC0000006"]
    for f in found:
        assert text[f.start : f.end] == f.text
    assert found[0] == FoundCode(0x80070057, 15, 23, "80070057")


def test_code_at_the_very_start_and_in_upper_case():
    assert [f.value for f in extract_codes("0X80070002")] == [0x80070002]
    assert [f.value for f in extract_codes("ERROR 5")] == [5]
    assert extract_codes("0X80070002")[0].text == "0X80070002"


def test_non_ascii_text_keeps_offsets():
    text = "İstanbul İİ: Error 0x80070005 in C:\\Users\\Jürgen"
    (found,) = extract_codes(text)
    assert text[found.start : found.end] == "0x80070005"


def test_code_values_are_distinct_in_first_seen_order():
    text = "Error 0x80004005; HRESULT=80070002 then Error: 80004005 and exit code 2147942402"
    assert code_values(text) == [0x80004005, 0x80070002]
    assert [f.value for f in extract_codes(text)] == [
        0x80004005,
        0x80070002,
        0x80004005,
        0x80070002,
    ]


def test_empty_and_digitless_text():
    assert extract_codes("") == []
    assert extract_codes("no digits at all, error code missing") == []
    assert code_values("") == []


@given(st.text(max_size=300))
@settings(max_examples=300)
def test_extract_never_raises(text):
    for f in extract_codes(text):
        assert 0 < f.value <= 0xFFFFFFFF
        assert text[f.start : f.end] == f.text


@given(
    st.lists(
        st.sampled_from(
            ["Error", " ", "code", "0x", "8007", "0002", "(", ")", "=", "-", "21479", "42402",
             "gle", ":", "[", "]", "\n", "HRESULT", "c000", "\t", "0", "5"]
        ),
        max_size=40,
    ).map("".join)
)  # fmt: skip
@settings(max_examples=300)
def test_extract_never_raises_on_code_like_text(text):
    for f in extract_codes(text):
        assert text[f.start : f.end] == f.text


# --- the source documents and real logs, read in place ---------------------------

SEED_CODES = {
    "000_b006cc17da36c63f.txt": set(),
    "001_5e935c2659249197.txt": {
        0xC0000006, 0x80004005, 0x80004004, 0x35, 0x40, 0x80072EE7, 0xC0000001,
        2, 0x80070002, 0x80092024, 0x8009030E,
    },
    "002_c01060ff38b85588.txt": set(),
    "003_42ac6bcdd2aca278.txt": set(),
    "004_62b9339191370ea2.txt": {0x80004005, 0x80190194},
}  # fmt: skip

# exact: the codes the file holds and nothing else; at_least: a noisy file
LOG_CODES = {
    "smsts-log_reader-1.log": ("at_least", {0x80070005, 0x80004005, 0x80070002, 0x80070091, 2, 5}),
    "smsts-mdtlogfiles-1.log": ("exact", {0x80070057}),
    "smsts-hello-world-1.log": ("exact", {0x80070003}),
    "smsts-excerpt-msqa-1007260.log": ("exact", {0x80070BC2, 0x80070002, 0x80004005}),
    "smsts-cmtracecopy-excerpt-moderndrivermgmt-issue17.log": ("exact", {1}),
    "statusmsg-excerpt-osd-reporting-issue17.log": ("exact", {0x80220005}),
    "ccmsetup-reddit-jimbocalvo-1.log": ("exact", {0x80190194, 0x80004005, 0x8004100E, 0x80070002}),
    "updatesdeployment-findingsanity-1.log": ("exact", {0x87D00215}),
    "wuahandler-findingsanity-1.log": ("exact", set()),
    "execmgr-excerpt-logslothparser-1.log": ("exact", set()),
    "statemessage-excerpt-sharpsccm-issue62.log": ("exact", set()),
    "applydriverpackage-excerpt-msendpointmgr-issue291.log": ("exact", set()),
    "applydriverpackage-cmtracecopy-excerpt-msendpointmgr-issue243.log": ("exact", set()),
    "applydriverpackage-cmtracecopy-excerpt-msendpointmgr-issue255.log": ("exact", set()),
    "bdd-mdtlogfiles-1.log": ("exact", {0x80070BC2}),
    "bdd-mdtlogfiles-2-failure5212.log": ("exact", set()),
    "sccm-various-plaso-1.log": ("exact", set()),
    "setupact-setup-log-rickak77-1.log": ("at_least", {0x80070002, 0xC0000225, 0x8007007E}),
    "setupact-errorcode-bitbtrust-1.log": ("at_least", {2, 0x80070032, 0xC000000F, 0x80070005}),
}

# Spans that look like numbers or hex but are never codes.
LOOK_ALIKES = re.compile(
    r"\[0x[0-9a-fA-F]{6}\]"  # Windows Setup message ids
    r"|\d+ \(0x[0-9A-Fa-f]{4}\)"  # CMTrace-copy thread ids
    r'|thread="\d*"|type="\d"|time="[^"]*"|date="[^"]*"|file="[^"]*"'  # CMTrace attributes
    r"|\(\+[0-9A-Fa-f]{8}\)"  # offsets
    r"|\d{1,2}:\d{2}:\d{2}(?:\.\d+)?"  # times
    r"|\b\d+\.\d+\.\d+\.\d+\b"  # IP addresses and versions
    r"|\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?"  # GUIDs
    r"|\bat 0x[0-9A-Fa-f]{8}"  # addresses
    r"|ERROR CONTEXT: 0x[0-9A-Fa-f]{8}"
)


def _read(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _assert_no_look_alike(text: str, found: list[FoundCode]) -> None:
    starts = sorted(f.start for f in found)
    for m in LOOK_ALIKES.finditer(text):
        inside = [s for s in starts if m.start() <= s < m.end()]
        assert not inside, f"code reported inside look-alike {m.group()!r}"


@pytest.fixture(scope="module")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is absent")
    return SEEDS


@pytest.fixture(scope="module")
def logs_dir() -> Path:
    if not REAL_LOGS.is_dir():
        pytest.skip(f"{REAL_LOGS} is absent")
    return REAL_LOGS


@pytest.mark.parametrize("name", sorted(SEED_CODES))
def test_codes_in_the_source_documents(seeds_dir, name):
    path = seeds_dir / name
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    text = _read(path)
    found = extract_codes(text)
    assert {f.value for f in found} == SEED_CODES[name]
    _assert_no_look_alike(text, found)


def test_the_source_document_look_alikes_in_context(seeds_dir):
    text = _read(seeds_dir / "001_5e935c2659249197.txt")
    values = set(code_values(text))
    for not_a_code in (0x735E87D4, 0x000287D4, 0x060412, 0x060467, 0x090001, 3211266, 51636):
        assert not_a_code not in values
    ten_digit = [f.text for f in extract_codes(text) if f.value == 0xC0000006]
    assert "3221225478" in ten_digit and "0xC0000006" in ten_digit


@pytest.mark.parametrize("name", sorted(LOG_CODES))
def test_codes_in_the_real_logs(logs_dir, name):
    path = logs_dir / name
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    text = _read(path)
    found = extract_codes(text)
    how, expected = LOG_CODES[name]
    values = {f.value for f in found}
    if how == "exact":
        assert values == expected
    else:
        assert expected <= values
    assert 0 not in values
    _assert_no_look_alike(text, found)


def test_every_real_log_is_covered(logs_dir):
    assert {p.name for p in logs_dir.glob("*.log")} <= set(LOG_CODES)


def test_registry_handles_in_setup_logs_are_not_codes(logs_dir):
    text = _read(logs_dir / "setupact-setup-log-rickak77-1.log")
    values = set(code_values(text))
    assert not values & {0x80000001, 0x80000002, 0x80000003}
