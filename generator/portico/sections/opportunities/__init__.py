"""opportunities.yml: AI and automation opportunities, value against effort, sequenced."""

from portico.sections.opportunities.section import OpportunitiesSection

__all__ = ["OpportunitiesSection"]
