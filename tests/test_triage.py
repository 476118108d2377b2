"""Fleet triage on a generated share: ground truth, reports, determinism, CLI, Dask."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest

from kb.triage import TriageOptions, triage, write_reports
from kb.triage.report_data import CSV_COLUMNS
from kb.triage.report_html import article_url
from tests.conftest import article_text
from tests.fleetgen import NOVEL, corpus_kinds, generate_fleet

KINDS = [*corpus_kinds(), *NOVEL]


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    root = tmp_path_factory.mktemp("share")
    truths = generate_fleet(root, 200, seed=11)
    return root, truths


@pytest.fixture(scope="module")
def fleet_run(fleet):
    root, _ = fleet
    return triage([str(root)], TriageOptions(workers=2))


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A 50-log share and its local report, for the tests that run the whole job again."""
    root = tmp_path_factory.mktemp("small")
    truths = generate_fleet(root, 50, seed=12, target_bytes=6_000, second_log=0.2)
    return root, truths, triage([str(root)], TriageOptions(workers=2))


@pytest.fixture(scope="module")
def by_file(fleet_run):
    return {r["file"]: r for r in fleet_run.results}


def test_every_log_is_read_and_every_failure_detected(fleet, by_file):
    _, truths = fleet
    assert len(by_file) == len(truths)
    for t in truths:
        r = by_file[t.path]
        assert r["status"] == "ok", (t, r["reason"])
        assert r["failed"] == t.failed, t


def test_the_fleet_covers_every_kind_and_encoding(fleet):
    _, truths = fleet
    kinds = {t.article for t in truths if t.article} | {t.cluster for t in truths if t.cluster}
    assert {k.article or k.key for k in KINDS} <= kinds
    assert {t.encoding for t in truths} == {"utf-8-sig", "utf-16-le-bom", "utf-8"}


@pytest.mark.parametrize("kind", [pytest.param(k, id=k.key) for k in KINDS])
def test_each_failure_kind_is_attributed_to_its_article(fleet, by_file, kind):
    _, truths = fleet
    mine = [t for t in truths if t.kind == kind.key]
    assert len(mine) >= 3
    assert Counter(by_file[t.path]["article"] for t in mine) == {kind.article: len(mine)}


def test_counts_match_the_ground_truth(fleet, fleet_run):
    _, truths = fleet
    r = fleet_run.report
    failed = [t for t in truths if t.failed]
    assert (r["logs"], r["analyzed"], r["failed"]) == (len(truths), len(truths), len(failed))
    assert r["succeeded"] == len(truths) - len(failed)
    assert r["explained"] + r["unexplained"] == r["failed"]
    assert sum(r["by_article"].values()) == r["explained"]
    assert sum(c["count"] for c in r["unexplained_clusters"]) == r["unexplained"]
    assert sum(r["by_action"].values()) == sum(r["by_code"].values()) == r["failed"]
    assert r["by_day"] == dict(sorted(Counter(t.day for t in failed).items()))
    assert r["unreadable"] == []


def test_machines_group_their_logs_and_take_the_latest_failure(fleet, fleet_run):
    _, truths = fleet
    machines = {m["machine"]: m for m in fleet_run.report["machines"]}
    assert set(machines) == {t.machine for t in truths}
    for guid in machines:
        mine = sorted((t for t in truths if t.machine == guid), key=lambda t: t.day)
        m = machines[guid]
        assert sorted(m["files"]) == sorted(t.path for t in mine)
        assert m["name"] == mine[0].name
        assert m["failures"] == sum(t.failed for t in mine)
        failing = [t for t in mine if t.failed]
        assert m["file"] == (failing[-1].path if failing else mine[-1].path)
        assert (m["failed_action"] is None) == (not failing)
    two = [m for m in machines.values() if m["logs"] == 2]
    assert two and any("by-name" in f for m in two for f in m["files"])
    repeats = {x["machine"] for x in fleet_run.report["repeat_failures"]}
    assert repeats == {g for g, m in machines.items() if m["failures"] > 1}


def test_successful_runs_have_no_cause(fleet, by_file):
    _, truths = fleet
    for t in truths:
        if not t.failed:
            r = by_file[t.path]
            assert (r["article"], r["failed_action"], r["root_error"]) == (None, None, None)


@pytest.fixture(scope="module")
def dummy_articles(tmp_path_factory):
    """A corpus with one unrelated article: every failure is unexplained."""
    folder = tmp_path_factory.mktemp("articles")
    (folder / "test-a.md").write_text(article_text("test-a"), encoding="utf-8")
    return str(folder)


