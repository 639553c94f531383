"""meetings.yml: the engagement's regular meetings (cadences) and its one-off meetings.

Field syntax is checked here, each value at its own line; what depends on two fields (a
monthly cadence needs "first Tuesday", not "Tuesday") or on other files (attendees, the
asks and decisions an agenda covers) is checked by the section (`section.check`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zoneinfo
from functools import cache
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from portico.content.cadences import EVERY
from portico.content.model import InputModel, IsoDate, choice
from portico.sections.decisions.model import DecisionRef

WEEKLY = ("week", "2 weeks")  # the others take "first Tuesday" or a day of the month
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ORDINALS = ("first", "second", "third", "fourth", "last")
LAST_DAY = 28  # every month has it: a "31" would silently skip half the year
DEFAULT_MINUTES = 60
MAX_MINUTES = 12 * 60
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_DURATION = re.compile(r"^(?:(\d+)\s*h(?:ours?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?)?)?)?$")
_RULE_HELP = ("a day of the week (Tuesday), a week of the month and a day (first Tuesday, "
              "last Friday) or a day of the month 1..28")


def _weekday(word: str) -> str | None:
    """The weekday a word names: `Tuesday`, `tue` or `tues` → tuesday."""
    word = word.strip().lower()
    found = [d for d in WEEKDAYS if len(word) >= 3 and d.startswith(word)]
    return found[0] if len(found) == 1 else None


def _rule(value: Any) -> Any:
    """`tuesday`, `first tuesday` or a day of the month as text (`15`)."""
    if isinstance(value, bool):
        raise ValueError(f"must be {_RULE_HELP}, got {value!r}")
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        day = int(value)
        if not 1 <= day <= LAST_DAY:
            raise ValueError(f"as a day of the month must be 1..{LAST_DAY} (every month has "
                             f"it; write \"last Friday\" for the month's end), got {value!r}")
        return str(day)
    if isinstance(value, str):
        words = value.split()
        if len(words) == 1 and _weekday(words[0]):
            return _weekday(words[0])
        if len(words) == 2 and words[0].lower() in ORDINALS and _weekday(words[1]):
            return f"{words[0].lower()} {_weekday(words[1])}"
        hint = _near(value, (*WEEKDAYS, *(f"{o} {d}" for o in ORDINALS for d in WEEKDAYS)))
        raise ValueError(f"must be {_RULE_HELP}, got {value!r}{hint}")
    raise ValueError(f"must be {_RULE_HELP}, got {value!r}")


def _near(value: str, values: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value.strip().lower(), values, n=1, cutoff=0.75)
    return f" (did you mean {close[0].title()!r}?)" if close else ""


def _clock(value: Any) -> Any:
    if isinstance(value, str) and (found := _TIME.match(value.strip())):
        hours, minutes = int(found[1]), int(found[2])
        if hours > 23:
            raise ValueError(f"must be a time of day HH:MM (00:00 to 23:59), got {value!r}: "
                             f"there is no hour {hours}")
        if minutes > 59:
            raise ValueError(f"must be a time of day HH:MM (00:00 to 23:59), got {value!r}: "
                             f"there is no minute {minutes}")
        return dt.time(hours, minutes)
    if isinstance(value, dt.time):
        return value
    raise ValueError(f"must be a time of day written HH:MM on a 24-hour clock (\"09:30\", "
                     f"\"14:00\"), got {value!r}")


def _minutes(value: Any) -> Any:
    """A duration written `45m`, `1h` or `1h30m`, in minutes."""
    text = str(value).strip().lower() if isinstance(value, str) else None
    found = _DURATION.match(text) if text else None
    if found is None or not (found[1] or found[2]):
        bare = isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())
        hint = " (write the unit: 45m or 1h)" if bare else ""
        raise ValueError(f"must be a length of time such as 45m, 1h or 1h30m, got "
                         f"{value!r}{hint}")
    minutes = int(found[1] or 0) * 60 + int(found[2] or 0)
    if not 0 < minutes <= MAX_MINUTES:
        raise ValueError(f"must be more than 0 and at most {MAX_MINUTES // 60}h, got {value!r}")
    return minutes


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _zone(value: Any) -> Any:
    if isinstance(value, str) and value.strip() in _zones():
        return value.strip()
    hint = ""
    if isinstance(value, str):
        close = difflib.get_close_matches(value.strip(), sorted(_zones()), n=1, cutoff=0.8)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ValueError(f"must be an IANA time zone such as Europe/London or America/New_York, "
                     f"got {value!r}{hint}")


def _where(value: Any) -> Any:
    if isinstance(value, str) and re.match(r"^[a-z][a-z0-9+.-]*://", value.strip(), re.I) \
            and not re.match(r"^https?://\S+$", value.strip(), re.I):
        raise ValueError(f"must be a place, or a web link starting https://, got {value!r}")
    return value


Rule = Annotated[str, BeforeValidator(_rule), WithJsonSchema({
    "anyOf": [{"type": "string"}, {"type": "integer", "minimum": 1, "maximum": LAST_DAY}],
    "description": f"The day it falls on: {_RULE_HELP}."})]
Clock = Annotated[dt.time, BeforeValidator(_clock), WithJsonSchema({
    "type": "string", "pattern": r"^\d{1,2}:\d{2}$",
    "description": "Start time, HH:MM on a 24-hour clock (quote it: \"09:30\")."})]
Minutes = Annotated[int, BeforeValidator(_minutes), WithJsonSchema({
    "type": "string", "pattern": r"^(\d+h)?\s*(\d+m)?$",
    "description": "How long: 45m, 1h or 1h30m (default 1h)."})]
Zone = Annotated[str, BeforeValidator(_zone), WithJsonSchema({
    "type": "string", "description": "An IANA time zone, e.g. Europe/London."})]
Where = Annotated[str, BeforeValidator(_where), WithJsonSchema({
    "type": "string", "description": "A room, an address, or a video link (https://...)."})]


class Links(InputModel):
    """What a meeting's agenda covers, by id: each is a link on the Meetings page."""

    actions: list[str] = Field(default_factory=list,
                               description="Ask ids from actions.yml, e.g. [A-003].")
    decisions: list[DecisionRef] = Field(default_factory=list,
                                         description="Decision numbers, e.g. [\"0006\"].")


