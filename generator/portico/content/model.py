"""The typed engagement model: what a CTO can write, validated field by field.

Every input model's fields carry a description: the JSON Schemas (`portico schema`)
and the content-model docs come from them. Validators raise `ValueError("must be ...")`;
`load` turns each into `path:line: field must be ..., got ...`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from portico.content.cadences import CADENCES_SCHEMA
from portico.content.errors import Problem
from portico.content.fields import FIRST_YEAR, LAST_YEAR, finite_number, in_calendar

if TYPE_CHECKING:
    from portico.content.history import History

PHASES = ("assessment", "roadmap", "execution", "transition", "closed")
# A client's YAML sources: never published, not even linked to (they hold internal items).
# Sections add the files they own (`Section.sources`); see `sections.source_files()`.
SOURCE_FILES = frozenset({"client.yml", "readers.yml"})

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_DATE_SHAPE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def did_you_mean(value: Any, values: tuple[str, ...]) -> str:
    """` (did you mean 'x'?)` when `value` is a near miss of one of `values`, else ""."""
    if not isinstance(value, str):
        return ""
    # 0.75, not difflib's 0.6: at 0.6 `doing` suggests `done`, a wrong guess worse than none.
    close = difflib.get_close_matches(value.strip().lower(), values, n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def did_you_mean_id(ref: str, ids: Iterable[str]) -> str:
    """` (did you mean RISK-001?)` when `ref` is a near miss of one of `ids` (case aside).
    None for numbers (decision 0007 is no more like 0001 than like 0070)."""
    if ref.isdigit():
        return ""
    by_folded = {str(i).casefold(): str(i) for i in ids}
    close = difflib.get_close_matches(ref.casefold(), list(by_folded), n=1, cutoff=0.75)
    return f" (did you mean {by_folded[close[0]]}?)" if close else ""


def _choice(values: tuple[str, ...]) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in values:
            return value.strip().lower()
        hint = did_you_mean(value, values)
        raise ValueError(f"must be one of {', '.join(values)}; got {value!r}{hint}")

    return check


def _in_range(low: int, high: int) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number {low}..{high}, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"must be {low}..{high}, got {value!r}")
        return value

    return check


def iso_date(text: str) -> dt.date | None:
    """The date `text` writes as YYYY-MM-DD; None when it is not written so.

    Raises ValueError("must be a real date: ...") for the right shape but no such day
    (2026-02-30), saying why, so the CTO is not told to use the format they used; and
    ValueError("must be a date in the years ...") outside FIRST_YEAR..LAST_YEAR (fields.py).
    """
    match = _DATE_SHAPE.match(text.strip())
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"must be a date in the years {FIRST_YEAR}..{LAST_YEAR}, got "
                         f"{text.strip()}")
    if not 1 <= month <= 12:
        reason = f"there is no month {month}"
    else:
        days = calendar.monthrange(year, month)[1]
        if 1 <= day <= days:
            return dt.date(year, month, day)
        reason = f"{calendar.month_name[month]} {year} has {days} days"
    raise ValueError(f"must be a real date: {text.strip()} does not exist ({reason})")


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return in_calendar(value.date())
    if isinstance(value, dt.date):
        return in_calendar(value)
    if isinstance(value, str):
        date = iso_date(value)
        if date is not None:
            return date
    raise ValueError(f"must be a date (YYYY-MM-DD), got {value!r}")


def notice_before(day: dt.date | None, days: int | None) -> dt.date | None:
    """`day` less `days` of notice; ValueError("must ...") when that leaves the calendar
    Portico keeps dates in (a notice period of 100,000 days is a typo, not a crash)."""
    if day is None:
        return None
    try:
        return in_calendar(day - dt.timedelta(days=days or 0))
    except (ValueError, OverflowError):
        written = str(days) if len(str(days)) <= 12 else f"a number of {len(str(days))} digits of"
        raise ValueError(f"must leave the notice date inside the years {FIRST_YEAR}.."
                         f"{LAST_YEAR}; {written} days before {day} does not") from None


def _colour(value: Any) -> Any:
    if isinstance(value, str) and _HEX.match(value.strip()):
        return value.strip().lower()
    raise ValueError(f"must be a CSS hex colour such as \"#0b5fff\", got {value!r}")


def text_list(value: Any) -> Any:
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


IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "description": "An ISO date."}),
]
Colour = Annotated[
    str,
    BeforeValidator(_colour),
    WithJsonSchema({"type": "string", "pattern": _HEX.pattern, "description": "CSS hex colour."}),
]


def _locale(value: Any) -> Any:
    if isinstance(value, str):
        from portico.portal.locale import parse_locale

        parse_locale(value)  # ValueError names the tag
    return value


Locale = Annotated[
    str,
    BeforeValidator(_locale),
    WithJsonSchema({"type": "string", "description": "A locale tag such as en-GB or en-US."}),
]


class InputModel(BaseModel):
    """A model of a file the CTO writes: unknown keys are errors, values immutable."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


