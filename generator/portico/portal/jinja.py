"""Where templates are found: the portal's own (`templates/`), then each section's.

A section's templates are addressed as `<section name>/<file>` (`risks/page.md.j2`); the
portal's own by their plain name (`home.md.j2`, `_macros.md.j2`, `charts/_frame.svg.j2`),
so a section's template can import the shared macros.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).parent / "templates"


def template_loader() -> jinja2.BaseLoader:
    """A loader over the portal's templates and, by prefix, every registered section's."""
    from portico.sections import registered  # the sections import the portal's helpers

    return jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(TEMPLATES),
        jinja2.PrefixLoader({s.name: jinja2.FileSystemLoader(s.templates) for s in registered()}),
    ])
