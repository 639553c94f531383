"""`portico new risk|roadmap|kpi|area`: one entry added in place to the file that holds it,
with the next free id, every comment and line of the file kept (see `append.py`).

Each entry is checked with the model `check` uses before anything is written, so a bad
value is refused as an option's error, not found later at a line.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from portico.authoring.append import append_entry, insert_entry
from portico.authoring.scaffold import _client_folder, _schema_ref, _titled
from portico.content.errors import PorticoError

__all__ = ["new_area", "new_kpi", "new_risk", "new_roadmap_item"]


def _validated(model: type[BaseModel], fields: dict[str, Any], options: dict[str, str]) -> None:
    """Refuse `fields` as `check` would, naming the option the user gave."""
    try:
        model.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else ""
        detail = error["ctx"]["error"] if "ctx" in error and "error" in error["ctx"] \
            else error["msg"]
        raise PorticoError(f"{options.get(field, field)}: {detail}") from None


def _entries(path: Path, key: str) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    items = data.get(key) if isinstance(data, dict) else None
    return [i for i in items or [] if isinstance(i, dict)]


def _next(entries: list[dict[str, Any]], pattern: str, width: int, prefix: str) -> str:
    numbers = [int(m.group(1)) for i in entries if (m := re.fullmatch(pattern, str(i.get("id"))))]
    return f"{prefix}{max(numbers, default=0) + 1:0{width}d}"


def _scalar(value: object) -> str:
    """`value` as YAML writes it on one line: quoted only when it must be (`yes`, `1:2`)."""
    return yaml.safe_dump(value, allow_unicode=True, width=10**6).removesuffix("...\n").strip()


def _line(key: str, value: object) -> str:
    return "" if value is None else f"    {key}: {_scalar(value)}\n"


def new_risk(root: Path, client: str, title: str, *, likelihood: int, impact: int,
             owner: str, mitigation: str | None = None, review: dt.date | None = None,
             risk_id: str | None = None, today: dt.date | None = None) -> Path:
    """Add an open risk to CLIENT's risks.yml (created when missing) with the next RISK-NNN
    id, raised today and due for review in 30 days unless `review` says otherwise."""
    from portico.sections.risks.model import Risk

    title = _titled(title, "risk")
    today = today or dt.date.today()
    review = review or today + dt.timedelta(days=30)
    path = _client_folder(root, client) / "risks.yml"
    new_id = risk_id or _next(_entries(path, "risks"), r"RISK-(\d+)", 3, "RISK-")
    fields = {"id": new_id, "title": title, "likelihood": likelihood, "impact": impact,
              "owner": owner, "status": "open", "mitigation": mitigation,
              "raised": today, "review": review}
    _validated(Risk, fields, {"likelihood": "--likelihood", "impact": "--impact",
                              "owner": "--owner", "review": "--review", "id": "--id"})
    entry = ("  - id: " + _scalar(new_id) + "\n" + _line("title", title)
             + _line("likelihood", likelihood) + _line("impact", impact)
             + _line("owner", owner) + "    status: open\n"
             + _line("mitigation", mitigation)
             + f"    raised: {today.isoformat()}\n    review: {review.isoformat()}\n"
             + "    # category, description, response, residual_likelihood, residual_impact:"
               " see `portico docs content-model`\n")
    header = _schema_ref(root, path, "risks") + "risks:\n"
    return append_entry(path, "risks", header, entry, new_id)


def new_roadmap_item(root: Path, client: str, title: str, *, workstream: str | None = None,
                     start: str | None = None, end: str | None = None,
                     horizon: str | None = None, owner: str | None = None,
                     status: str = "planned", item_id: str | None = None) -> Path:
    """Add an item to CLIENT's roadmap.yml `items:` (created when missing), with the next
    R-number; `start` and `end` are days (YYYY-MM-DD) or quarters (YYYY-Qn)."""
    from portico.sections.roadmap.model import RoadmapItem, quarter_bounds

    title = _titled(title, "roadmap")
    path = _client_folder(root, client) / "roadmap.yml"
    new_id = item_id or _next(_entries(path, "items"), r"R(\d+)", 1, "R")
    fields = {"id": new_id, "title": title, "workstream": workstream, "start": start,
              "end": end, "horizon": horizon, "owner": owner, "status": status}
    _validated(RoadmapItem, {k: v for k, v in fields.items() if v is not None},
               {"start": "--start", "end": "--end", "horizon": "--horizon",
                "status": "--status", "id": "--id", "": "--start/--end"})
    item = RoadmapItem.model_validate({k: v for k, v in fields.items() if v is not None})
    if item.start and item.end and quarter_bounds(item.start)[0] > quarter_bounds(item.end)[1]:
        raise PorticoError(f"--start/--end: it ends ({end}) before it starts ({start})")
    entry = ("  - id: " + _scalar(new_id) + "\n" + _line("title", title)
             + _line("workstream", workstream) + _line("start", start) + _line("end", end)
             + _line("horizon", horizon) + _line("owner", owner) + _line("status", status)
             + "    # depends_on, decisions, description: see `portico docs content-model`\n")
    header = _schema_ref(root, path, "roadmap") + "items:\n"
    return append_entry(path, "items", header, entry, new_id)


def _kpi_id(name: str, entries: list[dict[str, Any]]) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", " ", name).upper().split() or ["KPI"]
    base = "K-" + words[0][:12]
    taken = {str(i.get("id")) for i in entries}
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def new_kpi(root: Path, client: str, name: str, *, value: float, month: str,
            unit: str | None = None, target: float | None = None, better: str = "higher",
            kpi_id: str | None = None) -> Path:
    """Add a KPI with its first monthly value to CLIENT's kpis.yml (created when missing)."""
    from portico.sections.kpis.model import Kpi

    name = _titled(name, "kpi")
    path = _client_folder(root, client) / "kpis.yml"
    new_id = kpi_id or _kpi_id(name, _entries(path, "kpis"))
    fields = {"id": new_id, "name": name, "unit": unit, "target": target, "better": better,
              "values": {month: value}}
    _validated(Kpi, {k: v for k, v in fields.items() if v is not None},
               {"values": "--month/--value", "target": "--target", "better": "--better",
                "id": "--id", "unit": "--unit"})
    entry = ("  - id: " + _scalar(new_id) + "\n" + _line("name", name)
             + _line("unit", unit) + _line("target", target)
             + (_line("better", better) if better != "higher" else "")
             + f"    values:\n      {_scalar(month)}: {value:g}\n"
             + "    # target_by, description: see `portico docs content-model`\n")
    header = _schema_ref(root, path, "kpis") + "kpis:\n"
    return append_entry(path, "kpis", header, entry, new_id)


