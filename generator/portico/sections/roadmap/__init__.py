"""The roadmap: roadmap.yml, its timeline page, now/next/later, milestones, its home card."""

from portico.sections.roadmap.model import Milestone, Roadmap, RoadmapItem, quarter_bounds
from portico.sections.roadmap.section import RoadmapSection, roadmap_of

__all__ = ["Milestone", "Roadmap", "RoadmapItem", "RoadmapSection", "quarter_bounds",
           "roadmap_of"]