class _Meeting(InputModel):
    """What a regular and a one-off meeting both have."""

    id: str = Field(description="Unique in the file (cadences and meetings together): the "
                    "calendar's UID and the page anchor; never shown.")
    title: str = Field(description="What the meeting is, as the client calls it.")
    duration: Minutes | None = Field(None, description="How long: 45m, 1h or 1h30m (default "
                                     "1h when a time is given).")
    where: Where | None = Field(None, description="A room, an address, or a video link.")
    attendees: list[str] = Field(default_factory=list, description="Contacts' names as in "
                                 "client.yml, or `practice`.")
    agenda: str | None = Field(None, description="Markdown: what it covers.")
    links: Links = Field(default_factory=Links, description="The asks and decisions on its "
                         "agenda: `{actions: [A-003], decisions: [\"0006\"]}`.")
    internal: bool = Field(False, description="Kept in git, never in the portal nor in its "
                           "calendar file.")

    @property
    def minutes(self) -> int:
        return self.duration or DEFAULT_MINUTES


class Cadence(_Meeting):
    """A regular meeting: the weekly steering, the monthly review."""

    every: choice(EVERY, "How often: week, 2 weeks, month or quarter.")  # type: ignore[valid-type]
    weekday: Rule | None = Field(None, description="The day: Tuesday (every week or 2 weeks), "
                                 "first Tuesday, last Friday or a day 1..28 (every month or "
                                 "quarter). `on:` is the same field.")
    on: Rule | None = Field(None, description="Another name for `weekday`.")
    time: Clock = Field(description="Start time, \"HH:MM\" (24-hour clock).")
    starts: IsoDate = Field(description="The first meeting is the first matching day on or "
                            "after this date.")
    ends: IsoDate | None = Field(None, description="No meeting after this date.")
    skip: list[IsoDate] = Field(default_factory=list,
                                description="Dates of this cadence when it does not meet.")

    @model_validator(mode="before")
    @classmethod
    def _on_key(cls, data: Any) -> Any:
        # YAML 1.1 reads the key `on` as the boolean true.
        if isinstance(data, dict) and any(key is True for key in data):
            data = {("on" if key is True else key): value for key, value in data.items()}
        return data

    @property
    def rule(self) -> str | None:
        """`tuesday`, `first tuesday` or a day of the month (`15`), however it was written."""
        return self.weekday or self.on


class Meeting(_Meeting):
    """A one-off meeting."""

    date: IsoDate = Field(description="The day, YYYY-MM-DD.")
    time: Clock | None = Field(None, description="Start time, \"HH:MM\"; without it the "
                               "meeting takes the whole day.")
    cancelled: bool = Field(False, description="Called off: shown as cancelled, left out "
                            "of the calendar file.")


class MeetingsFile(InputModel):
    """clients/<slug>/meetings.yml."""

    timezone: Zone | None = Field(None, description="The IANA time zone the times are in, "
                                  "e.g. America/New_York (required once there are meetings).")
    cadences: list[Cadence] = Field(default_factory=list, description="Regular meetings.")
    meetings: list[Meeting] = Field(default_factory=list, description="One-off meetings.")
