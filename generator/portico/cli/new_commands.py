"""`portico new risk|roadmap|kpi|area`: an entry added in place to a client's file.

What an entry needs can be given as options; on a terminal, whatever is missing is asked
for; in a script, a missing one is an error that names the option.
"""

from __future__ import annotations

import datetime as dt

import click

from portico.cli.app import ask_when_missing, root_of
from portico.cli.content_commands import _day, _written, new


@new.command("risk", short_help="Add a risk to a client's register (risks.yml).")
@click.argument("client")
@click.argument("title")
@click.option("--likelihood", type=click.IntRange(1, 5), callback=ask_when_missing,
              help="How likely, 1 (rare) to 5 (almost certain).")
@click.option("--impact", type=click.IntRange(1, 5), callback=ask_when_missing,
              help="How bad if it happens, 1 (minor) to 5 (severe).")
@click.option("--owner", callback=ask_when_missing, help="Who is accountable for it.")
@click.option("--mitigation", help="What is being done about it (Markdown).")
@click.option("--review", metavar="YYYY-MM-DD", help="Next review (default: in 30 days).")
@click.option("--id", "risk_id", metavar="ID", help="Its id (default: the next RISK-NNN).")
@click.pass_context
def new_risk(ctx: click.Context, client: str, title: str, likelihood: int, impact: int,
             owner: str, mitigation: str | None, review: str | None,
             risk_id: str | None) -> None:
    """Add an open risk to CLIENT's risks.yml, raised today, keeping the file's comments."""
    from portico.authoring.new_items import new_risk as write

    _written(ctx, write(root_of(ctx), client, title, likelihood=likelihood, impact=impact,
                        owner=owner, mitigation=mitigation,
                        review=_day(review, "--review") if review else None, risk_id=risk_id))


@new.command("roadmap", short_help="Add an item to a client's roadmap (roadmap.yml).")
@click.argument("client")
@click.argument("title")
@click.option("--workstream", help="Its lane on the timeline, e.g. Platform.")
@click.option("--start", metavar="WHEN", help="A day (YYYY-MM-DD) or a quarter (YYYY-Qn).")
@click.option("--end", metavar="WHEN", help="A day (YYYY-MM-DD) or a quarter (YYYY-Qn).")
@click.option("--horizon", type=click.Choice(["now", "next", "later"]),
              help="For an item without dates: now, next or later.")
@click.option("--owner", help="Who is accountable for it.")
@click.option("--status", default="planned", show_default=True,
              type=click.Choice(["planned", "in-progress", "done", "at-risk", "blocked",
                                 "dropped"]), help="Where it stands.")
@click.option("--id", "item_id", metavar="ID", help="Its id (default: the next R-number).")
@click.pass_context
def new_roadmap(ctx: click.Context, client: str, title: str, workstream: str | None,
                start: str | None, end: str | None, horizon: str | None, owner: str | None,
                status: str, item_id: str | None) -> None:
    """Add an item to CLIENT's roadmap.yml items, keeping the file's comments. Give it
    dates (--start, --end) to put it on the timeline, or a --horizon."""
    from portico.authoring.new_items import new_roadmap_item as write

    _written(ctx, write(root_of(ctx), client, title, workstream=workstream, start=start,
                        end=end, horizon=horizon, owner=owner, status=status, item_id=item_id))


@new.command("kpi", short_help="Add a KPI, with its first monthly value (kpis.yml).")
@click.argument("client")
@click.argument("name")
@click.option("--value", type=float, callback=ask_when_missing,
              help="The value measured this month.")
@click.option("--month", metavar="YYYY-MM", help="The month measured (default: this month).")
@click.option("--unit", help="The unit shown after values, e.g. \"per week\" or %.")
@click.option("--target", type=float, help="The value aimed for.")
@click.option("--better", type=click.Choice(["higher", "lower"]), default="higher",
              show_default=True, help="Which way is better.")
@click.option("--id", "kpi_id", metavar="ID", help="Its id (default: K- and the first word).")
@click.pass_context
def new_kpi(ctx: click.Context, client: str, name: str, value: float, month: str | None,
            unit: str | None, target: float | None, better: str, kpi_id: str | None) -> None:
    """Add a KPI to CLIENT's kpis.yml with its first value, keeping the file's comments.
    Add later months under its `values:` as they are measured."""
    from portico.authoring.new_items import new_kpi as write

    month = month or dt.date.today().strftime("%Y-%m")
    _written(ctx, write(root_of(ctx), client, name, value=value, month=month, unit=unit,
                        target=target, better=better, kpi_id=kpi_id))


@new.command("area", short_help="Add an area to a client's maturity scorecard.")
@click.argument("client")
@click.argument("area")
@click.option("--score", type=click.IntRange(0, 5), callback=ask_when_missing,
              help="Maturity today, 0 (non-existent) to 5 (best in class).")
@click.option("--target", type=click.IntRange(0, 5), help="The maturity aimed for, 0 to 5.")
@click.option("--note", help="One line of evidence.")
@click.pass_context
def new_area(ctx: click.Context, client: str, area: str, score: int, target: int | None,
             note: str | None) -> None:
    """Add AREA to the scorecard in CLIENT's assessment front matter (`scores:`), keeping
    its comments; assessment.md is created when the client has no assessment yet."""
    from portico.authoring.new_items import new_area as write

    _written(ctx, write(root_of(ctx), client, area, score=score, target=target, note=note))
