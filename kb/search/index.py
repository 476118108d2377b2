"""The Whoosh full-text index of the corpus: built once per corpus content, read-only after.

The index lives in a cache folder named after a hash of the articles' content
and of the schema, so any change to an article builds a new one. It is built in
a temporary folder and renamed into place, so a concurrent reader never sees
half an index. Where the cache cannot be written (a read-only install), the
index is built in memory instead.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as windex
from whoosh.analysis import Filter, RegexTokenizer
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from kb.corpus import Article
from kb.search.textnorm import forms
from kb.search.vocabulary import make_rewrite

SCHEMA_VERSION = "5"
Vocabulary = tuple[tuple[str, ...], ...]
INDEX_NAME = "kb"
FIELDS = ("title", "summary", "symptoms", "signatures", "body")
KEEP_INDEXES = 3


class KbFilter(Filter):
    """Turn each original-case token into its indexed forms (kb.search.textnorm.forms)."""

    def __call__(self, tokens: Iterator) -> Iterator:
        for t in tokens:
            for form in forms(t.text):
                t.text = form
                yield t


def analyzer():
    """Return the analyzer shared by indexing and querying (see kb.search.textnorm)."""
    return RegexTokenizer(r"[A-Za-z0-9_]+") | KbFilter()


def schema() -> Schema:
    """Return the index schema: an id and five scored text fields."""
    ana = analyzer()
    return Schema(id=ID(stored=True, unique=True), **{f: TEXT(analyzer=ana) for f in FIELDS})


def field_texts(article: Article, vocabulary: Vocabulary = ()) -> dict[str, str]:
    """Return the text of each indexed field of an article (examples are never indexed).

    The questions an article declares it answers are indexed like its title;
    the vocabulary's phrases are rewritten into their canonical ones.
    """
    s = article.sections
    sig = article.signatures
    rest = [text for name, text in s.items() if name != "Symptoms"]
    texts = {
        "title": "\n".join([f"{article.title} {article.id}", *article.questions]),
        "summary": article.summary,
        "symptoms": s.get("Symptoms", ""),
        "signatures": "\n".join([*sig.lines, *sig.components, *sig.logs, *sig.codes]),
        "body": "\n".join([*rest, " ".join(article.tags), " ".join(article.applies_to)]),
    }
    rewrite = make_rewrite(vocabulary)
    return {name: rewrite(text) for name, text in texts.items()}


def content_hash(articles: tuple[Article, ...], vocabulary: Vocabulary = ()) -> str:
    """Return a hash of everything the index is built from."""
    h = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    h.update(repr(tuple(vocabulary)).encode())
    # The analyzer's rules (kb/search/textnorm.py) decide the indexed terms: an index built
    # before they changed must not be reused.
    from kb.search import textnorm

    h.update(Path(textnorm.__file__).read_bytes())
    for a in articles:
        for name, text in sorted(field_texts(a, vocabulary).items()):
            h.update(f"{a.id}\0{name}\0{len(text)}\0".encode())
            h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:20]


def cache_dir() -> Path:
    """Return the folder for built indexes: $KB_CACHE_DIR, else the user cache."""
    env = os.environ.get("KB_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "kb"


def _write(ix, articles: tuple[Article, ...], vocabulary: Vocabulary = ()) -> None:
    """Add every article to an empty index."""
    writer = ix.writer()
    for a in articles:
        writer.add_document(id=a.id, **field_texts(a, vocabulary))
    writer.commit()


def open_index(
    articles: tuple[Article, ...], folder: Path | None = None, vocabulary: Vocabulary = ()
):
    """Open the index for these articles read-only, building it first if needed."""
    digest = content_hash(articles, vocabulary)
    root = folder or cache_dir()
    target = root / f"index-{digest}"
    try:
        if (target / "COMPLETE").exists():
            return windex.open_dir(str(target), indexname=INDEX_NAME, readonly=True)
    except OSError:  # a cache folder we may not read: the index is cheap to build
        return build_in_memory(articles, vocabulary)
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    except OSError:
        return build_in_memory(articles, vocabulary)
    try:
        ix = windex.create_in(str(tmp), schema(), indexname=INDEX_NAME)
        _write(ix, articles, vocabulary)
        ix.close()
        (tmp / "COMPLETE").write_text(digest + "\n")
        try:
            os.rename(tmp, target)
        except OSError:  # another process renamed its copy first: use that one
            shutil.rmtree(tmp, ignore_errors=True)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return build_in_memory(articles, vocabulary)
    _prune(root, keep_name=target.name)
    return windex.open_dir(str(target), indexname=INDEX_NAME, readonly=True)


def drop_index(
    articles: tuple[Article, ...], folder: Path | None = None, vocabulary: Vocabulary = ()
) -> None:
    """Remove the cached index of these articles (one found damaged); never raise."""
    root = folder or cache_dir()
    shutil.rmtree(root / f"index-{content_hash(articles, vocabulary)}", ignore_errors=True)


class _PrivateRamStorage(RamStorage):
    """RamStorage whose writer spills sort runs to a folder of its own.

    Whoosh names the spill folder after the index (``/tmp/kb.tmp``), so two
    processes building in memory at once would share it, and the first to
    finish would delete it under the other.
    """

    def temp_storage(self, name=None):
        return super().temp_storage(f"{name or INDEX_NAME}-{uuid.uuid4().hex}")


def build_in_memory(articles: tuple[Article, ...], vocabulary: Vocabulary = ()):
    """Build the index in memory (no cache folder needed)."""
    ix = _PrivateRamStorage().create_index(schema(), indexname=INDEX_NAME)
    _write(ix, articles, vocabulary)
    return ix


def _prune(root: Path, keep_name: str) -> None:
    """Remove all but the newest few built indexes."""
    try:
        built = sorted(
            (p for p in root.glob("index-*") if p.name != keep_name),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
    except OSError:
        return
    for old in built[KEEP_INDEXES - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