VIEW_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # no `--`: it joins slug and view


def _view_names(value: Any) -> Any:
    value = text_list(value)
    if isinstance(value, list):
        for name in value:
            if not isinstance(name, str) or not VIEW_NAME.match(name):
                raise ValueError(f"must be view names (a-z, 0-9 and single -), got {name!r}")
    return value


def _tags(value: Any) -> Any:
    value = text_list(value)
    if isinstance(value, list):
        return [t.strip().lower() if isinstance(t, str) else t for t in value]
    return value


Audience = Annotated[
    list[str] | None,
    BeforeValidator(_view_names),
    WithJsonSchema({"type": ["array", "null"], "items": {"type": "string"}, "description":
                    "Views (client.yml `views:`) whose portals show it, e.g. [leadership, "
                    "board]; default: every view whose sections include it."}),
]
Tags = Annotated[
    list[str],
    BeforeValidator(_tags),
    WithJsonSchema({"type": "array", "items": {"type": "string"}, "description":
                    "Words a view can exclude (client.yml `views: ... exclude_tags:`), "
                    "e.g. [people, pricing]."}),
]


class Audienced(InputModel):
    """An item a client view can include or leave out: `audience:` and `tags:`."""

    audience: Audience = None
    tags: Tags = Field(default_factory=list)


FILE_AUDIENCE = "files/audience.yml"
"""Where a client says which views show each of its files (`FileAudience`)."""


class FileAudience(RootModel[dict[str, Audienced]]):
    """files/audience.yml: a file under files/ (its path there, e.g. rate-card.pdf) →
    its `audience:` and `tags:`. A file not listed is in every view that has a page
    linking to it."""


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


DELIVERABLE_STATUSES = ("planned", "in-progress", "done", "at-risk", "blocked", "dropped")


def _days(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 31:
        raise ValueError(f"must be a number of days above 0 (at most 31), got {value!r}")
    return finite_number(value)


Days = Annotated[float, BeforeValidator(_days),
                 WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 31})]


class Scope(InputModel):
    """What the engagement covers and what it leaves out, as agreed."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    included: list[str] = Field(default_factory=list, alias="in",
                                description="Markdown strings: what is in scope.")
    excluded: list[str] = Field(default_factory=list, alias="out",
                                description="Markdown strings: what is out of scope.")


class Deliverable(InputModel):
    """Something the engagement promises to hand over, by a date."""

    id: str = Field(description="Unique id, e.g. D-ROADMAP (the CTO's, never shown).")
    title: str = Field(description="What is delivered.")
    due: IsoDate | None = Field(None, description="When it is due.")
    status: choice(DELIVERABLE_STATUSES, "Where it stands.") = "planned"  # type: ignore[valid-type]
    internal: bool = Field(False, description="Kept in git, never in the portal.")


class Commitment(InputModel):
    """The time agreed: days a week or days a month (one of them)."""

    days_per_week: Days | None = Field(None, description="Days agreed each week, e.g. 2.")
    days_per_month: Days | None = Field(None, description="Days agreed each month, e.g. 8.")
    hours_per_day: Days = Field(8.0, description="Hours that make a day, for time.csv rows "
                                "given in hours (default 8).")

    def model_post_init(self, context: Any) -> None:
        if (self.days_per_week is None) == (self.days_per_month is None):
            raise ValueError("must give either days_per_week or days_per_month")


class Rate(InputModel):
    """The rate basis. Internal unless it says otherwise: never in the portal."""

    basis: str = Field(description="e.g. $1,850 a day, invoiced monthly in arrears.")
    internal: bool = Field(True, description="Kept out of the portal (default); false shows "
                           "it on the engagement page.")


class NextStep(Audienced):
    """One of the home page's next steps; a plain string is a step for every view."""

    text: str = Field(description="Markdown.")


