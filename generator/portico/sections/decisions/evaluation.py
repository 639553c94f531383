"""Build-vs-buy evaluations: the optional `evaluation:` front matter of a decision.

Types and ranges are validated by the models (with the front matter's lines); what spans
fields (a score for an unknown criterion, a missing score, two chosen options, repeated
ids or names) by `evaluation_problems`, at the line of the offending value."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from markupsafe import Markup
from pydantic import BeforeValidator, Field

from portico.content.fields import Amount, Currency
from portico.content.model import InputModel, choice, scale
from portico.content.scorecard import Criterion, Score, shares


def _between(low: int, high: int, what: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, list) and not low <= len(value) <= high:
            raise ValueError(f"must list {low} to {high} {what}, got {len(value)}")
        return value

    return check


OPTION_KINDS = ("build", "buy", "subscribe", "compose", "keep")


class Tco(InputModel):
    """Total cost of ownership over a horizon."""

    horizon_years: scale(1, 10, "Years, 1..10.") = Field(description="Years, 1..10.")  # type: ignore[valid-type]
    one_off: Amount = Field(0, description="One-off cost, >= 0.")
    yearly: Amount = Field(0, description="Yearly cost, >= 0.")
    currency: Currency | None = Field(None, description="ISO 4217; default USD.")

    @property
    def total(self) -> float:
        """one_off + yearly × horizon_years."""
        return float(self.one_off) + float(self.yearly) * int(self.horizon_years)


LABEL_LENGTH = 45  # an option name this short is its own column label


class EvalOption(InputModel):
    """One considered option."""

    name: str = Field(description="As in MADR's Considered Options.")
    kind: choice(OPTION_KINDS, "build, buy, subscribe, compose or keep.") | None = None  # type: ignore[valid-type]
    scores: dict[str, Score] = Field(description="Every criterion id → 1..5.")
    tco: Tco | None = Field(None, description="Total cost of ownership.")
    chosen: bool = Field(False, description="The chosen (or recommended) option; at most one.")


class Evaluation(InputModel):
    """The weighted matrix of a build-vs-buy decision."""

    criteria: Annotated[list[Criterion], BeforeValidator(_between(2, 12, "criteria"))] = Field(
        description="2..12 criteria.")
    options: Annotated[list[EvalOption], BeforeValidator(_between(2, 8, "options"))] = Field(
        description="2..8 options.")

    def weights(self) -> dict[str, float]:
        """Criterion id → weight as a share of 100 %."""
        return shares(self.criteria)

    def labels(self) -> list[str]:
        """Short column labels: the options' own names when all are short and distinct
        (a kind can mislead: "Buy" for replacing a whole system), else each option's kind
        when every option has a different one, else Option A, B, C …"""
        names = [o.name for o in self.options]
        if len(set(names)) == len(names) and all(len(n) <= LABEL_LENGTH for n in names):
            return names
        kinds = [o.kind for o in self.options]
        if all(kinds) and len(set(kinds)) == len(kinds):
            return [str(k).capitalize() for k in kinds]
        return [f"Option {chr(65 + i)}" for i in range(len(self.options))]

    def total(self, option: EvalOption) -> float:
        """Σ score × normalised weight, on the 1..5 scale."""
        return float(sum(int(option.scores.get(cid, 0)) * share
                         for cid, share in self.weights().items()) / 100)


def evaluation_problems(evaluation: Evaluation, line_of: Any) -> Iterator[tuple[int, str]]:
    """(line, message) for every cross-field mistake; `line_of(loc)` gives a value's line."""
    base = ("evaluation",)
    ids = Counter(c.id for c in evaluation.criteria)
    for i, c in enumerate(evaluation.criteria):
        if ids[c.id] > 1:
            yield line_of((*base, "criteria", i, "id")), f"duplicate criterion id {c.id!r}"
    names = Counter(o.name for o in evaluation.options)
    chosen = 0
    for i, option in enumerate(evaluation.options):
        at = (*base, "options", i)
        if names[option.name] > 1:
            yield line_of((*at, "name")), f"two options are named {option.name!r}"
        for key in option.scores:
            if key not in ids:
                yield line_of((*at, "scores", key)), (
                    f"option {option.name!r}: score for unknown criterion {key!r} "
                    f"(criteria: {', '.join(ids)})")
        missing = [c.id for c in evaluation.criteria if c.id not in option.scores]
        if missing:
            yield line_of((*at, "scores")), (
                f"option {option.name!r}: no score for {', '.join(missing)}; every option is "
                "scored on every criterion")
        if option.chosen:
            chosen += 1
            if chosen > 1:
                yield line_of((*at, "chosen")), (
                    f"option {option.name!r} is chosen too: at most one option is chosen")


