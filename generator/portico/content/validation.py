"""Pydantic's validation errors as the CTO reads them: `field must be ..., got ...` at a line."""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, RootModel

from portico.content.yamlfile import Loc, YamlDoc


def kind_of(value: Any) -> str:
    """What a YAML value is, in words, for "must be ..., got ..." messages."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, dict):
        return ("a mapping (unquoted text containing `: ` becomes one; put the text in quotes)"
                if len(value) == 1 else "a mapping")
    return repr(value)


def describe(error: Any, model: type[BaseModel], doc: YamlDoc) -> tuple[int, str]:
    """A pydantic error as (line, `field must be ..., got ...`)."""
    loc: Loc = tuple(error["loc"])
    names = [part for part in loc if isinstance(part, str)]
    name = names[-1] if names else "value"
    if loc and isinstance(loc[-1], int) and names:
        name = f"item {loc[-1] + 1} of {name}"
    kind = error["type"]
    value = error.get("input")
    if kind == "invalid_key":
        line = doc.key_lines.get((*loc[:-1], str(value)), doc.line_of(loc[:-1]))
        keys = ", ".join(_allowed_keys(model, loc[:-1]))
        return line, f"{value}: unknown key (allowed: {keys})"
    if kind == "missing":
        parent = loc[:-1]
        return doc.line_of(parent), f"{_where(parent)}missing required field `{name}`"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f", did you mean {close[0]}?" if close else f" (allowed: {', '.join(allowed)})"
        return doc.line_of(loc, key=True), f"{name}: unknown key{hint}"
    line = doc.line_of(loc)
    if kind == "value_error":
        return line, f"{name} {error['ctx']['error']}"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return line, f"{name} must be a whole number, got {value!r}"
    if kind in {"bool_parsing", "bool_type"}:
        return line, f"{name} must be true or false, got {value!r}"
    if kind in {"string_type"}:
        return line, f"{name} must be text, got {kind_of(value)}"
    if kind in {"list_type"}:
        return line, f"{name} must be a list, got {kind_of(value)}"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return line, f"{name} must be a mapping of keys to values, got {kind_of(value)}"
    if kind == "literal_error":
        return line, f"{name} must be one of {error['ctx']['expected']}, got {value!r}"
    return line, f"{name}: {error['msg']}, got {value!r}"


def _where(loc: Loc) -> str:
    if loc and isinstance(loc[-1], int):
        return f"item {loc[-1] + 1} of {loc[-2]}: " if len(loc) > 1 else ""
    return f"{loc[-1]}: " if loc else ""


def _allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    current: Any = model
    if issubclass(model, RootModel) and loc:  # a mapping of names to models: skip the name
        current, loc = _inner_model(model.model_fields["root"].annotation), loc[1:]
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if not hasattr(current, "model_fields"):
        return []
    return [info.alias or key for key, info in current.model_fields.items()]


def _inner_model(annotation: Any, depth: int = 0) -> Any:
    """The pydantic model inside an annotation such as `list[Risk] | None`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if depth > 5:
        return None
    for arg in typing.get_args(annotation):
        inner = _inner_model(arg, depth + 1)
        if inner is not None:
            return inner
    return None
