"""The decision log: decisions/*.md (MADR or Nygard), a page each, what cites them."""

from portico.sections.decisions.model import Decision, DecisionRef, decision_number
from portico.sections.decisions.refs import check_decision_refs, decisions_of, find_decision
from portico.sections.decisions.section import DecisionsSection

__all__ = ["Decision", "DecisionRef", "DecisionsSection", "check_decision_refs",
           "decision_number", "decisions_of", "find_decision"]
