"""decisions/*.md → Decision records, from any common ADR convention, as the files are.

Metadata, first found wins: MADR 3/4 front matter; MADR 2 / log4brains bullets under the
title; Nygard / adr-tools `Date:` line and `## Status` section. Names: see names.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from portico.content.model import Document, audience_of, did_you_mean, iso_date
from portico.sections.decisions.evaluation import evaluation_problems
from portico.sections.decisions.metadata import (
    answered_status,
    leading_date,
    metadata_bullets,
    people,
    relations,
    status_word,
)
from portico.sections.decisions.model import STATUSES, Decision, DecisionMeta
from portico.sections.decisions.names import DecisionFile, decision_files

if TYPE_CHECKING:
    from portico.content.load import Loader
    from portico.content.yamlfile import YamlDoc

SETTINGS_FILE = "decisions.yml"
# How alike an unknown front matter key must be to a known one to be called a typo: `stauts`,
# `decison-makers` and `supersede` score 0.83 to 0.97; `parent` and `nav_order` (MADR sites'
# own keys) score under 0.6 against every key.
NEAR_MISS = 0.8
_NYGARD_TITLE_NUMBER = re.compile(r"^\d+\.\s+")
_DATE_LINE = re.compile(r"^Date:\s*(.*?)\s*$", re.IGNORECASE)
_LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\([^)]*\)")
_MARKUP = re.compile(r"(\*\*|__|\*|_|`|~~)(?=\S)(.+?)(?<=\S)\1")
_STATUS_SECTIONS = ("status",)
_LINK_SECTIONS = ("links", "status", "related decisions")


class DecisionSettings(BaseModel):
    """decisions/decisions.yml: how Portico treats a decision log brought in as it is."""

    model_config = ConfigDict(extra="forbid")

    links: Literal["error", "warn"] = Field(
        "error", description="`warn`: a dead link in these decisions (an imported set whose "
        "links point into the repository it came from) is a warning and shows as plain text, "
        "not an error.")


def load_decisions(folder: Path, c: Loader) -> list[Decision]:
    """Every decision of `folder` (a client's decisions/), supersession resolved both ways."""
    if not c.folder(folder):
        return []
    settings = _settings(folder, c)
    files, skipped = decision_files(sorted(folder.glob("*.md")))
    for path, why in skipped:
        c.add(path, 0, why, "warning", kind="decision-skipped")
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and any(p.glob("*.md"))):
        c.add(sub, 0, "decisions in a sub-folder are not read: keep one log per client in "
              "decisions/ itself (an imported log's own decisions.yml can say `links: warn`)",
              "warning", kind="decision-subfolder")
    decisions = [d for d in (_load_decision(f, c, settings) for f in files) if d is not None]
    numbers = {f.path.name: f.number for f in files}
    return _resolve_supersession([_by_number(d, numbers) for d in decisions])


def _settings(folder: Path, c: Loader) -> DecisionSettings:
    path = folder / SETTINGS_FILE
    if not c.present(path):
        return DecisionSettings()
    return c.yaml(path, DecisionSettings, empty={}) or DecisionSettings()


def plain_title(text: str) -> str:
    """A heading as plain words: `Use `uv` for [Python](x)` → "Use uv for Python"."""
    text = _LINK.sub(r"\1", text)
    previous = None
    while previous != text:
        previous, text = text, _MARKUP.sub(r"\2", text)
    return " ".join(text.split())


def _load_decision(file: DecisionFile, c: Loader, settings: DecisionSettings) -> Decision | None:
    path = file.path
    parsed = c.markdown(path, DecisionMeta)
    if parsed is None:
        return None
    meta, body, body_line, front = parsed
    if front is not None:
        _warn_near_misses(front, c)
    if not meta.decision:
        line = front.line_of(("decision",)) if front is not None else 1
        c.add(path, line, "skipped: its front matter says `decision: false`", "warning",
              kind="decision-skipped")
        return None
    heading = c.first_heading(body, body_line)
    title = meta.title or (heading[0] if heading else None)
    if title is None:
        title = file.title_from_name
        c.add(path, body_line, f"no `# ` heading: titled {title!r} from its file name",
              "warning", kind="decision-heading-missing")
    title = plain_title(_NYGARD_TITLE_NUMBER.sub("", title))
    doc = Document(c.rel(path), path, title, body, body_line, meta.internal,
                   dead_links="warning" if settings.links == "warn" else "error",
                   **audience_of(meta))
    bullets = metadata_bullets(body)
    later, earlier = [], []
    if meta.supersedes:
        earlier.append(meta.supersedes)
    written: str | None
    if meta.status:
        status_line = front.line_of(("status",)) if front is not None else 2
        written, fmt = meta.status, "madr"
    elif bullets.get("status"):
        value, offset = bullets.get("status") or ("", 0)
        written, status_line, fmt = value, body_line + offset, "madr2"
    else:
        written, status_line, fmt = _nygard_status(body, body_line)
    if written is None:
        c.add(path, status_line, "no status found; shown as proposed", "warning",
              kind="decision-status-missing")
        status = "proposed"
        fmt = "madr" if front is not None else ("madr2" if bullets.offsets else "nygard")
    else:
        status, targets = status_word(written)
        later += targets
        if status not in STATUSES:
            c.add(path, status_line, _unknown_status(status), "warning",
                  kind="decision-status-unknown")
    section_earlier, section_later = relations(body, _LINK_SECTIONS)
    earlier += section_earlier
    later += section_later
    if meta.evaluation is not None and front is not None:
        for line, message in evaluation_problems(meta.evaluation, front.line_of):
            c.add(path, line, message)
    date, hidden = _date(meta.date, bullets.get("date", "last modified"), body, body_line,
                         file, c)
    makers = tuple(meta.decision_makers or meta.deciders)
    if not makers and bullets.get("decision makers", "deciders"):
        makers = people((bullets.get("decision makers", "deciders") or ("", 0))[0])
    answered = answered_status(written) if written else None
    if answered is not None:  # Nygard has no field for who decided, or when: its status says
        makers = makers or answered[1]
        if date is None and answered[2]:
            date = _day(answered[2])
    story = bullets.get("technical story")
    return Decision(
        file.number, doc, fmt, status, status_line, date, makers,  # type: ignore[arg-type]
        tuple(meta.consulted) or people((bullets.get("consulted") or ("", 0))[0]),
        tuple(meta.informed) or people((bullets.get("informed") or ("", 0))[0]),
        meta.kind, tuple(earlier), tuple(later), meta.evaluation,
        technical_story=story[0] if story else None, success=tuple(meta.success),
        metadata_lines=tuple(sorted({*bullets.offsets, *hidden})) if fmt != "madr" else (),
        references=meta.references(), lines=front.lines if front is not None else {},
    )