def _next_step(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


Step = Annotated[
    NextStep,
    BeforeValidator(_next_step),
    WithJsonSchema({"anyOf": [
        {"type": "string", "description": "Markdown, shown in every view."},
        {"type": "object", "required": ["text"], "additionalProperties": False,
         "properties": {
             "text": {"type": "string", "description": "Markdown."},
             "audience": {"type": ["array", "null"], "items": {"type": "string"},
                          "description": "Views whose home page shows it."},
             "tags": {"type": "array", "items": {"type": "string"},
                      "description": "Words a view's exclude_tags can match."}}}]}),
]


class EngagementInfo(InputModel):
    """Dates, shape and status of the engagement."""

    start: IsoDate = Field(description="First day of the engagement.")
    end: IsoDate | None = Field(None, description="Last day, if agreed.")
    model: str | None = Field(None, description="fractional, assessment, advisory ...")
    cadence: str | None = Field(None, description="e.g. 2 days a week")
    phase: choice(PHASES, "Where the engagement stands.") | None = None  # type: ignore[valid-type]
    summary: str | None = Field(None, description="Markdown, shown on the portal home.")
    next_steps: list[Step] = Field(
        default_factory=list, description="Markdown strings, shown on the portal home of "
        "every view; a step for some views only is `{text: ..., audience: [...]}` (or "
        "carries `tags:`).")
    scope: Scope | None = Field(None, description="`in:` and `out:`: what is in scope.")
    deliverables: list[Deliverable] = Field(default_factory=list,
                                            description="What the engagement hands over.")
    commitment: Commitment | None = Field(
        None, description="Time agreed; time.csv is counted against it.")
    renewal: IsoDate | None = Field(None, description="When the engagement renews (or ends "
                                    "unless renewed).")
    notice_days: int | None = Field(None, ge=0, description="Days before `renewal` by which "
                                    "either side gives notice; the portal flags the notice "
                                    "date 60 days ahead.")
    rate: Rate | None = Field(None, description="The rate basis; internal by default.")

    @field_validator("notice_days")
    @classmethod
    def _notice_in_calendar(cls, days: int | None, info: ValidationInfo) -> int | None:
        notice_before(info.data.get("renewal"), days)
        return days

    @property
    def notice_date(self) -> dt.date | None:
        """The last day to give notice: `renewal` less `notice_days` (the renewal itself
        when no notice period is agreed)."""
        return notice_before(self.renewal, self.notice_days)


FORGET_MIN = 4  # shorter phrases ("Ops") would match inside every page's own words


def _forgotten_phrase(value: Any) -> Any:
    if isinstance(value, str) and len(" ".join(value.split())) < FORGET_MIN:
        raise ValueError(f"must be at least {FORGET_MIN} characters (a shorter word is too "
                         f"common to forbid on every page), got {value!r}")
    return value


ForgottenPhrase = Annotated[
    str,
    BeforeValidator(_forgotten_phrase),
    WithJsonSchema({"type": "string", "minLength": FORGET_MIN,
                    "description": "Words that must never be shown again."}),
]


class Forget(InputModel):
    """What the portal must never show again from the engagement's history in git: deleted
    or reworded items whose old wording is still in earlier commits
    (`portico docs content-model`, "What 'as it stood' keeps")."""

    ids: list[str] = Field(
        default_factory=list,
        description="Ids of items (risk, decision number, roadmap item, vendor, KPI, "
        "opportunity, a note's or board pack's file name without .md) whose past is dropped "
        "from every commit read from git: old board packs, their PDFs, What's new, trends "
        "and the search index. An id no longer in the files is fine (forgetting something "
        "already deleted); an item with that id today is shown, with no past.")
    phrases: list[ForgottenPhrase] = Field(
        default_factory=list,
        description="Words that must never appear in the portal again, case and spacing "
        "ignored (a single word is matched whole). Every past state of an item whose text "
        "holds one is dropped; `portico check` refuses one still in today's files, and the "
        "build's verify fails if one is in any decrypted page, PDF's page or search entry.")


class ViewSpec(InputModel):
    """One audience's portal (client.yml `views:`): which sections it shows, what it leaves out."""

    sections: list[str] | None = Field(
        None, description="Section names it includes (risks, roadmap, decisions, board ...); "
        "default: every section.")
    exclude_tags: Tags = Field(default_factory=list, description="Items carrying one of these "
                               "`tags:` are left out of this view.")
    default: bool = Field(False, description="The default view: built at site/<slug>/, and "
                          "the view of readers that name none (default: the first view).")
    label: str | None = Field(None, description="Who it is for, e.g. Board (never shipped).")
    answers: bool = Field(True, description="Whether this view's pages have the answer buttons "
                          "(Approve, Done, Acknowledge receipt ...); false: none, e.g. for an "
                          "audience that reads decisions others take.")


class Client(InputModel):
    """clients/<slug>/client.yml."""

    name: str = Field(description="Display name of the client.")
    engagement: EngagementInfo = Field(description="The engagement itself.")
    contacts: list[Contact] = Field(default_factory=list, description="People at the client.")
    branding: Branding = Field(default_factory=Branding, description="Logo and colour.")
    portal: PortalOptions = Field(default_factory=PortalOptions, description="Portal options.")
    locale: Locale | None = Field(
        None, description="How the portal writes dates, money and numbers, and the paper its "
        "PDFs print on: a tag such as en-GB or en-US (default: the practice's, else en-GB).")
    forget: Forget = Field(
        default_factory=Forget, description="Ids and phrases the portal must never show "
        "again, not even as the engagement stood in an old board pack.")
    views: dict[str, ViewSpec] = Field(
        default_factory=dict, description="Named audiences, each built as its own portal "
        "(`portico docs content-model`, Views). None: one portal showing every "
        "client-visible item.")
    # Read (with a line for each mistake) by content.cadences, which takes both shapes.
    cadences: Annotated[Any, WithJsonSchema(CADENCES_SCHEMA)] = Field(
        None, description="Promises (cadences) for this client, replacing the practice's "
        "(mkdocs.yml extra.practice.cadences) of the same `what`: [{what: status-note, every: "
        "week, shown: true}] or {status-note: week}.")

    def model_post_init(self, context: Any) -> None:
        for name in self.views:
            if not VIEW_NAME.match(name):
                raise ValueError(f"views: {name!r} must be a view name (a-z, 0-9 and single -)")
        if sum(spec.default for spec in self.views.values()) > 1:
            raise ValueError("views: only one view can be `default: true`")

    @property
    def default_view(self) -> str | None:
        """The view built at site/<slug>/ (the one marked default, else the first); None
        when the client declares no views."""
        for name, spec in self.views.items():
            if spec.default:
                return name
        return next(iter(self.views), None)


# --- Markdown front matter -------------------------------------------------------


class PageMeta(Audienced):
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
    dead_links: str = "error"  # "warning": an imported set's dead links warn, show as text
    audience: tuple[str, ...] | None = None  # front matter `audience:` (views showing it)
    tags: tuple[str, ...] = ()  # front matter `tags:` (a view's exclude_tags match these)


def audience_of(meta: Any) -> dict[str, Any]:
    """A front matter's `audience:` and `tags:`, as `Document` keeps them."""
    audience = getattr(meta, "audience", None)
    return {"audience": tuple(audience) if audience is not None else None,
            "tags": tuple(getattr(meta, "tags", ()) or ())}


@dataclass
class Engagement:
    """Everything loaded for one client. Internal items are still here; render drops them."""

    slug: str
    root: Path  # the client folder
    source: str  # clients/<slug>
    client: Client
    lines: dict[str, dict[tuple[str | int, ...], int]] = field(default_factory=dict)
    parts: dict[str, Any] = field(default_factory=dict)  # by section name (sections/)
    history: History | None = None  # its files at earlier commits (content.history), if read
    sections: frozenset[str] | None = None  # a view's sections (portal.audience); None: all
    file_audience: dict[str, Audienced] = field(default_factory=dict)  # files/audience.yml
    hidden_files: frozenset[Path] = frozenset()  # under files/, outside this copy's view
    view: str | None = None  # the client view this copy was filtered for (portal.audience)

    def shows(self, section: str) -> bool:
        """Whether this engagement's portal has the section (a view may leave it out)."""
        return self.sections is None or section in self.sections

    def line(self, file: str, loc: tuple[str | int, ...]) -> int:
        """The line of `loc` in one of the client's YAML files (the nearest enclosing key's)."""
        lines = self.lines.get(file, {})
        while loc and loc not in lines:
            loc = loc[:-1]
        return lines.get(loc, 1)


@dataclass
class Practice:
    """The repository: shared pages, base config and every client."""

    root: Path
    clients: list[Engagement]
    shared_pages: list[Document]
    warnings: list[Problem] = field(default_factory=list)  # found while loading
    load_errors: list[Problem] = field(default_factory=list)  # load_practice(keep_going=True)
