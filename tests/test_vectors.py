"""The checked-in vectors are what the Python engine produces now.

tests/js/*.test.mjs run the browser engine on the same vectors, so together
they prove both implementations rank alike. A ranking change fails here until
the vectors are regenerated: ``python tools/gen_vectors.py``.
"""

from __future__ import annotations

import importlib.util
import json
import math
from functools import lru_cache
from typing import Any

import pytest

from tests.conftest import REPO

HINT = "the Python engine changed: run python tools/gen_vectors.py (and check tests/js)"


@lru_cache(maxsize=1)
def gen():
    spec = importlib.util.spec_from_file_location("gen_vectors", REPO / "tools" / "gen_vectors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def fresh() -> dict[str, Any]:
    g = gen()
    engine = g.load_engine()
    return {"search": g.search_vectors(engine), "normalisation": g.normalisation(engine)}


def stored(path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def same(a: Any, b: Any) -> bool:
    """Compare JSON data; floats may differ in the last bits (another Python's sum())."""
    if isinstance(a, float) or isinstance(b, float):
        return (
            isinstance(a, int | float)
            and isinstance(b, int | float)
            and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
        )
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def test_the_search_vectors_are_current():
    want = stored(gen().VECTORS)
    got = fresh()["search"]
    assert got["threshold"] == want["threshold"]
    assert [v["id"] for v in got["vectors"]] == [v["id"] for v in want["vectors"]], HINT
    changed = [
        g["id"] for g, w in zip(got["vectors"], want["vectors"], strict=True) if not same(g, w)
    ]
    assert changed == [], HINT


@pytest.mark.parametrize(
    "key",
    ["terms", "stems", "masks", "extract", "parse_code", "records", "signals", "ratios",
     "corrections", "decode", "classes"],
)  # fmt: skip
def test_the_normalisation_fixtures_are_current(key):
    want = stored(gen().NORMALISATION)[key]
    got = fresh()["normalisation"][key]
    assert same(got, want), f"{key}: {HINT}"


def test_the_vectors_cover_every_labeled_query_and_example():
    from tests.quality import article_examples, load_queries

    ids = {v["id"] for v in stored(gen().VECTORS)["vectors"]}
    assert {q.id for q in load_queries()} <= ids
    assert {q.id for q in article_examples()} <= ids
    assert any(v["id"].startswith("cmtrace-raw") for v in stored(gen().VECTORS)["vectors"])


def test_the_labeled_queries_find_their_article_in_the_vectors():
    """A sanity check on the vectors themselves: most labeled queries are right."""
    vectors = [v for v in stored(gen().VECTORS)["vectors"] if v["source"] != "edge"]
    right = sum(1 for v in vectors if (v["ids"][:1] or [None])[0] == v["expect"])
    assert right / len(vectors) > 0.8
