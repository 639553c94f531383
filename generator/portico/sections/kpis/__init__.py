"""kpis.yml: the engagement's measures, monthly values against their targets."""

from portico.sections.kpis.section import KpisSection

__all__ = ["KpisSection"]
