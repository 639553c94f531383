"""Field types shared by sections: months, numbers, money, weights.

Each raises `ValueError("must be ...")`, which `load` reports as `path:line: field must be ...`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")

def _month(value: Any) -> Any:
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str) and _MONTH.match(value.strip()):
        return value.strip()
    raise ValueError(f"must be a month (YYYY-MM), got {value!r}")


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number, got {value!r}")
    return float(value)


def _currency(value: Any) -> Any:
    if isinstance(value, str) and _CURRENCY.match(value.strip().upper()):
        return value.strip().upper()
    raise ValueError(f"must be an ISO 4217 currency code such as USD, got {value!r}")


def _positive(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"must be a number above 0, got {value!r}")
    return float(value)


def _non_negative(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"must be a number, 0 or more, got {value!r}")
    return value


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
        except ValueError:
            raise ValueError(f"must map months (YYYY-MM) to numbers; {key!r} is not a month "
                             "(write it as 2026-09)") from None
        try:
            out[month] = _number(number)
        except ValueError:
            raise ValueError(f"must map months to numbers; {key}: {number!r} is not a number"
                             ) from None
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
