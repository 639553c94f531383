"""`portico schema`: JSON Schemas of the YAML files, generated from the model's field docs."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from portico.content.model import Client
from portico.sections import registered


def schemas() -> dict[str, type[BaseModel]]:
    """{file stem: model} of every YAML file a CTO writes: client.yml, then each section's."""
    found: dict[str, type[BaseModel]] = {"client": Client}
    for section in registered():
        found.update(section.schema())
    return found


def write_schemas(root: Path) -> list[Path]:
    """Write schemas/<name>.schema.json for client.yml and each section's YAML files."""
    folder = root / "schemas"
    folder.mkdir(exist_ok=True)
    written = []
    for name, model in schemas().items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"Portico {name}.yml"
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written
