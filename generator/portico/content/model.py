"""The typed engagement model: what a CTO can write, validated field by field.

Every input model's fields carry a description: the JSON Schemas (`portico schema`)
and the content-model docs come from them. Validators raise `ValueError("must be ...")`;
`load` turns each into `path:line: field must be ..., got ...`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from portico.content.errors import Problem

PHASES = ("assessment", "roadmap", "execution", "transition", "closed")
ITEM_STATUSES = ("planned", "in-progress", "done", "at-risk", "blocked", "dropped")
HORIZONS = ("now", "next", "later")
DECISION_STATUSES = ("proposed", "accepted", "rejected", "deprecated", "superseded")
DECISION_KINDS = ("architecture", "build-vs-buy", "vendor", "process", "other")
NOTE_KINDS = ("meeting", "board-update", "status", "vendor-review", "other")
# A client's YAML sources: never published, not even linked to (they hold internal items).
# Sections add the files they own (`Section.sources`); see `sections.source_files()`.
SOURCE_FILES = frozenset({"client.yml", "roadmap.yml", "readers.yml"})

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def _choice(values: tuple[str, ...]) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in values:
            return value.strip().lower()
        raise ValueError(f"must be one of {', '.join(values)}; got {value!r}")

    return check


def _in_range(low: int, high: int) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"must be {low}..{high}, got {value!r}")
        return value

    return check


def _when(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if _QUARTER.match(value.strip()):
            return value.strip().upper()
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"must be a date (YYYY-MM-DD) or a quarter (YYYY-Qn), got {value!r}")


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"must be a date (YYYY-MM-DD), got {value!r}")


def decision_number(value: Any) -> str:
    """Normalise a decision reference (`3`, `"0003"`, `"ADR-0003"`) to `"0003"`."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return f"{value:04d}"
    if isinstance(value, str):
        match = re.fullmatch(r"(?:adr[-_ ]?)?0*(\d{1,6})", value.strip(), re.IGNORECASE)
        if match:
            return f"{int(match.group(1)):04d}"
    raise ValueError(f"must be a decision number such as \"0003\", got {value!r}")


def _colour(value: Any) -> Any:
    if isinstance(value, str) and _HEX.match(value.strip()):
        return value.strip().lower()
    raise ValueError(f"must be a CSS hex colour such as \"#0b5fff\", got {value!r}")


def _text_list(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def choice(values: tuple[str, ...], description: str) -> Any:
    """A text field taking one of `values`, case-insensitively, with its schema."""
    return Annotated[
        str,
        BeforeValidator(_choice(values)),
        WithJsonSchema({"type": "string", "enum": list(values), "description": description}),
    ]


def scale(low: int, high: int, description: str) -> Any:
    """A whole number in low..high, with its schema."""
    return Annotated[
        int,
        BeforeValidator(_in_range(low, high)),
        WithJsonSchema(
            {"type": "integer", "minimum": low, "maximum": high, "description": description}
        ),
    ]


When = Annotated[
    dt.date | str,
    BeforeValidator(_when),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": r"^\d{4}-[Qq][1-4]$"},
            ],
            "description": "An ISO date (2026-03-02) or a quarter (2026-Q3).",
        }
    ),
]
IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "description": "An ISO date."}),
]
DecisionRef = Annotated[
    str,
    BeforeValidator(decision_number),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}$", "description": "A decision number."}),
]
Colour = Annotated[
    str,
    BeforeValidator(_colour),
    WithJsonSchema({"type": "string", "pattern": _HEX.pattern, "description": "CSS hex colour."}),
]
Maturity = scale(0, 5, "0 (non-existent) .. 5 (best in class)")


class InputModel(BaseModel):
    """A model of a file the CTO writes: unknown keys are errors, values immutable."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


def quarter_bounds(value: dt.date | str) -> tuple[dt.date, dt.date]:
    """First and last day a roadmap date covers: the day itself, or the whole quarter."""
    if isinstance(value, dt.date):
        return value, value
    match = _QUARTER.match(value)
    assert match, value
    year, quarter = int(match.group(1)), int(match.group(2))
    first = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, following - dt.timedelta(days=1)


# --- client.yml ----------------------------------------------------------------


class Contact(InputModel):
    """A person at the client the portal lists on its home page."""

    name: str = Field(description="Full name.")
    role: str | None = Field(None, description="Role, e.g. CEO.")
    email: str | None = Field(None, description="E-mail address (optional).")


class Branding(InputModel):
    """How the client's portal looks."""

    logo: str | None = Field(None, description="Path of the logo inside the client folder.")
    primary_color: Colour | None = Field(None, description="Primary colour, CSS hex.")


