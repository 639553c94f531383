"""What `portico new decision` writes: a MADR or Nygard decision to fill in.

Its prompts (`The forces at play.`) are for the author to replace; the templates are made
from `PROMPTS`, and `check` warns at each line still holding one (`PLACEHOLDERS`), so the
two cannot drift apart.
"""

from __future__ import annotations

PROMPTS = {
    "problem": "What is the problem, and why does it need a decision now?",
    "option_one": "* Option one",
    "option_two": "* Option two",
    "outcome": 'Chosen option: "Option one", because ...',
    "good": "* Good, because ...",
    "bad": "* Bad, because ...",
    "forces": "The forces at play.",
    "decision": "We will ...",
    "consequences": "What becomes easier or harder.",
}
PLACEHOLDERS = tuple(PROMPTS.values())
"""Lines `portico new decision` writes for the author to replace, as written."""

_MADR = """\
---
status: proposed
date: {date}
decision-makers: []
consulted: []
informed: []
---
# {title}

## Context and Problem Statement

{problem}

## Considered Options

{option_one}
{option_two}

## Decision Outcome

{outcome}

### Consequences

{good}
{bad}
"""

_NYGARD = """\
# {number}. {title}

Date: {date}

## Status

Proposed

## Context

{forces}

## Decision

{decision}

## Consequences

{consequences}
"""


def madr_text(title: str, date: str) -> str:
    """A proposed MADR decision titled `title`, dated `date` (YYYY-MM-DD)."""
    return _MADR.format(title=title, date=date, **PROMPTS)


def nygard_text(number: int, title: str, date: str) -> str:
    """A proposed Nygard (adr-tools) decision `number`, titled `title`, dated `date`."""
    return _NYGARD.format(number=number, title=title, date=date, **PROMPTS)
