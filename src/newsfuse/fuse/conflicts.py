"""Where a story's independent reports disagree: the same slot with different values.

- numbers: within a shared fact, numbers of one kind (money, percent, count) attached to the
  same word ("killed 12" / "killed 15"; "pledged $2.3 billion" / "pledged $2.5 billion");
- dates and places of one event: coded events with the same source, target and PLOVER type
  whose day (or place) differs between origins, each origin reporting only its own value;
- speakers: the same quote content attributed to different speaker ids.

A value counts as contested only when one origin gives it without the other value and another
origin gives the other without it, so an article that mentions two days is not at odds with
itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from newsfuse.fuse.facts import SHARED, Evidence, Fact, ReportText, number_value, stem

DATE_WINDOW_DAYS = 7
"""Two day values of one event further apart than this are taken to be two events."""
QUOTE_OVERLAP = 0.6
"""Share of the shorter quote's words the longer one must hold for the two to be one quote."""

_NUMBER = re.compile(r"[$€£]?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|percent|million|billion|trillion|bn)\b)?")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_MONTHS = re.compile(
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$", re.IGNORECASE
)
_SKIP_TEXT = (
    "a an the of to in on at by for and or were was are is be been have has had about some "
    "least more than nearly almost around over under at least people"
)
_SKIP = frozenset(_SKIP_TEXT.split())
_CASUALTY = {
    "kill": "killed",
    "dead": "killed",
    "die": "killed",
    "death": "killed",
    "wound": "injured",
    "injur": "injured",
    "injuri": "injured",
}


@dataclass(frozen=True, slots=True)
class Conflict:
    slot: str
    """What is disputed: "number: killed", "date of CONSULT PRK-RUS", "speaker of “…”"."""
    values: tuple[tuple[str, tuple[Evidence, ...]], ...]
    """Each value with the evidence for it, in order of first report."""


def find_conflicts(reports: Sequence[ReportText], facts: Sequence[Fact]) -> list[Conflict]:
    """Number conflicts within shared facts, then date, place and speaker conflicts."""
    origin_of = {r.article_id: r.origin for r in reports}
    found: list[Conflict] = []
    for fact in facts:
        if fact.kind == SHARED:
            found.extend(_number_conflicts(fact, origin_of))
    found.extend(_event_conflicts(reports))
    found.extend(_speaker_conflicts(reports))
    return found


def _contested(by_value: dict[str, list[tuple[str, Evidence]]]) -> bool:
    """True when two values are each given by an origin that does not give the other."""
    origins = {v: {o for o, _ in items} for v, items in by_value.items()}
    values = list(origins)
    return any(
        origins[a] - origins[b] and origins[b] - origins[a]
        for i, a in enumerate(values)
        for b in values[i + 1 :]
    )


def _conflict(slot: str, by_value: dict[str, list[tuple[str, Evidence]]]) -> Conflict:
    return Conflict(
        slot,
        tuple(
            (value, tuple(dict.fromkeys(e for _, e in items))) for value, items in by_value.items()
        ),
    )


# --- numbers -----------------------------------------------------------------------------------


def attached_numbers(text: str) -> list[tuple[str, str, str]]:
    """(slot word, kind, value) for each number in a sentence: the slot words are the content
    words just before and just after it ("killed 12", "12 soldiers"); years and days of months
    are not numbers here."""
    found = []
    for match in _NUMBER.finditer(text):
        raw = match.group()
        value = number_value(raw)
        before = text[: match.start()]
        if value is None or _MONTHS.search(before) or re.fullmatch(r"(1[89]|20)\d\d", raw):
            continue
        kind = "money" if raw[0] in "$€£" else "percent" if value.endswith("%") else "count"
        words = [w for w in _WORD.findall(before)[-3:] if w.lower() not in _SKIP][-1:]
        after = [w for w in _WORD.findall(text[match.end() :])[:3] if w.lower() not in _SKIP][:1]
        for word in (*words, *after):
            slot = stem(word)
            found.append((_CASUALTY.get(slot, slot), kind, value))
    return found


