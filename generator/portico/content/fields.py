"""Field types shared by sections: months, numbers, money, weights, and their bounds.

Each raises `ValueError("must be ...")`, which `load` reports as `path:line: field must be ...`.
Every number a CTO writes goes through `finite_number` and every date through `in_calendar`,
so that nothing Portico computes from them (sums, shares, a quarter's end, a notice date)
can leave what a float or the calendar holds.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")

# Years a date may have. Portico counts up to a year past a date it is given (the end of
# the quarter after a board meeting, the month after a roadmap's last, a chart's axis), and
# Python's calendar ends on 9999-12-31; before 1900 nothing an engagement records happened,
# and some date formatting is unreliable there.
FIRST_YEAR, LAST_YEAR = 1900, 9998
FIRST_DAY, LAST_DAY = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)
# Numbers a CTO writes (money, KPI values and targets, SLA values, weights): at most a
# quadrillion either way. A float holds every whole number exactly up to 2**53 (about
# 9 × 10**15), and the sums and products Portico forms of a few such numbers stay finite.
MAX_NUMBER = 10**15


def in_calendar(day: dt.date) -> dt.date:
    """`day` when its year is FIRST_YEAR..LAST_YEAR; else ValueError("must be ...")."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"must be a date in the years {FIRST_YEAR}..{LAST_YEAR}, got {day}")
    return day


def finite_number(value: Any) -> float:
    """A YAML number as a float: not a boolean, not `.nan` or `.inf`, at most MAX_NUMBER in
    size (a number too long to hold is refused, not an OverflowError)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number, got {value!r}")
    unfit = _unfit(value)
    if unfit:
        raise ValueError(f"must be {unfit}")
    return float(value)


def _unfit(value: int | float) -> str | None:
    """What a number must be instead (`a finite number, got .nan`), or None when it is fit."""
    if isinstance(value, float) and not math.isfinite(value):
        written = ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
        return f"a finite number, got {written}"
    if abs(value) > MAX_NUMBER:
        size = (f"a number of {len(str(abs(value)))} digits" if isinstance(value, int)
                else f"{value:g}")
        return f"at most {MAX_NUMBER:,} either way, got {size}"
    return None


def _month(value: Any) -> Any:
    if isinstance(value, dt.date):
        return f"{in_calendar(value).year:04d}-{value.month:02d}"
    match = _MONTH.match(value.strip()) if isinstance(value, str) else None
    if match:
        year = int(match.group(1))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"must be a month in the years {FIRST_YEAR}..{LAST_YEAR}, "
                             f"got {value.strip()!r}")
        return value.strip()
    raise ValueError(f"must be a month (YYYY-MM), got {value!r}")


def _number(value: Any) -> Any:
    return finite_number(value)


def _currency(value: Any) -> Any:
    if isinstance(value, str) and _CURRENCY.match(value.strip().upper()):
        return value.strip().upper()
    raise ValueError(f"must be an ISO 4217 currency code such as USD, got {value!r}")


def _positive(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"must be a number above 0, got {value!r}")
    return finite_number(value)


def _non_negative(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"must be a number, 0 or more, got {value!r}")
    number = finite_number(value)
    return value if isinstance(value, int) else number


Month = Annotated[str, BeforeValidator(_month),
                  WithJsonSchema({"type": "string", "pattern": _MONTH.pattern,
                                  "description": "A month, YYYY-MM."})]
Number = Annotated[float, BeforeValidator(_number),
                   WithJsonSchema({"type": "number"})]
Currency = Annotated[str, BeforeValidator(_currency),
                     WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{3}$",
                                     "description": "ISO 4217 code, e.g. USD."})]
Weight = Annotated[float, BeforeValidator(_positive),
                   WithJsonSchema({"type": "number", "exclusiveMinimum": 0,
                                   "description": "Relative weight, > 0; a share of 100 %."})]
Amount = Annotated[float, BeforeValidator(_non_negative),
                   WithJsonSchema({"type": "number", "minimum": 0})]



def _monthly(value: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError(f"must map months (YYYY-MM) to numbers, got {value!r}")
    out: dict[str, float] = {}
    for key, number in value.items():
        try:
            month = _month(key)
        except ValueError as exc:
            if "years" in str(exc):
                raise ValueError(f"must map months to numbers; {key!r} {exc}") from None
            raise ValueError(f"must map months (YYYY-MM) to numbers; {key!r} is not a month "
                             "(write it as 2026-09)") from None
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise ValueError(f"must map months to numbers; {key}: {number!r} is not a number")
        unfit = _unfit(number)
        if unfit:
            raise ValueError(f"must map months to numbers; {key}: must be {unfit}")
        out[month] = float(number)
    return out


def _count(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"must be a whole number, 0 or more, got {value!r}")
    return value


Monthly = Annotated[dict[str, float], BeforeValidator(_monthly),
                    WithJsonSchema({"type": "object", "description": "YYYY-MM → number.",
                                    "propertyNames": {"pattern": _MONTH.pattern},
                                    "additionalProperties": {"type": "number"}})]
Count = Annotated[int, BeforeValidator(_count),
                  WithJsonSchema({"type": "integer", "minimum": 0})]
