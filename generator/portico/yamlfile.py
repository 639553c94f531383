"""YAML with line marks: PyYAML's composer gives every node its line; we keep them by path."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import ContentError, Problem

Loc = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps an impossible date (2026-13-01) as text for validation to report."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> object:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


    def construct_yaml_int(self, node: yaml.ScalarNode) -> object:  # type: ignore[override]
        # YAML 1.1 reads 0010 as octal 8: a decision number written unquoted would silently
        # point at another decision. A leading zero keeps the digits as written.
        value = self.construct_scalar(node)
        if isinstance(value, str) and re.fullmatch(r"0[0-9_]+", value):
            return value.replace("_", "")
        return super().construct_yaml_int(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


@dataclass
class YamlDoc:
    """A parsed YAML document and the 1-based line of every value in it, keyed by path."""

    path: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    key_lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc, *, key: bool = False) -> int:
        """The line of the value at `loc`, or of its nearest ancestor that has one."""
        table = self.key_lines if key else self.lines
        while loc:
            if loc in table:
                return table[loc]
            if not key and loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


def parse_yaml(text: str, path: str, *, first_line: int = 1) -> YamlDoc:
    """Parse one YAML document; every syntax error and duplicate key raises `ContentError`.

    `first_line` is the file line the text starts on (front matter starts on line 2).
    """
    offset = first_line - 1
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        raise ContentError.at(path, line, f"control character U+{exc.character:04X} is not allowed in YAML") from None
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(path, None, {(): first_line})
        doc = YamlDoc(path, None)
        problems: list[Problem] = []
        _index(node, (), doc, offset, problems)
        if problems:
            raise ContentError(problems)
        try:
            doc.data = loader.construct_document(node)
        except (ValueError, TypeError, OverflowError) as exc:
            raise ContentError.at(path, first_line, f"YAML value cannot be read: {exc}") from None
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else first_line
        reason = exc.problem or "invalid YAML"
        if "'\\t'" in reason:
            reason = "a tab character; YAML indents with spaces only"
        elif exc.context and exc.context_mark and exc.context_mark is not mark:
            reason += f" ({exc.context} opened on line {exc.context_mark.line + 1 + offset})"
        raise ContentError.at(path, line, f"YAML syntax error: {reason}") from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        raise ContentError.at(path, line, f"control character U+{exc.character:04X} is not allowed in YAML") from None
    except yaml.YAMLError as exc:
        raise ContentError.at(path, first_line, f"YAML syntax error: {exc}") from None
    finally:
        loader.dispose()


def _index(node: yaml.Node, loc: Loc, doc: YamlDoc, offset: int, problems: list[Problem]) -> None:
    doc.lines[loc] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            line = key_node.start_mark.line + 1 + offset
            if key in seen:
                problems.append(
                    Problem(doc.path, line, f"duplicate key `{key}` (first on line {seen[key]})")
                )
            seen[key] = line
            doc.key_lines[(*loc, key)] = line
            _index(value_node, (*loc, key), doc, offset, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*loc, i), doc, offset, problems)
