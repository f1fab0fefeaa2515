"""Conflicts between a story's reports: numbers, event dates and places, quote speakers."""

from __future__ import annotations

from newsfuse.fuse.conflicts import attached_numbers, find_conflicts
from newsfuse.fuse.facts import ReportText, align_facts
from newsfuse.model import Annotations, AnnotationStatus, Event, Quote, QuoteKind

FIRST = (
    "Flooding in the river town of Maravel killed 12 people on Tuesday, officials said.\n\n"
    "The provincial government pledged $2.3 billion for rebuilding the Maravel river dams."
)
SECOND = (
    "Floods in the river town of Maravel on Tuesday killed 15 people, officials said.\n\n"
    "The provincial government pledged $2.5 billion for rebuilding the Maravel river dams."
)


def _report(article_id: str, text: str, ann: Annotations | None = None) -> ReportText:
    return ReportText(article_id, article_id.upper(), article_id, text, ann)


def _event(text: str, sentence: str, day: str | None, place: str | None = None) -> Event:
    start = text.index(sentence)
    return Event(
        start,
        start + len(sentence),
        "CONSULT",
        "036",
        "verbal cooperation",
        4.0,
        source_actor="ARV",
        target_actor="BLX",
        date=day,
        place=place,
    )


def _events(article_id: str, text: str, *events: Event) -> Annotations:
    return Annotations(article_id, AnnotationStatus.ANNOTATED, events=events)


def test_numbers_attach_to_their_words() -> None:
    found = attached_numbers("Floods killed 12 people; $2.3 billion was pledged on Sept. 13, 2023.")
    assert ("killed", "count", "12") in found
    assert any(kind == "money" and value == "$2300000000" for _, kind, value in found)
    assert not any(value in ("13", "2023") for _, _, value in found)


def test_number_conflicts_in_shared_facts() -> None:
    reports = [_report("a", FIRST), _report("b", SECOND)]
    conflicts = find_conflicts(reports, align_facts(reports))
    by_slot = {c.slot: c for c in conflicts}
    killed = by_slot["number: killed"]
    assert [v for v, _ in killed.values] == ["12", "15"]
    assert [e.article_id for _, ev in killed.values for e in ev] == ["a", "b"]
    money = next(c for c in conflicts if "$2300000000" in dict(c.values))
    assert set(dict(money.values)) == {"$2300000000", "$2500000000"}
    texts = {"a": FIRST, "b": SECOND}
    for conflict in conflicts:
        for _, evidence in conflict.values:
            assert all(texts[e.article_id][e.start : e.end] == e.text for e in evidence)


def test_no_conflict_when_the_numbers_agree() -> None:
    reports = [_report("a", FIRST), _report("b", FIRST.replace("Flooding", "Floods"))]
    assert find_conflicts(reports, align_facts(reports)) == []


def test_date_and_place_conflicts_from_events() -> None:
    one = "Arvenian and Belaxi envoys met in Porto Vell on Sept. 13 for border talks."
    two = "Arvenian and Belaxi envoys met in Lisk on Sept. 14 to discuss the border."
    reports = [
        _report("a", one, _events("a", one, _event(one, one, "2023-09-13", "Porto Vell, ARV"))),
        _report("b", two, _events("b", two, _event(two, two, "2023-09-14", "Lisk, BLX"))),
    ]
    conflicts = {c.slot: c for c in find_conflicts(reports, [])}
    date = conflicts["date of CONSULT ARV-BLX"]
    assert [v for v, _ in date.values] == ["2023-09-13", "2023-09-14"]
    assert date.values[0][1][0].text == one
    assert [v for v, _ in conflicts["place of CONSULT ARV-BLX"].values] == [
        "Porto Vell, ARV",
        "Lisk, BLX",
    ]


def test_an_article_giving_both_days_is_no_conflict() -> None:
    one = "Envoys met on Sept. 13. They met again on Sept. 14."
    both = _events(
        "a",
        one,
        _event(one, "Envoys met on Sept. 13.", "2023-09-13"),
        _event(one, "They met again on Sept. 14.", "2023-09-14"),
    )
    two = "Envoys met on Sept. 14."
    reports = [
        _report("a", one, both),
        _report("b", two, _events("b", two, _event(two, two, "2023-09-14"))),
    ]
    assert find_conflicts(reports, []) == []


def _quoted(article_id: str, text: str, content: str, speaker: str, speaker_id: str) -> Annotations:
    start = text.index(content)
    quote = Quote(
        start,
        start + len(content),
        content,
        QuoteKind.DIRECT,
        speaker=speaker,
        speaker_canonical=speaker,
        speaker_id=speaker_id,
        speaker_kind="person",
    )
    return Annotations(article_id, AnnotationStatus.ANNOTATED, quotes=(quote,))


def test_quote_speaker_conflict() -> None:
    words = "“The border will stay open to every farmer with a valid permit”"
    one = f"{words}, Minister Oda Renn said on Monday."
    two = f"{words}, said the deputy minister Pavel Kasko."
    reports = [
        _report("a", one, _quoted("a", one, words, "Oda Renn", "person:oda-renn")),
        _report("b", two, _quoted("b", two, words, "Pavel Kasko", "person:pavel-kasko")),
    ]
    (conflict,) = find_conflicts(reports, [])
    assert conflict.slot.startswith("speaker of “The border will stay open")
    assert [v for v, _ in conflict.values] == ["Oda Renn", "Pavel Kasko"]
    assert conflict.values[1][1][0].text == words


def test_empty_stories_have_no_conflicts() -> None:
    assert find_conflicts([], []) == []
    reports = [_report("a", FIRST)]
    assert find_conflicts(reports, align_facts(reports)) == []
