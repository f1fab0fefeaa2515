"""A story's events merged across its articles."""

from __future__ import annotations

from newsfuse.fuse.events import StoryEvent, dates_compatible, merge_events
from newsfuse.model import Event, Modality


def event(
    start: int,
    plover: str = "CONSULT",
    source: str = "PRK",
    target: str | None = "RUS",
    date: str | None = None,
    confidence: float = 0.5,
    place: str | None = None,
) -> Event:
    return Event(
        start,
        start + 10,
        plover,
        "040",
        "verbal cooperation",
        1.0,
        source_actor=source,
        target_actor=target,
        date=date,
        place=place,
        confidence=confidence,
    )


def test_same_event_in_two_articles_is_one_with_two_reports() -> None:
    merged = merge_events(
        [
            ("b", event(5, date="2023-09-11/2023-09-15", confidence=0.5)),
            ("a", event(40, date="2023-09-13", place="Amur Oblast, RUS", confidence=0.6)),
        ]
    )
    assert len(merged) == 1
    (story,) = merged
    assert isinstance(story, StoryEvent)
    assert story.reports == (("a", 40, 50), ("b", 5, 15))
    assert story.date == "2023-09-13"  # the most precise
    assert story.place == "Amur Oblast, RUS"
    assert story.confidence == 0.8  # noisy-or of 0.5 and 0.6


def test_different_actors_types_or_dates_stay_apart() -> None:
    merged = merge_events(
        [
            ("a", event(0, date="2023-09-13")),
            ("a", event(20, source="RUS", target="PRK", date="2023-09-13")),
            ("b", event(0, plover="THREATEN", date="2023-09-13")),
            ("b", event(30, date="2023-09-20")),
        ]
    )
    assert len(merged) == 4


def test_unknown_date_joins_and_order_is_deterministic() -> None:
    reports = [("a", event(0, date="2023-09-13")), ("b", event(3)), ("c", event(9, target=None))]
    first = merge_events(reports)
    assert first == merge_events(list(reversed(reports)))
    assert [len(s.reports) for s in first] == [2, 1]
    assert first[0].date == "2023-09-13" and first[1].date is None
    assert first[0].modality is Modality.ASSERTED


def test_dates_compatible() -> None:
    assert dates_compatible("2023-09-13", None)
    assert dates_compatible("2023-09-13", "2023-09-15")
    assert not dates_compatible("2023-09-13", "2023-09-16")
    assert dates_compatible("2023-09-13", "2023-09")
    assert not dates_compatible("2023-09-13", "P18M")


def test_empty() -> None:
    assert merge_events([]) == []
