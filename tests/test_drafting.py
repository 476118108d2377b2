"""From an unexplained failure to a tested article: kb new --from-log, drafts, kb check findability."""

from __future__ import annotations

import json
import random
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.corpus import load_corpus
from kb.search import Engine
from kb.search.draft import anonymize, signature_template
from kb.search.masking import mask
from kb.triage import TriageOptions, triage, write_reports
from tests.conftest import ARTICLES, article_text
from tests.fleetgen import NOVEL, render_log

SMP = next(k for k in NOVEL if k.key == "novel:smp-unreachable")
DISK = next(k for k in NOVEL if k.key == "novel:write-protected-disk")


def corpus_copy(tmp_path: Path) -> Path:
    """Copy the bundled articles into a folder the test may add to."""
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder, ignore=shutil.ignore_patterns("README.md"))
    return folder


def write_log(path: Path, kind, seed: int, name: str, day: int) -> Path:
    """Write one generated smsts.log of a failure kind, as machine ``name`` on day ``day``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = render_log(random.Random(seed), kind, name, datetime(2010, 3, day, 9, 30))
    path.write_text(text, encoding="utf-8")
    return path


def fill_in(path: Path) -> None:
    """Do what the author does: fill the TODO: parts and publish the article."""
    text = path.read_text(encoding="utf-8")
    for old, new in (
        ("status: draft\n", ""),
        (
            re.search(r"TODO: one or two sentences[^\n]*", text).group(0),
            "The state migration point cannot be reached, so the state store request fails.",
        ),
        (
            "TODO: the document (KB number and title) the cause and fix come from",
            "Lab notes: state migration point outage",
        ),
        (
            "TODO: why it happens, from the source document named in `sources`.",
            "The client cannot open a connection to the state migration point.",
        ),
        (
            "TODO: the step that fixes the problem, or the first thing to check.",
            "Check that the state migration point is running and reachable on port 443.",
        ),
    ):
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_a_drafted_article_explains_the_same_failure_on_other_machines(run, tmp_path):
    articles = corpus_copy(tmp_path)
    first = write_log(tmp_path / "first" / "smsts.log", SMP, seed=1, name="LON-WKS-0042", day=1)
    share = tmp_path / "share"
    for i in range(3):
        guid = f"{i:08X}-1111-2222-3333-444455556666"
        write_log(
            share / f"{guid}-smsts.log", SMP, seed=100 + i, name=f"NYC-WKS-{i:04d}", day=2 + i
        )
    write_log(share / "AAAAAAAA-1111-2222-3333-444455556666-smsts.log", DISK, 7, "PAR-WKS-7", 9)
    before = triage([str(share)], TriageOptions(articles_dir=str(articles), workers=1)).report
    assert before["unexplained"] == 4 and len(before["unexplained_clusters"]) == 2

    result = run("new", "smp-unreachable", "--from-log", str(first), "--articles", str(articles))
    assert result.exit_code == 0, result.stderr
    draft = articles / "smp-unreachable.md"
    assert result.stdout.startswith(f"wrote {draft} (status: draft)")
    checked = run("check", str(draft))
    assert checked.exit_code == 0, checked.stderr
    assert f"{draft}:5: note: draft (status: draft)" in checked.stdout

    fill_in(draft)
    checked = run("check", str(draft), "--strict")
    assert (checked.exit_code, checked.stdout) == (
        0,
        "1 article, 2 examples: all find their article\n",
    )
    other = share / "00000001-1111-2222-3333-444455556666-smsts.log"
    found = run("analyze", str(other), "--json", "--articles", str(articles)).json()
    assert found["results"][0]["id"] == "smp-unreachable"
    assert "draft" not in found["results"][0]
    after = triage([str(share)], TriageOptions(articles_dir=str(articles), workers=1)).report
    assert after["by_article"] == {"smp-unreachable": 3}
    assert [c["count"] for c in after["unexplained_clusters"]] == [1]  # the disk failure only


def test_the_draft_holds_the_failure_and_no_machine_names(run, tmp_path):
    articles = corpus_copy(tmp_path)
    log = write_log(tmp_path / "smsts.log", SMP, seed=3, name="SYD-WKS-0815", day=4)
    result = run("new", "smp-x", "--from-log", str(log), "--articles", str(articles))
    assert result.exit_code == 0, result.stderr
    text = (articles / "smp-x.md").read_text(encoding="utf-8")
    article = load_corpus([articles]).by_id["smp-x"]
    assert article.draft and article.title == "Request State Store fails with 0x80072EFD"
    assert article.signatures.codes == ("0x80072EFD",)
    assert article.signatures.components == ("OSDSMPClient",)
    assert article.signatures.logs == ("smsts.log",)
    assert article.signatures.lines[0] == (
        "Cannot connect to state migration point <Server> on port <N> after <N> retries"
        " (0x80072EFD)"
    )
    assert "The task sequence fails at the **Request State Store** step." in text
    assert "ExecuteCaptureRequestToSMP(), HRESULT=80072efd" in article.sections["Symptoms"]
    server = re.search(r"state migration point (\S+) on port", log.read_text()).group(1)
    for secret in (server, "SYD-WKS-0815"):
        assert secret not in text
    # Searched like any other article, and flagged as a draft.
    engine = Engine(load_corpus([articles]), in_memory=True)
    top = engine.search(article.signatures.lines[0])["results"][0]
    assert (top["id"], top["draft"]) == ("smp-x", True)
    shown = run("search", article.signatures.lines[0], "--articles", str(articles))
    assert shown.stdout.startswith("1. smp-x: Request State Store fails with 0x80072EFD [draft]")


def test_a_published_article_may_not_keep_todo_text(run, tree):
    folder = tree({"test-a.md": article_text(**{"A cause.": "TODO: a cause."})})
    result = run("check", str(folder))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{folder / 'test-a.md'}:26: TODO: left from the draft: fill it in "
        "(or mark the article status: draft)\n"
    )


def test_an_example_that_finds_another_article_first_fails_the_check(run, tree):
    stolen = other_article(example="Failed to do the test thing (0x80070002)")
    folder = tree({"test-a.md": article_text(), "test-b.md": stolen})
    result = run("check", str(folder))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"{folder / 'test-b.md'}:15: examples[0]: finds test-a first (score "
    )
    assert result.stderr.rstrip().endswith("), not test-b")
    assert result.stdout == (
        "2 articles, 2 examples: 1 does not find their article first as a strong answer; "
        "1 error, 0 warnings\n"
    )
    # Checking only the new article still names the article it steals from.
    one = run("check", str(folder / "test-b.md"))
    assert one.exit_code == 1 and "examples[0]: finds test-a first" in one.stderr


def other_article(article_id: str = "test-b", related: str = "", example: str = "") -> str:
    """Return a valid article about another failure (0x80070005), with its own example."""
    line = "Access to the other thing denied"
    return article_text(
        article_id,
        related,
        **{
            'codes: ["0x80070002"]': 'codes: ["0x80070005"]',
            'lines: ["Failed to do the test thing"]': f'lines: ["{line}"]',
            "Failed to do the test thing\n```": f"{line}\n```",
            'examples: ["Failed to do the test thing (0x80070002)"]': "examples: "
            + json.dumps([example or f"{line} (0x80070005)"]),
        },
    )


def test_check_file_uses_its_folder_for_related_ids(run, tree):
    folder = tree({"test-a.md": article_text(), "test-b.md": other_article(related="test-a")})
    result = run("check", str(folder / "test-b.md"))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "1 article, 1 example: all find their article\n"
    ghost = tree({"test-c.md": other_article("test-c", related="ghost")})
    result = run("check", str(ghost / "test-c.md"))
    assert result.stderr == f"{ghost / 'test-c.md'}:14: related: unknown id 'ghost'\n"


def test_heading_signature_is_a_warning_and_strict_fails(run, tree):
    heading = "Task Sequence Fails When The Widget Server Is Running Replicated Storage"
    text = article_text(**{'lines: ["Failed to do the test thing"]': f'lines: ["{heading}"]'})
    folder = tree({"test-a.md": text})
    result = run("check", str(folder))
    assert result.exit_code == 0
    warning = (
        f"{folder / 'test-a.md'}:9: warning: signatures.lines[0]: no Symptoms log line or "
        f"example has '{heading}': if it is a heading or a UI label, move it to examples "
        "(as a question) and keep signatures for lines a log writes"
    )
    assert result.stdout.splitlines() == [
        warning,
        "1 article, 1 example: all find their article; 0 errors, 1 warning",
    ]
    strict = run("check", "--strict", str(folder))
    assert strict.exit_code == 1 and strict.stderr.strip() == warning


BAD_NEW = [
    (["--from-cluster", "1"], "--from-cluster N and --triage DIR go together"),
    (["--from-log", "nope.log"], "nope.log: no such log file, folder of logs or zip"),
    ([], "--title is required (unless the article is drafted from a log)"),
    (["--from-log", "x.log", "--kind", "how-to"], None),
    (["--from-log", "{ok}", "--title", " "], "the title must be one non-empty line"),
    (["--from-log", "{success}"], "{success}: no failure found in this log, nothing to draft"),
    (["--from-cluster", "1", "--triage", "{empty}"], "{empty}/triage.json: no such file"),
    (["--from-log", "{binary}"], "cannot read {binary}: binary file, not a text log"),
    (["--from-log", "{blank}"], "{blank} is empty: give the log that shows the failure"),
    (
        ["--from-cluster", "1", "--triage", "{broken}"],
        "{broken}/triage.json: not a kb triage report (JSONDecodeError)",
    ),
]


@pytest.mark.parametrize("args, message", BAD_NEW)
def test_new_bad_input(run, tree, tmp_path, args, message):
    from tests.web_support import SUCCESS_SMSTS

    folder = tree({"test-a.md": article_text()})
    paths = {
        "ok": str(write_log(tmp_path / "ok.log", SMP, 1, "A-1", 1)),
        "success": str(tmp_path / "success.log"),
        "empty": str(tmp_path),
        "binary": str(tmp_path / "binary.log"),
        "blank": str(tmp_path / "blank.log"),
        "broken": str(tmp_path / "broken"),
    }
    Path(paths["success"]).write_text(SUCCESS_SMSTS, encoding="utf-8")
    Path(paths["binary"]).write_bytes(bytes(range(256)) * 8)
    Path(paths["blank"]).write_bytes(b"")
    Path(paths["broken"]).mkdir()
    (Path(paths["broken"]) / "triage.json").write_text("{not json", encoding="utf-8")
    args = [a.format(**paths) for a in args]
    result = run("new", "new-one", *args, "--articles", str(folder))
    assert result.exit_code == 2
    if message is None:
        message = "a drafted article is a troubleshooting article (leave out --kind)"
    assert result.stderr.startswith(f"kb: error: {message.format(**paths)}")
    assert len(result.stderr.splitlines()) == 1
    assert not (folder / "new-one.md").exists()


def test_triage_report_offers_the_draft_command_and_it_works(run, tmp_path):
    share = tmp_path / "share"
    for i in range(2):
        write_log(share / f"{i:08X}-1111-2222-3333-444455556666-smsts.log", DISK, i, f"M-{i}", 3)
    out = tmp_path / "report"
    report = triage([str(share)], TriageOptions(workers=1)).report
    write_reports(report, str(out), ("html", "json"))
    html = (out / "triage.html").read_text(encoding="utf-8")
    command = f"kb new partition-disk-0-0x80070013 --from-cluster 1 --triage {out}"
    assert f'Draft an article: <code class="cmd">{command}</code>' in html
    articles = corpus_copy(tmp_path)
    args = command.split()[2:]
    result = run("new", *args, "--articles", str(articles))
    assert result.exit_code == 0, result.stderr
    drafted = load_corpus([articles]).by_id["partition-disk-0-0x80070013"]
    assert drafted.draft and drafted.signatures.codes == ("0x80070013",)
    cluster = json.loads((out / "triage.json").read_text())["unexplained_clusters"][0]
    assert cluster["example"]["file"].endswith("00000000-1111-2222-3333-444455556666-smsts.log")
    bad = run("new", "x", "--from-cluster", "2", "--triage", str(out), "--articles", str(articles))
    assert bad.stderr == "kb: error: --from-cluster 2: the report has new problems 1 to 1\n"


def test_a_new_problem_found_in_a_zip_of_a_machines_logs_can_be_drafted(run, tmp_path):
    """Triage reads a machine's zip as one unit: its example is the zip, and kb new reads it."""
    import zipfile

    log = write_log(tmp_path / "log" / "smsts.log", DISK, 3, "M-3", 3)
    share = tmp_path / "share"
    share.mkdir()
    with zipfile.ZipFile(share / "00000003-1111-2222-3333-444455556666.zip", "w") as z:
        z.write(log, "SMSTSLog/smsts.log")
    out = tmp_path / "report"
    write_reports(triage([str(share)], TriageOptions(workers=1)).report, str(out), ("html", "json"))
    articles = corpus_copy(tmp_path)
    result = run(
        "new", "disk", "--from-cluster", "1", "--triage", str(out), "--articles", str(articles)
    )
    assert result.exit_code == 0, result.stderr
    drafted = load_corpus([articles]).by_id["disk"]
    assert drafted.draft and drafted.signatures.codes == ("0x80070013",)
    assert drafted.signatures.logs == ("smsts.log",)  # the log in the zip, not the zip


