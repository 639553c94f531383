"""time.csv: the time spent on the engagement, one row per entry, read with `csv` so every
bad row is reported at its own line."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field

from portico.content.model import InputModel, choice, did_you_mean, iso_date

if TYPE_CHECKING:
    from portico.content.load import Loader

FILE = "time.csv"
ACTIVITIES = ("assessment", "roadmap-review", "vendor-meeting", "leadership-meeting",
              "architecture-review", "coaching", "build-vs-buy", "ai-assessment",
              "board-reporting", "other")
COLUMNS = ("date", "hours", "days", "activity", "note", "internal")
MAX_BYTES = 2 * 1024 * 1024  # ten years of daily entries is about 600 kB
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n", ""}


class TimeEntry(InputModel):
    """One row of clients/<slug>/time.csv (header `date,hours,activity,note,internal`, or
    `days` instead of `hours`)."""

    date: dt.date = Field(description="The day worked, YYYY-MM-DD.")
    hours: float | None = Field(None, gt=0, le=24, allow_inf_nan=False,
                                description="Hours worked that day.")
    days: float | None = Field(None, gt=0, le=31, allow_inf_nan=False,
                               description="Or days worked (one of the two).")
    activity: choice(ACTIVITIES, "What the time went on.")  # type: ignore[valid-type]
    note: str | None = Field(None, description="What was done; shown in the portal unless "
                             "the entry is internal.")
    internal: bool = Field(False, description="The note stays in git, never in the portal; "
                           "the time still counts toward the days used.")

    def in_days(self, hours_per_day: float) -> float:
        """The entry's time in days (hours ÷ the commitment's hours a day)."""
        return self.days if self.days is not None else (self.hours or 0) / hours_per_day


@dataclass(frozen=True)
class Logged:
    """A time entry and its line in time.csv."""

    line: int
    entry: TimeEntry


@dataclass
class TimeLog:
    """time.csv as loaded: its entries; `present` when the file exists."""

    present: bool = False
    entries: list[Logged] = field(default_factory=list)


def read_time(path: Path, loader: Loader) -> TimeLog:
    """time.csv's rows; each bad row (and a bad header) is a problem at its line."""
    if not loader.present(path):
        return TimeLog()
    log = TimeLog(present=True)
    if path.stat().st_size > MAX_BYTES:
        loader.add(path, 0, f"is larger than {MAX_BYTES // 1024 // 1024} MB; split old "
                   "years into another file outside the client folder")
        return log
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        loader.add(path, 1 + path.read_bytes()[:exc.start].count(b"\n"),
                   "is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in Excel)")
        return log
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        loader.add(path, 1, f"header row is not valid CSV: {exc}")
        return log
    if header is None or not any(cell.strip() for cell in header):
        loader.add(path, 1, "needs a header row: date,hours,activity,note,internal "
                   "(or days instead of hours)")
        return log
    columns = [cell.strip().lower() for cell in header]
    unknown = [c for c in columns if c not in COLUMNS]
    missing = [c for c in ("date", "activity") if c not in columns]
    if unknown or missing or not {"hours", "days"} & set(columns) \
            or len(set(columns)) != len(columns):
        why = []
        for c in unknown:
            why.append(f"unknown column {c!r}{did_you_mean(c, COLUMNS)}")
        why += [f"missing column {c!r}" for c in missing]
        if not {"hours", "days"} & set(columns):
            why.append("needs an hours or a days column")
        if len(set(columns)) != len(columns):
            why.append("a column is named twice")
        loader.add(path, 1, "header row: " + "; ".join(why) + " (columns: date, hours or "
                   "days, activity, note, internal)")
        return log
    end = 1
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            loader.add(path, reader.line_num, f"not valid CSV: {exc}")
            break
        end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        entry = _entry(columns, row, lambda message, at=start: loader.add(path, at, message))
        if entry is not None:
            log.entries.append(Logged(start, entry))
    return log


def _entry(columns: list[str], row: list[str], report: Any) -> TimeEntry | None:
    if len(row) > len(columns):
        report(f"has {len(row)} cells but the header names {len(columns)} columns (a note "
               "with a comma needs quotes)")
        return None
    cells = {c: row[i].strip() if i < len(row) else "" for i, c in enumerate(columns)}
    problems: list[str] = []
    date: dt.date | None = None
    try:
        date = iso_date(cells["date"])
        if date is None:
            problems.append(f"date must be a date (YYYY-MM-DD), got {cells['date']!r}")
    except ValueError as exc:
        problems.append(f"date {exc}")
    amounts: dict[str, float] = {}
    for unit, top in (("hours", 24.0), ("days", 31.0)):
        text = cells.get(unit, "")
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            problems.append(f"{unit} must be a number, got {text!r}")
            continue
        if not 0 < value <= top:
            problems.append(f"{unit} must be above 0 and at most {top:g}, got {text}")
        else:
            amounts[unit] = value
    given = [u for u in ("hours", "days") if cells.get(u)]
    if not given:
        problems.append("needs hours or days")
    elif len(given) == 2:
        problems.append("gives both hours and days; keep one")
    activity = cells["activity"].lower()
    if activity not in ACTIVITIES:
        problems.append(f"activity must be one of {', '.join(ACTIVITIES)}; got "
                        f"{cells['activity']!r}{did_you_mean(cells['activity'], ACTIVITIES)}")
    flag = cells.get("internal", "").lower()
    if flag not in _TRUE | _FALSE:
        problems.append(f"internal must be true or false (or empty), got {cells['internal']!r}")
    for problem in problems:
        report(problem)
    if problems or date is None:
        return None
    return TimeEntry(date=date, hours=amounts.get("hours"), days=amounts.get("days"),
                     activity=activity, note=cells.get("note") or None,
                     internal=flag in _TRUE)


def append_entry(folder: Path, entry: TimeEntry) -> Path:
    """Add `entry` as the last row of `folder`/time.csv, written with its header when new.

    An existing file keeps its own columns (hours or days); a row it cannot hold in them
    (days into an hours-only file) is refused with a ValueError."""
    path = folder / FILE
    if path.is_file() and path.read_text("utf-8-sig").strip():
        text = path.read_text("utf-8-sig")
        header = [c.strip().lower() for c in next(csv.reader(io.StringIO(text)))]
    else:
        text, header = "", ["date", "hours" if entry.hours is not None else "days", "activity",
                            "note", "internal"]
    unit = "hours" if entry.hours is not None else "days"
    if unit not in header:
        raise ValueError(f"{FILE} has no {unit} column (its columns: {', '.join(header)})")
    values = {"date": entry.date.isoformat(), unit: f"{entry.hours or entry.days:g}",
              "activity": str(entry.activity), "note": entry.note or "",
              "internal": "true" if entry.internal else ""}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if not text:
        writer.writerow(header)
    elif not text.endswith("\n"):
        out.write("\n")
    writer.writerow([values.get(column, "") for column in header])
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(out.getvalue())
    return path
