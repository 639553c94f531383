"""Which files of decisions/ are decisions, and their numbers, from the common conventions.

Accepted as they are, so a team brings its log without renaming a file:

- `0003-adopt-postgres.md`, `003-adopt-postgres.md`, `3.md` (adr-tools, MADR): the number;
- `adr-003-adopt-postgres.md`, `ADR-003-…` (arachne and many wikis): the number;
- `20201016-use-slugs.md` (log4brains) and `2023-07-05-db-choices.md`: dated; numbered
  in date order after the folder's highest written number, the date being the decision's
  date when the file gives none.

Only explicit rules exclude a file: the names in `NOT_DECISIONS`, or front matter
`decision: false`; never a word inside a name.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from portico.content.fields import in_calendar

NOT_DECISIONS = ("index.md", "README.md", "template.md", "adr-template.md")
"""File names that are never decisions: a folder's index and the ADR tools' templates."""

_NUMBERED = re.compile(r"^(?:adr[-_]?)?(\d{1,6})(?:[-_ ].*)?\.md$", re.IGNORECASE)
_DATED = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})[-_ ].+\.md$")
_WORDS = re.compile(r"^(?:adr[-_]?)?(?:\d{4}-?\d{2}-?\d{2}|\d{1,6})[-_ ]*", re.IGNORECASE)


@dataclass(frozen=True)
class DecisionFile:
    """A file of decisions/ that is a decision: its number and, for dated names, its date."""

    path: Path
    number: str
    named_date: dt.date | None = None

    @property
    def title_from_name(self) -> str:
        """`adr-014-project-templates.md` → "Project templates" (when the file has no title)."""
        words = _WORDS.sub("", self.path.stem).replace("-", " ").replace("_", " ").strip()
        return (words[:1].upper() + words[1:]) if words else f"Decision {self.number}"


def decision_files(paths: list[Path]) -> tuple[list[DecisionFile], list[tuple[Path, str]]]:
    """(the decisions among `paths`, numbered; [(path, why it is skipped)] for the others).

    Files named in `NOT_DECISIONS` are neither: they are expected beside a log.
    """
    numbered: list[DecisionFile] = []
    dated: list[tuple[dt.date, Path]] = []
    skipped: list[tuple[Path, str]] = []
    for path in sorted(paths):
        if path.name in NOT_DECISIONS:
            continue
        day = _named_date(path.name)
        if day is not None:
            dated.append((day, path))
            continue
        match = _NUMBERED.match(path.name)
        if match is None:
            skipped.append((path, "not a decision: its name follows none of the conventions "
                            "(0003-words.md, adr-003-words.md, 20260315-words.md, "
                            "2026-03-15-words.md); skipped"))
            continue
        numbered.append(DecisionFile(path, f"{int(match.group(1)):04d}"))
    # Dated names carry no number: number them in date order after the written numbers,
    # so the order is the log's order and adding an older file is the only renumbering.
    start = max((int(f.number) for f in numbered), default=0) + 1
    for offset, (day, path) in enumerate(sorted(dated)):
        numbered.append(DecisionFile(path, f"{start + offset:04d}", day))
    return numbered, skipped


def _named_date(name: str) -> dt.date | None:
    match = _DATED.match(name)
    if match is None:
        return None
    try:
        return in_calendar(dt.date(*(int(part) for part in match.groups())))
    except ValueError:
        return None  # 20201399-…: not a date; read as a number if it is one
