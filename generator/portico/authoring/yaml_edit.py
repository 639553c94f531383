"""Set a few keys of one YAML mapping in place, leaving every other byte of the file alone.

`portico record` changes a decision's front matter, an ask in actions.yml or a pack's
front matter. A YAML round trip (PyYAML, or ruamel.yaml's) re-indents and re-quotes what it
did not touch: ruamel re-indented the flow-style evaluation block of the demo's decision
0006, 46 lines for a change of three. So the parser only says where each key and value are;
the edit replaces those characters, or adds a line beside the mapping's other keys, and the
result must parse to exactly the old data with the new values.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import yaml

from portico.content.errors import ContentError, PorticoError
from portico.content.yamlfile import Loc

_PLAIN = re.compile(r"^[A-Za-z0-9][\w .,'()&/+@-]*$")


def scalar(value: str | dt.date) -> str:
    """A value as YAML writes it on one line: a date as ISO, text plain when YAML reads it
    back as the same text, else double-quoted."""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(value.split())
    if _PLAIN.match(text) and ": " not in text and " #" not in text and \
            yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow_list(values: list[str]) -> str:
    """`[Ana, Bo]`: a list on one line."""
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def set_keys(text: str, where: Loc, values: dict[str, str], *, path: str, first_line: int = 1,
             after: tuple[str, ...] = ()) -> str:
    """`text` (one YAML document) with each key of `values` set to its YAML text in the
    mapping at `where` (() for the top level, ("actions", 3) for the fourth ask).

    A key that is there keeps its place, and a comment after its value stays; a new key goes
    on a line of its own after whichever of the `after` keys comes last in the mapping (else
    after its last key), indented like its neighbours; each key set joins `after`. `path`
    and `first_line` (the file line `text` starts on) name the place in errors. Raises
    ContentError for a mapping written on one line (`{...}`), PorticoError if the result
    would not read back as intended."""
    before = _load(text, path)
    for key, value in values.items():
        text = _set_key(text, where, key, value, path, first_line, after)
        after = (*after, key)  # the next new key follows this one
    expected = before
    target = _at(expected, where)
    for key, value in values.items():
        target[key] = yaml.safe_load(value)
    if _load(text, path) != expected:
        raise PorticoError(f"{path}: the change would not read back as written; "
                           "edit the file by hand")
    return text


def _load(text: str, path: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PorticoError(f"{path}: not valid YAML ({exc}); fix it first") from None


def _at(data: Any, where: Loc) -> dict[str, Any]:
    for step in where:
        data = data[step]
    if not isinstance(data, dict):
        raise PorticoError(f"not a mapping at {'/'.join(map(str, where))}")
    return data


def _node(text: str, where: Loc, path: str) -> yaml.MappingNode:
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    for step in where:
        if isinstance(node, yaml.MappingNode):
            node = next(v for k, v in node.value if k.value == step)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step]
    if not isinstance(node, yaml.MappingNode):
        raise PorticoError(f"{path}: expected a mapping of keys to values")
    return node


def _set_key(text: str, where: Loc, key: str, value: str, path: str, first_line: int,
             after: tuple[str, ...]) -> str:
    node = _node(text, where, path)
    if node.flow_style:
        raise ContentError.at(path, node.start_mark.line + first_line,
                              "this entry is written on one line ({...}); write it one key "
                              "a line so that it can be changed in place")
    pairs = {k.value: (k, v) for k, v in node.value}
    if key in pairs:
        key_node, value_node = pairs[key]
        start = key_node.start_mark.index
        end = _trimmed_end(text, start, max(value_node.end_mark.index, key_node.end_mark.index))
        return text[:start] + f"{key}: {value}" + text[end:]
    # the latest in the file of the `after` keys it has, else its last key
    anchors = sorted((pairs[k] for k in after if k in pairs),
                     key=lambda pair: pair[0].start_mark.index) or list(pairs.values())[-1:]
    column = node.value[0][0].start_mark.column if node.value else 0
    if not anchors:  # an empty mapping: nothing to write beside
        raise ContentError.at(path, node.start_mark.line + first_line,
                              "nothing here to add a key beside; add it by hand")
    key_node, value_node = anchors[-1]
    end = _trimmed_end(text, key_node.start_mark.index,
                       max(value_node.end_mark.index, key_node.end_mark.index))
    newline = text.find("\n", end)
    line = f"{' ' * column}{key}: {value}\n"
    if newline < 0:
        return text + "\n" + line
    return text[:newline + 1] + line + text[newline + 1:]


def _trimmed_end(text: str, start: int, end: int) -> int:
    """The end of a value without the blank lines and comment lines a block value's span
    runs on to (they belong to what follows)."""
    lines = text[start:end].rstrip().split("\n")
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return start + len("\n".join(lines).rstrip())