def _warn_near_misses(front: YamlDoc, c: Loader) -> None:
    """A front matter key one small edit away from a known one (`stauts`, `supersede`) is
    almost surely a typo whose value is silently lost; other keys are a site's own (MADR
    sites use `parent`, `nav_order`) and stay ignored."""
    known = DecisionMeta.keys()
    for key in front.data if isinstance(front.data, dict) else ():
        if not isinstance(key, str) or key in known:
            continue
        close = difflib.get_close_matches(key, known, n=1, cutoff=NEAR_MISS)
        if close:
            c.add(front.path, front.key_lines.get((key,), 2), f"{key}: unknown key, did you "
                  f"mean {close[0]}? (it is ignored as written)", "warning",
                  kind="decision-key-near-miss")


def _nygard_status(body: str, body_line: int) -> tuple[str | None, int, str]:
    """(the first line of the `## Status` section, its file line, "nygard"); None if none."""
    lines = body.split("\n")
    inside = False
    for offset, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("## "):
            if inside:
                break
            inside = stripped[3:].strip().lower() in _STATUS_SECTIONS
            continue
        if inside and stripped and not stripped.lower().startswith("supersedes"):
            return stripped, body_line + offset, "nygard"
    return None, body_line, "nygard"


def _date(front: dt.date | None, bullet: tuple[str, int] | None, body: str, body_line: int,
          file: DecisionFile, c: Loader) -> tuple[dt.date | None, list[int]]:
    """(the decision's date, body offsets of the line that gave it, to leave off the page)."""
    if front is not None:
        return front, []
    if bullet is not None:
        value, offset = bullet
        day = _day(leading_date(value) or value)
        if day is None:
            fallback = f"; the file name's {file.named_date} is shown" if file.named_date else ""
            c.add(file.path, body_line + offset, f"date {value!r} is not a date written "
                  f"YYYY-MM-DD{fallback}", "warning", kind="decision-date-unreadable")
            return file.named_date, []
        return day, [offset]
    for offset, line in enumerate(body.split("\n")):
        if line.startswith("## "):
            break
        match = _DATE_LINE.match(line.strip())
        if match:
            written = match.group(1)
            try:
                day = iso_date(written)
            except ValueError as exc:
                c.add(file.path, body_line + offset, f"date {exc}")
                return file.named_date, []
            if day is None:
                c.add(file.path, body_line + offset,
                      f"date must be a date (YYYY-MM-DD), got {written!r}")
                return file.named_date, []
            return day, [offset]
    return file.named_date, []


def _day(text: str) -> dt.date | None:
    try:
        return iso_date(text)
    except ValueError:
        return None


def _unknown_status(written: str) -> str:
    # Shown as written (a team's own word such as "on hold" is legitimate), but a near miss
    # of a known status is most likely a typo the CTO wants to hear about.
    return (f"status {written!r} is not one of {', '.join(STATUSES)}; shown as written"
            f"{did_you_mean(written, STATUSES)}")


def _by_number(decision: Decision, numbers: dict[str, str]) -> Decision:
    """References written as file names (`0005-use-x.md`, `20201016-slug.md`) → numbers."""
    def number(ref: str) -> str:
        return numbers.get(ref, ref) if ref.endswith(".md") else ref

    return _replace(decision, supersedes=tuple(dict.fromkeys(map(number, decision.supersedes))),
                    superseded_by=tuple(dict.fromkeys(map(number, decision.superseded_by))))


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