def _assessment_file(folder: Path) -> Path | None:
    single = folder / "assessment.md"
    if single.is_file():
        return single
    pages = sorted(p for p in (folder / "assessment").glob("*.md")
                   if not p.name.startswith(("_", ".")))
    return pages[0] if pages else None


def new_area(root: Path, client: str, area: str, *, score: int, target: int | None = None,
             note: str | None = None) -> Path:
    """Add an area to the maturity scorecard: the `scores:` list in the front matter of
    CLIENT's assessment (assessment.md, or the first page of assessment/; assessment.md is
    created when there is none)."""
    from portico.sections.assessment.model import ScoreArea

    area = _titled(area, "area")
    _validated(ScoreArea, {"area": area, "score": score, "target": target, "note": note},
               {"score": "--score", "target": "--target", "note": "--note"})
    folder = _client_folder(root, client)
    path = _assessment_file(folder) or folder / "assessment.md"
    text = path.read_text(encoding="utf-8") if path.exists() else \
        "---\ntitle: Technology assessment\n---\n\n# Technology assessment\n"
    if not text.startswith("---\n"):
        text = "---\n---\n" + text
    end = text.find("\n---", 3)
    if end == -1:
        raise PorticoError(f"{path.name}: its front matter has no closing `---` line")
    front, rest = text[4:end + 1], text[end + 1:]
    current = yaml.safe_load(front) or {}
    scores = current.get("scores") if isinstance(current, dict) else None
    if any(isinstance(s, dict) and str(s.get("area", "")).lower() == area.lower()
           for s in scores or []):
        raise PorticoError(f"{path.name} already scores {area!r}; edit its score there")
    entry = ("  - area: " + _scalar(area) + "\n" + _line("score", score)
             + _line("target", target) + _line("note", note))
    try:
        front = insert_entry(front, "scores", entry)
    except PorticoError as exc:
        raise PorticoError(f"{path.name}: {exc}") from None
    after = yaml.safe_load(front).get("scores")
    if len(after) != len(scores or []) + 1:
        raise PorticoError(f"{path.name}: the area could not be added safely; add it by hand")
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    temp.write_text("---\n" + front + rest, encoding="utf-8")
    temp.replace(path)
    return path
