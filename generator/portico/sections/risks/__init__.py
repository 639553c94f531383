"""The risk risks_of: risks.yml, its page with the heat map, its home card and top five."""

from portico.sections.risks.model import Risk, RiskRegister, band
from portico.sections.risks.section import RisksSection, risks_of

__all__ = ["Risk", "RiskRegister", "RisksSection", "band", "risks_of"]
