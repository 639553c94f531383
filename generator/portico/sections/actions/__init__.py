"""actions.yml: what each side owes, with dates (the client's "Waiting on you")."""

from portico.sections.actions.section import ActionsSection

__all__ = ["ActionsSection"]
