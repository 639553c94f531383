"""Files → typed model: YAML with line marks, errors, links, load, check, schema."""
