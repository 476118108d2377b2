"""The labeled query set that measures search quality (tests/quality/queries.yaml).

``load_queries()`` reads and validates the set; entries with ``noise`` get their
text built by ``tests.logfactory.wrap_in_noise``. ``article_examples()`` turns
every article's own ``examples`` into queries that must find that article.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import logfactory

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "articles"
QUERIES = Path(__file__).with_name("queries.yaml")

FORMS = (
    "code-hex",
    "code-bare-hex",
    "code-decimal",
    "code-signed",
    "code-in-text",
    "log-line",
    "log-lines",
    "cmtrace-raw",
    "cmtrace-copy",
    "cmtrace-spaces",
    "setupact",
    "iis",
    "bitsadmin",
    "question",
    "typo",
    "long-paste",
    "negative-other-product",
    "negative-configmgr",
)
SPLITS = ("tune", "check")
_KEYS = {"id", "expect", "split", "form", "query", "noise"}
_NOISE_KEYS = {"lines", "seed", "form"}


@dataclass(frozen=True)
class Query:
    """One labeled query: ``expect`` is the article that must come first, or None."""

    id: str
    expect: str | None
    split: str
    form: str
    text: str


def _front_matter(path: Path) -> dict | None:
    """Return the YAML front matter of an article file, or None if it has none."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            data = yaml.safe_load("\n".join(lines[1:end]))
            return data if isinstance(data, dict) else None
    return None


def _articles(articles_dir: Path) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for path in sorted(articles_dir.glob("*.md")):
        meta = _front_matter(path)
        if meta and isinstance(meta.get("id"), str):
            found[meta["id"]] = meta
    return found


def article_ids(articles_dir: Path = ARTICLES) -> set[str]:
    """The ids of the articles in ``articles_dir`` (from their front matter)."""
    return set(_articles(articles_dir))


def load_queries(path: Path = QUERIES, articles_dir: Path = ARTICLES) -> list[Query]:
    """Read, validate and build the labeled queries; raise ValueError on a bad entry."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a YAML list of queries")
    known = article_ids(articles_dir)
    seen: set[str] = set()
    queries: list[Query] = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise ValueError(f"{path}: every entry must be a mapping, got {entry!r}")
        qid = entry.get("id")
        where = f"{path}: {qid}"
        if not isinstance(qid, str) or not qid:
            raise ValueError(f"{path}: entry without a string id: {entry!r}")
        if qid in seen:
            raise ValueError(f"{where}: duplicate id")
        seen.add(qid)
        if extra := set(entry) - _KEYS:
            raise ValueError(f"{where}: unknown keys {sorted(extra)}")
        if "expect" not in entry:
            raise ValueError(f"{where}: missing expect (use null for a negative)")
        expect = entry["expect"]
        if expect is not None and expect not in known:
            raise ValueError(f"{where}: expect {expect!r} is not an article id")
        if entry.get("split") not in SPLITS:
            raise ValueError(f"{where}: split must be one of {SPLITS}")
        form = entry.get("form")
        if form not in FORMS:
            raise ValueError(f"{where}: unknown form {form!r}")
        text = entry.get("query")
        if not isinstance(text, str):
            raise ValueError(f"{where}: query must be a string")
        text = text.rstrip("\n")
        noise = entry.get("noise")
        if (noise is not None) != (form == "long-paste"):
            raise ValueError(f"{where}: noise is required for long-paste and allowed only there")
        if noise is not None:
            if not isinstance(noise, dict) or set(noise) != _NOISE_KEYS:
                raise ValueError(f"{where}: noise needs exactly {sorted(_NOISE_KEYS)}")
            lines = text.splitlines() if text else []
            text = logfactory.wrap_in_noise(
                lines, int(noise["lines"]), int(noise["seed"]), str(noise["form"])
            )
        if not text.strip():
            raise ValueError(f"{where}: empty query")
        queries.append(Query(qid, expect, entry["split"], form, text))
    return queries


def article_examples(articles_dir: Path = ARTICLES) -> list[Query]:
    """Every article's own ``examples`` as queries that must find that article."""
    queries: list[Query] = []
    for aid, meta in sorted(_articles(articles_dir).items()):
        for number, example in enumerate(meta.get("examples") or [], start=1):
            queries.append(Query(f"{aid}#ex{number}", aid, "examples", "example", str(example)))
    return queries
