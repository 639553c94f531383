"""A decision's answer written into its own file, in the format the file already uses.

- MADR (front matter): `status`, `date` and `decision-makers` set in place.
- MADR 2 / log4brains (a list under the title): the `Status`, `Date` and `Deciders` items.
- Nygard / adr-tools (`Date:` line, `## Status` section, no field for who decided): the
  status line becomes `Accepted by Margaret Okafor`, which the loader reads back as the
  status and the decision-makers; the `Date:` line (added under the title if missing) takes
  the day.

Everything else in the file stays as it was, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import re

from portico.authoring.yaml_edit import flow_list, scalar, set_keys
from portico.content.errors import PorticoError
from portico.sections.decisions.metadata import metadata_bullets
from portico.sections.decisions.model import Decision

_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_BULLET_LABEL = re.compile(
    r"^(?P<prefix>\s{0,3}[*+-]\s+(?:\*\*|__)?)(?P<label>[A-Za-z][A-Za-z _-]*?)"
    r"(?P<colon>\s*:\s*(?:\*\*|__)|(?:\*\*|__)\s*:|\s*:)\s*(?P<value>.*?)\s*$")
_DATE_LINE = re.compile(r"^Date:", re.IGNORECASE)
# What the answer sets in a MADR 2 list, and the labels (as metadata.py names them) it may
# already have there.
_LABELS = {"status": ("status",), "date": ("date", "last modified"),
           "decision makers": ("decision makers", "deciders")}


def front_matter(text: str) -> tuple[int, int] | None:
    """(start, end) of the front matter's YAML in `text` (after `---\\n`, before the closing
    line); None when the file has none."""
    if not text.startswith("---\n"):
        return None
    end = _FRONT_END.search(text, 4)
    return (4, end.start()) if end else None


def write_answer(text: str, decision: Decision, status: str, who: list[str], day: dt.date,
                 path: str) -> str:
    """`text` of `decision`'s file with `status` (accepted or rejected) decided by `who` on
    `day`, written the way the file writes its metadata."""
    if decision.format == "madr":
        return _madr(text, status, who, day, path)
    if decision.format == "madr2":
        return _madr2(text, decision, status, who, day)
    return _nygard(text, status, who, day)


def _madr(text: str, status: str, who: list[str], day: dt.date, path: str) -> str:
    span = front_matter(text)
    if span is None:
        raise PorticoError(f"{path}: no front matter to write the answer in")
    start, end = span
    block = text[start:end]
    import yaml

    current = yaml.safe_load(block) or {}
    makers_key = "deciders" if "deciders" in current and "decision-makers" not in current \
        else "decision-makers"
    written = current.get(makers_key)
    makers = flow_list(who) if isinstance(written, list) else scalar(", ".join(who))
    values = {"status": status, "date": scalar(day), makers_key: makers}
    if not block.strip():
        lines = "".join(f"{key}: {value}\n" for key, value in values.items())
        return text[:start] + lines + text[end:]
    block = set_keys(block, (), values, path=path, first_line=2,
                     after=("status", "date"))
    return text[:start] + block + text[end:]


def _madr2(text: str, decision: Decision, status: str, who: list[str], day: dt.date) -> str:
    span = front_matter(text)
    offset = text.count("\n", 0, span[1]) + 2 if span else 0  # the body's first line, 0-based
    lines = text.split("\n")
    bullets = metadata_bullets("\n".join(lines[offset:]))
    found = {label: offset + at for label, (_, at) in bullets.values.items()}
    words = {"status": _as_written(status, bullets.get("status")),
             "date": day.isoformat(), "decision makers": ", ".join(who)}
    status_at = found.get("status")
    for label, written_as in _LABELS.items():
        at = next((found[name] for name in written_as if name in found), None)
        if at is not None:
            match = _BULLET_LABEL.match(lines[at])
            if match is not None:
                lines[at] = match.group("prefix") + match.group("label") + \
                    match.group("colon") + " " + words[label]
                continue
        # missing: a new item after the status, in the status item's own style
        anchor = status_at if status_at is not None else (max(found.values()) if found else None)
        if anchor is None:
            raise PorticoError(f"{decision.doc.source}: no metadata list to write the answer in")
        match = _BULLET_LABEL.match(lines[anchor])
        assert match is not None
        name = "Date" if label == "date" else "Deciders"
        lines.insert(anchor + 1, match.group("prefix") + name + match.group("colon") + " "
                     + words[label])
        found = {k: (v + 1 if v > anchor else v) for k, v in found.items()}
        found[label] = anchor + 1
        status_at = anchor + 1 if label == "date" else status_at
    return "\n".join(lines)


def _as_written(status: str, before: tuple[str, int] | None) -> str:
    """`accepted`, or `Accepted` where the file capitalises its status."""
    return status.capitalize() if before and before[0][:1].isupper() else status


def _nygard(text: str, status: str, who: list[str], day: dt.date) -> str:
    span = front_matter(text)
    first = text.count("\n", 0, span[1]) + 2 if span else 0
    lines = text.split("\n")
    # The day goes on the `Date:` line alone: the status line is shown on the page as
    # written, where a date reads in the client's locale, never as 2026-12-10.
    answer = f"{status.capitalize()} by {', '.join(who)}"
    heading = _status_heading(lines, first)
    if heading is None:  # no `## Status` yet: one before the first section
        at = next((i for i in range(first, len(lines)) if lines[i].startswith("## ")),
                  len(lines))
        lines[at:at] = ["## Status", "", answer, ""]
    else:
        line = _status_line(lines, heading)
        if line is None:
            lines[heading + 1:heading + 1] = ["", answer]
        else:
            lines[line] = answer
    date_at = next((i for i in range(first, len(lines))
                    if lines[i].startswith("## ") or _DATE_LINE.match(lines[i])), None)
    if date_at is not None and _DATE_LINE.match(lines[date_at]):
        lines[date_at] = f"Date: {day.isoformat()}"
    else:
        title = next((i for i in range(first, len(lines)) if lines[i].startswith("# ")), None)
        at = (title + 1) if title is not None else first
        lines[at:at] = ["", f"Date: {day.isoformat()}"]
    return "\n".join(lines)


def _status_heading(lines: list[str], first: int) -> int | None:
    fenced = False
    for i in range(first, len(lines)):
        if lines[i].lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and lines[i].startswith("## ") and \
                lines[i][3:].strip().lower() == "status":
            return i
    return None


def _status_line(lines: list[str], heading: int) -> int | None:
    """The line the loader reads as the status: the section's first that is not blank and
    not a `Supersedes …` line."""
    for i in range(heading + 1, len(lines)):
        stripped = lines[i].strip()
        if stripped.startswith("## "):
            return None
        if stripped and not stripped.lower().startswith("supersedes"):
            return i
    return None