class PortalOptions(InputModel):
    """Portal behaviour the client opts into."""

    show_name_on_login: bool = Field(
        False, description="Show the client's name on the (public) login screen."
    )


class EngagementInfo(InputModel):
    """Dates, shape and status of the engagement."""

    start: IsoDate = Field(description="First day of the engagement.")
    end: IsoDate | None = Field(None, description="Last day, if agreed.")
    model: str | None = Field(None, description="fractional, assessment, advisory ...")
    cadence: str | None = Field(None, description="e.g. 2 days a week")
    phase: choice(PHASES, "Where the engagement stands.") | None = None  # type: ignore[valid-type]
    summary: str | None = Field(None, description="Markdown, shown on the portal home.")
    next_steps: list[str] = Field(default_factory=list, description="Markdown strings.")


class Client(InputModel):
    """clients/<slug>/client.yml."""

    name: str = Field(description="Display name of the client.")
    engagement: EngagementInfo = Field(description="The engagement itself.")
    contacts: list[Contact] = Field(default_factory=list, description="People at the client.")
    branding: Branding = Field(default_factory=Branding, description="Logo and colour.")
    portal: PortalOptions = Field(default_factory=PortalOptions, description="Portal options.")


# --- roadmap.yml ---------------------------------------------------------------


class RoadmapItem(InputModel):
    """One piece of work on the roadmap."""

    id: str = Field(description="Unique id in the file, e.g. R1.")
    title: str = Field(description="What will be done.")
    workstream: str | None = Field(None, description="Lane on the timeline.")
    start: When | None = Field(None, description="ISO date or YYYY-Qn.")
    end: When | None = Field(None, description="ISO date or YYYY-Qn, not before start.")
    horizon: choice(HORIZONS, "For undated items.") | None = None  # type: ignore[valid-type]
    status: choice(ITEM_STATUSES, "Where the item stands.")  # type: ignore[valid-type]
    owner: str | None = Field(None, description="Who is accountable.")
    depends_on: list[str] = Field(default_factory=list, description="Ids of other items.")
    decisions: list[DecisionRef] = Field(default_factory=list, description="Decision numbers.")
    description: str | None = Field(None, description="Markdown.")
    internal: bool = Field(False, description="Kept in git, never in the portal.")

    @property
    def dated(self) -> bool:
        """Whether the item can be drawn on the timeline."""
        return self.start is not None or self.end is not None

    def span(self) -> tuple[dt.date, dt.date] | None:
        """First and last day the item covers, or None when undated."""
        if not self.dated:
            return None
        first = quarter_bounds(self.start or self.end)[0]  # type: ignore[arg-type]
        last = quarter_bounds(self.end or self.start)[1]  # type: ignore[arg-type]
        return first, last


class Milestone(InputModel):
    """A dated marker on the timeline."""

    title: str = Field(description="What is reached.")
    date: IsoDate = Field(description="When.")
    workstream: str | None = Field(None, description="Lane to draw it in (default: all).")
    internal: bool = Field(False, description="Kept in git, never in the portal.")


class Roadmap(InputModel):
    """clients/<slug>/roadmap.yml."""

    workstreams: list[str] = Field(default_factory=list, description="Lane order.")
    items: list[RoadmapItem] = Field(default_factory=list, description="Roadmap items.")
    milestones: list[Milestone] = Field(default_factory=list, description="Milestones.")


# --- Markdown front matter -------------------------------------------------------


class ScoreArea(InputModel):
    """One row of the maturity scorecard."""

    area: str = Field(description="Area assessed, e.g. Architecture.")
    score: Maturity = Field(description="0..5")  # type: ignore[valid-type]
    target: Maturity | None = None  # type: ignore[valid-type]
    note: str | None = Field(None, description="One line of evidence.")


