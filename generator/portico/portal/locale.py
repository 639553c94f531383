"""The client's locale: one date style for the whole portal, money, numbers and paper size.

Babel (CLDR) does the formatting, so "18 Nov 2026" (en-GB), "Nov 18, 2026" (en-US) and
"18.11.2026" (de-DE) come from the same call. Every date a portal shows goes through
`Formats.day` or `Formats.month`; no ISO date reaches prose or tables. The words inside a
formatted date are joined by no-break spaces, so a date never wraps mid-token.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from functools import cached_property

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time, get_timezone_name
from babel.numbers import format_currency, format_decimal

DEFAULT_LOCALE = "en-GB"
# CLDR's supplemental measurementData: the territories whose paper is US Letter.
_LETTER = frozenset({"US", "CA", "MX", "CL", "CO", "CR", "GT", "NI", "PA", "PH", "PR", "SV",
                     "VE", "BZ"})
_NBSP = "\u00a0"
_QUARTER = re.compile(r"(\d{4})-(Q[1-4])", re.IGNORECASE)


def parse_locale(tag: str) -> Locale:
    """A Babel locale from a tag such as `en-GB`, `en_US` or `de`; ValueError when CLDR
    does not know it (the message names the tag)."""
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise ValueError(f"unknown locale {tag!r} (expected a tag such as en-GB, en-US or "
                         "de-DE)") from exc


@dataclass(frozen=True)
class Formats:
    """How one portal writes dates, months, money and numbers, and which paper it prints on."""

    tag: str = DEFAULT_LOCALE

    @cached_property
    def locale(self) -> Locale:
        return parse_locale(self.tag)

    @property
    def paper(self) -> str:
        """`Letter` where CLDR says the territory uses it, else `A4`."""
        return "Letter" if self.locale.territory in _LETTER else "A4"

    @property
    def html_lang(self) -> str:
        """The BCP 47 tag for `<html lang>`: `en-GB`."""
        return str(self.locale).replace("_", "-")

    def day(self, value: dt.date | None) -> str:
        """A day in the locale's medium style: `18 Nov 2026`, `Nov 18, 2026`."""
        if value is None:
            return ""
        return _date(self.tag, value, "medium")

    def long_day(self, value: dt.date) -> str:
        """A day in full, for headings and meeting dates: `10 December 2026`."""
        return _date(self.tag, value, "long")

    def clock(self, value: dt.time) -> str:
        """A time of day in the locale's short style: `9:30 AM`, `09:30`."""
        return _unbreakable(format_time(value, "short", locale=self.locale))

    def zone(self, name: str) -> str:
        """An IANA time zone as people call it: `America/New_York` → `Eastern Time`."""
        from zoneinfo import ZoneInfo

        return get_timezone_name(ZoneInfo(name), "long", locale=self.locale)

    def month(self, value: dt.date | str) -> str:
        """A month: `Nov 2026`. Takes a date or a `YYYY-MM` key."""
        if isinstance(value, str):
            year, month = value.split("-")[:2]
            value = dt.date(int(year), int(month), 1)
        return _unbreakable(format_skeleton("yMMM", value, locale=self.locale))

    def point(self, value: dt.date | str) -> str:
        """A roadmap start or end: a day, or a quarter written `2026-Q3` as `Q3 2026`."""
        if isinstance(value, dt.date):
            return self.day(value)
        found = _QUARTER.fullmatch(str(value).strip())
        return f"{found[2]}{_NBSP}{found[1]}" if found else str(value)

    def span(self, start: dt.date | None, end: dt.date | None) -> str:
        """`2 Mar 2026 – 30 Jun 2027`, or one end alone."""
        if start and end:
            return f"{self.day(start)} – {self.day(end)}"
        return self.day(start or end)

    def money(self, amount: float, currency: str | None) -> str:
        """Whole amounts in the locale's currency pattern: `$120,000`, `120.000 €`."""
        pattern = self.locale.currency_formats["standard"].pattern
        whole = ";".join(part.replace(".00", "") for part in pattern.split(";"))
        return _unbreakable(format_currency(round(amount), (currency or "USD").upper(),
                                            format=whole, locale=self.locale,
                                            currency_digits=False))

    def number(self, value: float) -> str:
        """A number with the locale's separators, at most two decimals: `1,234.5`."""
        return format_decimal(round(value, 2), locale=self.locale)


@functools.lru_cache(maxsize=8192)
def _date(tag: str, value: dt.date, style: str) -> str:
    """`format_date` once per day and style: a large portal writes the same few hundred
    days thousands of times."""
    return _unbreakable(format_date(value, style, locale=_locale(tag)))


@functools.lru_cache(maxsize=16)
def _locale(tag: str) -> Locale:
    return parse_locale(tag)


def _unbreakable(text: str) -> str:
    return text.replace(" ", _NBSP).replace("\u202f", _NBSP)