_SERVER = st.one_of(
    # A host name shaped like a package ID (AAAAA000: three characters, five hex
    # digits) is one as far as any reader of the line can tell: left out.
    st.from_regex(r"[A-Z]{2,6}[0-9]{1,3}", fullmatch=True).filter(
        lambda s: not re.fullmatch(r"[A-Z0-9]{3}[0-9A-F]{5}", s)
    ),
    st.from_regex(r"[A-Z]{2,4}-[A-Z]{3}-[0-9]{2}\.corp\.contoso\.com", fullmatch=True),
    st.from_regex(r"cm[0-9]{1,2}\.fabrikam\.local", fullmatch=True),
)
_PACKAGE = st.from_regex(r"(CEN|P01|LAB|HQ1)[0-9A-F]{5}", fullmatch=True)
_GUID = st.uuids().map(lambda u: "{" + str(u).upper() + "}")
_NUMBER = st.integers(0, 99999).map(str)
_LINES = [
    "Cannot connect to state migration point {server} on port {n} after {n} retries (0x80072EFD)",
    r"Failed to download \\{server}\SMSPKGD$\{pkg}\setup.exe, {n} bytes (Error: 80070005)",
    "Policy {guid} for package {pkg} from http://{server}/SMS_MP not found (0x80004005)",
]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(_LINES),
    st.lists(st.tuples(_SERVER, _PACKAGE, _GUID, _NUMBER), min_size=2, max_size=2),
)
def test_the_same_line_from_two_machines_gives_one_signature(line, machines):
    signatures = set()
    for server, pkg, guid, n in machines:
        text = line.format(server=server, pkg=pkg, guid=guid, n=n)
        signature = signature_template(text)
        assert server not in anonymize(text) and pkg not in signature and guid not in signature
        assert mask(signature).codes == mask(text).codes  # codes are kept as written
        signatures.add(signature)
    assert len(signatures) == 1


