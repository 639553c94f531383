"""Decision metadata written in the body: MADR 2 / log4brains bullets and Nygard's sections.

MADR 2 (log4brains' default template) writes its metadata as a list under the title:
`* Status: accepted`, `- **Deciders:** Ana, Bo`, `* Date: 2020-10-16`,
`* Technical Story: …`. Nygard / adr-tools writes `Date: …` under the title and a
`## Status` section. Both may say "Superseded by [title](file.md)" and "Supersedes …";
log4brains also says so in a `## Links` list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from portico.sections.decisions.model import STATUSES

_BULLET = re.compile(
    r"^\s{0,3}[*+-]\s+(?:\*\*|__)?(?P<label>status|deciders|decision[- ]makers|date|"
    r"last modified|technical story|consulted|informed)(?:\s*:\s*(?:\*\*|__)|(?:\*\*|__)\s*:"
    r"|\s*:)\s*(?P<value>.*?)\s*$",
    re.IGNORECASE,
)
_LEADING_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})\b")
_COMMENT = re.compile(r"<!--.*?-->")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)>?[^)]*\)")
_NUMBER = re.compile(r"\bADR[-_ #]?(\d{1,6})\b|#(\d{1,6})\b|^\s*(\d{1,6})\b", re.IGNORECASE)
# "Accepted by Margaret Okafor": how `portico record` writes an answer into a Nygard
# `## Status` section, which has no field for who decided ("… on 2026-12-10" is read too).
_ANSWERED = re.compile(r"^(?P<status>accepted|rejected)\s+by\s+(?P<who>.+?)"
                       r"(?:\s+on\s+(?P<day>\d{4}-\d{2}-\d{2}))?$", re.IGNORECASE)
_RELATION = re.compile(
    r"^\s{0,3}(?:[*+-]\s+)?(?P<rel>superseded by|supersedes)\b[:\s]*(?P<rest>.*)$", re.IGNORECASE)


@dataclass
class Bullets:
    """The MADR 2 metadata list of a decision, as written, with each value's body offset."""

    values: dict[str, tuple[str, int]] = field(default_factory=dict)  # label → (value, offset)
    offsets: list[int] = field(default_factory=list)  # the list's lines, to leave out of the page

    def get(self, *labels: str) -> tuple[str, int] | None:
        """The first of `labels` the list gives (e.g. "date", "last modified")."""
        return next((self.values[label] for label in labels if label in self.values), None)


def metadata_bullets(body: str) -> Bullets:
    """The metadata list between the title and the first `## ` heading, if there is one."""
    found = Bullets()
    for offset, line in enumerate(body.split("\n")):
        match = _BULLET.match(line)
        if match is None:
            if _ends_metadata(line, started=bool(found.offsets)):
                break
            continue
        label = match.group("label").lower().replace("_", " ")
        label = "decision makers" if label.startswith("decision") else label
        value = _COMMENT.sub("", match.group("value")).strip()
        found.offsets.append(offset)
        found.values.setdefault(label, (value, offset))
    return found


def _ends_metadata(line: str, *, started: bool) -> bool:
    """Whether `line` ends the search for the metadata list: once the list has begun, any
    line that is not a list item; before it, prose (headings and blank lines are passed, as
    teams put the list under a repeated `## ` title)."""
    stripped = line.strip()
    if not stripped:
        return False
    if started:
        return not re.match(r"^\s{0,3}[*+-]\s", line)
    return not stripped.startswith("#")


def leading_date(text: str) -> str | None:
    """`2022-10-05 (Updated 2023-07-12)` → "2022-10-05"; None when it does not start so."""
    match = _LEADING_DATE.match(text.strip())
    return match.group(1) if match else None


def people(text: str) -> tuple[str, ...]:
    """`Ana, Bo` or `@ana @bo` → ("Ana", "Bo") / ("@ana", "@bo")."""
    parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    if len(parts) == 1 and all(w.startswith("@") for w in parts[0].split()):
        parts = parts[0].split()
    return tuple(parts)


def references(text: str) -> list[str]:
    """The decisions `text` names: link targets (`0005-title.md`) and numbers (`ADR-5`)."""
    targets = _LINK_TARGET.findall(text)
    if targets:
        return [t.split("#", 1)[0].rsplit("/", 1)[-1] for t in targets]
    found = []
    for match in _NUMBER.finditer(text):
        digits = next(g for g in match.groups() if g)
        found.append(f"{int(digits):04d}")
    return found


def relations(body: str, sections: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(supersedes, superseded by) as the `## ` sections named in `sections` write them."""
    supersedes: list[str] = []
    superseded_by: list[str] = []
    inside = False
    for line in body.split("\n"):
        if line.startswith("## "):
            inside = line[3:].strip().lower() in sections
            continue
        match = _RELATION.match(line) if inside else None
        if match is None:
            continue
        refs = references(match.group("rest"))
        later = match.group("rel").lower() == "superseded by"
        (superseded_by if later else supersedes).extend(refs)
    return supersedes, superseded_by


def answered_status(written: str) -> tuple[str, tuple[str, ...], str | None] | None:
    """(status, who, their ISO date or None) of `Accepted by Ana, Bo on 2026-12-10`; None
    for a status written otherwise."""
    match = _ANSWERED.match(written.strip().rstrip(".").strip("*_ ").strip())
    if match is None:
        return None
    return match.group("status").lower(), people(match.group("who")), match.group("day")


def status_word(written: str) -> tuple[str, list[str]]:
    """(status, decisions it names) of a written status: `Superseded by [5](0005-x.md)`."""
    cleaned = written.strip().rstrip(".").strip("*_ ").strip()
    answered = answered_status(cleaned)
    if answered is not None:
        return answered[0], []
    lowered = cleaned.lower()
    if lowered.startswith("superseded"):
        rest = cleaned[len("superseded"):]
        rest = re.sub(r"^\s*by\b", "", rest, flags=re.IGNORECASE)
        return "superseded", references(rest)
    return (lowered if lowered in STATUSES else cleaned), []
