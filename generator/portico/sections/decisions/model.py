"""Decision records (MADR front matter or Nygard's "## Status"), numbered by file name."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from portico.content.model import Audience, Document, IsoDate, Tags, choice, text_list
from portico.sections.decisions.evaluation import Evaluation
from portico.sections.decisions.success import SuccessCriterion

STATUSES = ("proposed", "accepted", "rejected", "deprecated", "superseded")
KINDS = ("architecture", "build-vs-buy", "vendor", "process", "other")


def decision_number(value: Any) -> str:
    """Normalise a decision reference (`3`, `"0003"`, `"ADR-0003"`) to `"0003"`."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return f"{value:04d}"
    if isinstance(value, str):
        match = re.fullmatch(r"(?:adr[-_ ]?)?0*(\d{1,6})", value.strip(), re.IGNORECASE)
        if match:
            return f"{int(match.group(1)):04d}"
    raise ValueError(f"must be a decision number such as \"0003\", got {value!r}")


DecisionRef = Annotated[
    str,
    BeforeValidator(decision_number),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}$", "description": "A decision number."}),
]


Ids = Annotated[list[str], BeforeValidator(text_list)]
# Front matter keys naming other items: each is a section's YAML file (`roadmap` →
# roadmap.yml), or `decisions`, and every id in them is checked like any other reference.
REFERENCE_KEYS = ("roadmap", "risks", "kpis", "vendors", "opportunities", "actions",
                  "decisions")


class DecisionMeta(BaseModel):
    """Front matter of a MADR decision; keys we do not know are ignored (MADR sites add some)."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, populate_by_name=True)

    status: str | None = None
    date: IsoDate | None = None
    decision_makers: Annotated[list[str], BeforeValidator(text_list)] = Field(
        default_factory=list, alias="decision-makers"
    )
    deciders: Annotated[list[str], BeforeValidator(text_list)] = Field(default_factory=list)
    consulted: Annotated[list[str], BeforeValidator(text_list)] = Field(default_factory=list)
    informed: Annotated[list[str], BeforeValidator(text_list)] = Field(default_factory=list)
    kind: choice(KINDS, "Kind of decision.") | None = None  # type: ignore[valid-type]
    supersedes: DecisionRef | None = None
    title: str | None = None
    internal: bool = False
    audience: Audience = None
    tags: Tags = Field(default_factory=list)
    decision: bool = Field(True, description="`false`: this file sits among the decisions "
                           "but is not one (a draft, a template); skipped with a warning.")
    evaluation: Evaluation | None = Field(
        None, description="A build-vs-buy evaluation: weighted criteria, scored options, TCO.")
    roadmap: Ids = Field(default_factory=list, description="Roadmap items this decision "
                         "concerns (ids in roadmap.yml; checked, shown on its page).")
    risks: Ids = Field(default_factory=list, description="Risks it answers (ids in risks.yml).")
    kpis: Ids = Field(default_factory=list, description="KPIs it is judged by (kpis.yml).")
    vendors: Ids = Field(default_factory=list, description="Vendors it concerns (vendors.yml).")
    opportunities: Ids = Field(default_factory=list,
                               description="AI opportunities it concerns (opportunities.yml).")
    actions: Ids = Field(default_factory=list, description="Asks it raised (actions.yml).")
    decisions: list[DecisionRef] = Field(default_factory=list,
                                         description="Related decisions (numbers).")
    success: list[SuccessCriterion] = Field(
        default_factory=list, description="Its success tests: each a KPI (`kpi:`), `below:` "
        "or `above:` a value, `by:` a date; the portal shows each one's verdict as the KPI's "
        "data stands (met, on the way, missed, not yet measurable).")

    def references(self) -> dict[str, tuple[str, ...]]:
        """The items it names, by the key naming them (`roadmap`, `risks`, ...)."""
        return {key: tuple(getattr(self, key)) for key in REFERENCE_KEYS if getattr(self, key)}

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """Every key its front matter may hold, as written (`decision-makers`)."""
        return tuple(info.alias or name for name, info in cls.model_fields.items())


@dataclass(frozen=True)
class Decision:
    """A decision record (MADR, MADR 2 bullets or Nygard), with supersession resolved both ways."""

    number: str
    doc: Document
    format: Literal["madr", "madr2", "nygard"]  # front matter, MADR 2 bullets, `## Status`
    status: str  # a known status word, or the status as written
    status_line: int
    date: dt.date | None = None
    decision_makers: tuple[str, ...] = ()
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()
    kind: str | None = None
    supersedes: tuple[str, ...] = ()
    superseded_by: tuple[str, ...] = ()
    evaluation: Evaluation | None = None
    technical_story: str | None = None  # MADR 2's "Technical Story" (Markdown)
    success: tuple[SuccessCriterion, ...] = ()  # its success tests (MADR front matter only)
    metadata_lines: tuple[int, ...] = ()  # body lines the page shows in its table instead
    references: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    """Items its front matter names, by key (`roadmap`: ("R3",)), as written."""
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, compare=False)
    """Its front matter's line marks, for problems with those references."""

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
        return self.status in STATUSES