def test_drafts_are_flagged_in_the_api_and_the_static_search_data(tmp_path):
    from kb.search import search_data
    from kbserver import create_app

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "test-a.md").write_text(
        article_text(**{"kind: troubleshooting": "kind: troubleshooting\nstatus: draft"}),
        encoding="utf-8",
    )
    (folder / "test-b.md").write_text(
        article_text("test-b", **{"0x80070002": "0x80070005", "test thing": "other thing"}),
        encoding="utf-8",
    )
    client = create_app({"TESTING": True, "KB_ARTICLES": str(folder)}).test_client()
    draft = client.get(
        "/api/search", query_string={"q": "Failed to do the test thing (0x80070002)"}
    )
    assert draft.get_json()["results"][0]["id"] == "test-a"
    assert draft.get_json()["results"][0]["draft"] is True
    published = client.get(
        "/api/search", query_string={"q": "Failed to do the other thing (0x80070005)"}
    )
    assert published.get_json()["results"][0]["id"] == "test-b"
    assert "draft" not in published.get_json()["results"][0]
    assert client.get("/api/articles/test-a").get_json()["status"] == "draft"
    engine = Engine(load_corpus([folder]), in_memory=True)
    entries = search_data(engine, lambda i: i, lambda s: s, set())["articles"]
    assert [e.get("draft") for e in entries] == [True, None]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_browser_engine_flags_drafts_too(tmp_path):
    import subprocess

    from kb.site import BuildOptions, build_site
    from tests.conftest import REPO

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "test-a.md").write_text(
        article_text(**{"kind: troubleshooting": "kind: troubleshooting\nstatus: draft"}),
        encoding="utf-8",
    )
    out = tmp_path / "site"
    build_site(BuildOptions(out=out, articles_dir=folder))
    script = (
        'const m = require("./kb/static/engine/node.cjs");'
        "const load = (f, n) => { require(f); return globalThis[n]; };"
        f"const idx = load({json.dumps(str(out / 'data' / 'search-index.js'))}, 'KB_INDEX');"
        f"const codes = load({json.dumps(str(out / 'data' / 'codes.js'))}, 'KB_CODES');"
        "const r = m.createEngine(idx, codes).search(process.argv[1], 3).results;"
        "console.log(JSON.stringify(r.map((x) => [x.id, x.draft === true])));"
    )
    proc = subprocess.run(
        ["node", "-e", script, "Failed to do the test thing (0x80070002)"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [["test-a", True]]


class _TieredEngine:
    """An engine whose answers carry a confidence tier, as search results will."""

    def __init__(self, articles, confidence):
        self.articles = articles
        self.confidence = confidence

    def search(self, text, limit=10):
        top = {"id": self.articles[0].id, "score": 0.5, "confidence": self.confidence}
        return {"results": [top]}


@pytest.mark.parametrize("confidence, lost", [("strong", 0), ("possible", 1)])
def test_findability_wants_a_strong_answer_once_results_carry_one(tree, confidence, lost):
    from kb.search import check_findability

    folder = tree({"test-a.md": article_text()})
    found = check_findability(_TieredEngine(load_corpus([folder]).articles, confidence))
    assert (found.articles, found.examples, found.lost) == (1, 1, lost)
    if lost:
        assert [str(p) for p in found.problems] == [
            f"{folder / 'test-a.md'}:15: examples[0]: finds test-a first, but as a possible "
            "answer, not a strong one"
        ]


def line(msg: str, severity: int, second: int, component: str = "TSManager") -> str:
    """Return one CMTrace record written on 1 January 2020 at 10:00:<second>."""
    return (
        f'<![LOG[{msg}]LOG]!><time="10:00:{second:02d}.000+000" date="01-01-2020" '
        f'component="{component}" context="" type="{severity}" thread="1" file="x.cpp">'
    )


def test_a_draft_from_another_kind_of_log_names_who_failed_and_its_code(run, tmp_path):
    log = tmp_path / "ccmsetup.log"
    log.write_text(
        "\n".join(
            [
                line("==========[ ccmsetup started in process 1 ]==========", 1, 0, "ccmsetup"),
                line("Failed to connect to policy namespace. Error 0x8004100e", 3, 1, "ccmsetup"),
                line("Failed to download files through BITS. Error: 0x80190194", 3, 2, "ccmsetup"),
                line("CcmSetup failed with error code 0x80190194", 1, 3, "ccmsetup"),
            ]
        )
        + "\n"
    )
    folder = tmp_path / "arts"
    folder.mkdir()
    result = run("new", "bits-404", "--from-log", str(log), "--articles", str(folder))
    assert result.exit_code == 0, result.stderr
    text = (folder / "bits-404.md").read_text(encoding="utf-8")
    assert 'title: "ccmsetup fails with 0x80190194"' in text  # the analysis's code first
    assert "why ccmsetup fails with 0x80190194" in text
    assert "\nccmsetup fails. ccmsetup.log (cmtrace format) shows:" in text
    assert "task sequence" not in text.lower()
    # The lines that hold the code it failed with, not the routine error before them.
    drafted = load_corpus([folder]).by_id["bits-404"]
    assert drafted.signatures.codes == ("0x80190194",)
    assert drafted.signatures.lines[0].startswith("Failed to download files through BITS.")
    assert all("policy namespace" not in line for line in drafted.signatures.lines)


def test_a_log_named_after_its_computer_is_drafted_as_smsts_log(run, tmp_path):
    log = write_log(tmp_path / "NYC-WKS-1933.log", DISK, 5, "NYC-WKS-1933", 5)
    articles = corpus_copy(tmp_path)
    result = run("new", "disk", "--from-log", str(log), "--articles", str(articles))
    assert result.exit_code == 0, result.stderr
    text = (articles / "disk.md").read_text(encoding="utf-8")
    assert "NYC-WKS-1933" not in text and 'logs: ["smsts.log"]' in text


def test_checking_one_article_names_the_example_it_makes_only_possible():
    """A new article that comes close to another's example leaves that one weak."""
    from types import SimpleNamespace

    from kb.search import check_findability

    def article(id: str, example: str) -> SimpleNamespace:
        return SimpleNamespace(
            id=id, path=f"{id}.md", kind="how-to", examples=[example], lines={"examples[0]": 9}
        )

    answers = {
        "old example": [
            {"id": "old", "confidence": "possible", "score": 0.5},
            {"id": "new", "confidence": "possible", "score": 0.45},
        ],
        "new example": [{"id": "new", "confidence": "strong", "score": 0.9}],
    }
    engine = SimpleNamespace(
        articles=[article("old", "old example"), article("new", "new example")],
        search=lambda text, limit=10: {"results": answers[text][:limit]},
    )
    found = check_findability(engine, only=["new"])
    assert [str(p) for p in found.problems] == [
        "old.md:9: examples[0]: finds old first, but as a possible answer, not a strong one "
        "(new comes close: 0.45)"
    ]
    assert found.summary == "1 article, 1 example: all find their article"


def test_drafting_a_failure_an_article_already_explains_warns_of_a_duplicate(run, tmp_path):
    log = tmp_path / "smsts.log"
    log.write_text(
        "\n".join(
            [
                line("Start executing an instruction. Instruction name: Install Foo", 1, 0),
                line(
                    "Hash could not be matched for the downloaded content.", 3, 1, "InstallSoftware"
                ),
                line("Failed to run the action: Install Foo. Error 0x80091007", 3, 2),
            ]
        )
        + "\n"
    )
    articles = corpus_copy(tmp_path)
    result = run("new", "dup", "--from-log", str(log), "--articles", str(articles))
    assert result.exit_code == 0 and (articles / "dup.md").exists()
    assert result.stderr.startswith(
        "kb: warning: ts-hash-mismatch-extended-chars already explains this failure ("
    )
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    quiet = run("new", "other", "--from-log", str(log), "--articles", str(fresh))
    assert quiet.exit_code == 0 and quiet.stderr == ""