def tco_svg(evaluation: Evaluation, money: Callable[[float, str | None], str]) -> str | None:
    """A bar per option with a TCO: one-off and yearly × years stacked, total written beside,
    in two forms (charts.both_forms): labels beside the bars, and for a phone labels above
    them. `money` writes an amount in the portal's locale."""
    from portico.portal.charts import both_forms, chart_uid, one_line, render_chart, text_width

    costed = [o for o in evaluation.options if o.tco]
    if not costed:
        return None
    top = max(o.tco.total for o in costed if o.tco) or 1
    rows = []
    labels = dict(zip((id(o) for o in evaluation.options), evaluation.labels(), strict=True))
    wrapped = {id(o): [labels[id(o)]] if len(labels[id(o)]) <= _LINE else
               _two_lines(labels[id(o)], _LINE) for o in costed}
    # A two-line label takes 18 units a line at 15 px: rows make room for it.
    bar_w, row_h = 220, 42 if any(len(lines) > 1 for lines in wrapped.values()) else 34
    # Labels end at the bar: the margin fits the longest line, at the width of a bold
    # character (the chosen option's label is bold). 8.2 units a character (0.55 em) cut the
    # left of "Buy a TMS for rates, / quoting and bookings": DejaVu Sans Bold, the fallback
    # sans-serif of a Linux print, takes 0.62 em on such a line; 0.68 em leaves room.
    left = max(110, 14 + round(max(text_width(line, 15, _BOLD_EM) for lines in wrapped.values()
                                   for line in lines)))
    for i, o in enumerate(costed):
        assert o.tco is not None
        lines = wrapped[id(o)]
        rows.append({
            "y": 8 + i * row_h, "label": lines, "chosen": o.chosen,
            "one_off": round(bar_w * o.tco.one_off / top, 1),
            "yearly": round(bar_w * o.tco.yearly * o.tco.horizon_years / top, 1),
            "total": money(o.tco.total, o.tco.currency),
        })
    description = "; ".join(f"{one_line(o.name)}: {money(o.tco.total, o.tco.currency)} over "
                            f"{o.tco.horizon_years} years" for o in costed if o.tco)
    desktop = render_chart("decisions/tco", uid=chart_uid("tco", description), rows=rows,
                           left=left, bar_h=row_h - 12, width=left + bar_w + 130,
                           height=8 + len(rows) * row_h + 30,
                           legend_y=8 + len(rows) * row_h + 14, description=description)
    return str(both_forms(Markup(desktop), Markup(_tco_phone(costed, labels, money, description))))


def _tco_phone(costed: list[EvalOption], labels: dict[int, str],
               money: Callable[[float, str | None], str], description: str) -> str:
    """The phone form: 300 units wide, so at a phone's 358 px column its 13-unit text is
    about 15 px (the desktop form, 570 units wide with its labels beside the bars, shrank
    to 9 px there). Each option's label runs above its bar, wrapped at the chart's width."""
    from portico.portal.charts import chart_uid, render_chart, text_width

    width, bar_h, total_room = 300, 16, 96  # total_room: "$1,700,000 ✓" at 13 units, bold
    top = max(o.tco.total for o in costed if o.tco) or 1
    bar_w = width - total_room - 6
    rows, y = [], 4
    for o in costed:
        assert o.tco is not None
        lines: list[str] = []
        for word in labels[id(o)].split():
            if lines and text_width(f"{lines[-1]} {word}", 13, _BOLD_EM) <= width:
                lines[-1] += f" {word}"
            else:
                lines.append(word)
        bar_y = y + 17 * len(lines) + 4
        rows.append({"y": y, "label": lines, "chosen": o.chosen, "bar_y": bar_y,
                     "one_off": round(bar_w * o.tco.one_off / top, 1),
                     "yearly": round(bar_w * o.tco.yearly * o.tco.horizon_years / top, 1),
                     "total": money(o.tco.total, o.tco.currency)})
        y = bar_y + bar_h + 12
    return render_chart("decisions/tco_phone", uid=chart_uid("tco-phone", description),
                        rows=rows, bar_h=bar_h, width=width, height=y + 20, legend_y=y + 10,
                        description=description)


_LINE = 22  # characters in one line of a bar's label
_BOLD_EM = 0.68  # a bold label character's advance, in ems, erring wide


def _two_lines(text: str, limit: int) -> list[str]:
    words, first = text.split(), ""
    while words and len(f"{first} {words[0]}".strip()) <= limit:
        first = f"{first} {words.pop(0)}".strip()
    rest = " ".join(words)
    return [first, rest if len(rest) <= limit else rest[: limit - 1].rstrip() + "…"]
