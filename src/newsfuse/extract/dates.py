"""Publication dates: from page metadata, the carrying record, the URL, then the page text.

Each finder returns a `DatedGuess` (value, where it came from, how much to trust it) or None.
Nothing here guesses: a date without a year, or text with no date near the byline, gives None.

Text inference looks only where a publication date is stated: the byline/dateline lines
between title and body, and a dateline opening the first paragraph ("KYIV, Sept. 15, 2023 —").
Dates deep in the body or in feed items of other days are never read. Candidates are found
with targeted regexes and parsed here; dateparser is the slow general fallback for the
strings metadata and records carry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import dateparser
import htmldate
from lxml.html import HtmlElement

from newsfuse.model import DateSource

CONFIDENCE = {
    DateSource.METADATA: 0.95,
    DateSource.RECORD: 0.9,
    DateSource.URL: 0.7,
}
TEXT_HEADER_CONFIDENCE = 0.8
"""A date on a byline/dateline line ("Published Sept. 15, 2023")."""
TEXT_DATELINE_CONFIDENCE = 0.75
"""A dateline opening the first paragraph."""
_EARLIEST = datetime(1995, 1, 1)


@dataclass(frozen=True, slots=True)
class DatedGuess:
    """A publication datetime, where it was found, and how much to trust it (0..1)."""

    value: datetime
    source: DateSource
    confidence: float


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_TIME = r"(?:[,\s]+(?:at\s+)?(?P<hh>[01]?\d|2[0-3])[:.](?P<mm>[0-5]\d)\s*(?P<ampm>[ap]\.?m\.?)?)?"
# Each pattern must capture a year: a date without one is not a date we can stand behind.
_TEXT_DATES = (
    re.compile(
        rf"\b{_MONTH}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b{_TIME}",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<y>(?:19|20)\d\d)\b{_TIME}",
        re.IGNORECASE,
    ),
    re.compile(rf"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b{_TIME}"),
)
_URL_DATES = (
    re.compile(r"/(?P<y>(?:19|20)\d\d)[/_-](?P<m>[01]?\d)[/_-](?P<d>[0-3]?\d)(?:/|[_-]|\.html|$)"),
    re.compile(r"[/_-](?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?:/|[_-]|\.html|$)"),
)
_DATELINE_SPAN = 80
"""How far into the first paragraph a dateline may reach."""
_HEADER_LINE_MAX = 200
"""Longer header lines are prose, not bylines."""
_UPDATED = re.compile(r"\b(updated|modified|edited)\b", re.IGNORECASE)


def _plausible(value: datetime, now: datetime | None) -> bool:
    naive = value.replace(tzinfo=None)
    if naive < _EARLIEST:
        return False
    limit = (now or datetime.now(UTC)).replace(tzinfo=None) + timedelta(days=2)
    return naive <= limit


def parse_date_string(text: str) -> datetime | None:
    """A date string from metadata or a record; aware when it carries an offset."""
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)  # RFC 2822, as feeds and HTTP give dates
    except (TypeError, ValueError, IndexError):
        pass
    found = _first_text_date(text)
    if found is not None:
        return found
    parsed: datetime | None = dateparser.parse(
        text,
        languages=["en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk"],
        settings={"REQUIRE_PARTS": ["year", "month", "day"], "RETURN_AS_TIMEZONE_AWARE": False},
    )
    return parsed


def _hour(match: re.Match[str]) -> tuple[int, int]:
    if not match.groupdict().get("hh"):
        return 0, 0
    hour, minute = int(match.group("hh")), int(match.group("mm"))
    ampm = (match.group("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return hour, minute


def _month(name: str) -> int:
    key = name.lower()
    return _MONTHS["sept" if key.startswith("sept") else key[:3]]


def _from_match(match: re.Match[str]) -> datetime | None:
    groups = match.groupdict()
    month = _month(groups["mon"]) if groups.get("mon") else int(groups["m"])
    try:
        return datetime(int(groups["y"]), month, int(groups["d"]), *_hour(match))
    except ValueError:
        return None  # 31 February and the like


def _first_text_date(text: str) -> datetime | None:
    """The earliest-placed full date (day, month, year) in `text`."""
    best: tuple[int, datetime] | None = None
    for pattern in _TEXT_DATES:
        match = pattern.search(text)
        if match:
            value = _from_match(match)
            if value is not None and (best is None or match.start() < best[0]):
                best = (match.start(), value)
    return best[1] if best else None


def date_from_metadata(
    published: str | None, tree: HtmlElement | None, url: str | None, now: datetime | None
) -> DatedGuess | None:
    """JSON-LD/<meta> string first (keeps time and zone), then htmldate's metadata search."""
    value = parse_date_string(published) if published else None
    if value is None and tree is not None:
        found = htmldate.find_date(
            tree, extensive_search=False, original_date=True, url=url, outputformat="%Y-%m-%d"
        )
        value = datetime.fromisoformat(found) if found else None
    if value is None or not _plausible(value, now):
        return None
    return DatedGuess(value, DateSource.METADATA, CONFIDENCE[DateSource.METADATA])


def date_from_record(published: str | None, now: datetime | None) -> DatedGuess | None:
    """The date a JSON record or feed entry gave for the page."""
    value = parse_date_string(published) if published else None
    if value is None or not _plausible(value, now):
        return None
    return DatedGuess(value, DateSource.RECORD, CONFIDENCE[DateSource.RECORD])


def date_from_url(url: str | None, now: datetime | None) -> DatedGuess | None:
    """/2023/09/15/ or -20230915- in the URL path; a year and month alone are not enough."""
    if not url:
        return None
    for pattern in _URL_DATES:
        match = pattern.search(url)
        if match:
            value = _from_match(match)
            if value is not None and _plausible(value, now):
                return DatedGuess(value, DateSource.URL, CONFIDENCE[DateSource.URL])
    return None


def date_from_text(
    header_lines: Iterable[str], first_paragraph: str | None, now: datetime | None
) -> DatedGuess | None:
    """A date stated on a byline/dateline line, else in a dateline opening the body.

    A "published" line wins over an "updated" one; nothing else in the body is read.
    """
    updated: DatedGuess | None = None
    for line in header_lines:
        if len(line) > _HEADER_LINE_MAX:
            continue
        value = _first_text_date(line)
        if value is None or not _plausible(value, now):
            continue
        guess = DatedGuess(value, DateSource.TEXT, TEXT_HEADER_CONFIDENCE)
        if not _UPDATED.search(line):
            return guess
        updated = updated or guess
    if updated is not None:
        return updated
    value = _dateline_date(first_paragraph or "")
    if value is not None and _plausible(value, now):
        return DatedGuess(value, DateSource.TEXT, TEXT_DATELINE_CONFIDENCE)
    return None


# "KYIV, Sept. 15, 2023 —", "Sept. 15, 2023 (Agency) -": a place (or nothing), the date, a dash.
_DATELINE_PLACE = re.compile(r"(?:[A-Z][\w.'’/ -]{0,40},\s*)?")
_DATELINE_END = re.compile(r"\s*(?:\([^)]{1,40}\)\s*)?[—–-]")


def _dateline_date(paragraph: str) -> datetime | None:
    head = paragraph[:_DATELINE_SPAN]
    for pattern in _TEXT_DATES:
        match = pattern.search(head)
        if (
            match
            and _DATELINE_PLACE.fullmatch(head[: match.start()])
            and _DATELINE_END.match(paragraph, match.end())
        ):
            return _from_match(match)
    return None
