"""Articles written to hurt: alias bombs, repeated keys, endless numbers, special files, huge files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kb.corpus import load_corpus
from tests.conftest import article_text

BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)


def problems(folder: Path) -> list[str]:
    return [f"{Path(p.path).name}:{p.line}: {p.message}" for p in load_corpus([folder]).problems]


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_a_yaml_alias_bomb_is_refused_before_it_expands(tmp_path):
    write(tmp_path, "test-a.md", article_text().replace("---\n", "---\n" + BOMB, 1))
    assert problems(tmp_path) == [
        "test-a.md:2: front matter uses a YAML alias (*name): write the value out instead"
    ]


def test_a_key_given_twice_is_an_error_not_a_silent_loss(tmp_path):
    text = article_text().replace("\nkind:", '\ntitle: "Another title"\nkind:', 1)
    write(tmp_path, "test-a.md", text)
    [said] = problems(tmp_path)
    assert said.startswith("test-a.md:") and "'title' is given twice (also on line " in said


def test_a_number_of_thousands_of_digits_is_an_error_not_a_crash(tmp_path):
    text = article_text().replace("\nkind:", "\nnote: " + "1" * 5000 + "\nkind:", 1)
    write(tmp_path, "test-a.md", text)
    assert problems(tmp_path) == [
        "test-a.md:2: front matter holds a number too long to read (over 4,300 digits): quote it"
    ]


def test_an_article_over_a_megabyte_is_refused(tmp_path):
    write(tmp_path, "test-a.md", article_text() + "word " * 250_000)
    assert problems(tmp_path) == [
        "test-a.md:1: larger than 1,024 KB: an article is read in minutes, not hours"
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes or symbolic links here")
def test_pipes_devices_and_link_loops_are_reported_never_read(tmp_path, run):
    write(tmp_path, "test-a.md", article_text())
    os.mkfifo(tmp_path / "fifo.md")  # reading it would wait for a writer forever
    (tmp_path / "loop1.md").symlink_to(tmp_path / "loop2.md")
    (tmp_path / "loop2.md").symlink_to(tmp_path / "loop1.md")
    if Path("/dev/zero").exists():  # reading it would never end
        (tmp_path / "zero.md").symlink_to("/dev/zero")
    said = "not a regular file (a pipe, a device or a broken link)"
    expected = [f"{n}:1: {said}" for n in ("fifo.md", "loop1.md", "loop2.md")]
    if (tmp_path / "zero.md").is_symlink():
        expected.append(f"zero.md:1: {said}")
    assert problems(tmp_path) == expected
    res = run("check", str(tmp_path))
    assert res.exit_code == 1 and "internal error" not in res.stderr


@pytest.mark.parametrize(
    ("pattern", "refused"),
    [
        ("(a+)+$", True),
        ("(?:x[0-9]+)*", True),
        ("(?:a{1,3}){2,}", True),
        ("(?=(a+)+)b", True),
        ("(?:%[0-9A-Fa-f]{2})+", False),  # a fixed count inside: one way to match
        ("Downloaded file from .*(?:%[C-Fc-f][0-9A-Fa-f]|[^\\x00-\\x7F])", False),
    ],
)
def test_a_pattern_that_repeats_a_repeat_is_refused(tmp_path, pattern, refused):
    """(a+)+ takes exponential time on a line that almost matches, in Python and in browsers."""
    text = article_text().replace("  lines:", f"  patterns: ['{pattern}']\n  lines:", 1)
    write(tmp_path, "test-a.md", text)
    said = [p for p in problems(tmp_path) if "a repeat inside a repeat" in p]
    assert bool(said) is refused
