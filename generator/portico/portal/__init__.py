"""Model → docs tree: the client-visible view, render, charts, templates."""
