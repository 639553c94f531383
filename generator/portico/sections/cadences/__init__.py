"""Promises kept: the cadences the practice and the client declare, measured from the files."""

from portico.sections.cadences.section import CadencesSection

__all__ = ["CadencesSection"]
