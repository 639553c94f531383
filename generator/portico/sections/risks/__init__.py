"""The risk register: risks.yml, its page with the heat map, its home card and top five."""

from portico.sections.risks.model import Risk, RiskRegister, band
from portico.sections.risks.section import Risks, register

__all__ = ["Risk", "RiskRegister", "Risks", "band", "register"]
