"""The client's locale: one date style, money, paper, from client.yml or the practice."""

from __future__ import annotations

import datetime as dt
import typing

import pytest
from click.testing import CliRunner

from portico.cli import main
from portico.content.load import load_portal_inputs
from portico.portal.labels import LABELS, label
from portico.portal.locale import Formats
from portico.portal.render import render_portal
from portico.sections import SECTIONS

NBSP = "\u00a0"
DAY = dt.date(2026, 11, 18)


@pytest.mark.parametrize(("tag", "day", "month", "money", "paper"), [
    ("en-GB", "18 Nov 2026", "Nov 2026", "US$294,500", "A4"),
    ("en-US", "Nov 18, 2026", "Nov 2026", "$294,500", "Letter"),
    ("de-DE", "18.11.2026", "Nov. 2026", "294.500 $", "A4"),
    ("en-CA", "Nov 18, 2026", "Nov 2026", "US$294,500", "Letter"),
])
def test_each_locale_writes_days_months_money_and_paper_its_own_way(
        tag: str, day: str, month: str, money: str, paper: str) -> None:
    formats = Formats(tag)
    assert formats.day(DAY) == day.replace(" ", NBSP)
    assert formats.month("2026-11") == month.replace(" ", NBSP)
    assert formats.money(294500, "USD") == money.replace(" ", NBSP)
    assert formats.paper == paper


def test_a_date_never_breaks_inside() -> None:
    for tag in ("en-GB", "en-US", "fr-FR"):
        assert " " not in Formats(tag).day(DAY) and " " not in Formats(tag).month(DAY)


def test_a_quarter_reads_as_the_client_says_it() -> None:
    assert Formats("en-GB").point("2026-Q3") == f"Q3{NBSP}2026"


def test_client_yml_overrides_the_practice_locale(practice, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = practice({"mkdocs.yml": "site_name: P\nextra:\n  practice:\n    locale: en-US\n",
                     "clients/acme/client.yml": "name: Acme\nlocale: en-GB\nengagement:\n"
                                                "  start: 2026-03-02\n  end: 2026-12-31\n"})
    inputs = load_portal_inputs(root, "acme")
    render_portal(inputs.clients[0], inputs, tmp_path / "out", today=dt.date(2026, 6, 1))
    home = (tmp_path / "out/docs/index.md").read_text("utf-8")
    assert f"2{NBSP}Mar{NBSP}2026" in home and f"31{NBSP}Dec{NBSP}2026" in home
    assert "size: A4;" in (tmp_path / "out/docs/assets/portico/print.css").read_text("utf-8")


def test_an_unknown_locale_is_an_error_at_its_line(practice) -> None:  # type: ignore[no-untyped-def]
    root = practice({"clients/acme/client.yml": "name: Acme\nengagement:\n  start: 2026-03-02\n"
                                                "locale: xx-QQ\n"})
    result = CliRunner().invoke(main, ["--root", str(root), "check"])
    assert result.exit_code == 1
    assert "clients/acme/client.yml:4:" in result.output and "xx-QQ" in result.output
    assert "Traceback" not in result.output


def _choices(model: type) -> set[str]:
    """Every value a model's choice fields accept, nested models included."""
    from pydantic import BaseModel

    found: set[str] = set()
    for field in model.model_fields.values():
        for kind in [field.annotation, *typing.get_args(field.annotation)]:
            for arg in typing.get_args(kind) or [kind]:
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    found |= _choices(arg)
        for meta in field.metadata:
            values = getattr(getattr(meta, "func", None), "values", None)
            if values:
                found |= set(values)
    return found


def test_every_status_and_kind_a_model_accepts_has_a_label() -> None:
    from portico.content import model as m
    from portico.sections.decisions.model import KINDS as DECISION_KINDS
    from portico.sections.decisions.model import STATUSES as DECISION_STATUSES
    from portico.sections.notes.model import KINDS as NOTE_KINDS
    from portico.sections.opportunities.model import OPPORTUNITY_STATUSES, QUADRANTS
    from portico.sections.risks.model import BANDS, CATEGORIES, RESPONSES, TRENDS
    from portico.sections.risks.model import STATUSES as RISK_STATUSES
    from portico.sections.roadmap.model import HORIZONS
    from portico.sections.roadmap.model import STATUSES as ROADMAP_STATUSES
    from portico.sections.vendors.model import CRITICALITIES, RECOMMENDATIONS, VENDOR_STATUSES

    values = {*m.PHASES, *DECISION_KINDS, *DECISION_STATUSES, *NOTE_KINDS,
              *OPPORTUNITY_STATUSES, *QUADRANTS, *BANDS, *CATEGORIES, *RESPONSES, *TRENDS,
              *RISK_STATUSES, *HORIZONS, *ROADMAP_STATUSES, *CRITICALITIES, *RECOMMENDATIONS,
              *VENDOR_STATUSES}
    for schema in (s.schema() for s in SECTIONS):
        for model in schema.values():
            values |= _choices(model)
    missing = sorted(v for v in values if v.lower() not in LABELS)
    assert not missing, f"no label for {missing}"
    assert label("in-progress") == "In progress" and label("vendor-review") == "Vendor review"
    assert label("on hold") == "on hold"  # a team's own status is shown as written


def test_an_unknown_practice_locale_is_an_error_at_its_line(practice) -> None:  # type: ignore[no-untyped-def]
    root = practice({"mkdocs.yml": "site_name: P\nextra:\n  practice:\n    locale: en-XX-nope\n"})
    result = CliRunner().invoke(main, ["--root", str(root), "check"])
    assert result.exit_code == 1, result.output
    assert "mkdocs.yml:4: extra.practice.locale: unknown locale 'en-XX-nope'" in result.output
