"""The package layout: rooms by concept, one-way dependencies, no import cycles.

Imports are read from the source (top-level and inside functions alike), so a cycle
hidden in a function-level import fails here too.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import REPO

ROOMS = ("codes", "corpus", "logs", "search", "site", "triage", "cli")
LOOSE_ALLOWED = 2  # besides __init__.py and __main__.py

# Which rooms each room (or top-level part) may import. Everything may import kb.errors
# and the kb package itself (its version).
ALLOWED = {
    "codes": set(),
    "corpus": {"codes"},
    "logs": {"codes"},
    "search": {"codes", "corpus", "logs"},
    "site": {"codes", "corpus", "logs", "search", "kbserver"},
    "triage": {"codes", "corpus", "logs", "search"},
    "kbserver": {"codes", "corpus", "logs", "search"},
    "cli": {"codes", "corpus", "logs", "search", "site", "triage", "kbserver"},
}


def module_files() -> dict[str, Path]:
    """Return every module of kb and kbserver by dotted name."""
    out = {}
    for top in ("kb", "kbserver"):
        for path in (REPO / top).rglob("*.py"):
            parts = path.relative_to(REPO).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


MODULES = module_files()


def exports(path: Path) -> set[str]:
    """Return the names a package's ``__init__`` lists in ``__all__``."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "__all__":
            return {e.value for e in node.value.elts}  # type: ignore[attr-defined]
    return set()


EXPORTS = {name: exports(path) for name, path in MODULES.items() if path.name == "__init__.py"}


def lazy_exports(tree: ast.Module, package: str) -> set[str]:
    """Return the submodules a package's ``_LAZY`` table imports on first use."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "_LAZY":
            return {f"{package}.{v.value}" for v in node.value.values}  # type: ignore[attr-defined]
    return set()


def imports_of(name: str) -> set[str]:
    """Return the kb/kbserver modules that module ``name`` imports, anywhere in its body."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    found.add(alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                package = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                exported = alias.name in EXPORTS.get(base, ())
                found.add(sub if sub in MODULES and not exported else base)
    if is_package:
        found |= lazy_exports(tree, name)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def room(name: str) -> str:
    """Return the room of a module: kb.search.engine -> search; kbserver.x -> kbserver."""
    parts = name.split(".")
    if parts[0] == "kbserver":
        return "kbserver"
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ROOMS) else "kb"


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    assert cycles(GRAPH) == []


def test_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_kb_shows_its_rooms():
    loose = sorted(p.name for p in (REPO / "kb").glob("*.py"))
    assert {"__init__.py", "__main__.py"} <= set(loose)
    assert len(set(loose) - {"__init__.py", "__main__.py"}) <= LOOSE_ALLOWED, loose
    for name in ROOMS:
        init = REPO / "kb" / name / "__init__.py"
        assert init.is_file(), name
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), name


@pytest.mark.parametrize("name", sorted(MODULES))
def test_dependencies_point_one_way(name):
    here = room(name)
    if here == "kb":
        return
    wrong = sorted(
        m for m in GRAPH[name] if room(m) not in ("kb", here) and room(m) not in ALLOWED[here]
    )
    assert not wrong, f"{name} ({here}) must not import {wrong}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_rooms_are_entered_through_their_front_door(name):
    """Other rooms import a room's exported names, not its inner modules."""
    here = room(name)
    inner = sorted(
        m
        for m in GRAPH[name]
        if room(m) in ROOMS and room(m) != here and m != f"kb.{room(m)}" and here != "kbserver"
    )
    inner += sorted(
        m for m in GRAPH[name] if here == "kbserver" and room(m) in ROOMS and m != f"kb.{room(m)}"
    )
    assert not inner, f"{name} imports inner modules of other rooms: {inner}"


def test_every_module_is_reachable_by_the_graph():
    edges = defaultdict(set)
    for name, targets in GRAPH.items():
        for t in targets:
            edges[t].add(name)
    assert "kb.errors" in edges  # the graph reads real imports
