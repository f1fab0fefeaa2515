"""Date and time expressions in article text, resolved to ISO values: a small rule-based
temporal tagger in the manner of HeidelTime, on compiled regular expressions (no spaCy).

`infer_anchor` picks the reference day relative expressions are resolved against, as a
cascade: the article's publication date, else the story's dates, else the text itself.
`find_dates` finds every expression (longest match wins, no overlaps) and resolves it.

Rules are data: `RULES` is an ordered tuple of `Rule(name, pattern, resolve, accept)`; a
pattern's group `x`, where it has one, is the mention's span. Equal-length overlaps go to the
earlier rule. Each pattern starts with a literal or a character class so that `re` can skip
to candidates in C (about 10x faster than a leading \b); word starts are checked in `_scan`.
Cost: about 1.4 ms per 800-word article, 0.3 s per megabyte. Behaviour worth knowing, all
deliberate:

- A bare 4-digit number is a year only after a preposition ("in", "since", "of", "by", ...)
  or before a year noun ("1953 war", "2023's"); never after "$" or before "people".
- "in two weeks" is a future date only when the sentence speaks of the future ("will rule in
  two weeks"); otherwise it is a duration ("the highest level in two weeks").
- A month name alone is a month only after a preposition or modifier ("in August", "last
  May", "Earlier in August"); "May" only after in/during/since/until/through or a modifier.

- A month-day without a year ("Sept. 13") takes the year that puts it within 10 months
  before to 2 months after the anchor: news mostly reports the past.
- Numeric dates are read in US order (9/13/2023 is Sept. 13); D/M only when M/D cannot be.
- A bare weekday ("on Monday", "Wednesday") is the latest such day on or before the anchor,
  unless a future cue ("will", "is due to", "scheduled") precedes it in its sentence;
  "last Monday" is strictly before the anchor, "next Monday" strictly after.
- Seasons are northern-hemisphere and meteorological: spring = March-May, summer =
  June-August, autumn = September-November, winter = December to February of the next year
  (so "winter 2023" runs 2023-12-01..2024-02-29). Values use TIMEX3 codes: 2023-SP.
- "early/mid/late 2023", "the end of 2023", "first half of 2023" keep the year as value
  (YEAR granularity) and narrow `earliest`/`latest`; likewise for months and decades.
- "earlier this week" is the range from the anchor week's Monday to the anchor day.
- A time ("3 p.m.", "15:00 GMT") next to a day ("on Sept. 13 at 3 p.m.") is merged into
  one TIME mention; alone it takes the anchor day. Time zones are not converted.
- Durations ("18-month conflict", "48 hours") get an ISO 8601 duration and no dates.
- Vague words ("recently", "soon", "now", "decades") are not tagged.
- `DateMention.anchor` is the anchor's source for expressions resolved against it, and
  NONE for absolute ones, which do not depend on it.
- An expression that needs a day-level anchor when there is none (or only a year) is still
  emitted, with value None.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from newsfuse.model import AnchorSource, DateAnchor, DateMention, Granularity

PRODUCED_BY = "newsfuse.dates.v1"
NO_ANCHOR = DateAnchor(None, AnchorSource.NONE)

PAST_WINDOW_DAYS = 304
"""A yearless month-day may lie up to ~10 months before the anchor..."""
FUTURE_WINDOW_DAYS = 61
"""...or up to ~2 months after it."""
EARLIEST_ANCHOR_YEAR = 1900


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


Resolver = Callable[[re.Match[str], DateAnchor], Resolution]
Acceptor = Callable[[re.Match[str]], bool]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    resolve: Resolver
    accept: Acceptor | None = None
    """Anchor-independent check that a match really is a date (Feb. 30 is not)."""
    yearless_day: bool = False
    """A day stated without a year: evidence of when the article was written."""
    not_after: str = ""
    """Characters that may not precede the match (besides letters and digits)."""


# --- vocabulary ---------------------------------------------------------------------------

_MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct",
                        "Nov", "Dec")  # fmt: skip
_WEEKDAYS = tuple(calendar.day_name)  # Monday .. Sunday


def _title_and_upper(words: Sequence[str], suffix: str = "") -> list[str]:
    return [form + suffix for word in words for form in (word, word.upper())]


_MONTH_ALTERNATION = "|".join(
    _title_and_upper(calendar.month_name[1:]) + _title_and_upper(_MONTH_ABBREVIATIONS, r"\.?")
)
_WEEKDAY_ALTERNATION = "|".join(_title_and_upper(_WEEKDAYS))
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip
_SEASONS = {"spring": ("SP", 3), "summer": ("SU", 6), "autumn": ("FA", 9), "fall": ("FA", 9),
            "winter": ("WI", 12)}  # fmt: skip
_WEEKDAY_NUMBERS = {name.lower(): i for i, name in enumerate(_WEEKDAYS)}
_TIME_ZONES = "GMT|UTC|BST|CET|CEST|EET|EEST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|KST|JST|MSK|IST"
_COUNT_NOUNS = (
    "people|persons|men|women|children|troops|soldiers|votes|voters|cases|deaths|members|"
    "residents|refugees|workers|units|copies|tonnes|tons|dollars|euros|pounds|km|miles|meters|"
    "metres|feet|points|seats|jobs|homes|households|students|patients|cars|vehicles|missiles|shells"
)
_YEAR_NOUNS = (
    "war|wars|election|elections|Olympics|Games|World Cup|census|summit|agreement|armistice|"
    "ceasefire|cease-fire|accord|accords|treaty|crisis|invasion|revolution|uprising|coup|law|"
    "budget|season|campaign|earthquake|tsunami|attack|attacks|bombing|referendum|"
    "constitution|declaration|resolution|talks|protests|massacre|famine|pandemic|"
    "presidential|parliamentary|general|midterm|midterms|financial|annexation|"
    "Winter|Summer|Nobel"
)

# --- pattern pieces -----------------------------------------------------------------------

_MON = rf"(?P<mon>{_MONTH_ALTERNATION})(?![A-Za-z])"
_MON2 = rf"(?P<mon2>{_MONTH_ALTERNATION})(?![A-Za-z])"
_DAY_END = r"(?:st|nd|rd|th)?(?![\d:]|[,.]\d|\s?%|\s?percent)"
_DAY = rf"(?P<d>\d\d?){_DAY_END}"
_DAY2 = rf"(?P<d2>\d\d?){_DAY_END}"
_YEAR = r"(?P<y>1[5-9]\d\d|20\d\d)(?![\d,.]\d|s\b|\s?%)"
_YEAR_TAIL = rf"(?:,?\s+{_YEAR})?"
_RANGE_JOIN = r"(?:\s*(?:-|–|—)\s*|\s+(?:to|through|thru|until|till|and)\s+)"
_FUTURE_CUE = re.compile(
    r"\b(?:will|shall|won't|'ll|is due|are due|was due|is scheduled|are scheduled|scheduled for|"
    r"is expected|are expected|is set to|are set to|plans? to|planned for|is to|are to|going to|"
    r"upcoming)\b",
    re.IGNORECASE,
)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z\"“]|\n")


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


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


def _number(word: str) -> float:
    return _NUMBER_WORDS.get(word.lower()) or float(word)


def _future_context(text: str, start: int) -> bool:
    """Whether the sentence before `start` speaks of the future ("will meet on Monday")."""
    before = text[max(0, start - 90) : start]
    breaks = list(_SENTENCE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() - 1 :]
    return _FUTURE_CUE.search(before) is not None


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


# --- resolvers ----------------------------------------------------------------------------


def _valid_month_day(m: re.Match[str]) -> bool:
    month, day = _month_number(m["mon"]), int(m["d"])
    year = int(m["y"]) if m["y"] else 2000
    return _safe_date(year, month, day) is not None


def _resolve_month_day(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    month, day = _month_number(m["mon"]), int(m["d"])
    if m["y"]:
        return _day(_safe_date(int(m["y"]), month, day), relative=False)
    return _day(_nearest_month_day(month, day, anchor), relative=True)


def _valid_iso(m: re.Match[str]) -> bool:
    return _safe_date(int(m["y"]), int(m["m"]), int(m["d"])) is not None


def _resolve_iso(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    day = _day(date(int(m["y"]), int(m["m"]), int(m["d"])), relative=False)
    if m["hh"]:
        return replace(day, value=f"{day.value}T{m['hh']}:{m['mi']}", granularity=Granularity.TIME)
    return day


def _numeric_order(m: re.Match[str]) -> tuple[int, int] | None:
    """(month, day) of 9/13/2023: US order, D/M only when M/D cannot be a date."""
    first, second, year = int(m["a"]), int(m["b"]), int(m["y"])
    if _safe_date(year, first, second):
        return first, second
    if _safe_date(year, second, first):
        return second, first
    return None


def _resolve_numeric(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    order = _numeric_order(m)
    return _day(date(int(m["y"]), *order) if order else None, relative=False)


def _valid_month_day_range(m: re.Match[str]) -> bool:
    month, month2 = _month_number(m["mon"]), _month_number(_group(m, "mon2") or m["mon"])
    if not (_safe_date(2000, month, int(m["d"])) and _safe_date(2000, month2, int(m["d2"]))):
        return False
    if m["join"].strip().lower() == "and" and not _preceded_by(m, "between"):
        return False
    return (month2, int(m["d2"])) > (month, int(m["d"])) or month2 < month


def _resolve_month_day_range(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    month, month2 = _month_number(m["mon"]), _month_number(_group(m, "mon2") or m["mon"])
    if m["y"]:
        year = int(m["y"])
        first = _safe_date(year - (1 if month2 < month else 0), month, int(m["d"]))
        return _range(first, _safe_date(year, month2, int(m["d2"])), relative=False)
    first = _nearest_month_day(month, int(m["d"]), anchor)
    if first is None:
        return _range(None, None, relative=True)
    last = _safe_date(first.year + (1 if month2 < month else 0), month2, int(m["d2"]))
    return _range(first, last, relative=True)


def _preceded_by(m: re.Match[str], *words: str) -> bool:
    before = m.string[max(0, m.start() - 12) : m.start()].lower().split()
    return bool(before) and before[-1] in words


def _valid_month_range(m: re.Match[str]) -> bool:
    if m["join"].strip().lower() == "and" and not _preceded_by(m, "between"):
        return False
    return _month_number(m["mon"]) < _month_number(m["mon2"])


def _resolve_month_range(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    year = int(m["y"])
    first, second = _month_number(m["mon"]), _month_number(m["mon2"])
    return _range(date(year, first, 1), _month_end(year, second), relative=False)


def _resolve_month_year(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    year, month = int(m["y"]), _month_number(m["mon"])
    return _month(
        year, month, relative=False, days=_month_days(_group(m, "part") or "", year, month)
    )


_BARE_MONTH_PREPOSITIONS = frozenset(
    ("in", "during", "since", "until", "till", "through", "by", "from", "before", "after", "of",
     "on", "around")
)  # fmt: skip
_MAY_PREPOSITIONS = frozenset(["in", "during", "since", "until", "till", "through"])


def _valid_bare_month(m: re.Match[str]) -> bool:
    """A month name alone is a month only after a preposition ("in August"); "May" only after
    one that cannot precede a person ("in May", not "by May")."""
    words = m.string[max(0, m.start() - 8) : m.start()].lower().split()
    if not words or m.string[m.start() - 1] not in " \t\n":
        return False
    allowed = _MAY_PREPOSITIONS if m["mon"].lower() == "may" else _BARE_MONTH_PREPOSITIONS
    return words[-1] in allowed


def _resolve_bare_month(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    month = _month_number(m["mon"])
    modifier = " ".join((_group(m, "mod") or "").lower().split())
    year = _nearest_month_year(month, anchor, modifier)
    days = _month_days(modifier, year, month) if year else None
    return _month(year, month, relative=True, days=days)


def _valid_year_range(m: re.Match[str]) -> bool:
    first, second = int(m["y"]), _second_year(m)
    if not first < second <= first + 100:
        return False
    join = m["join"].strip().lower()
    if join == "and":
        return _preceded_by(m, "between")
    if join in ("to", "through", "thru", "until", "till"):
        return _preceded_by(m, "from", "between")
    return True


def _second_year(m: re.Match[str]) -> int:
    text = m["y2"]
    return int(text) if len(text) == 4 else int(m["y"][:2] + text)


def _resolve_year_range(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    first, second = int(m["y"]), _second_year(m)
    return _range(date(first, 1, 1), date(second, 12, 31), relative=False)


_YEAR_PREPOSITIONS = ("in", "since", "of", "by", "until", "till", "through", "throughout",
                      "during", "from", "before", "after", "around", "circa", "year",
                      "fiscal")  # fmt: skip
_YEAR_NOUN_AFTER = _c(rf"['’]s\b|\s+(?:{_YEAR_NOUNS})\b")


def _clearly_a_year(m: re.Match[str]) -> bool:
    """ "in 1953", "since 1953", "1953 war", "2023's": not "1953 people" or "$1953"."""
    return _preceded_by(m, *_YEAR_PREPOSITIONS) or bool(_YEAR_NOUN_AFTER.match(m.string, m.end()))


def _resolve_year(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    return _year(int(m["y"]), relative=False)


def _resolve_part_of_year(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    """ "early 2023" (the year, narrowed) or "early March 2023" (the month, narrowed)."""
    if m["mon"]:
        return _resolve_month_year(m, anchor)
    return _year(int(m["y"]), relative=False, months=_year_months(m["part"]))


def _year_months(part: str) -> tuple[int, int]:
    first, last = _narrow_months(part, 12)
    return first + 1, last + 1


def _resolve_quarter(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    ordinal = (_group(m, "q") or _group(m, "qn") or "").lower()
    quarter = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}.get(ordinal)
    return _quarter(int(m["y"]), quarter or int(ordinal), relative=False)


def _resolve_decade(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    if century_digits := _group(m, "c"):
        century, digit = int(century_digits), int(m["dd"])
    else:
        digit = int(m["dd2"])
        century = 19 if digit >= 3 else 20
    first_year = century * 100 + digit * 10
    offsets = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get(
        (_group(m, "mod") or "").lower(), (0, 9)
    )
    return Resolution(f"{century}{digit}", Granularity.DECADE, date(first_year + offsets[0], 1, 1),
                      date(first_year + offsets[1], 12, 31))  # fmt: skip


def _resolve_season_year(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    return _season(int(m["y"]), m["s"], relative=False, part=_group(m, "mod") or "")


_SHIFTS = {"this": 0, "last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1,
           "this past": -1, "this coming": 1}  # fmt: skip


def _resolve_relative_season(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    """ "last summer" is the latest one already over; "this summer" the one of the anchor's
    year (or the one under way); "next summer" the first not yet begun."""
    first_month = _SEASONS[m["s"].lower()][1]
    today = _day_anchor(anchor)
    if today is None:
        return _season(None, m["s"], relative=True)
    current = today.year if today.month >= first_month else today.year - 1  # latest begun
    under_way = today < _add_months(date(current, first_month, 1), 3)
    rel = " ".join(m["rel"].lower().split())
    if _SHIFTS[rel] < 0:
        year = current - 1 if under_way else current
    elif _SHIFTS[rel] > 0:
        year = current + 1
    else:
        year = current if under_way or current == today.year else current + 1
    return _season(year, m["s"], relative=True)


_CAPITALISED_WORD_BEFORE = _c(r"[A-Z][\w.’'-]*[ \t]+$")


def _not_a_title(m: re.Match[str]) -> bool:
    """ "Russia Today", "USA Today", "Trending Today": a capitalised word after a capitalised
    word is part of a name."""
    if not m.group()[0].isupper():
        return True
    return _CAPITALISED_WORD_BEFORE.search(m.string, max(0, m.start() - 30), m.start()) is None


def _resolve_relative_day(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    today = _day_anchor(anchor)
    words = " ".join(m["w"].lower().split())
    offset = {"the day before yesterday": -2, "yesterday": -1, "last night": -1, "tomorrow": 1,
              "the day after tomorrow": 2}.get(words, 0)  # fmt: skip
    return _day(today + timedelta(offset) if today else None, relative=True)


def _resolve_weekday(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    today = _day_anchor(anchor)
    if today is None:
        return _day(None, relative=True)
    target = _WEEKDAY_NUMBERS[m["wd"].lower()]
    modifier = " ".join((_group(m, "mod") or "").lower().split())
    back = (today.weekday() - target) % 7
    if modifier in ("last", "this past", "past"):
        return _day(today - timedelta(back or 7), relative=True)
    forward = (target - today.weekday()) % 7
    if modifier in ("next", "this coming", "coming"):
        return _day(today + timedelta(forward or 7), relative=True)
    if modifier == "this" or _future_context(m.string, m.start()):
        return _day(today + timedelta(forward), relative=True)
    return _day(today - timedelta(back), relative=True)


def _resolve_relative_period(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    unit = m["unit"].lower()
    rel = " ".join(m["rel"].lower().split())
    if unit == "weekend" and rel == "past":
        rel = "last"  # "this past weekend"
    part = " ".join((_group(m, "part") or "").lower().split())
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


_UNIT_GRANULARITY = {"day": Granularity.DAY, "week": Granularity.WEEK, "month": Granularity.MONTH,
                     "year": Granularity.YEAR, "decade": Granularity.DECADE}  # fmt: skip


def _shift_by(today: date, amount: float, unit: str) -> date:
    whole = round(amount)
    if unit == "day":
        return today + timedelta(whole)
    if unit == "week":
        return today + timedelta(7 * whole)
    if unit == "month":
        return _add_months(today, whole)
    return _add_months(today, whole * (120 if unit == "decade" else 12))


def _unit_of(m: re.Match[str]) -> str:
    unit = m["unit"].lower()
    return "century" if unit.startswith("centur") else unit.rstrip("s")


def _resolve_ago(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    unit = _unit_of(m)
    sign = -1 if m["dir"].lower() == "ago" or m["dir"].lower() == "earlier" else 1
    amount = sign * _number(m["n"])
    today = anchor.day if unit in ("year", "decade") else _day_anchor(anchor)
    if today is None:
        return Resolution(None, _UNIT_GRANULARITY[unit], relative=True)
    then = _shift_by(today, amount, unit)
    return _unit_resolution(then, unit)


def _resolve_in_future(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    unit = _unit_of(m)
    today = anchor.day if unit in ("year", "decade") else _day_anchor(anchor)
    if today is None:
        return Resolution(None, _UNIT_GRANULARITY[unit], relative=True)
    return _unit_resolution(_shift_by(today, _number(m["n"]), unit), unit)


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


def _resolve_past_span(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    unit = _unit_of(m)
    today = _day_anchor(anchor)
    if today is None:
        return _range(None, None, relative=True)
    return _range(_shift_by(today, -_number(m["n"]), unit), today, relative=True)


_DURATION_CODES = {"year": ("", "Y", 1), "month": ("", "M", 1), "week": ("", "W", 1),
                   "day": ("", "D", 1), "hour": ("T", "H", 1), "minute": ("T", "M", 1),
                   "decade": ("", "Y", 10), "century": ("", "Y", 100)}  # fmt: skip
_DURATION_TRIGGERS = frozenset(
    ("for", "than", "nearly", "almost", "about", "within", "around", "over", "roughly", "some",
     "after", "in", "lasted", "past", "last")
)  # fmt: skip


def _valid_amount(m: re.Match[str]) -> bool:
    if m["dir"]:
        return _unit_of(m) in _UNIT_GRANULARITY
    if m["n"].lower() in ("a", "an", "one") and _unit_of(m) not in ("decade", "century"):
        return _preceded_by(m, *_DURATION_TRIGGERS)
    return True


def _resolve_amount(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    """ "two days ago" (a date) or "two days" (a duration)."""
    return _resolve_ago(m, anchor) if m["dir"] else _resolve_duration(m)


def _resolve_duration(m: re.Match[str]) -> Resolution:
    time_mark, code, factor = _DURATION_CODES[_unit_of(m)]
    amount = _number(m["n"]) * factor
    text = f"{amount:g}"
    return Resolution(f"P{time_mark}{text}{code}", Granularity.DURATION)


def _clock(m: re.Match[str]) -> str:
    hour = int(m["hh"])
    meridiem = (_group(m, "ap") or "").lower().replace(".", "")
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    return f"{hour:02d}:{m['mi'] or '00'}"


def _time_on(day: date | None, clock: str, relative: bool) -> Resolution:
    value = f"{day.isoformat()}T{clock}" if day else None
    return Resolution(value, Granularity.TIME, day, day, relative, clock)


def _resolve_clock(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    return _time_on(_day_anchor(anchor), _clock(m), relative=True)


def _resolve_noon(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    clock = "12:00" if m["x"].lower() == "noon" else "00:00"
    return _time_on(_day_anchor(anchor), clock, relative=True)


# --- rules --------------------------------------------------------------------------------
# Every pattern starts with a literal or a character class (no leading \b, optional group or
# (?i:...)), so that `re` can skip ahead to candidate first characters in C: about ten times
# faster. Word starts are checked in `_scan`; optional left modifiers are separate rules.


def _words(*phrases: str) -> str:
    """An alternation of phrases in lower and Capitalised case, longest first; a space in a
    phrase matches any whitespace."""
    forms = {form for p in phrases for form in (p, p[0].upper() + p[1:])}
    ordered = sorted(forms, key=len, reverse=True)
    return "(?:" + "|".join(form.replace(" ", r"\s+") for form in ordered) + ")"


_WD = rf"(?:{_WEEKDAY_ALTERNATION})"


def _by_first_letter(words: Sequence[str]) -> str:
    """An alternation grouped by first letter (and its capital): `re` tries a branch only when
    its first character matches, so this is much faster than a flat list of words."""
    groups: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(
        f"{first}(?:{'|'.join(rests)})" for letter, rests in groups.items()
        for first in (letter, letter.upper())
    )  # fmt: skip


_NUM = (
    "(?P<n>"
    + "|".join(rf"{d}(?:\d\d?)?(?:\.\d+)?" for d in "0123456789")
    + "|"
    + _by_first_letter(list(_NUMBER_WORDS))
    + ")"
)
_UNITS = r"(?P<unit>(?i:days?|weeks?|months?|years?|decades?))"
_UNITS_PLURAL = r"(?P<unit>(?i:days|weeks|months|years|decades))"
_PART_PHRASES = ("early", "mid", "late", "the end of", "end of", "the beginning of",
                 "beginning of", "the start of", "start of", "the middle of", "middle of",
                 "the first half of", "first half of", "the second half of",
                 "second half of")  # fmt: skip
_PARTS = _words(*_PART_PHRASES)
_SEASON_WORDS = _words("spring", "summer", "autumn", "fall", "winter")
_RELATIVE_WORDS = _words("this past", "this coming", "this", "last", "next", "past", "previous",
                         "coming")  # fmt: skip
_NEAR = _words("last", "next", "this past", "this coming", "this", "past", "coming")
_TZ = rf"\s*(?P<tz>{_TIME_ZONES}|(?i:local\s+time))"
_CLOCK_PREPOSITIONS = _words("at", "around", "about", "from", "until", "till", "by", "before",
                             "after", "since")  # fmt: skip
_NUMERIC_LEFT = "$£€¥.,/#-:"
"""Characters that may not stand before a number we read as a date."""
_TIME_OF_DAY = r"(?:\s+(?i:morning|afternoon|evening|night))?"

RULES: tuple[Rule, ...] = (
    Rule("iso_date", _c(
        r"(?P<y>\d\d\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"
        r"(?:[T ](?P<hh>[01]\d|2[0-3]):(?P<mi>[0-5]\d))?(?![\d-])"
    ), _resolve_iso, _valid_iso, not_after=_NUMERIC_LEFT),
    Rule("numeric_date", _c(r"(?P<a>\d\d?)/(?P<b>\d\d?)/(?P<y>(?:19|20)\d\d)(?![\d/])"),
         _resolve_numeric, lambda m: _numeric_order(m) is not None, not_after=_NUMERIC_LEFT),
    Rule("month_day_range", _c(
        rf"{_MON}\s+{_DAY}(?P<join>{_RANGE_JOIN})(?:{_MON2}\s+)?{_DAY2}{_YEAR_TAIL}"
    ), _resolve_month_day_range, _valid_month_day_range, yearless_day=True),
    Rule("day_month_range", _c(
        rf"{_DAY}(?P<join>{_RANGE_JOIN}){_DAY2}\s+(?:of\s+)?{_MON}{_YEAR_TAIL}"
    ), _resolve_month_day_range, _valid_month_day_range, yearless_day=True,
        not_after=_NUMERIC_LEFT),
    Rule("month_range", _c(rf"{_MON}(?P<join>{_RANGE_JOIN}){_MON2},?\s+{_YEAR}"),
         _resolve_month_range, _valid_month_range),
    Rule("month_day", _c(rf"{_MON}\s+{_DAY}{_YEAR_TAIL}"), _resolve_month_day, _valid_month_day,
         yearless_day=True),
    Rule("weekday_month_day", _c(rf"{_WD},?\s+{_MON}\s+{_DAY}{_YEAR_TAIL}"), _resolve_month_day,
         _valid_month_day, yearless_day=True),
    Rule("day_month", _c(rf"{_DAY}\s+(?:of\s+)?{_MON}{_YEAR_TAIL}"), _resolve_month_day,
         _valid_month_day, yearless_day=True, not_after=_NUMERIC_LEFT),
    Rule("month_year", _c(rf"{_MON},?\s+{_YEAR}"), _resolve_month_year),
    Rule("month_after_preposition", _c(rf"{_MON}(?!\.?\s*\d)"), _resolve_bare_month,
         _valid_bare_month),
    Rule("modified_month", _c(
        r"(?P<mod>" + _words("earlier in", "later in", "early", "mid", "late", "last", "next",
                              "this past", "this coming", "this", "the end of", "end of",
                              "the beginning of", "beginning of", "the start of", "start of",
                              "the middle of", "middle of") + rf")[\s-]+{_MON}"
    ), _resolve_bare_month),
    Rule("season_year", _c(rf"(?P<s>{_SEASON_WORDS})(?:\s+of)?,?\s+{_YEAR}"),
         _resolve_season_year),
    Rule("part_season_year", _c(
        rf"(?P<mod>{_words('early', 'mid', 'late')})[\s-]+(?P<s>{_SEASON_WORDS})(?:\s+of)?,?\s+"
        rf"{_YEAR}"
    ), _resolve_season_year),
    Rule("relative_season", _c(rf"(?P<rel>{_NEAR})\s+(?P<s>{_SEASON_WORDS})\b"),
         _resolve_relative_season),
    Rule("quarter", _c(
        rf"(?P<q>{_words('first', 'second', 'third', 'fourth', 'final', 'last')})[\s-]+quarter"
        rf"\s+(?:of\s+)?{_YEAR}"
    ), _resolve_quarter),
    Rule("q_quarter", _c(rf"Q(?P<qn>[1-4])\s+(?:of\s+)?{_YEAR}"), _resolve_quarter),
    Rule("part_of_year", _c(rf"(?P<part>{_PARTS})[\s-]+(?:{_MON},?\s+)?{_YEAR}"),
         _resolve_part_of_year),
    Rule("decade", _c(r"(?P<c>1[5-9]|20)(?P<dd>\d)0['’]?s\b"), _resolve_decade,
         not_after=_NUMERIC_LEFT),
    Rule("short_decade", _c(r"['’](?P<dd2>\d)0s\b"), _resolve_decade),
    Rule("part_decade", _c(
        rf"(?P<mod>{_words('early', 'mid', 'late')})[\s-]+"
        r"(?:(?P<c>1[5-9]|20)(?P<dd>\d)0['’]?s|['’](?P<dd2>\d)0s)\b"
    ), _resolve_decade),
    Rule("year_range", _c(
        rf"{_YEAR}(?P<join>{_RANGE_JOIN})(?P<y2>1[5-9]\d\d|20\d\d|\d\d)(?![\d-]|[,.]\d|\s?%)"
    ), _resolve_year_range, _valid_year_range, not_after=_NUMERIC_LEFT),
    Rule("year", _c(rf"{_YEAR}(?!\s+(?:{_COUNT_NOUNS})\b)"), _resolve_year, _clearly_a_year,
         not_after=_NUMERIC_LEFT),
    Rule("relative_period", _c(
        rf"(?P<rel>{_RELATIVE_WORDS})\s+"
        r"(?P<unit>(?i:week|weekend|month|year|quarter))\b"
    ), _resolve_relative_period),
    Rule("part_relative_period", _c(
        rf"(?P<part>{_words('earlier', 'later', *_PART_PHRASES)})[\s-]+"
        rf"(?P<rel>{_RELATIVE_WORDS})\s+"
        r"(?P<unit>(?i:week|weekend|month|year|quarter))\b"
    ), _resolve_relative_period),
    Rule("relative_day", _c(
        r"(?P<w>" + _words("the day before yesterday", "the day after tomorrow", "yesterday",
                           "today", "tonight", "tomorrow", "last night", "this morning",
                           "this afternoon", "this evening") + rf"){_TIME_OF_DAY}\b"
    ), _resolve_relative_day, _not_a_title),
    Rule("weekday", _c(rf"(?P<wd>{_WEEKDAY_ALTERNATION})(?!s\b){_TIME_OF_DAY}\b"),
         _resolve_weekday),
    Rule("modified_weekday", _c(
        rf"(?P<mod>{_NEAR})\s+(?P<wd>{_WEEKDAY_ALTERNATION})(?!s\b){_TIME_OF_DAY}\b"
    ), _resolve_weekday),
    Rule("past_span", _c(rf"{_words('past', 'last', 'previous')}\s+{_NUM}\s+{_UNITS_PLURAL}\b"),
         _resolve_past_span),
    Rule("in_future", _c(rf"{_words('in')}\s+{_NUM}\s+{_UNITS}\b"), _resolve_in_future,
         lambda m: _future_context(m.string, m.start())),
    Rule("amount", _c(
        rf"{_NUM}(?:\s+|-)(?P<unit>(?i:years?|months?|weeks?|days?|hours?|minutes?|decades?"
        r"|century|centuries))\b(?:\s+(?P<dir>(?i:ago|from\s+now))\b|(?![\s-]+old\b)(?:-long\b)?"
        r"(?!\s+(?i:later|earlier|before|after|old)\b))"
    ), _resolve_amount, _valid_amount, not_after=_NUMERIC_LEFT),
    Rule("clock_12h", _c(
        r"(?P<hh>\d\d?)(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>(?i:a\.m\.?|p\.m\.?|am\b|pm\b))"
        rf"(?:{_TZ})?"
    ), _resolve_clock, lambda m: 1 <= int(m["hh"]) <= 12, not_after=_NUMERIC_LEFT),
    Rule("clock_24h_zone", _c(rf"(?P<hh>\d\d?)[:h](?P<mi>[0-5]\d){_TZ}"), _resolve_clock,
         lambda m: int(m["hh"]) <= 23, not_after=_NUMERIC_LEFT),
    Rule("clock_24h", _c(
        rf"{_CLOCK_PREPOSITIONS}\s+(?P<x>(?P<hh>\d\d?)[:h](?P<mi>[0-5]\d)(?:{_TZ})?)(?![\d:])"
    ), _resolve_clock, lambda m: int(m["hh"]) <= 23),
    Rule("noon", _c(rf"{_CLOCK_PREPOSITIONS}\s+(?P<x>(?i:noon|midnight))\b"), _resolve_noon),
)  # fmt: skip
_CLOCK_RULES = frozenset({"clock_12h", "clock_24h_zone", "clock_24h", "noon"})
_DAY_THEN_TIME = re.compile(
    r"[\s,]*(?:(?i:at|around|about|from|by|shortly\s+after|shortly\s+before|before|after|until)"
    r"\s+)?"
)
_TIME_THEN_DAY = re.compile(r"[\s,]*(?:(?i:on)\s+)?")


# --- scanning -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    rule: Rule
    match: re.Match[str]


def _group(m: re.Match[str], name: str) -> str | None:
    return m[name] if name in m.re.groupindex else None


def _span(m: re.Match[str]) -> tuple[int, int]:
    return m.span("x") if "x" in m.re.groupindex else m.span()


@lru_cache(maxsize=16)
def _scan(text: str) -> tuple[_Candidate, ...]:
    """Every accepted rule match, longest first wins, no overlaps, in text order.

    Cached so that `infer_anchor` and `find_dates` on the same text scan it once."""
    found: list[tuple[int, int, _Candidate]] = []
    for priority, rule in enumerate(RULES):
        for m in rule.pattern.finditer(text):
            left = text[m.start() - 1] if m.start() else " "
            if left.isalnum() or left in rule.not_after:
                continue
            if rule.accept is not None and not rule.accept(m):
                continue
            start, end = _span(m)
            found.append((start - end, priority, _Candidate(start, end, rule, m)))
    found.sort(key=lambda item: (item[0], item[1], item[2].start))
    taken = bytearray(len(text))
    chosen: list[_Candidate] = []
    for _, _, candidate in found:
        if taken.find(1, candidate.start, candidate.end) == -1:
            taken[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
            chosen.append(candidate)
    chosen.sort(key=lambda c: c.start)
    return tuple(chosen)


def _joined_by(pattern: re.Pattern[str], text: str, start: int, end: int) -> bool:
    return end - start <= 24 and pattern.fullmatch(text, start, end) is not None


def _attach_times(
    text: str, resolved: list[tuple[_Candidate, Resolution]]
) -> list[tuple[int, int, Resolution]]:
    """Merge a time with the day beside it: "on Sept. 13 at 3 p.m.", "3 p.m. on Monday"."""
    out: list[tuple[int, int, Resolution]] = []
    i = 0
    while i < len(resolved):
        candidate, resolution = resolved[i]
        if i + 1 < len(resolved):
            following, next_resolution = resolved[i + 1]
            merged = _merge_day_and_time(text, candidate, resolution, following, next_resolution)
            if merged is not None:
                out.append((candidate.start, following.end, merged))
                i += 2
                continue
        out.append((candidate.start, candidate.end, resolution))
        i += 1
    return out


def _merge_day_and_time(
    text: str, first: _Candidate, first_res: Resolution, second: _Candidate, second_res: Resolution
) -> Resolution | None:
    if first_res.granularity == Granularity.DAY and second.rule.name in _CLOCK_RULES:
        day, clock, joiner = first_res, second_res, _DAY_THEN_TIME
    elif second_res.granularity == Granularity.DAY and first.rule.name in _CLOCK_RULES:
        day, clock, joiner = second_res, first_res, _TIME_THEN_DAY
    else:
        return None
    if not _joined_by(joiner, text, first.end, second.start) or clock.clock is None:
        return None
    return _time_on(day.earliest, clock.clock, relative=day.relative)


# --- public API ---------------------------------------------------------------------------


def find_dates(text: str, anchor: DateAnchor) -> list[DateMention]:
    """Every date, time and duration expression in `text`, resolved against `anchor`;
    non-overlapping (the longest match wins) and sorted by start."""
    if not text:
        return []
    resolved = [(c, c.rule.resolve(c.match, anchor)) for c in _scan(text)]
    return [
        DateMention(
            start, end, text[start:end], res.value, res.granularity, res.earliest, res.latest,
            res.relative, anchor.source if res.relative else AnchorSource.NONE, PRODUCED_BY,
        )
        for start, end, res in _attach_times(text, resolved)
    ]  # fmt: skip


def infer_anchor(
    text: str,
    published: datetime | None,
    story_first: datetime | None,
    story_last: datetime | None,
    captions: Sequence[str] = (),
    *,
    today: date | None = None,
) -> DateAnchor:
    """The day relative expressions are resolved against, as a cascade:

    1. the article's publication date (PUBLISHED);
    2. the story's dates (STORY): its last publication, since an undated article in a
       story was most likely written while the story ran, and resolving past-looking
       expressions against the latest day never puts an event after the reporting; the
       first publication when there is no (plausible) last one;
    3. the text (TEXT): the latest explicit year in the text and captions, skipping
       targets ("by 2030") and implausible years; then the latest yearless month-day of
       the body in that year ("reported on Sept. 15"), else the year alone (year_only);
    4. nothing (NONE).
    `today` bounds plausible years and story dates (default: the real today)."""
    today = today or date.today()
    if published is not None:
        return DateAnchor(published.date(), AnchorSource.PUBLISHED)
    for story_day in (story_last, story_first):
        if story_day is not None and story_day.date() <= today + timedelta(1):
            return DateAnchor(story_day.date(), AnchorSource.STORY)
    return _anchor_from_text(text, captions, today)


_TARGET_WORDS = ("by", "until", "till", "through", "before", "to")


def _explicit_years(text: str, max_year: int) -> list[int]:
    years = []
    for candidate in _scan(text):
        res = candidate.rule.resolve(candidate.match, NO_ANCHOR)
        if res.relative or res.latest is None or res.granularity == Granularity.DECADE:
            continue
        before = text[max(0, candidate.start - 20) : candidate.start].lower().split()
        if before and before[-1] in _TARGET_WORDS:
            continue
        if before[-3:-1] == ["by", "the"] or before[-2:-1] == ["by"]:
            continue  # "by the end of 2025", "by early 2030"
        if EARLIEST_ANCHOR_YEAR <= res.latest.year <= max_year:
            years.append(res.latest.year)
    return years


def _anchor_from_text(text: str, captions: Sequence[str], today: date) -> DateAnchor:
    years = [
        y for source in (text, *captions) if source for y in _explicit_years(source, today.year + 1)
    ]
    if not years:
        return NO_ANCHOR
    year_anchor = DateAnchor(date(max(years), 1, 1), AnchorSource.TEXT, year_only=True)
    days = [
        res.latest
        for candidate in (_scan(text) if text else ())
        if candidate.rule.yearless_day and not _group(candidate.match, "y")
        and (res := candidate.rule.resolve(candidate.match, year_anchor)).latest is not None
    ]  # fmt: skip
    if days:
        return DateAnchor(max(days), AnchorSource.TEXT)
    return year_anchor
