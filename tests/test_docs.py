"""The README documents every command and JSON contract the tool offers."""

from __future__ import annotations

import re

import pytest

from kb.cli.main import cli
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme_commands_table():
    table = README.split("## Commands", 1)[1].split("\n## ", 1)[0]
    for name in cli.commands:
        assert f"`kb {name}" in table, name


def test_quick_start_holds_exactly_two_commands():
    block = README.split("## Quick start", 1)[1].split("```console", 1)[1].split("```", 1)[0]
    assert [line for line in block.strip().splitlines() if line.strip()] == [
        "make serve",
        "make test",
    ]


def test_json_contract_fields_are_documented():
    for field in ("input", "hex", "unsigned", "signed", "kind", "facility", "win32", "names",
                  "description", "articles"):  # fmt: skip
        assert re.search(rf"`{field}`", README), field
    for field in ("by_article", "unexplained_clusters", "unreadable", "machines"):
        assert f"`{field}`" in README, field


# -- every command the README shows exists, with the options it shows ----------------------

MAKEFILE = (REPO / "Makefile").read_text(encoding="utf-8")


def console_commands() -> list[str]:
    """Return the command lines of the README's console blocks (after a $ or > prompt)."""
    lines = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        lines += [line[2:] for line in block.splitlines() if line.startswith(("$ ", "> "))]
    # Quick start's block has no prompts: its lines are commands.
    quick = README.split("## Quick start", 1)[1].split("```console", 1)[1].split("```", 1)[0]
    return lines + [line for line in quick.splitlines() if line.strip()]


COMMANDS = console_commands()


def kb_words(line: str) -> list[str] | None:
    """Return the words after the kb program (kb, kb.exe, .venv/bin/kb, build.py), or None."""
    import shlex

    words = shlex.split(line, comments=True, posix=False)
    for n, word in enumerate(words):
        parts = re.split(r"[\\\\/]", word)
        # The program itself: first on the line, or named by its path (nssm install ... kb.exe).
        if parts[-1].lower() in ("kb", "kb.exe") and (n == 0 or len(parts) > 1):
            return words[n + 1 :]
        if parts[-1] == "build.py":
            return ["build", *words[n + 1 :]]
    return None


def test_the_readme_shows_commands_of_every_kind():
    kb_lines = [c for c in COMMANDS if kb_words(c) is not None]
    assert len(kb_lines) >= 10
    assert {kb_words(c)[0] for c in kb_lines if kb_words(c)} >= set(cli.commands) - {"new", "check"}


@pytest.mark.parametrize("line", [c for c in COMMANDS if kb_words(c) is not None])
def test_every_kb_command_in_the_readme_exists_with_its_options(line):
    words = kb_words(line)
    command = cli
    if words and not words[0].startswith("-"):
        assert words[0] in cli.commands, line
        command = cli.commands[words[0]]
        words = words[1:]
    known = {opt for param in command.params for opt in param.opts} | {"--help", "-h"}
    for word in words:
        if word.startswith("-") and word != "-" and not re.fullmatch(r"-\d+", word):
            assert word.split("=", 1)[0] in known, f"{line}: {word}"


@pytest.mark.parametrize("line", [c for c in COMMANDS if c.startswith("make")])
def test_every_make_command_in_the_readme_is_a_target(line):
    for target in line.split()[1:]:
        if "=" not in target:
            assert re.search(rf"^{re.escape(target)}:", MAKEFILE, re.M), line


@pytest.mark.parametrize(
    "script", sorted(set(re.findall(r"(benchmarks/\w+\.py|tools/\w+\.py)", README)))
)
def test_every_script_the_readme_names_exists(script):
    assert (REPO / script).is_file()


def test_the_readme_says_what_a_new_user_needs():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    for need in ("Python 3.11", "`make`", "node", "Chromium", "[Windows server](#windows-server)"):
        assert need in quick, need
    commands = README.split("## Commands", 1)[1].split("\n## ", 1)[0]
    assert commands.lstrip().startswith("**Getting `kb` on the PATH.**")
    assert "pipx install ." in commands and ".venv/bin/activate" in commands
    windows = README.split("\n## Windows server\n", 1)[1].split("\n## ", 1)[0]
    for step in ("py -3.11 -m venv", "pip install .", "kb serve", "nssm install", "web.config"):
        assert step in windows, step
    assert "### Serving a whole help desk" in README
