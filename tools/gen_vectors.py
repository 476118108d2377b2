"""Generate the test vectors that prove the browser search (kb/static/engine/) ranks as Python.

Writes two files from the Python engine on the bundled articles:

* ``tests/vectors/search_vectors.json``: for every query (the labeled quality
  set, every article's examples, and edge cases), the ids of the results above
  the threshold in order, their scores (rounded as ``kb search`` prints them,
  and raw for diagnostics), the match/no-match decision, the top of the
  unfiltered ranking and the codes found;
* ``tests/vectors/normalisation.json``: what each step gives on many inputs
  (terms, masks, code extraction, code parsing, log records, signals, fuzzy
  ratios, typo corrections, code decoding), so a difference shows where it starts.

Run ``python tools/gen_vectors.py`` after any change to the ranking, the
normalisation or the articles; ``--check`` only says whether the files are current.
tests/test_vectors.py fails when they are not.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

VECTORS = REPO / "tests" / "vectors" / "search_vectors.json"
NORMALISATION = REPO / "tests" / "vectors" / "normalisation.json"
RANKED_KEPT = 15
TOP_KEPT = 3  # results whose parts and reasons are kept
_CLASS = {"generic": "g", "common": "c", "specific": "s"}

_CMTRACE = (
    '<![LOG[{msg}]LOG]!><time="10:{m:02d}:07.123+000" date="03-02-2010" '
    'component="{comp}" context="" type="{sev}" thread="2664" file="x.cpp:1">'
)


def edge_cases() -> list[tuple[str, str]]:
    """Return (id, text) queries beyond the labeled set: odd inputs and every paste shape."""
    from tests.logfactory import wrap_in_noise
    from tests.web_support import FAILING_SMSTS

    raw_block = "\n".join(
        [
            _CMTRACE.format(msg="Executing command line: OSDSMPClient.exe /capture", m=1, comp="TSManager", sev=1),
            _CMTRACE.format(msg="Failed to import the client certificate store (0x80092024)", m=2, comp="OSDSMPClient", sev=3),
            '<![LOG[Failed to run the action: Capture User State. \nUnknown error (Error: 80092024; Source: Unknown)]LOG]!><time="10:03:07.123+000" date="03-02-2010" component="TSManager" context="" type="3" thread="2664" file="instruction.cxx:3011">',
        ]
    )  # fmt: skip
    hash_lines = [
        "Hash could not be matched for the downloaded content. Original ContentHash = 4F6C8D, Downloaded ContentHash = 0A1B2C",
        "Failed to resolve PackageID=LAB00012 from the local cache",
        "Installation of the package LAB00012 failed. Hash mismatch (0x80091007)",
    ]  # fmt: skip
    cases = [
        ("edge-empty", ""),
        ("edge-blank", "   \n\t \n"),
        ("edge-nul", "\x00"),
        ("edge-one-letter", "a"),
        ("edge-punctuation", "?!? ..."),
        ("edge-stop-words", "the of and to it is"),
        ("edge-number", "2007"),
        ("edge-long-word", "x" * 300),
        ("code-hex-lower", "0x80070002"),
        ("code-hex-upper-x", "0X80092024"),
        ("code-bare", "80092024"),
        ("code-decimal", "2147942402"),
        ("code-signed", "-2147024894"),
        ("code-small", "0x35"),
        ("code-paren", "(80070057)"),
        ("code-error-source", "(Error: 80070002; Source: Windows)"),
        ("code-hresult-eq", "HRESULT=80004005"),
        ("code-exit", "exit code 2147942402"),
        ("code-gle", "[gle=0x00000035]"),
        ("code-0x-paren", "Error 0x(80070057)"),
        ("code-ntstatus", "c0000005"),
        ("code-configmgr", "0x87D00269"),
        ("code-with-words", "80070002 after reboot"),
        ("code-malformed", "0xZZ"),
        ("code-too-big", "0x123456789"),
        ("code-two", "0x80070002 0x80092024"),
        ("code-word-hex", "deadbeef"),
        ("code-generic", "0x80004005"),
        ("code-uncited", "0x80070490"),
        ("cmtrace-raw-block", raw_block),
        ("cmtrace-raw-smsts", FAILING_SMSTS),
        ("cmtrace-unterminated", '<![LOG[Failed to download policy\nsecond line without trailer'),
        ("cmtrace-copy-tabs", "Failed to import the client certificate store (0x80092024)\tOSDSMPClient\t3/2/2010 2:17:09 PM\t2664 (0x0A68)"),
        ("cmtrace-copy-spaces", "Hash could not be matched for the downloaded content.   InstallSoftware   14/05/2009 10:22:41   1732 (0x06C4)"),
        ("setupact", "2010-03-02 14:17:05, Error      [0x08038d] MIG    Failed to load plugin\n2010-03-02 14:17:06, Info       CONX   continuation\n   indented continuation line"),
        ("iis", "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken\n2010-03-02 14:17:05 10.0.0.1 GET /SMS_DP_SMSPKGC$/LAB00012/setup.exe - 80 - 10.0.0.9 SMS+CCM+4.0 404 3 50 15"),
        ("bitsadmin", "BITSADMIN version 3.0 [ 7.5.7601 ]\nGUID: {01234567-89AB-CDEF-0123-456789ABCDEF} DISPLAY: 'CCMDTS Job'\nTYPE: DOWNLOAD STATE: TRANSIENT_ERROR OWNER: NT AUTHORITY\\SYSTEM\nERROR CODE: 0x80190194 - The requested URL does not exist on the server."),
        ("mixed-shapes", raw_block + "\n" + "\n".join(hash_lines)),
        ("long-paste-noise", wrap_in_noise(hash_lines, 120, 7, "cmtrace")),
        ("long-paste-copy", wrap_in_noise(hash_lines[:2], 80, 9, "copy")),
        ("long-paste-plain", wrap_in_noise(["Failed to run the action: Apply Operating System.", "The system cannot find the file specified. (Error: 80070002; Source: Windows)"], 150, 5, "plain")),
        ("typo-question", "hash mismach on downlaoded contnet"),
        ("unicode-accents", "Échec de l'exécution: le hachage ne correspond pas 0x80091007 téléchargé"),
        ("unicode-emoji", "🙂 Failed to import the client certificate store (0x80092024) 🙂"),
        ("unicode-digits", "exit code ٢١٤٧٩٤٢٤٠٢ status ３"),
        ("unicode-spaces", "Failed\u00a0to\u2003import the client certificate store\u3000(0x80092024)"),
        ("crlf-lines", "Failed to run the action: Apply Operating System.\r\nThe system cannot find the file specified. (Error: 80070002; Source: Windows)\r\n"),
        ("bom", "\ufeffHash could not be matched for the downloaded content."),
        ("camel-case", "OSDSetupHook _SMSTSClientGuid SMSTSLocalDataDrive TSEnvironment"),
        ("kb-number", "KB977203 977203 kb2508665"),
        ("url-unc", "Failed to connect to \\\\SERVER01\\SMSPKGC$\\LAB00012 and http://dp01.contoso.com:80/SMS_DP_SMSPKG$/LAB00012"),
        ("guid-path", "Failed to open {0C1A5E2D-1234-4ABC-9DEF-0123456789AB} at C:\\_SMSTaskSequence\\Packages\\LAB00012\\setup.exe"),
        ("boilerplate-only", "Failed to run the last action: Install Software. Execution of task sequence failed.\nTask Sequence Engine failed! Code: enExecutionFail\nUnspecified error (Error: 80004005; Source: Windows)"),
        ("address-before", "Exception occurred at 0x80070002 handle 0x80092024 flags: 0x80004005"),
        ("registry-handle", "mapping for HKCU to 0x80000003 and status 404"),
        ("setup-id", "Error [0x060412] MIG Failure while calling IDiscovery->AddManifest"),
        ("component-foreign", "Error. Received 0x80072ee7 from WinHttpSendRequest. TSPxe\nsending with winhttp failed; 80072ee7 TSPxe"),
        ("component-own", "Error. Received 0x80072ee7 from WinHttpSendRequest. OSDSetupHook"),
        ("out-of-scope-prose", "How can I relocate the mdf and ldf files of a SQL Server 2005 database to a new disk with sp_detach_db?"),
        ("scope-typo", "task sequnce stops: hash could not be matched for the downloded package content"),
        ("scope-prefix", "smsexec keeps restarting after I moved the database to another drive"),
        ("scope-apart", "the site keeps showing an old page after we changed the web server: how do I move the database"),
        ("scope-gap", "Config-Mgr 2007: how do I move the database files to another drive and attach them"),
    ]  # fmt: skip
    return cases


def all_queries() -> list[tuple[str, str, str | None, str]]:
    """Return (id, source, expected article or None, text) for every vector."""
    from tests.quality import article_examples, load_queries
    from tests.quality.realworld import load_realworld

    out = [(q.id, "quality", q.expect, q.text) for q in load_queries()]
    out += [(q.id, "examples", q.expect, q.text) for q in article_examples()]
    out += [(qid, "edge", None, text) for qid, text in edge_cases()]
    out += [(c.id, "realworld", c.expect, c.text) for c in load_realworld()]
    return out


def load_engine():
    """Load the bundled articles with an index built in memory (no cache involved)."""
    from kb.corpus.articles import load_corpus
    from kb.search.engine import Engine
    from tests.quality import ARTICLES

    return Engine(load_corpus([ARTICLES]), in_memory=True)


@contextlib.contextmanager
def unrounded() -> Iterator[None]:
    """Make kb.search's results carry raw floats (its module-level round() is bypassed)."""
    import kb.search.results

    kb.search.results.round = lambda x, n=None: x  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del kb.search.results.round  # type: ignore[attr-defined]


