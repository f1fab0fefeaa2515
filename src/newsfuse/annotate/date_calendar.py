"""Calendar arithmetic for the date tagger (`newsfuse.annotate.dates`): `Resolution`, what
one expression means, and its constructors by granularity (day, month, year, range, week,
quarter, season), narrowed to a part of the period ("early", "end of"); the year of a yearless
month-day or month, chosen around the anchor; and relative shifts ("last month", "two weeks
ago"). Nothing here reads text: the rules in `date_rules` parse, these functions compute.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from newsfuse.model import DateAnchor, Granularity

PAST_WINDOW_DAYS = 304
"""A yearless month-day may lie up to ~10 months before the anchor..."""
FUTURE_WINDOW_DAYS = 61
"""...or up to ~2 months after it."""


@dataclass(frozen=True, slots=True)
class Resolution:
    """What one expression means, before it becomes a `DateMention`."""

    value: str | None
    granularity: Granularity
    earliest: date | None = None
    latest: date | None = None
    relative: bool = False
    clock: str | None = None
    """"15:00" for a time of day, kept to merge it with an adjacent day."""


_SEASONS = {"spring": ("SP", 3), "summer": ("SU", 6), "autumn": ("FA", 9), "fall": ("FA", 9),
            "winter": ("WI", 12)}  # fmt: skip


# --- calendar arithmetic ------------------------------------------------------------------


def _month_number(name: str) -> int:
    return {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
            "sep": 9, "oct": 10, "nov": 11, "dec": 12}[name[:3].lower()]  # fmt: skip


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _safe_date(year: int, month: int, day: int) -> date | None:
    if 1 <= month <= 12 and 1 <= day <= _last_day(year, month):
        return date(year, month, day)
    return None


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, _last_day(year, month + 1)))


def _month_end(year: int, month: int) -> date:
    return date(year, month, _last_day(year, month))


def _day_anchor(anchor: DateAnchor) -> date | None:
    return None if anchor.year_only else anchor.day


def _year_anchor(anchor: DateAnchor) -> int | None:
    return anchor.day.year if anchor.day else None


# --- resolutions --------------------------------------------------------------------------


def _day(day: date | None, relative: bool) -> Resolution:
    if day is None:
        return Resolution(None, Granularity.DAY, relative=relative)
    return Resolution(day.isoformat(), Granularity.DAY, day, day, relative)


def _month(
    year: int | None, month: int, relative: bool, days: tuple[int, int] | None = None
) -> Resolution:
    if year is None:
        return Resolution(None, Granularity.MONTH, relative=relative)
    last = _last_day(year, month)
    first_day, last_day = days or (1, last)
    return Resolution(f"{year:04d}-{month:02d}", Granularity.MONTH, date(year, month, first_day),
                      date(year, month, min(last_day, last)), relative)  # fmt: skip


def _year(year: int | None, relative: bool, months: tuple[int, int] = (1, 12)) -> Resolution:
    if year is None:
        return Resolution(None, Granularity.YEAR, relative=relative)
    return Resolution(str(year), Granularity.YEAR, date(year, months[0], 1),
                      _month_end(year, months[1]), relative)  # fmt: skip


def _range(first: date | None, last: date | None, relative: bool) -> Resolution:
    if first is None or last is None or last < first:
        return Resolution(None, Granularity.RANGE, relative=relative)
    return Resolution(f"{first.isoformat()}/{last.isoformat()}", Granularity.RANGE, first, last,
                      relative)  # fmt: skip


def _week(monday: date | None, relative: bool, days: tuple[int, int] = (0, 6)) -> Resolution:
    if monday is None:
        return Resolution(None, Granularity.WEEK, relative=relative)
    iso = monday.isocalendar()
    first, last = monday + timedelta(days[0]), monday + timedelta(days[1])
    return Resolution(f"{iso.year}-W{iso.week:02d}", Granularity.WEEK, first, last, relative)


def _quarter(year: int | None, quarter: int, relative: bool) -> Resolution:
    if year is None:
        return Resolution(None, Granularity.QUARTER, relative=relative)
    year, quarter = year + (quarter - 1) // 4, (quarter - 1) % 4 + 1
    first_month = 3 * quarter - 2
    return Resolution(f"{year}-Q{quarter}", Granularity.QUARTER, date(year, first_month, 1),
                      _month_end(year, first_month + 2), relative)  # fmt: skip


def _season(year: int | None, name: str, relative: bool, part: str = "") -> Resolution:
    code, first_month = _SEASONS[name.lower()]
    if year is None:
        return Resolution(None, Granularity.SEASON, relative=relative)
    start = date(year, first_month, 1)
    first, last = _narrow_months(part, 3)
    earliest = _add_months(start, first)
    latest = _add_months(start, last + 1) - timedelta(1)
    return Resolution(f"{year}-{code}", Granularity.SEASON, earliest, latest, relative)


def _time_on(day: date | None, clock: str, relative: bool) -> Resolution:
    value = f"{day.isoformat()}T{clock}" if day else None
    return Resolution(value, Granularity.TIME, day, day, relative, clock)


def _narrow_months(part: str, length: int) -> tuple[int, int]:
    """Which months (0-based offsets) of a period of `length` months a part covers."""
    part = " ".join(part.lower().replace("the ", "").split())
    if length == 12:
        return {"early": (0, 3), "mid": (4, 7), "late": (8, 11), "end of": (10, 11),
                "beginning of": (0, 1), "start of": (0, 1), "middle of": (4, 7),
                "first half of": (0, 5), "second half of": (6, 11)}.get(part, (0, 11))  # fmt: skip
    return {"early": (0, 0), "mid": (1, 1), "late": (length - 1, length - 1)}.get(
        part, (0, length - 1)
    )


def _month_days(part: str, year: int, month: int) -> tuple[int, int] | None:
    part = " ".join(part.lower().replace("the ", "").split())
    last = _last_day(year, month)
    spans = {"early": (1, 10), "mid": (11, 20), "late": (21, last), "end of": (last - 6, last),
             "beginning of": (1, 7), "start of": (1, 7), "middle of": (11, 20),
             "first half of": (1, 15), "second half of": (16, last)}  # fmt: skip
    return spans.get(part)


# --- choosing a year for yearless expressions ----------------------------------------------


def _nearest_month_day(month: int, day: int, anchor: DateAnchor) -> date | None:
    """The month-day nearest the anchor: 10 months back to 2 months ahead (news reports the
    past)."""
    if anchor.day is None:
        return None
    if anchor.year_only:
        return _safe_date(anchor.day.year, month, day)
    options = [
        d for y in (anchor.day.year - 1, anchor.day.year, anchor.day.year + 1)
        if (d := _safe_date(y, month, day)) is not None
    ]  # fmt: skip
    for option in options:
        if -PAST_WINDOW_DAYS <= (option - anchor.day).days <= FUTURE_WINDOW_DAYS:
            return option
    return min(options, key=lambda d: abs((d - anchor.day).days), default=None)  # type: ignore[operator]


_MONTH_WINDOWS = {"earlier in": (-11, 0), "later in": (0, 11), "last": (-12, -1),
                  "this past": (-12, -1), "next": (1, 12), "this coming": (1, 12),
                  "this": (-11, 11)}  # fmt: skip
"""How many months before (-) or after (+) the anchor's month a yearless month may lie,
by its modifier; a plain "in August" may lie 9 months back to 2 ahead."""


def _nearest_month_year(month: int, anchor: DateAnchor, modifier: str) -> int | None:
    """The year of a yearless month, by how far before/after the anchor month it may lie."""
    if anchor.day is None:
        return None
    year = anchor.day.year
    if anchor.year_only:
        return year if modifier not in ("last", "next", "this past", "this coming") else None
    window = _MONTH_WINDOWS.get(modifier, (-9, 2))
    here = year * 12 + anchor.day.month - 1
    for candidate in (year - 1, year, year + 1):
        if modifier == "this" and candidate != year:
            continue
        if window[0] <= candidate * 12 + month - 1 - here <= window[1]:
            return candidate
    return None


# --- relative shifts ---------------------------------------------------------------------


_SHIFTS = {"this": 0, "last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1,
           "this past": -1, "this coming": 1}  # fmt: skip


def _year_months(part: str) -> tuple[int, int]:
    first, last = _narrow_months(part, 12)
    return first + 1, last + 1


def _relative_period(anchor: DateAnchor, unit: str, rel: str, part: str) -> Resolution:
    """ "last week", "this weekend", "earlier this month", "the end of next quarter", "past
    year": `unit` is week, weekend, month, quarter or year; `rel` ("this", "last", "past", ...)
    and `part` ("earlier", "end of", ...) are lower case with single spaces."""
    today = _day_anchor(anchor)
    if unit == "year":
        return _relative_year(anchor, rel, part)
    if today is None:
        granularity = {"month": Granularity.MONTH, "week": Granularity.WEEK,
                       "quarter": Granularity.QUARTER}.get(unit, Granularity.RANGE)  # fmt: skip
        if part in ("earlier", "later") or rel == "past":
            granularity = Granularity.RANGE
        return Resolution(None, granularity, relative=True)
    shift = _SHIFTS[rel]
    if rel == "past":
        start = _add_months(today, -1) if unit == "month" else today - timedelta(7)
        if unit == "quarter":
            start = _add_months(today, -3)
        return _range(start, today, relative=True)
    if unit == "month":
        return _relative_month(today, shift, part)
    if unit == "quarter":
        return _quarter(today.year, (today.month - 1) // 3 + 1 + shift, relative=True)
    monday = today - timedelta(today.weekday()) + timedelta(7 * shift)
    if unit == "weekend":
        return _range(monday + timedelta(5), monday + timedelta(6), relative=True)
    if part == "earlier" and shift == 0:
        return _range(monday, today, relative=True)
    if part == "later" and shift == 0:
        return _range(today, monday + timedelta(6), relative=True)
    days = {"early": (0, 2), "mid": (1, 3), "late": (3, 6), "end of": (4, 6)}.get(part, (0, 6))
    return _week(monday, relative=True, days=days)


def _relative_month(today: date, shift: int, part: str) -> Resolution:
    first = _add_months(today.replace(day=1), shift)
    if part == "earlier" and shift == 0:
        return _range(first, today, relative=True)
    if part == "later" and shift == 0:
        return _range(today, _month_end(today.year, today.month), relative=True)
    days = _month_days(part, first.year, first.month)
    return _month(first.year, first.month, relative=True, days=days)


def _relative_year(anchor: DateAnchor, rel: str, part: str) -> Resolution:
    year = _year_anchor(anchor)
    today = _day_anchor(anchor)
    if rel == "past":
        if today is None:
            return Resolution(None, Granularity.RANGE, relative=True)
        return _range(_add_months(today, -12), today, relative=True)
    if year is None:
        granularity = Granularity.RANGE if part in ("earlier", "later") else Granularity.YEAR
        return Resolution(None, granularity, relative=True)
    year += _SHIFTS[rel]
    if part in ("earlier", "later") and today is not None and _SHIFTS[rel] == 0:
        if part == "earlier":
            return _range(date(year, 1, 1), today, relative=True)
        return _range(today, date(year, 12, 31), relative=True)
    if part in ("earlier", "later"):
        part = "early" if part == "earlier" else "late"
    return _year(year, relative=True, months=_year_months(part))


def _relative_season(anchor: DateAnchor, name: str, rel: str) -> Resolution:
    """ "last summer" is the latest one already over; "this summer" the one of the anchor's
    year (or the one under way); "next summer" the first not yet begun."""
    first_month = _SEASONS[name.lower()][1]
    today = _day_anchor(anchor)
    if today is None:
        return _season(None, name, relative=True)
    current = today.year if today.month >= first_month else today.year - 1  # latest begun
    under_way = today < _add_months(date(current, first_month, 1), 3)
    if _SHIFTS[rel] < 0:
        year = current - 1 if under_way else current
    elif _SHIFTS[rel] > 0:
        year = current + 1
    else:
        year = current if under_way or current == today.year else current + 1
    return _season(year, name, relative=True)


def _shift_by(today: date, amount: float, unit: str) -> date:
    whole = round(amount)
    if unit == "day":
        return today + timedelta(whole)
    if unit == "week":
        return today + timedelta(7 * whole)
    if unit == "month":
        return _add_months(today, whole)
    return _add_months(today, whole * (120 if unit == "decade" else 12))


def _unit_resolution(then: date, unit: str) -> Resolution:
    if unit == "day":
        return _day(then, relative=True)
    if unit == "week":
        return _week(then - timedelta(then.weekday()), relative=True)
    if unit == "month":
        return _month(then.year, then.month, relative=True)
    if unit == "year":
        return _year(then.year, relative=True)
    decade = then.year // 10 * 10
    return Resolution(str(decade // 10), Granularity.DECADE, date(decade, 1, 1),
                      date(decade + 9, 12, 31), relative=True)  # fmt: skip
