"""The timeline from hand-made date mentions and merged events."""

from __future__ import annotations

from datetime import date

from newsfuse.fuse.events import StoryEvent
from newsfuse.fuse.facts import ReportText
from newsfuse.fuse.timeline import build_timeline
from newsfuse.model import Annotations, AnnotationStatus, DateMention, Granularity, Modality

A = (
    "The ferry crossing to Valdoria opened on April 2, 2025 after ten years of work. "
    "Tamsin Reyes met Orrin Vale on April 5, 2025 to discuss fares. "
    "The council plans a second pier over an 18-month build."
)
B = (
    "The ferry crossing to Valdoria opened on 2 April 2025, ten years after work began. "
    "Fares were first set in March 2025."
)


def _date(text: str, phrase: str, value: str | None, granularity: Granularity) -> DateMention:
    start = text.index(phrase)
    return DateMention(start, start + len(phrase), phrase, value, granularity)


def _reports() -> list[ReportText]:
    a = Annotations("a", AnnotationStatus.ANNOTATED, dates=(
        _date(A, "April 2, 2025", "2025-04-02", Granularity.DAY),
        _date(A, "April 5, 2025", "2025-04-05", Granularity.DAY),
        _date(A, "18-month", "P18M", Granularity.DURATION),
        _date(A, "ten years", None, Granularity.YEAR),
    ))  # fmt: skip
    b = Annotations("b", AnnotationStatus.ANNOTATED, dates=(
        _date(B, "2 April 2025", "2025-04-02", Granularity.DAY),
        _date(B, "March 2025", "2025-03", Granularity.MONTH),
    ))  # fmt: skip
    return [ReportText("a", "Ledger", "a", A, a), ReportText("b", "Gazette", "b", B, b)]


def _meeting() -> StoryEvent:
    start = A.index("Tamsin")
    end = A.index("fares.") + len("fares.")
    return StoryEvent(
        plover="CONSULT", cameo="040", quad_class="verbal cooperation", goldstein=1.0,
        source_actor="VAL", target_actor="MAR", modality=Modality.ASSERTED, date="2025-04-05",
        place=None, confidence=0.9, reports=(("a", start, end),),
    )  # fmt: skip


def test_timeline_orders_merges_and_attaches_dates_to_events() -> None:
    undated = StoryEvent("ACCUSE", "012", "statement", -0.4, "VAL", None, Modality.ASSERTED, None,
                         None, 0.5, (("b", 0, 10),))  # fmt: skip
    timeline = build_timeline(_reports(), [_meeting(), undated])
    assert [(t.value, t.kind) for t in timeline] == [
        ("2025-03", "date"),
        ("2025-04-02", "date"),
        ("2025-04-05", "event"),
    ]
    march, opened, meeting = timeline
    assert march.earliest == date(2025, 3, 1) and march.latest == date(2025, 3, 31)
    # the two outlets' sentences about the opening are one entry with both as evidence
    assert [e.outlet for e in opened.evidence] == ["Ledger", "Gazette"]
    assert set(opened.mentions) == {"April 2, 2025", "2 April 2025"}
    texts = {"a": A, "b": B}
    for entry in timeline:
        for e in entry.evidence:
            assert texts[e.article_id][e.start : e.end] == e.text
    # the date in the event's sentence joins the event instead of standing alone
    assert meeting.event is not None and meeting.mentions == ("April 5, 2025",)
    assert meeting.label == "CONSULT VAL → MAR" and len(meeting.evidence) == 1


def test_dates_of_different_sentences_stay_apart() -> None:
    reports = _reports()
    other = "Officials marked April 2, 2025 as a holiday for schools and shops in every town."
    mention = _date(other, "April 2, 2025", "2025-04-02", Granularity.DAY)
    third = ReportText("c", "Post", "c", other,
                       Annotations("c", AnnotationStatus.ANNOTATED, dates=(mention,)))  # fmt: skip
    timeline = build_timeline([*reports, third], [])
    april2 = [t for t in timeline if t.value == "2025-04-02"]
    assert len(april2) == 2 and {e.outlet for e in april2[1].evidence} == {"Post"}
