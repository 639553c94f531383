"""Writing a practice's files: `portico init` and `portico new ...` scaffolds."""
