"""The engagement's terms and hours: client.yml `engagement:` terms and time.csv."""

from portico.sections.engagement.section import EngagementSection

__all__ = ["EngagementSection"]
