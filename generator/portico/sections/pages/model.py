"""pages/**/*.md: any further pages, at any depth (front matter: `PageMeta`)."""

from __future__ import annotations

from dataclasses import dataclass

from portico.content.model import Document


@dataclass(frozen=True)
class Page:
    """A further page from pages/, with its path inside pages/."""

    doc: Document
    relpath: str  # e.g. runbooks/incident-response.md
    hide: tuple[str, ...] = ()
