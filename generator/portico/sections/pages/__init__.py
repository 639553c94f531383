"""Further pages: pages/**/*.md at any depth, their folders nested in the navigation."""

from portico.sections.pages.model import Page
from portico.sections.pages.section import PagesSection, pages_of

__all__ = ["Page", "PagesSection", "pages_of"]
