"""The name table, its generator, the written descriptions, and the article codes they cover."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kb.codes import code_values, decode, format_hex, known_codes, parse_code
from kb.codes.descriptions import descriptions, descriptions_text, parse_descriptions
from kb.codes.table import parse_table, table, table_text
from kb.errors import CodeError
from tests.conftest import ARTICLES, REPO, SHARED

INCLUDE = Path("/usr/share/mingw-w64/include")
ROW = re.compile(
    r"[0-9A-F]{8}\t[A-Za-z_][A-Za-z0-9_]*\t[a-z0-9_]+\.h\t(win32|hresult|ntstatus|facility|ntfacility)"
)


def _gen_codes():
    if "gen_codes" not in sys.modules:
        spec = importlib.util.spec_from_file_location("gen_codes", REPO / "tools" / "gen_codes.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["gen_codes"] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules["gen_codes"]


# --- the packaged table -----------------------------------------------------------


def test_table_is_well_formed():
    lines = table_text().splitlines()
    assert re.fullmatch(r"# mingw-w64-common \S+; headers: [a-z0-9_. ]+\.h; .*", lines[0])
    for header in ("winerror.h", "ntstatus.h", "bitsmsg.h", "winhttp.h", "wininet.h", "lmerr.h"):
        assert header in lines[0]
    pairs = set()
    names = set()
    for number, line in enumerate(lines[1:], start=2):
        assert ROW.fullmatch(line), f"line {number}: {line!r}"
        value, name, _, kind = line.split("\t")
        assert (value, name) not in pairs, f"line {number}: {name} twice for {value}"
        pairs.add((value, name))
        if kind not in ("facility", "ntfacility"):
            assert name not in names, f"line {number}: {name} for two values"
            names.add(name)
    assert len(names) > 6000


def test_table_rows_sit_in_their_number_space():
    t = table()
    assert all(v < 0x10000 for v in t.win32)
    assert t.facilities[7] == "WIN32" and t.facilities[9] == "SECURITY"
    assert t.nt_facilities[0x19] == "TRANSACTION" and t.facilities[0x19] == "HTTP"
    assert {"winhttp.h", "wininet.h", "lmerr.h", "bitsmsg.h", "ntstatus.h"} <= set(
        t.headers.values()
    )
    assert t.headers["BG_E_HTTP_ERROR_404"] == "bitsmsg.h"
    assert t.headers["ERROR_WINHTTP_NAME_NOT_RESOLVED"] == "winhttp.h"
    assert t.headers["NERR_UserNotFound"] == "lmerr.h"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "codes table: the first line must be the '# mingw-w64-common ...' comment"),
        ("80070002\tX\tw.h\twin32\n", "codes table: the first line must be the '# mingw-w64-common ...' comment"),
        ("# v\n80070002\tX\tw.h\n", "codes table line 2: expected value, name, header, kind"),
        ("# v\n80070002\tX\tw.h\tother\n", "codes table line 2: expected value, name, header, kind"),
        ("# v\nZZ\tX\tw.h\twin32\n", "codes table line 2: bad value 'ZZ'"),
    ],
)  # fmt: skip
def test_parse_table_rejects_bad_rows(text, message):
    with pytest.raises(CodeError) as caught:
        parse_table(text)
    assert str(caught.value) == message


def test_table_and_descriptions_load_lazily_without_web_modules():
    code = (
        "import sys, kb.codes, kb.codes.table as t\n"
        "assert t.table.cache_info().currsize == 0, 'table read at import'\n"
        "assert 'yaml' not in sys.modules, 'yaml imported at import'\n"
        "kb.codes.lookup('0x80070002'); kb.codes.extract_codes('Error 5')\n"
        "bad = [m for m in ('flask', 'whoosh', 'markdown', 'markdown_it', 'click') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""


def test_the_core_does_not_print():
    for path in (REPO / "kb" / "codes").glob("*.py"):
        assert "print(" not in path.read_text(encoding="utf-8"), path.name


# --- the generator ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "value", "tag"),
    [
        ("__MSABI_LONG(2)", 2, ""),
        ("_HRESULT_TYPEDEF_(0x80004005L)", 0x80004005, "hresult"),
        ("((NTSTATUS)0xC0000006L)", 0xC0000006, "ntstatus"),
        ("((HRESULT)0x8009030EL)", 0x8009030E, "hresult"),
        ("(WINHTTP_ERROR_BASE + 7)", 12007, ""),
        ("_NDIS_ERROR_TYPEDEF_(0x8034000F)", 0x8034000F, ""),
        ("MAKE_HRESULT(1, FACILITY_WIN32, 5)", 0x80070005, "hresult"),
        ("HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER)", 0x8007007A, "hresult"),
        ("HRESULT_FROM_NT(0xC0000034)", 0xD0000034, "hresult"),
        ("((unsigned __LONG32)1 << 31) | 0x2UL", 0x80000002, ""),
        ("(0x10 - 1) & ~0x1", 14, ""),
        ("-2147024894", 0x80070002, ""),
        ("ERROR_SUCCESS", 0, ""),
    ],
)
def test_generator_evaluates_header_expressions(expression, value, tag):
    gen = _gen_codes()
    known = {
        "WINHTTP_ERROR_BASE": (12000, ""),
        "FACILITY_WIN32": (7, ""),
        "ERROR_INSUFFICIENT_BUFFER": (122, ""),
        "ERROR_SUCCESS": (0, ""),
    }
    assert gen.Evaluator(known).evaluate(expression) == (value, tag)


@pytest.mark.parametrize(
    "expression", ["NULL", 'L"text"', "UNKNOWN_NAME + 1", "(1 +", "f(2)", "1 ? 2 : 3"]
)
def test_generator_skips_what_is_not_a_constant(expression):
    gen = _gen_codes()
    with pytest.raises(gen.EvalError):
        gen.Evaluator({}).evaluate(expression)


def test_generator_reads_only_object_like_macros():
    gen = _gen_codes()
    text = (
        "#define A __MSABI_LONG(1) /* one */\n"
        "#define F(x) ((x) + 1)\n"
        "  #  define B \\\n   (A + 1)\n"
        "#define EMPTY\n"
    )
    assert gen.read_defines(text) == [("A", "__MSABI_LONG(1)"), ("B", "(A + 1)")]
    enum = "typedef enum tag_X { X_A = 0x80041001, X_B = 1 } X;"
    assert gen.read_enum(enum, "tag_X") == [("X_A", "0x80041001"), ("X_B", "1")]


def test_generated_table_matches_the_headers(tmp_path):
    if not (INCLUDE / "winerror.h").is_file():
        pytest.skip("mingw-w64-common headers are not installed")
    out = tmp_path / "codes.tsv"
    gen = _gen_codes()
    assert gen.main(["--out", str(out)]) == 0
    fresh = out.read_text(encoding="ascii").splitlines()
    packaged = table_text().splitlines()
    assert fresh[1:] == packaged[1:], "kb/data/codes.tsv is stale: run tools/gen_codes.py"


# --- written descriptions -----------------------------------------------------------


def test_every_description_key_is_a_canonical_code():
    data = yaml.safe_load(descriptions_text())
    assert len(data) >= 80
    for key, entry in data.items():
        assert format_hex(parse_code(key)) == key
        assert entry["description"].strip().endswith((".", ")"))
        assert "\n" not in entry["description"].strip()


def test_descriptions_never_invent_a_name():
    names = {n for ns in known_codes().values() for n in ns}
    for value, written in descriptions().items():
        for token in re.findall(
            r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b", f"{written.description} {written.hint}"
        ):
            assert token in names, f"{format_hex(value)} mentions {token}, which no header defines"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "descriptions: the file must be a mapping of hex codes"),
        ({"0x80070002x": {"description": "d"}}, "descriptions: key '0x80070002x' is not a quoted code like '0x80070002'"),
        ({2147942402: {"description": "d"}}, "descriptions: key 2147942402 is not a quoted code like '0x80070002'"),
        ({"0x80070002": {"hint": "h"}}, "descriptions: 0x80070002: a 'description' string is required"),
        ({"0x80070002": {"description": "d", "name": "X"}}, "descriptions: 0x80070002: unknown field 'name'"),
        ({"0x80070002": {"description": "d", "hint": 3}}, "descriptions: 0x80070002: 'hint' must be a string"),
        ({"0x80070002": {"description": "d", "generic": "yes"}}, "descriptions: 0x80070002: 'generic' must be true or false"),
    ],
)  # fmt: skip
def test_parse_descriptions_rejects_bad_entries(data, message):
    with pytest.raises(CodeError) as caught:
        parse_descriptions(data)
    assert str(caught.value) == message


def _has_written_text(value: int) -> bool:
    """Tell whether a value, or the Win32/NTSTATUS code it wraps, has a written entry."""
    written = descriptions()
    if value in written:
        return True
    if decode(value).kind == "hresult-win32":
        return (value & 0xFFFF) in written
    return bool(value & 0x10000000) and (value & ~0x10000000) in written


REQUIRED = [
    2, 3, 5, 32, 53, 64, 67, 87, 112, 1326, 1327, 1392, 1722, 3010, 12002, 12007, 12029, 12030,
    0x80004005, 0x80004004, 0x80070005, 0x8007000E, 0x80070057, 0x80004001, 0x8000FFFF,
    0x80190190, 0x80190191, 0x80190193, 0x80190194, 0x801901F4, 0x80092024, 0x8009030E,
    0x80092012, 0xC0000001, 0xC0000006, 0xC000000E, 0xC0000034, 0xC0000225, 0xC000021A,
    0x80070BC2,
]  # fmt: skip


@pytest.mark.parametrize("value", REQUIRED, ids=format_hex)
def test_common_deployment_codes_have_written_text(value):
    assert _has_written_text(value)


def test_every_named_code_of_the_sources_and_real_logs_has_written_text():
    files = [
        *sorted((SHARED / "seeds").glob("*.txt")),
        *sorted((SHARED / "real-logs").glob("*.log")),
    ]
    if not files:
        pytest.skip(f"{SHARED} is absent")
    missing = set()
    for path in files:
        for value in code_values(path.read_bytes().decode("utf-8", errors="replace")):
            if decode(value).names and not _has_written_text(value):
                missing.add(format_hex(value))
    assert not missing


# --- the articles' codes ------------------------------------------------------------


def _article_codes() -> list[tuple[str, str]]:
    codes = []
    for path in sorted(ARTICLES.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---"):
            continue
        try:
            meta = yaml.safe_load(text.split("---", 2)[1]) or {}
        except yaml.YAMLError:
            continue  # reported by kb check
        signatures = meta.get("signatures") or {} if isinstance(meta, dict) else {}
        for code in signatures.get("codes") or () if isinstance(signatures, dict) else ():
            codes.append((path.name, str(code)))
    return codes


def _defined_in_any_header(value: int) -> bool:
    pattern = re.compile(rf"0x{value:08x}\b", re.I)
    return any(
        pattern.search(path.read_text(encoding="latin-1"))
        for path in INCLUDE.glob("*.h")
        if path.is_file()
    )


def test_table_covers_every_code_the_articles_cite():
    codes = _article_codes()
    if not codes:
        pytest.skip("no article cites a code yet")
    for article, text in codes:
        value = parse_code(text)
        info = decode(value)
        assert info.description, (article, text)
        if info.names or value < 0x10000:
            continue
        # Absent from the table: allowed only when no header names it.
        if (INCLUDE / "winerror.h").is_file():
            assert not _defined_in_any_header(value), (
                f"{article}: {text} is in a header but not the table"
            )
        assert info.facility is not None
