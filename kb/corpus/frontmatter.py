"""Split an article into YAML front matter and Markdown body, keeping line numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

try:  # the C loader is several times faster; fall back where libyaml is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class FrontMatterError(Exception):
    """The front matter is missing or is not valid YAML."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Document:
    """An article split in two; line numbers are 1-based file lines."""

    yaml: str
    yaml_line: int
    body: str
    body_line: int


def split(text: str) -> Document:
    """Split text at its ``---`` fences; raise FrontMatterError when there are none."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise FrontMatterError("no front matter: the file must start with a '---' line", 1)
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return Document(
                yaml="\n".join(lines[1:i]),
                yaml_line=2,
                body="\n".join(lines[i + 1 :]),
                body_line=i + 2,
            )
    raise FrontMatterError("front matter is not closed by a '---' line", 1)


def load_yaml(text: str, first_line: int) -> tuple[Any, dict[str, int], dict[str, str]]:
    """Load YAML; return (data, key path -> file line, key path -> scalar source text).

    Key paths look like ``signatures.codes[2]``. The source text lets the
    validator quote what the author wrote (``0x80070002``) when YAML turned it
    into something else (the integer 2147942402).
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_nodes(node, first_line)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + (mark.line if mark is not None else 0)
        reason = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        raise FrontMatterError(f"front matter is not valid YAML: {reason}", line) from None
    except ValueError:  # a number Python will not convert (over 4,300 digits)
        raise FrontMatterError(
            "front matter holds a number too long to read (over 4,300 digits): quote it",
            first_line,
        ) from None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    raw: dict[str, str] = {}
    if node is not None:
        _walk(node, "", first_line, lines, raw)
    return data, lines, raw


def _check_nodes(root: yaml.Node, first: int) -> None:
    """Refuse aliases and repeated keys before the YAML is turned into values.

    An alias (``*name``) makes one node appear twice; nine levels of nine aliases
    expand to billions of values (a "billion laughs"). Articles need none. A key
    given twice silently loses its first value.
    """
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise FrontMatterError(
                "front matter uses a YAML alias (*name): write the value out instead",
                first + node.start_mark.line,
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, int] = {}
            for key, value in node.value:
                name = str(key.value)
                if name in keys and isinstance(key, yaml.ScalarNode):
                    raise FrontMatterError(
                        f"{name!r} is given twice (also on line {keys[name]}): keep one",
                        first + key.start_mark.line,
                    )
                keys[name] = first + key.start_mark.line
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _walk(node: yaml.Node, path: str, first: int, lines: dict, raw: dict) -> None:
    """Record the line and source text of every key and list item under node."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{path}.{key.value}" if path else str(key.value)
            lines[name] = first + key.start_mark.line
            _walk(value, name, first, lines, raw)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            name = f"{path}[{i}]"
            lines[name] = first + item.start_mark.line
            _walk(item, name, first, lines, raw)
    elif isinstance(node, yaml.ScalarNode) and path:
        raw[path] = node.value
        raw[path + "#quoted"] = "yes" if node.style in ("'", '"') else ""
