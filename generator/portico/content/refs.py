"""References from one section's items to decisions, checked the same way everywhere."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from portico.content.errors import Problem
from portico.content.model import Engagement


def check_decision_refs(e: Engagement, name: str, at: tuple[str | int, ...],
                        refs: Iterable[str], internal: bool) -> Iterator[Problem]:
    """Each decision number an item of `name` (a YAML file, e.g. risks.yml) names at `at`
    must exist, and be client-visible when the item is."""
    file = f"{e.source}/{name}"
    for j, ref in enumerate(refs):
        line = e.line(name, (*at, "decisions", j))
        target = e.decision(ref)
        if target is None:
            yield Problem(file, line, f"decision {ref} does not exist")
        elif target.internal and not internal:
            yield Problem(file, line, f"decision {ref} is internal; a client-visible item "
                          "cannot refer to it")
