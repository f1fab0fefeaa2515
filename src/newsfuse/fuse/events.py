"""A story's events merged across its articles: one event, many reports.

Two coded events are the same event when their source actor, target actor and PLOVER type match
and their dates are compatible: equal, one of them unknown, or within `DATE_SLACK_DAYS` of each
other (a date value covers an interval: "2023-09" is the whole month, "2023-09-11/2023-09-15" its
range). The merged event keeps the fields of its most confident report (ties: the earliest
article id, then offset), the most precise date among its reports, and combines confidences by
noisy-or. Output order: by date (unknown last), then source, target, type.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from newsfuse.model import Event, Modality

DATE_SLACK_DAYS = 2
_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "AU": (9, 11), "WI": (12, 14)}


@dataclass(frozen=True, slots=True)
class StoryEvent:
    """One event of a story, with every report of it."""

    plover: str
    cameo: str
    quad_class: str
    goldstein: float
    source_actor: str | None
    target_actor: str | None
    modality: Modality
    date: str | None
    place: str | None
    confidence: float
    """Noisy-or of the reports' confidences."""
    reports: tuple[tuple[str, int, int], ...]
    """(article_id, start, end) of each evidence sentence, sorted."""
    mode: str | None = None
    source_entity: str | None = None
    target_entity: str | None = None


def date_interval(value: str | None) -> tuple[date, date] | None:
    """The days an ISO date value covers; None for unknown, durations and forms we do not read."""
    if not value or value.startswith("P"):
        return None
    if "/" in value:
        first, last = (date_interval(v) for v in value.split("/", 1))
        return (first[0], last[1]) if first and last else None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = date.fromisoformat(value)
            return day, day
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            year, month = int(m[1]), int(m[2])
            nxt = date(year + month // 12, month % 12 + 1, 1)
            return date(year, month, 1), nxt - timedelta(days=1)
        if m := re.fullmatch(r"(\d{4})", value):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, monday + timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|AU|WI)", value):
            year, (lo, hi) = int(m[1]), _SEASONS[m[2]]
            end = date(year + hi // 13, (hi - 1) % 12 + 2, 1) if hi % 12 else date(year + 1, 1, 1)
            return date(year, lo, 1), end - timedelta(days=1)
    except ValueError:
        return None
    return None


def dates_compatible(a: str | None, b: str | None) -> bool:
    if a is None or b is None or a == b:
        return True
    first, second = date_interval(a), date_interval(b)
    if first is None or second is None:
        return False
    slack = timedelta(days=DATE_SLACK_DAYS)
    return first[0] - slack <= second[1] and second[0] - slack <= first[1]


def _precision(value: str | None) -> int:
    span = date_interval(value)
    return (span[1] - span[0]).days if span else 10**6


def merge_events(reports: Sequence[tuple[str, Event]]) -> list[StoryEvent]:
    """Events of a story's articles, given as (article_id, event), merged; deterministic."""
    ordered = sorted(
        reports, key=lambda r: (r[0], r[1].start, r[1].end, r[1].plover, str(r[1].target_actor))
    )
    clusters: list[list[tuple[str, Event]]] = []
    for article_id, event in ordered:
        for cluster in clusters:
            head = cluster[0][1]
            if (head.source_actor, head.target_actor, head.plover) == (
                event.source_actor,
                event.target_actor,
                event.plover,
            ) and all(dates_compatible(e.date, event.date) for _, e in cluster):
                cluster.append((article_id, event))
                break
        else:
            clusters.append([(article_id, event)])
    merged = [_merge(c) for c in clusters]
    merged.sort(
        key=lambda s: (
            s.date is None,
            date_interval(s.date) or (date.max, date.max),
            str(s.source_actor),
            str(s.target_actor),
            s.plover,
            s.reports,
        )
    )
    return merged


def _merge(cluster: Sequence[tuple[str, Event]]) -> StoryEvent:
    best_id, best = max(
        cluster, key=lambda r: (r[1].confidence, [-ord(c) for c in r[0]], -r[1].start)
    )
    miss = 1.0
    for _, e in cluster:
        miss *= 1.0 - max(0.0, min(1.0, e.confidence))
    dated = [e.date for _, e in cluster if e.date]
    when = min(dated, key=lambda d: (_precision(d), d)) if dated else None
    places = [e.place for _, e in cluster if e.place]
    return StoryEvent(
        plover=best.plover,
        cameo=best.cameo,
        quad_class=best.quad_class,
        goldstein=best.goldstein,
        source_actor=best.source_actor,
        target_actor=best.target_actor,
        modality=best.modality,
        date=when,
        place=best.place or (places[0] if places else None),
        confidence=round(1.0 - miss, 4),
        reports=tuple(sorted({(a, e.start, e.end) for a, e in cluster})),
        mode=best.mode,
        source_entity=best.source_entity
        or next((e.source_entity for _, e in cluster if e.source_entity), None),
        target_entity=best.target_entity
        or next((e.target_entity for _, e in cluster if e.target_entity), None),
    )
