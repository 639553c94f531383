"""Notes: notes/*.md, dated; a list, a page each, and the latest three on the home page."""

from portico.sections.notes.model import KINDS, Note, NoteMeta
from portico.sections.notes.section import NotesSection, notes_of

__all__ = ["KINDS", "Note", "NoteMeta", "NotesSection", "notes_of"]