def vector(engine, qid: str, source: str, expect: str | None, text: str) -> dict[str, Any]:
    """Return the expected outcome of one query."""
    from kb.errors import QueryError
    from kb.search.ranking import PARAMS

    base = {"id": qid, "source": source, "expect": expect, "text": text}
    try:
        sig = engine.read(text)
    except QueryError:
        return {**base, "error": "QueryError"}
    ranked = engine.rank(sig)
    with unrounded():
        raw = {r["id"]: r["score"] for r in engine.rank(sig)}
    results = [r for r in ranked if r["score"] >= PARAMS["threshold"]]
    return {
        **base,
        "match": bool(results),
        "strong": any(r["confidence"] == "strong" for r in results),
        "ids": [r["id"] for r in results],
        "tiers": [r["confidence"] for r in results],
        "scores": [r["score"] for r in results],
        "raw": [raw[r["id"]] for r in results],
        "ranked": [[r["id"], r["score"], raw[r["id"]]] for r in ranked[:RANKED_KEPT]],
        "codes": [f"0x{v:08X}" for v in sig.codes],
        "top": [
            {k: r[k] for k in ("id", "score", "confidence", "parts", "reasons")}
            for r in results[:TOP_KEPT]
        ],
    }


def search_vectors(engine) -> dict[str, Any]:
    """Return the search vectors document."""
    from kb.search.ranking import PARAMS

    vectors = [vector(engine, *q) for q in all_queries()]
    return {"threshold": PARAMS["threshold"], "count": len(vectors), "vectors": vectors}


