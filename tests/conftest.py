"""Shared fixtures: article trees in tmp_path and an in-process CLI runner."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

# The web app fixtures (app, client) live with the web test helpers.
pytest_plugins = ["tests.web_support"]

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO / "articles"
SHARED = REPO.parent / "shared"


def pytest_configure(config: pytest.Config) -> None:
    """Build search indexes in a temporary cache, never in the user's ~/.cache/kb."""
    # Set before any test imports the engine; servers and CLIs the tests start inherit it.
    folder = tempfile.mkdtemp(prefix="kb-test-cache-")
    config._kb_cache_dir = (folder, os.environ.get("KB_CACHE_DIR"))  # type: ignore[attr-defined]
    os.environ["KB_CACHE_DIR"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the temporary index cache and restore the caller's setting."""
    folder, before = getattr(config, "_kb_cache_dir", (None, None))
    if folder is None:
        return
    shutil.rmtree(folder, ignore_errors=True)
    if before is None:
        os.environ.pop("KB_CACHE_DIR", None)
    else:
        os.environ["KB_CACHE_DIR"] = before


GOOD = """\
---
id: {id}
title: "A test article"
kind: troubleshooting
summary: Something fails; this fixes it.
applies_to: [Configuration Manager 2007 SP2]
signatures:
  codes: ["0x80070002"]
  lines: ["Failed to do the test thing"]
  logs: [smsts.log]
  components: [TSManager]
tags: [test]
sources: ["A source document"]
related: [{related}]
examples: ["Failed to do the test thing (0x80070002)"]
---

## Symptoms

```text
Failed to do the test thing
```

## Cause

A cause.

## Resolution

1. Fix it.
"""


def article_text(id: str = "test-a", related: str = "", **replace: str) -> str:
    """Return a valid article, with optional literal text replacements."""
    text = GOOD.format(id=id, related=related)
    for old, new in replace.items():
        old = old.replace("__", " ")
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def tree(tmp_path: Path):
    """Write articles into a fresh folder: tree({"a.md": text, ...}) -> folder."""

    def write(files: dict[str, str | bytes]) -> Path:
        folder = tmp_path / "articles"
        folder.mkdir(exist_ok=True)
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            (folder / name).write_bytes(data)
        return folder

    return write


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def run():
    """Run the kb CLI in-process: run("lookup", "0x5") -> Result."""
    from kb.cli.main import cli

    def invoke(*args: str, input: str | None = None) -> Result:
        result = CliRunner().invoke(
            cli, list(args), input=input, catch_exceptions=False, prog_name="kb"
        )
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture(scope="module")
def browser():
    """A headless Debian Chromium for the browser tests of one module."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import launch_chromium

    with sync_playwright() as p:
        chromium = launch_chromium(p)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server():
    """The real web app (``python -m kb serve``) on loopback, for one module: its base URL."""
    from tests.browser_support import running_server

    with running_server() as url:
        yield url
