"""The wheel works wherever it is installed: it carries the articles, and every command runs.

The wheel is built from a copy of the source tree (as ``pip install .`` builds it; pip
takes setuptools from its cache or PyPI) and installed into a fresh virtual environment
whose only other packages are the dependencies, reached through a ``.pth`` line to this
environment's site-packages. The commands then run from a temporary folder, far from the
repository, with no KB_ARTICLES.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ARTICLES, REPO

pytestmark = pytest.mark.slow

# What a working copy holds besides the source: caches anywhere, outputs at the top.
CACHES = shutil.ignore_patterns(
    "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "*.egg-info", "node_modules"
)
OUTPUTS = {".git", ".venv", "build", "dist", "site", ".kb-cache", "triage-out"}


def skip(folder: str, names: list[str]) -> set[str]:
    """Leave caches and build outputs out of the copy of the source tree."""
    top = {n for n in names if n in OUTPUTS} if Path(folder) == REPO else set()
    return set(CACHES(folder, names)) | top


ARTICLE_FILES = sorted(p.name for p in ARTICLES.glob("*.md"))
# The word lists rank and tier as much as the articles: without them an installed kb
# would answer otherwise than a checkout.
WORD_LISTS = sorted(p.name for p in ARTICLES.glob("*.txt"))


def bin_dir(venv: Path) -> Path:
    """Return the folder of a venv's programs (Scripts on Windows)."""
    return venv / ("Scripts" if os.name == "nt" else "bin")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """Build the wheel, install it into a fresh venv; return its paths and a clean env."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"
    shutil.copytree(REPO, source, ignore=skip)
    dist = root / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("kb-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = bin_dir(venv) / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The dependencies (and pip) come from this environment; kb only from the wheel.
    Path(purelib, "kb-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("KB_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(HOME=str(root / "home"), KB_CACHE_DIR=str(root / "cache"))
    return {
        "wheel": wheel,
        "kb": bin_dir(venv) / "kb",
        "bundled": Path(purelib, "kb", "articles"),
        "cwd": elsewhere,
        "env": env,
    }


def kb(installed: dict, *args: str) -> subprocess.CompletedProcess:
    """Run the installed kb from the temporary folder."""
    return subprocess.run(
        [installed["kb"], *args],
        cwd=installed["cwd"],
        env=installed["env"],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_wheel_carries_the_articles_and_every_file_of_the_packages(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    assert {f"kb/articles/{name}" for name in ARTICLE_FILES} <= names
    assert WORD_LISTS == ["scope.txt", "vocabulary.txt"]
    assert {f"kb/articles/{name}" for name in WORD_LISTS} <= names
    for top in ("kb", "kbserver"):
        for path in (REPO / top).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                assert path.relative_to(REPO).as_posix() in names, path


def test_version_counts_the_bundled_articles(installed):
    result = kb(installed, "--version")
    count = len([n for n in ARTICLE_FILES if n.lower() != "readme.md"])
    assert result.stdout == f"kb 0.1.0 ({count} articles in {installed['bundled']})\n"


def test_lookup_from_anywhere(installed):
    result = kb(installed, "lookup", "0x80092024")
    assert result.returncode == 0, result.stderr
    assert "CRYPT_E_NOT_CHAR_STRING" in result.stdout and "KB977203" in result.stdout


def test_search_from_anywhere(installed):
    result = kb(installed, "search", "Failed to import the client certificate store (0x80092024)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1. KB977203: ")


def test_build_from_anywhere(installed):
    result = kb(installed, "build", "--out", "published")
    assert result.returncode == 0, result.stderr
    site = installed["cwd"] / "published"
    assert (site / "index.html").is_file() and (site / "static" / "search.js").is_file()
    assert (site / "articles" / "KB977203.html").is_file()


def test_new_refuses_to_write_into_the_installed_package(installed):
    result = kb(installed, "new", "my-article", "--title", "A title")
    assert result.returncode == 2
    assert result.stderr == (
        f"kb: error: {installed['bundled']} is the copy of the articles installed with kb; "
        "write new articles into your own folder with --articles DIR (or KB_ARTICLES)\n"
    )
    assert not (installed["bundled"] / "my-article.md").exists()


def test_serve_from_anywhere(installed):
    proc = subprocess.Popen(
        [installed["kb"], "serve", "--port", "0"],
        cwd=installed["cwd"],
        env=installed["env"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        first = proc.stdout.readline()
        found = re.match(r"kb: serving \d+ articles on (http://\S+)/ ", first)
        assert found, first
        with urllib.request.urlopen(found.group(1) + "/api/lookup/0x80092024", timeout=30) as r:
            assert b'"KB977203"' in r.read()
        with urllib.request.urlopen(found.group(1) + "/static/kb.css", timeout=30) as r:
            assert r.status == 200
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
        assert out == "kb: stopped\n" and proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
