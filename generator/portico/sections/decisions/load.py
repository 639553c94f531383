"""decisions/*.md → Decision records: MADR front matter or Nygard's `## Status` section."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portico.content.model import Document, did_you_mean, iso_date
from portico.sections.decisions.evaluation import evaluation_problems
from portico.sections.decisions.model import STATUSES, Decision, DecisionMeta

if TYPE_CHECKING:
    from portico.content.load import Loader

_DECISION_FILE = re.compile(r"^(\d{1,6})[-_ ].*\.md$|^(\d{1,6})\.md$")
_NYGARD_TITLE_NUMBER = re.compile(r"^\d+\.\s+")
_DATE_LINE = re.compile(r"^Date:\s*(.*?)\s*$", re.IGNORECASE)
_REF_NUMBER = re.compile(r"\((?:\./)?(\d{1,6})[^)]*\.md\)|ADR[-_ ]?(\d{1,6})|^(\d{1,6})\b", re.I)


def load_decisions(folder: Path, c: Loader) -> list[Decision]:
    decisions: list[Decision] = []
    if not folder.is_dir():
        return decisions
    for path in sorted(folder.glob("*.md")):
        match = _DECISION_FILE.match(path.name)
        if match is None:
            if path.name not in {"index.md", "README.md"} and "template" not in path.name:
                c.add(path, 0, "not a decision: the file name must start with its number "
                      "(0003-adopt-postgres.md); skipped", "warning")
            continue
        number = f"{int(match.group(1) or match.group(2)):04d}"
        decision = _load_decision(path, number, c)
        if decision is not None:
            decisions.append(decision)
    return _resolve_supersession(decisions)


def _load_decision(path: Path, number: str, c: Loader) -> Decision | None:
    parsed = c.markdown(path, DecisionMeta)
    if parsed is None:
        return None
    meta, body, body_line, front = parsed
    heading = c.first_heading(body, body_line)
    title = meta.title or (heading[0] if heading else None)
    if title is None:
        c.add(path, body_line, "decision has no title: add a first `# ` heading")
        return None
    title = _NYGARD_TITLE_NUMBER.sub("", title)
    doc = Document(c.rel(path), path, title, body, body_line, meta.internal)
    if front is not None:
        written = (meta.status or "proposed").strip()
        status, targets = _status_word(written)
        status_line = front.line_of(("status",)) if meta.status else 2
        supersedes = (meta.supersedes,) if meta.supersedes else ()
        if status not in STATUSES:
            c.add(path, status_line, _unknown_status(written), "warning")
        if meta.evaluation is not None:
            for line, message in evaluation_problems(meta.evaluation, front.line_of):
                c.add(path, line, message)
        return Decision(
            number, doc, "madr", status, status_line, meta.date,
            tuple(meta.decision_makers or meta.deciders), tuple(meta.consulted),
            tuple(meta.informed), meta.kind, supersedes, targets, meta.evaluation,
        )
    return _nygard(path, number, doc, body, body_line, c)


def _unknown_status(written: str) -> str:
    # Shown as written (a team's own word such as "on hold" is legitimate), but a near miss
    # of a known status is most likely a typo the CTO wants to hear about.
    return (f"status {written!r} is not one of {', '.join(STATUSES)}; shown as written"
            f"{did_you_mean(written, STATUSES)}")


def _date_line(written: str, path: Path, line: int, c: Loader) -> dt.date | None:
    """The date of a Nygard `Date:` line; None (and an error at its line) when it is not one."""
    try:
        date = iso_date(written)
    except ValueError as exc:
        c.add(path, line, f"date {exc}")
        return None
    if date is None:
        c.add(path, line, f"date must be a date (YYYY-MM-DD), got {written!r}")
    return date


def _status_word(written: str) -> tuple[str, tuple[str, ...]]:
    lowered = written.lower()
    if lowered.startswith("superseded"):
        return "superseded", tuple(_numbers(written[len("superseded") :]))
    return (lowered if lowered in STATUSES else written), ()


def _numbers(text: str) -> list[str]:
    found = []
    for match in _REF_NUMBER.finditer(text.replace("by", " ").strip()):
        digits = next(g for g in match.groups() if g)
        found.append(f"{int(digits):04d}")
    return found


def _nygard(path: Path, number: str, doc: Document, body: str, body_line: int,
            c: Loader) -> Decision:
    lines = body.split("\n")
    date: dt.date | None = None
    status, status_line = "proposed", body_line
    supersedes: list[str] = []
    superseded_by: list[str] = []
    in_status = False
    for offset, line in enumerate(lines):
        stripped = line.strip()
        date_match = _DATE_LINE.match(stripped)
        if date_match and date is None:
            date = _date_line(date_match.group(1), path, body_line + offset, c)
        if stripped.startswith("## "):
            heading = stripped[3:].strip().lower()
            if in_status:
                break
            in_status = heading == "status"
            continue
        if not in_status or not stripped:
            continue
        lowered = stripped.lower()
        if lowered.startswith("superseded by"):
            superseded_by += _numbers(stripped[len("superseded by") :])
            status, status_line = "superseded", body_line + offset
        elif lowered.startswith("supersedes"):
            supersedes += _numbers(stripped[len("supersedes") :])
        elif status == "proposed" and status_line == body_line:
            word = stripped.rstrip(".").strip("*_ ")
            status, _ = _status_word(word)
            status_line = body_line + offset
            if status not in STATUSES:
                c.add(path, status_line, _unknown_status(word), "warning")
    return Decision(number, doc, "nygard", status, status_line, date,
                      supersedes=tuple(supersedes), superseded_by=tuple(superseded_by))


def _resolve_supersession(decisions: list[Decision]) -> list[Decision]:
    """Make supersession visible on both decisions, whichever side wrote it.

    Each decision keeps what it wrote itself and gains what others wrote about its number;
    two files sharing a number (an error `check` reports) do not swap references.
    """
    superseded_by_others: dict[str, set[str]] = {}
    supersedes_others: dict[str, set[str]] = {}
    for d in decisions:
        for old in d.supersedes:
            superseded_by_others.setdefault(old, set()).add(d.number)
        for new in d.superseded_by:
            supersedes_others.setdefault(new, set()).add(d.number)
    resolved = []
    for d in decisions:
        later = tuple(sorted(set(d.superseded_by) | superseded_by_others.get(d.number, set())))
        earlier = tuple(sorted(set(d.supersedes) | supersedes_others.get(d.number, set())))
        replaced = later and d.status in {"accepted", "proposed", "superseded"}
        status = "superseded" if replaced else d.status
        resolved.append(_replace(d, supersedes=earlier, superseded_by=later, status=status))
    return resolved


def _replace(decision: Decision, **changes: Any) -> Decision:
    return dataclasses.replace(decision, **changes)