def _number_conflicts(fact: Fact, origin_of: dict[str, str]) -> Iterable[Conflict]:
    slots: dict[tuple[str, str], dict[str, list[tuple[str, Evidence]]]] = {}
    for evidence in fact.support:
        origin = origin_of.get(evidence.article_id, evidence.article_id)
        for word, kind, value in attached_numbers(evidence.text):
            slots.setdefault((word, kind), {}).setdefault(value, []).append((origin, evidence))
    reported: set[frozenset[str]] = set()
    for (word, _), by_value in slots.items():
        values = frozenset(by_value)
        if len(by_value) > 1 and _contested(by_value) and values not in reported:
            reported.add(values)  # one number read from both sides is one conflict
            yield _conflict(f"number: {word}", by_value)


# --- events ------------------------------------------------------------------------------------


def _day(value: str | None) -> date | None:
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    return None


def _event_conflicts(reports: Sequence[ReportText]) -> Iterable[Conflict]:
    dates: dict[str, dict[str, list[tuple[str, Evidence]]]] = {}
    places: dict[str, dict[str, list[tuple[str, Evidence]]]] = {}
    for report in reports:
        for event in report.annotations.events if report.annotations else ():
            key = f"{event.plover} {event.source_actor or '?'}-{event.target_actor or '?'}"
            evidence = Evidence(
                report.article_id,
                report.outlet,
                event.start,
                event.end,
                report.text[event.start : event.end],
            )
            if _day(event.date) is not None:
                dates.setdefault(key, {}).setdefault(event.date, []).append(  # type: ignore[arg-type]
                    (report.origin, evidence)
                )
            if event.place:
                places.setdefault(key, {}).setdefault(event.place, []).append(
                    (report.origin, evidence)
                )
    for key, by_value in dates.items():
        days = sorted(d for v in by_value if (d := _day(v)) is not None)
        close = (days[-1] - days[0]).days <= DATE_WINDOW_DAYS
        if len(by_value) > 1 and close and _contested(by_value):
            yield _conflict(f"date of {key}", by_value)
    for key, by_value in places.items():
        countries = {value.rsplit(", ", 1)[-1] for value in by_value}
        if len(countries) > 1 and _contested(by_value):
            yield _conflict(f"place of {key}", by_value)


# --- speakers ----------------------------------------------------------------------------------


def _quote_words(content: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _WORD.findall(content) if len(w) > 2)


def _speaker_conflicts(reports: Sequence[ReportText]) -> Iterable[Conflict]:
    quotes = [
        (report, quote, _quote_words(quote.content))
        for report in reports
        for quote in (report.annotations.quotes if report.annotations else ())
        if quote.speaker_id and quote.speaker_kind != "outlet"
    ]
    grouped: list[list[int]] = []
    for i, (_, _, words) in enumerate(quotes):
        for group in grouped:
            other = quotes[group[0]][2]
            if (
                words
                and other
                and len(words & other) >= QUOTE_OVERLAP * min(len(words), len(other))
            ):
                group.append(i)
                break
        else:
            grouped.append([i])
    for group in grouped:
        by_value: dict[str, list[tuple[str, Evidence]]] = {}
        for i in group:
            report, quote, _ = quotes[i]
            evidence = Evidence(
                report.article_id,
                report.outlet,
                quote.start,
                quote.end,
                report.text[quote.start : quote.end],
            )
            label = quote.speaker_canonical or quote.speaker_id or "?"
            by_value.setdefault(label, []).append((report.origin, evidence))
        if len(by_value) > 1 and _contested(by_value):
            first = quotes[group[0]][1].content.strip("\"'“”‘’ ")
            shown = first if len(first) <= 60 else first[:57].rstrip() + "…"
            yield _conflict(f"speaker of “{shown}”", by_value)
