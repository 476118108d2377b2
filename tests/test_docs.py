"""The README documents every command and JSON contract the tool offers."""

from __future__ import annotations

import re

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