def test_novel_failures_make_one_cluster_each(tmp_path, dummy_articles):
    truths = generate_fleet(tmp_path, 60, seed=3, explained=0.0, novel=0.8, second_log=0.0)
    report = triage([str(tmp_path)], TriageOptions(workers=1, articles_dir=dummy_articles)).report
    expected = sorted(Counter(t.cluster for t in truths if t.cluster).values(), reverse=True)
    assert [c["count"] for c in report["unexplained_clusters"]] == expected
    assert len(report["unexplained_clusters"]) == len(NOVEL)
    for c in report["unexplained_clusters"]:
        assert "<*>" in c["template"] and c["example"]["line"] > 0
        assert Path(c["example"]["file"]).is_file()


def test_novel_failures_stay_unexplained_with_the_bundled_articles(fleet, fleet_run):
    _, truths = fleet
    assert len(fleet_run.report["unexplained_clusters"]) == len(NOVEL)


def test_two_runs_give_identical_reports(small, tmp_path):
    root, _, first = small
    again = triage([str(root)], TriageOptions(workers=1))
    for name, report in (("a", first.report), ("b", again.report)):
        write_reports(report, str(tmp_path / name), ("json", "csv"))
    for fmt in ("json", "csv"):
        a = (tmp_path / "a" / f"triage.{fmt}").read_bytes()
        assert a == (tmp_path / "b" / f"triage.{fmt}").read_bytes()


def test_dask_local_cluster_gives_the_same_report(small):
    pytest.importorskip("distributed")
    root, _, local = small
    on_dask = triage([str(root)], TriageOptions(workers=2, dask="local"))
    assert json.dumps(on_dask.report) == json.dumps(local.report)


def test_json_contract(fleet_run):
    r = json.loads(json.dumps(fleet_run.report))
    for key, kind in {
        "generated_by": str,
        "version": str,
        "logs": int,
        "failed": int,
        "by_article": dict,
        "by_action": dict,
        "by_code": dict,
        "by_day": dict,
        "unexplained_clusters": list,
        "repeat_failures": list,
        "unreadable": list,
        "machines": list,
    }.items():
        assert isinstance(r[key], kind), key
    for c in r["unexplained_clusters"]:
        assert {"template", "count", "example"} <= set(c) and {"file", "line"} <= set(c["example"])
    for m in r["machines"]:
        assert {"machine", "files", "failed_action", "root_error", "codes", "article"} <= set(m)
        assert all(re.fullmatch(r"0x[0-9A-F]{8}", c) for c in m["codes"])


def test_csv_has_one_row_per_machine(fleet_run, tmp_path):
    write_reports(fleet_run.report, str(tmp_path), ("csv",))
    text = (tmp_path / "triage.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r[0] for r in rows[1:]] == [m["machine"] for m in fleet_run.report["machines"]]
    assert len(text.splitlines()) == len(rows)  # no line break inside a cell


def test_html_is_self_contained_and_links_work(fleet_run, tmp_path):
    out = tmp_path / "out"
    write_reports(fleet_run.report, str(out), ("html",), kb_url="https://kb.example/app")
    html = (out / "triage.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and "url(" not in html
    assert not re.search(r"\ssrc=", html)
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert any(h.startswith("https://kb.example/app/articles/") for h in hrefs)
    for h in hrefs:
        if "://" in h:
            assert h.startswith("https://kb.example/app/articles/"), h
        else:  # relative to the report
            assert (out / unquote(h)).resolve().exists(), h  # a log, a zip or a machine folder
    assert "<svg" in html and "Failures per day" in html


def test_article_url_schemes():
    assert article_url(None, "KB1") is None
    assert article_url("http://kb:8000/", "KB1") == "http://kb:8000/articles/KB1"
    assert (
        article_url("https://intranet/kb/index.html", "KB1")
        == "https://intranet/kb/articles/KB1.html"
    )


def test_cli_writes_reports_and_exits_0(small, tmp_path, run):
    root, truths, local = small
    out = tmp_path / "out"
    res = run("triage", str(root), "--out", str(out), "--workers", "2")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith(f"{len(truths)} logs: ")
    assert sorted(os.listdir(out)) == [
        ".triage-cache.sqlite3",
        "triage.csv",
        "triage.html",
        "triage.json",
    ]
    assert json.loads((out / "triage.json").read_text()) == json.loads(json.dumps(local.report))
    again = run("triage", str(root), "--out", str(out), "--format", "json")
    assert f"read 0 files this run, reused {len(truths)} from the cache" in again.stdout
