"""Reading a large log in a second process gives the same analysis as one process."""

from __future__ import annotations

import types

import pytest

import kb.logs.pipeline
from kb.errors import LogError
from kb.logs.analysis import analyze_file
from tests.fleetgen import generate_fleet

pytestmark = pytest.mark.skipif(
    "fork" not in __import__("multiprocessing").get_all_start_methods(), reason="no fork here"
)


@pytest.fixture
def always(monkeypatch):
    """Pipeline every file, however small."""
    monkeypatch.setattr(kb.logs.pipeline, "PIPELINE_MIN_BYTES", 1)
    monkeypatch.setattr(kb.logs.pipeline, "BATCH", 7)  # many batches, even for small logs


def test_pipelined_analysis_equals_the_single_process_one(always, tmp_path):
    truths = generate_fleet(tmp_path, logs=12, seed=3)
    assert truths
    for truth in truths:
        one = analyze_file(truth.path).to_dict()
        two = analyze_file(truth.path, pipelined=True).to_dict()
        assert two == one


def test_small_files_stay_in_one_process(tmp_path, monkeypatch):
    log = tmp_path / "smsts.log"
    log.write_text("plain line\n")
    monkeypatch.setattr(kb.logs.pipeline, "PipelinedRecords", None)  # would fail if used
    assert analyze_file(log, pipelined=True).lines == 1


def test_daemonic_workers_never_start_a_child(always, tmp_path, monkeypatch):
    log = tmp_path / "smsts.log"
    log.write_text("plain line\n")
    monkeypatch.setattr(
        kb.logs.pipeline.mp, "current_process", lambda: types.SimpleNamespace(daemon=True)
    )
    assert kb.logs.pipeline.can_pipeline(log) is False


def test_unreadable_files_fail_before_any_process_starts(always, tmp_path):
    with pytest.raises(LogError, match="no such file"):
        analyze_file(tmp_path / "missing.log", pipelined=True)
    binary = tmp_path / "smsts.log"
    binary.write_bytes(b"\x00\x01\x02" * 5000)
    with pytest.raises(LogError, match="binary file"):
        analyze_file(binary, pipelined=True)


def test_a_failure_in_the_reader_is_one_log_error(always, tmp_path, monkeypatch):
    log = tmp_path / "smsts.log"
    log.write_text("plain line\n" * 50)

    def broken(lines):
        raise RuntimeError("disk went away")
        yield  # a generator, like parse_lines

    monkeypatch.setattr(kb.logs.pipeline, "parse_lines", broken)
    with pytest.raises(LogError) as err:
        analyze_file(log, pipelined=True)
    assert str(err.value) == f"cannot read {log}: RuntimeError: disk went away"
