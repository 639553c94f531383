"""The sections of a portal, one subpackage each; the registry the shared machinery iterates.

To add a section: write `sections/<name>/` (a `Section` subclass and its templates, see
`sections/base.py`) and add one line to SECTIONS. Its position is its place in the navigation.
"""

from __future__ import annotations

from portico.content.model import SOURCE_FILES
from portico.sections.actions import ActionsSection
from portico.sections.assessment import AssessmentSection
from portico.sections.base import Markers, Section, Trace, YamlText, sentences
from portico.sections.board import BoardSection
from portico.sections.cadences import CadencesSection
from portico.sections.changes import ChangesSection
from portico.sections.decisions import DecisionsSection
from portico.sections.engagement import EngagementSection
from portico.sections.kpis import KpisSection
from portico.sections.meetings import MeetingsSection
from portico.sections.notes import NotesSection
from portico.sections.opportunities import OpportunitiesSection
from portico.sections.pages import PagesSection
from portico.sections.risks import RisksSection
from portico.sections.roadmap import RoadmapSection
from portico.sections.vendors import VendorsSection

SECTIONS: tuple[Section, ...] = (
    ChangesSection(),
    ActionsSection(),
    AssessmentSection(),
    RoadmapSection(),
    DecisionsSection(),
    RisksSection(),
    KpisSection(),
    VendorsSection(),
    OpportunitiesSection(),
    BoardSection(),
    MeetingsSection(),
    EngagementSection(),
    CadencesSection(),
    NotesSection(),
    PagesSection(),
)


def registered() -> tuple[Section, ...]:
    """The sections, in registry order; the shared machinery asks here on every use."""
    return SECTIONS


def source_files() -> frozenset[str]:
    """YAML files of a client folder that are never published nor linked to."""
    owned = {name for section in registered() for name in section.sources}
    return SOURCE_FILES | owned


__all__ = ["SECTIONS", "Markers", "Section", "Trace", "YamlText", "registered", "sentences",
           "source_files"]
