"""The Whoosh index lifecycle: cached by content hash, rebuilt on change, atomic, read-only."""

from __future__ import annotations

import os
import threading

import pytest

from kb.corpus.articles import load_corpus
from kb.search.engine import Engine
from kb.search.index import content_hash, open_index
from tests.conftest import ARTICLES, article_text


def built(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("index-"))


def test_index_is_built_once_and_reused(tmp_path):
    articles = load_corpus([ARTICLES]).articles
    cache = tmp_path / "cache"
    ix = open_index(articles, cache)
    assert ix.doc_count() == 17
    first = built(cache)
    assert first == [f"index-{content_hash(articles)}"]
    stamp = os.stat(cache / first[0]).st_mtime_ns
    open_index(articles, cache)
    assert built(cache) == first
    assert os.stat(cache / first[0]).st_mtime_ns == stamp
    assert not [p for p in cache.iterdir() if p.name.startswith(".building-")]


def test_changed_article_builds_a_new_index(tmp_path, tree):
    folder = tree({"test-a.md": article_text()})
    cache = tmp_path / "cache"
    Engine.load(folder, index_folder=cache)
    before = built(cache)
    (folder / "test-a.md").write_text(
        article_text(**{"A cause.": "Another cause."}), encoding="utf-8"
    )
    Engine.load(folder, index_folder=cache)
    after = built(cache)
    assert len(before) == 1 and len(after) == 2 and before[0] in after


def test_index_is_opened_read_only(tmp_path):
    articles = load_corpus([ARTICLES]).articles
    ix = open_index(articles, tmp_path)
    from whoosh.filedb.filestore import ReadOnlyError

    with pytest.raises(ReadOnlyError):
        ix.writer()


def test_unwritable_cache_falls_back_to_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    articles = load_corpus([ARTICLES]).articles
    ix = open_index(articles, blocker / "sub")
    assert ix.doc_count() == 17


def test_concurrent_builders_leave_one_complete_index(tmp_path):
    articles = load_corpus([ARTICLES]).articles
    cache = tmp_path / "cache"
    errors: list[BaseException] = []

    def build():
        try:
            assert open_index(articles, cache).doc_count() == 17
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert built(cache) == [f"index-{content_hash(articles)}"]
    assert (cache / built(cache)[0] / "COMPLETE").exists()


def test_engine_uses_the_cache_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "env-cache"))
    engine = Engine.load(ARTICLES)
    assert engine.search("0x80092024")["results"][0]["id"] == "KB977203"
    assert built(tmp_path / "env-cache")


def test_in_memory_builds_do_not_share_a_spill_folder():
    from kb.search.index import _PrivateRamStorage

    a, b = _PrivateRamStorage().temp_storage("kb.tmp"), _PrivateRamStorage().temp_storage("kb.tmp")
    try:
        assert a.folder != b.folder
    finally:
        a.destroy()
        b.destroy()
