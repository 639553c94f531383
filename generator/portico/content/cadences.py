"""Promises the practice makes (cadences): what is delivered how often.

`mkdocs.yml` → `extra.practice.cadences` declares the practice's defaults, `client.yml` →
`cadences` a client's own, replacing a default of the same `what`. Either is a list of
`{what: status-note, every: week}` mappings or the shorthand mapping `{status-note: week}`.
This module reads both shapes with a line for every mistake; `sections/cadences` measures
the promises against the files' dates.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from portico.content.errors import Problem
from portico.content.validation import kind_of

Loc = tuple[str | int, ...]
LineOf = Callable[[Loc], int]

WHATS = ("status-note", "risk-review", "board-pack", "vendor-review")
EVERY = ("week", "2 weeks", "month", "quarter")  # the meeting cadences' words, too
MAX_GRACE = 90


def _one_of(values: tuple[str, ...]) -> Callable[[Any], Any]:
    # content.model's `choice`, which this module cannot import: model.py imports it.
    def check(value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in values:
            return value.strip().lower()
        close = difflib.get_close_matches(str(value).strip().lower(), values, n=1, cutoff=0.75)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"must be one of {', '.join(values)}; got {value!r}{hint}")

    return check


class CadenceSpec(BaseModel):
    """One promise: what the practice delivers, how often, and whether the client sees it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    what: Annotated[str, BeforeValidator(_one_of(WHATS))] = Field(
        description="What is delivered: status-note (a note of kind status), risk-review (a "
        "risk's `reviewed` date), board-pack (a board/ pack) or vendor-review (before each "
        "vendor's notice deadline).", json_schema_extra={"enum": list(WHATS)})
    every: Annotated[str, BeforeValidator(_one_of(EVERY))] = Field(
        description="How often: week, 2 weeks, month or quarter. For vendor-review: how long "
        "before each notice deadline the review is due.", json_schema_extra={"enum": list(EVERY)})
    shown: bool = Field(False, description="Shown on the client's home page under "
                        "Engagement health (default false: only `portico status` shows it).")
    grace: int = Field(0, ge=0, le=MAX_GRACE, description="Days after the due date before "
                       "it counts as late (default 0).")


@dataclass(frozen=True)
class Promise:
    """A declared cadence and where it was declared."""

    spec: CadenceSpec
    file: str  # mkdocs.yml or clients/<slug>/client.yml
    line: int


CADENCES_SCHEMA: dict[str, Any] = {
    "description": "Promises (cadences): a list of {what, every, shown, grace} or the "
                   "shorthand mapping what → every, e.g. {status-note: week}.",
    "anyOf": [
        {"type": "array", "items": CadenceSpec.model_json_schema()},
        {"type": "object", "propertyNames": {"enum": list(WHATS)},
         "additionalProperties": {"type": "string", "enum": list(EVERY)}},
        {"type": "null"},
    ],
}


def read_cadences(data: Any, file: str, at: Loc, line_of: LineOf) -> tuple[list[Promise],
                                                                            list[Problem]]:
    """The promises written at `at` in a YAML file (either shape), and their problems as
    `file:line: cadences...` errors (unknown `what`, unknown `every`, a duplicate `what`).

    `line_of(loc)`: the line of the value at `loc` (the file's line marks)."""
    name = ".".join(str(part) for part in at)
    if data is None:
        return [], []
    if isinstance(data, dict):
        items = [(({"what": k, "every": v}), (*at, str(k)), True) for k, v in data.items()]
    elif isinstance(data, list):
        items = [(item, (*at, i), False) for i, item in enumerate(data)]
    else:
        return [], [Problem(file, line_of(at), f"{name} must be a list of {{what, every}} or a "
                            f"mapping such as {{status-note: week}}, got {kind_of(data)}")]
    promises: list[Promise] = []
    problems: list[Problem] = []
    for raw, loc, shorthand in items:
        where = f"{name}.{loc[-1]}" if shorthand else f"item {int(loc[-1]) + 1} of {name}"
        if not isinstance(raw, dict):
            problems.append(Problem(file, line_of(loc), f"{where} must be a mapping such as "
                                    f"{{what: status-note, every: week}}, got {kind_of(raw)}"))
            continue
        try:
            spec = CadenceSpec.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                field = str(error["loc"][0]) if error["loc"] else "value"
                value_loc = loc if shorthand else (*loc, *error["loc"])
                problems.append(Problem(file, line_of(value_loc),
                                        f"{where}: {_message(field, error)}"))
            continue
        if any(p.spec.what == spec.what for p in promises):
            problems.append(Problem(file, line_of(loc), f"{where}: {spec.what} is promised "
                                    "twice; keep one"))
            continue
        promises.append(Promise(spec, file, line_of(loc)))
    return promises, problems


def merged(practice: list[Promise], client: list[Promise]) -> list[Promise]:
    """The practice's promises with the client's own replacing those of the same `what`,
    in the order of WHATS."""
    by_what = {p.spec.what: p for p in practice}
    by_what.update({p.spec.what: p for p in client})
    return [by_what[what] for what in WHATS if what in by_what]


def _message(field: str, error: Any) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "value_error":
        return f"{field} {error['ctx']['error']}"
    if kind == "missing":
        return f"missing required field `{field}`"
    if kind == "extra_forbidden":
        return f"{field}: unknown key (allowed: what, every, shown, grace)"
    if kind in {"bool_parsing", "bool_type"}:
        return f"{field} must be true or false, got {value!r}"
    if kind.startswith("int") or kind.startswith("greater") or kind.startswith("less"):
        return f"{field} must be a whole number of days 0..{MAX_GRACE}, got {value!r}"
    return f"{field}: {error['msg']}, got {value!r}"