def _lines(texts: list[str]) -> list[str]:
    """Return the distinct non-empty lines of the texts, in order."""
    from kb.logs.text import text_lines

    seen: dict[str, None] = {}
    for text in texts:
        for line in text_lines(text):
            if line.strip():
                seen.setdefault(line, None)
    return list(seen)


def normalisation(engine) -> dict[str, Any]:
    """Return what each normalisation step gives on many inputs."""
    from kb.codes import decode, extract_codes, parse_code
    from kb.errors import CodeError, QueryError
    from kb.logs.reader import parse_text
    from kb.search.masking import is_boilerplate, mask
    from kb.search.ranking import code_class
    from kb.search.textnorm import stem, terms

    texts = [q[3] for q in all_queries()]
    article_lines = []
    for a in engine.articles:
        article_lines += [*a.signatures.lines, *a.excerpts, a.title, a.summary]
    lines = _lines(texts) + [ln for ln in _lines(article_lines) if ln not in set(_lines(texts))]
    code_inputs = [q for q in texts if len(q) <= 80] + [ln for ln in lines if len(ln) <= 80]
    code_inputs += ["(0x80070002)", "[0x35]", "0x(80070057)", "+5", "-0", "00000000000005",
                    "0x", "0x1g", "12345678", "abcdefab", "ABCDEFAB", "accede", "99999999999",
                    "4294967296", "-2147483649", "  80070002  ", "[80070002]", "windows 7 sccm 2007"]  # fmt: skip

    def parsed(text: str) -> int | None:
        try:
            return parse_code(text)
        except CodeError:
            return None

    def signals(text: str) -> dict[str, Any] | None:
        try:
            s = engine.read(text)
        except QueryError:
            return None
        return {
            "question": s.question,
            "codes": s.codes,
            "terms": s.terms,
            "lines": [
                [
                    ln.number,
                    ln.text,
                    ln.template.text,
                    sorted(ln.template.codes),
                    sorted(ln.template.anchors),
                    ln.error,
                    ln.component,
                ]
                for ln in s.lines
            ],  # fmt: skip
            "components": s.components,
            "in_scope": engine.in_scope(s),
            "failed_action": s.failed_action,
            "format": s.format,
        }

    rng = random.Random(20100302)
    templates = [sl.template.text for sl in engine.sig_lines]
    query_templates = [mask(ln).text for ln in lines[:600]]
    pairs = []
    for qt in query_templates:
        for st in rng.sample(templates, min(2, len(templates))):
            pairs.append([qt, st])
    pairs += [["", ""], ["a", ""], ["abc", "abc"], ["é" * 40, "e" * 40], ["🙂x" * 20, "x" * 20]]
    words = sorted({w for text in texts + article_lines for w in text.split() if w.isalpha()})
    typos = sorted(
        {w[:2] + w[3:] for w in words if len(w) >= 6}
        | {w[0] + w[2] + w[1] + w[3:] for w in words if len(w) >= 6}
    )
    values = sorted(set(
        list(engine.code_articles) + [v for v in range(0, 0x10000, 97)]
        + [0x80070000 | v for v in range(0, 0x10000, 89)] + [rng.randrange(1 << 32) for _ in range(400)]
        + [0x87D00269, 0xC0000005, 0x40000000, 0x90000001, 0xD0000022, 0xC00D0000, 0x00000000,
           0x80000000, 0xFFFFFFFF, 0x8007000E, 0x80004005, 0xC1420117, 0x10000001, 0x50000000]
    ))  # fmt: skip
    from kb.codes.descriptions import descriptions
    from kb.codes.documented import documented
    from kb.codes.table import known_codes

    # low words of described HRESULTs (other readings), restart and success codes
    special = {0x4001, 0x4002, 0x4003, 0x4004, 0x4005, 0xFFFF, 0x0154, 0x1001, 0x100E, 0x0669,
               0x0BC2, 0x0BC3, 0x80070669, 0x80070BC3, 0x87D1076C, 0x80070643, 0x87D00216}  # fmt: skip
    described = sorted(
        set(values[::4]) | set(descriptions()) | set(documented()) | special
        | set(list(known_codes())[::29])
    )  # fmt: skip
    classes = sorted(set(values) | set(known_codes()))
    short = [t for t in texts if len(t) <= 2000]
    return {
        "terms": [[t, terms(t)] for t in dict.fromkeys(short + lines)],
        "stems": [[w.lower(), stem(w.lower())] for w in words],
        "masks": [[ln, *_mask(mask(ln)), is_boilerplate(ln)] for ln in lines],
        "extract": [
            [t, [[f.value, f.start, f.end] for f in extract_codes(t)]]
            for t in dict.fromkeys(lines + short)
        ],
        "parse_code": [[t, parsed(t)] for t in dict.fromkeys(code_inputs)],
        "records": [
            [t, [[r.line, r.message, r.component, r.format, r.severity] for r in parse_text(t)]]
            for t in texts
        ],
        "signals": [[t, signals(t)] for t in texts],
        "ratios": [[a, b, _ratio(a, b, None), _ratio(a, b, 78.0)] for a, b in pairs],
        "corrections": [
            [t, engine._correct(t)] for t in sorted({x for w in typos for x in terms(w)})
        ],
        "decode": [[v, decode(v).to_dict()] for v in described],
        "classes": [[v, _CLASS[code_class(decode(v).generic, decode(v).win32)]] for v in classes],
    }


def _mask(tpl) -> list[Any]:
    return [tpl.text, sorted(tpl.codes), sorted(tpl.anchors)]


def _ratio(a: str, b: str, cutoff: float | None) -> float:
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b, score_cutoff=cutoff)


def dump(doc: dict[str, Any]) -> str:
    """Serialise a document with one list entry per line (readable diffs)."""
    parts = []
    for key, value in doc.items():
        if isinstance(value, list):
            items = ",\n".join(json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f"{json.dumps(key)}: [\n{items}\n]")
        else:
            parts.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def generate() -> dict[Path, str]:
    """Return the text of both vector files."""
    engine = load_engine()
    return {VECTORS: dump(search_vectors(engine)), NORMALISATION: dump(normalisation(engine))}


def main(argv: list[str] | None = None) -> int:
    """Write the vector files (or, with --check, report whether they are current)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only check that the files are current"
    )
    args = parser.parse_args(argv)
    stale = []
    for path, text in generate().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO)}")
    if args.check and stale:
        print("stale: " + ", ".join(str(p.relative_to(REPO)) for p in stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