class AssessmentMeta(InputModel):
    """Front matter of assessment.md / assessment/*.md."""

    title: str | None = None
    scores: list[ScoreArea] = Field(default_factory=list, description="Maturity scorecard.")
    internal: bool = False


class DecisionMeta(BaseModel):
    """Front matter of a MADR decision; keys we do not know are ignored (MADR sites add some)."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, populate_by_name=True)

    status: str | None = None
    date: IsoDate | None = None
    decision_makers: Annotated[list[str], BeforeValidator(_text_list)] = Field(
        default_factory=list, alias="decision-makers"
    )
    deciders: Annotated[list[str], BeforeValidator(_text_list)] = Field(default_factory=list)
    consulted: Annotated[list[str], BeforeValidator(_text_list)] = Field(default_factory=list)
    informed: Annotated[list[str], BeforeValidator(_text_list)] = Field(default_factory=list)
    kind: choice(DECISION_KINDS, "Kind of decision.") | None = None  # type: ignore[valid-type]
    supersedes: DecisionRef | None = None
    title: str | None = None
    internal: bool = False


class NoteMeta(InputModel):
    """Front matter of a note."""

    title: str | None = None
    date: IsoDate | None = None
    kind: choice(NOTE_KINDS, "Kind of note.") | None = None  # type: ignore[valid-type]
    attendees: Annotated[list[str], BeforeValidator(_text_list)] = Field(default_factory=list)
    internal: bool = False


class PageMeta(InputModel):
    """Front matter of a page under pages/."""

    title: str | None = None
    internal: bool = False
    hide: list[Literal["navigation", "toc", "footer"]] = Field(default_factory=list)


# --- The loaded engagement -----------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """A Markdown file of the client: where it is, its title and its body."""

    source: str  # path relative to the repository root
    path: Path
    title: str
    body: str
    body_line: int  # file line of the body's first line
    internal: bool = False


@dataclass(frozen=True)
class Decision:
    """A decision record (MADR or Nygard), with supersession resolved both ways."""

    number: str
    doc: Document
    format: Literal["madr", "nygard"]
    status: str  # a known status word, or the status as written
    status_line: int
    date: dt.date | None = None
    decision_makers: tuple[str, ...] = ()
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()
    kind: str | None = None
    supersedes: tuple[str, ...] = ()
    superseded_by: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """The decision's title (first heading)."""
        return self.doc.title

    @property
    def internal(self) -> bool:
        """Never reaches the portal."""
        return self.doc.internal

    @property
    def known_status(self) -> bool:
        """Whether the status is one of MADR's words (others get a neutral badge)."""
        return self.status in DECISION_STATUSES


@dataclass(frozen=True)
class Note:
    """A dated note: meeting, board update, status report."""

    doc: Document
    date: dt.date
    kind: str | None = None
    attendees: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """The assessment: one or more pages, and the scorecard from the first page."""

    pages: tuple[Document, ...]
    scores: tuple[ScoreArea, ...] = ()


@dataclass(frozen=True)
class Page:
    """A further page from pages/, with its path inside pages/."""

    doc: Document
    relpath: str  # e.g. runbooks/incident-response.md
    hide: tuple[str, ...] = ()


@dataclass
class Engagement:
    """Everything loaded for one client. Internal items are still here; render drops them."""

    slug: str
    root: Path  # the client folder
    source: str  # clients/<slug>
    client: Client
    assessment: Assessment | None = None
    roadmap: Roadmap | None = None
    decisions: list[Decision] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    lines: dict[str, dict[tuple[str | int, ...], int]] = field(default_factory=dict)
    parts: dict[str, Any] = field(default_factory=dict)  # by section name (sections/)

    def line(self, file: str, loc: tuple[str | int, ...]) -> int:
        """The line of `loc` in one of the client's YAML files (the nearest enclosing key's)."""
        lines = self.lines.get(file, {})
        while loc and loc not in lines:
            loc = loc[:-1]
        return lines.get(loc, 1)

    def decision(self, number: str) -> Decision | None:
        """The decision with this number, if any."""
        return next((d for d in self.decisions if d.number == number), None)


@dataclass
class Practice:
    """The repository: shared pages, base config and every client."""

    root: Path
    clients: list[Engagement]
    shared_pages: list[Document]
    warnings: list[Problem] = field(default_factory=list)  # found while loading
