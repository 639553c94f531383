""""What's new": the changes to a client's portal, newest first, from its git history."""

from portico.sections.changes.section import ChangesSection

__all__ = ["ChangesSection"]
