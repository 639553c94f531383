"""Board packs: board/YYYY-MM-DD-words.md, each assembled from the engagement at its date."""

from portico.sections.board.section import BoardSection

__all__ = ["BoardSection"]
