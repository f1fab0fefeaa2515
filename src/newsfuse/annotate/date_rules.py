"""The rule table of the date tagger (`newsfuse.annotate.dates`): `Rule`, the vocabulary and
pattern pieces it is built from, and each rule's resolver (match and anchor to `Resolution`)
and acceptor (an anchor-independent check that a match really is a date).

Rules are data: `RULES` is an ordered tuple of `Rule(name, pattern, resolve, accept)`; a
pattern's group `x`, where it has one, is the mention's span. Equal-length overlaps go to the
earlier rule. The behaviour the rules implement is described in `dates`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from newsfuse.annotate.date_calendar import (
    Resolution,
    _day,
    _day_anchor,
    _month,
    _month_days,
    _month_end,
    _month_number,
    _nearest_month_day,
    _nearest_month_year,
    _quarter,
    _range,
    _relative_period,
    _relative_season,
    _safe_date,
    _season,
    _shift_by,
    _time_on,
    _unit_resolution,
    _year,
    _year_months,
)
from newsfuse.model import DateAnchor, Granularity

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


# --- text checks -------------------------------------------------------------------------


def _group(m: re.Match[str], name: str) -> str | None:
    return m[name] if name in m.re.groupindex else None


def _number(word: str) -> float:
    return _NUMBER_WORDS.get(word.lower()) or float(word)


def _future_context(text: str, start: int) -> bool:
    """Whether the sentence before `start` speaks of the future ("will meet on Monday")."""
    before = text[max(0, start - 90) : start]
    breaks = list(_SENTENCE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() - 1 :]
    return _FUTURE_CUE.search(before) is not None


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


def _resolve_relative_season(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    return _relative_season(anchor, m["s"], " ".join(m["rel"].lower().split()))


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
    return _relative_period(anchor, unit, rel, part)


_UNIT_GRANULARITY = {"day": Granularity.DAY, "week": Granularity.WEEK, "month": Granularity.MONTH,
                     "year": Granularity.YEAR, "decade": Granularity.DECADE}  # fmt: skip


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


def _resolve_clock(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    return _time_on(_day_anchor(anchor), _clock(m), relative=True)


def _resolve_noon(m: re.Match[str], anchor: DateAnchor) -> Resolution:
    clock = "12:00" if m["x"].lower() == "noon" else "00:00"
    return _time_on(_day_anchor(anchor), clock, relative=True)


# --- rules --------------------------------------------------------------------------------
# Every pattern starts with a literal or a character class (no leading \b, optional group or
# (?i:...)), so that `re` can skip ahead to candidate first characters in C: about ten times
# faster. Word starts are checked in `dates._scan`; optional left modifiers are separate rules.


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
