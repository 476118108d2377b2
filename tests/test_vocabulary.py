"""The domain vocabulary file (articles/vocabulary.txt): format, checks and the rewrite."""

from __future__ import annotations

import pytest

from kb.corpus.vocabulary import load_vocabulary, parse_vocabulary
from kb.search.vocabulary import make_rewrite
from tests.conftest import ARTICLES, article_text


def test_the_bundled_vocabulary_has_the_domain_groups():
    groups, problems = load_vocabulary(ARTICLES)
    assert problems == []
    canonical = {g[0]: set(g[1:]) for g in groups}
    assert {"windows pe", "boot image environment"} <= canonical["winpe"]
    assert "ts" in canonical["task sequence"]
    assert "dp" in canonical["distribution point"] and "mp" in canonical["management point"]
    assert "osd" in canonical["operating system deployment"]
    assert "smsts log" in canonical["smsts.log"] and "user state" in canonical["usmt"]
    assert "4-megabyte" in canonical["4mb"] and {"too big", "too large"} <= canonical["limit"]


BAD = [
    ("just one\n", "vocabulary.txt:1: a group needs two or more phrases: a = b = c"),
    ("a = \n", "vocabulary.txt:1: a group needs two or more phrases: a = b = c"),
    ("a = café\n", "vocabulary.txt:1: 'café': use ASCII letters, digits, spaces, '.', '_', '-'"),
    ("a = b\n# note\nc = B\n", "vocabulary.txt:3: 'b' is already in the group of line 1"),
]


@pytest.mark.parametrize("text, message", BAD)
def test_kb_check_reports_vocabulary_problems(run, tree, text, message):
    folder = tree({"test-a.md": article_text(), "vocabulary.txt": text})
    result = run("check", str(folder))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"{folder}/{message}"]


def test_comments_blank_lines_and_case_are_ignored():
    groups, problems = parse_vocabulary("# x\n\nWinPE = Windows  PE  # same thing\n")
    assert problems == [] and groups == (("winpe", "windows pe"),)


@pytest.mark.parametrize(
    "text, rewritten",
    [
        ("Windows PE boots", " winpe  boots"),
        ("WINDOWS-PE", " winpe "),
        ("windowspe", " winpe "),
        ("Windows PEX", "Windows PEX"),  # whole words only
        ("my_windows pe", "my_windows pe"),
    ],
)
def test_rewrite_matches_whole_phrases_without_regard_to_case_or_separators(text, rewritten):
    assert make_rewrite((("winpe", "windows pe"),))(text) == rewritten


def test_an_article_folder_without_the_file_has_no_vocabulary(tree):
    folder = tree({"test-a.md": article_text()})
    assert load_vocabulary(folder) == ((), [])
