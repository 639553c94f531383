"""Other sections name decisions by number; this is how those references resolve and check."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from portico.content.errors import Problem
from portico.content.model import Engagement, did_you_mean_id
from portico.sections.decisions.model import Decision


def decisions_of(e: Engagement) -> list[Decision]:
    """The client's decisions as loaded (internal ones included), by file name."""
    decisions: list[Decision] = e.parts.get("decisions") or []
    return decisions


def find_decision(e: Engagement, number: str) -> Decision | None:
    """The decision with this number, if any."""
    return next((d for d in decisions_of(e) if d.number == number), None)


def check_decision_refs(e: Engagement, name: str, at: tuple[str | int, ...],
                        refs: Iterable[str], internal: bool) -> Iterator[Problem]:
    """Each decision number an item of `name` (a YAML file, e.g. risks.yml) names at `at`
    must exist, and be client-visible when the item is."""
    file = f"{e.source}/{name}"
    for j, ref in enumerate(refs):
        line = e.line(name, (*at, "decisions", j))
        target = find_decision(e, ref)
        if target is None:
            known = [d.number for d in decisions_of(e)]
            yield Problem(file, line, f"decision {ref} does not exist"
                          f"{did_you_mean_id(ref, known)}")
        elif target.internal and not internal:
            yield Problem(file, line, f"decision {ref} is internal; a client-visible item "
                          "cannot refer to it")
