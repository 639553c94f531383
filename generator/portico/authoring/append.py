"""Add an entry to a list in a YAML file the CTO wrote, in place, keeping every comment,
blank line and the file's own indentation.

The entry is inserted as text right after the list's last item (wherever the list is in
the file, not only at its end), indented as that list's items are. The file is then read
back: unless it holds exactly the old entries plus the new one, nothing is written. A
round trip through a YAML library would re-indent or re-quote the CTO's lines; inserting
text at the parser's own marks changes nothing else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from portico.content.errors import PorticoError

__all__ = ["append_entry", "insert_entry"]


def _shift(entry: str, indent: int) -> str:
    """`entry`, written with its dash at column 2, moved so the dash is at `indent`."""
    lines = entry.splitlines(keepends=True)
    if indent >= 2:
        return "".join(" " * (indent - 2) + line if line.strip() else line for line in lines)
    return "".join(line[2 - indent:] if line.startswith("  ") else line for line in lines)


def _last_leaf(node: yaml.Node) -> yaml.Node:
    """The node written last inside `node`: its last value, all the way down."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node


def insert_entry(text: str, key: str, entry: str) -> str:
    """`text` (a YAML mapping) with `entry` (a list item written `  - id: …`) added to the
    block list under the top-level `key`, created at the end when missing. Raises
    PorticoError when the list is written in flow style (`[…]`) or `text` is no mapping."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise PorticoError(f"it is not valid YAML ({exc.__class__.__name__}); fix it first"
                           ) from None
    if root is None:
        return text.rstrip("\n") + ("\n" if text.strip() else "") + f"{key}:\n" + entry
    if not isinstance(root, yaml.MappingNode):
        raise PorticoError("it does not hold `key: value` lines at the top")
    value: yaml.Node | None = next((v for k, v in root.value if k.value == key), None)
    if value is None or (isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null")):
        if value is not None:  # `key:` with nothing after it: the list starts on the next line
            lines = text.splitlines(keepends=True)
            at = value.start_mark.line + 1
            return "".join(lines[:at]) + entry + "".join(lines[at:])
        return text.rstrip("\n") + "\n" + f"{key}:\n" + entry
    if not isinstance(value, yaml.SequenceNode) or value.flow_style:
        raise PorticoError(f"`{key}:` is not a list written one item per line (`- …`); "
                           "add the entry by hand")
    if not value.value:
        raise PorticoError(f"`{key}:` is an empty list written `[]`; remove the `[]` first")
    last = value.value[-1]
    indent = value.value[0].start_mark.column - 2
    lines = text.splitlines(keepends=True)
    end = _last_leaf(last).end_mark
    at = end.line + (1 if end.column > 0 else 0)  # the line after the last item's text
    # Blank and comment lines after it (a comment on what follows) stay after the new one.
    while at > last.start_mark.line + 1 and (not lines[at - 1].strip()
                                              or lines[at - 1].lstrip().startswith("#")):
        at -= 1
    if lines and at <= len(lines) and at > 0 and not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    return "".join(lines[:at]) + _shift(entry, indent) + "".join(lines[at:])


def _items(data: Any, key: str) -> list[Any]:
    return list(data.get(key) or []) if isinstance(data, dict) else []


def append_entry(path: Path, key: str, header: str, entry: str, new_id: str,
                 *, id_field: str = "id") -> Path:
    """Add `entry` (YAML list item text) to the `key:` list of `path`, creating the file with
    `header` first. Refuses, writing nothing, when the id is taken or the file would not
    read back as its old entries plus this one."""
    text = path.read_text(encoding="utf-8") if path.exists() else header
    before = _items(yaml.safe_load(text), key)
    if any(isinstance(i, dict) and str(i.get(id_field)) == new_id for i in before):
        raise PorticoError(f"{path.name} already has an entry {new_id}; choose another")
    try:
        updated = insert_entry(text, key, entry)
    except PorticoError as exc:
        raise PorticoError(f"{path.name}: {exc}") from None
    after = _items(yaml.safe_load(updated), key)
    added = [i for i in after if isinstance(i, dict) and str(i.get(id_field)) == new_id]
    if len(after) != len(before) + 1 or len(added) != 1 or \
            [i for i in after if i not in added] != before:
        raise PorticoError(f"{path.name}: the new entry could not be added safely; add "
                           f"{new_id} by hand")
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(updated, encoding="utf-8")
    temp.replace(path)
    return path
