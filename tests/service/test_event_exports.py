"""Event exports on hand-made events: the JSONL event record, GDELT 2.0 rows, PLOVER JSON,
and the lines `show` and `story` print."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from newsfuse.model import (
    Annotations,
    AnnotationStatus,
    Article,
    EntityMention,
    Event,
    Modality,
    PlaceMention,
    StoryAssignment,
)
from newsfuse.service.events import (
    EVENT_FIELDS,
    GDELT_COLUMNS,
    event_lines,
    event_record,
    gdelt_event_id,
    story_event_lines,
    story_event_record,
    write_gdelt,
    write_plover,
)
from newsfuse.service.export import jsonl_record, table_record

TEXT = (
    "Kim Jong Un met Vladimir Putin at the Vostochny cosmodrome in Amur Oblast on Wednesday.\n\n"
    "South Korea threatened sanctions on Russia and North Korea."
)
S1 = (0, TEXT.index("\n\n"))
S2 = (TEXT.index("South"), len(TEXT))
CONSULT = Event(
    *S1, "CONSULT", "040", "verbal cooperation", 1.0, mode="visit",
    source_actor="PRK", source_entity="person:kim-jong-un", target_actor="RUS",
    target_entity="person:vladimir-putin", date="2023-09-13", place="Amur Oblast, RUS",
    confidence=0.81, produced_by="events.v1",
)  # fmt: skip
THREATEN = Event(
    *S2, "THREATEN", "1312", "verbal conflict", -5.8, mode="sanction",
    modality=Modality.FUTURE, source_actor="KOR", target_actor="RUS", confidence=0.7,
)  # fmt: skip
STATEMENT = Event(*S2, "STATEMENT", "012", "statement", -0.4, source_actor="igo:un")
ARTICLE = Article(
    id="a" * 20,
    source="/corpus/summit.html",
    text=TEXT,
    title="Kim meets Putin",
    url="https://daily.example/summit",
    outlet="Daily Planet",
    published=datetime(2023, 9, 14, 1, 30, tzinfo=UTC),
    language="en",
)
NOTES = Annotations(
    ARTICLE.id,
    AnnotationStatus.ANNOTATED,
    entities=(
        EntityMention(0, 11, "Kim Jong Un", "PERSON", "person:kim-jong-un", "Kim Jong Un"),
        EntityMention(
            16, 30, "Vladimir Putin", "PERSON", "person:vladimir-putin", "Vladimir Putin"
        ),
    ),  # fmt: skip
    places=(
        PlaceMention(
            TEXT.index("Amur"),
            TEXT.index("Amur") + 11,
            "Amur Oblast",
            "Amur Oblast",
            "RUS",
            51.75,
            128.5,
            "place:amur",
            "region",
        ),
    ),  # fmt: skip
    events=(CONSULT, THREATEN, STATEMENT),
    produced_by="newsfuse.annotate.v2",
    annotated_at=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
)
STORY = StoryAssignment(ARTICLE.id, "st_0123456789abcdef", 0, 1.0, "daily", "tests")


def _gdelt(header: bool = False) -> list[dict[str, str]]:
    out = io.StringIO()
    assert write_gdelt([(ARTICLE, STORY, NOTES)], out, header=header) == 1
    lines = out.getvalue().splitlines()
    if header:
        assert lines.pop(0).split("\t") == list(GDELT_COLUMNS)
    rows = [line.split("\t") for line in lines]
    assert all(len(row) == len(GDELT_COLUMNS) == 61 for row in rows)
    return [dict(zip(GDELT_COLUMNS, row, strict=True)) for row in rows]


def test_jsonl_records_carry_the_events_with_their_sentences() -> None:
    record = jsonl_record(ARTICLE, STORY, NOTES)
    consult, threaten, _ = record["events"]
    assert list(consult) == list(EVENT_FIELDS)
    assert consult | {"text": None} == {
        "plover": "CONSULT", "mode": "visit", "cameo": "040", "quad_class": "verbal cooperation",
        "goldstein": 1.0, "source_actor": "PRK", "target_actor": "RUS", "date": "2023-09-13",
        "place": "Amur Oblast, RUS", "start": S1[0], "end": S1[1], "confidence": 0.81,
        "modality": "asserted", "source_entity": "person:kim-jong-un",
        "target_entity": "person:vladimir-putin", "text": None,
    }  # fmt: skip
    for event in record["events"]:
        assert record["text"][event["start"] : event["end"]] == event["text"]
    assert threaten["modality"] == "future"
    assert table_record(ARTICLE, STORY, NOTES)["n_events"] == 3
    unannotated = jsonl_record(ARTICLE, None, None)
    assert unannotated["events"] == [] and table_record(ARTICLE, None, None)["n_events"] is None
    assert event_record(CONSULT)["text"] is None


def test_gdelt_rows_follow_the_event_table() -> None:
    consult, threaten, statement = _gdelt()
    assert consult["GlobalEventID"] == str(gdelt_event_id(ARTICLE.id, 0))
    assert gdelt_event_id(ARTICLE.id, 0) == gdelt_event_id(ARTICLE.id, 0) > 0
    assert len({row["GlobalEventID"] for row in (consult, threaten, statement)}) == 3
    assert consult["Day"] == "20230913" and consult["MonthYear"] == "202309"
    assert consult["Year"] == "2023" and consult["FractionDate"] == "2023.7753"
    assert threaten["Day"] == "20230914"  # no date of its own: the publication day
    assert (consult["Actor1Code"], consult["Actor1Name"], consult["Actor1CountryCode"]) == (
        "PRK", "KIM JONG UN", "PRK",
    )  # fmt: skip
    assert (consult["Actor2Code"], consult["Actor2Name"]) == ("RUS", "VLADIMIR PUTIN")
    assert consult["IsRootEvent"] == "1" and threaten["IsRootEvent"] == "0"
    assert (threaten["EventCode"], threaten["EventBaseCode"], threaten["EventRootCode"]) == (
        "1312", "131", "13",
    )  # fmt: skip
    assert [r["QuadClass"] for r in (consult, threaten, statement)] == ["1", "3", "1"]
    assert threaten["GoldsteinScale"] == "-5.8"
    assert (consult["NumMentions"], consult["NumSources"], consult["NumArticles"]) == ("1",) * 3
    assert consult["AvgTone"] == ""
    assert (consult["ActionGeo_Type"], consult["ActionGeo_FullName"]) == ("5", "Amur Oblast, RUS")
    assert consult["ActionGeo_CountryCode"] == "RUS"
    assert (consult["ActionGeo_Lat"], consult["ActionGeo_Long"]) == ("51.7500", "128.5000")
    assert threaten["ActionGeo_FullName"] == "" and consult["Actor1Geo_Type"] == ""
    assert consult["DATEADDED"] == "20250102030405"
    assert consult["SOURCEURL"] == "https://daily.example/summit"
    assert (statement["Actor1Code"], statement["Actor1KnownGroupCode"]) == ("UN", "UN")
    assert statement["Actor1CountryCode"] == ""


def test_gdelt_header_only_when_asked() -> None:
    assert len(_gdelt(header=True)) == 3
    out = io.StringIO()
    assert write_gdelt([(ARTICLE, None, None)], out) == 1 and out.getvalue() == ""


def test_plover_records() -> None:
    out = io.StringIO()
    assert write_plover([(ARTICLE, STORY, NOTES)], out) == 1
    consult, threaten, _ = [json.loads(line) for line in out.getvalue().splitlines()]
    assert consult["id"] == f"{ARTICLE.id}-0"
    assert (consult["date"], consult["event_type"], consult["mode"]) == (
        "2023-09-13", "CONSULT", "visit",
    )  # fmt: skip
    assert consult["actor1"] == {
        "name": "Kim Jong Un", "country": "PRK", "actor_id": "PRK",
        "entity": "person:kim-jong-un",
    }  # fmt: skip
    assert consult["actor2"]["country"] == "RUS"
    assert consult["location"] == {
        "name": "Amur Oblast, RUS", "country": "RUS", "lat": 51.75, "lon": 128.5,
        "feature": "region",
    }  # fmt: skip
    assert consult["event_text"] == TEXT[S1[0] : S1[1]]
    assert consult["article"]["id"] == ARTICLE.id
    assert consult["article"]["url"] == ARTICLE.url
    assert consult["article"]["story_id"] == STORY.story_id
    assert threaten["date"] == "2023-09-14" and threaten["location"] is None
    assert threaten["modality"] == "future"


def test_event_lines_fit_and_quote_the_sentence() -> None:
    lines = event_lines(NOTES.events, TEXT, width=90)
    assert lines[0] == "events: 3"
    assert lines[1] == "  CONSULT (visit): PRK (person:kim-jong-un) → RUS (person:vladimir-putin)"
    assert (
        lines[2]
        == "    CAMEO 040 verbal cooperation · 2023-09-13 · Amur Oblast, RUS · asserted · 0.81"
    )
    assert lines[3].startswith("    “Kim Jong Un met Vladimir Putin")
    assert lines[6].startswith("    “South Korea threatened") and "future" in lines[5]
    long = Event(0, len(TEXT), "CONSULT", "040", "verbal cooperation", 1.0)
    assert event_lines([long], TEXT, width=90)[3].endswith("…")
    assert max(len(line) for line in lines) <= 90
    assert event_lines((), TEXT) == []


@dataclass(frozen=True)
class _Report:
    article_id: str
    start: int
    end: int


@dataclass(frozen=True)
class _StoryEvent:
    """Stands in for `fuse.events.StoryEvent`: the event fields and its reports."""

    plover: str
    cameo: str
    quad_class: str
    goldstein: float
    mode: str | None
    modality: Modality
    source_actor: str | None
    source_entity: str | None
    target_actor: str | None
    target_entity: str | None
    date: str | None
    place: str | None
    confidence: float
    reports: tuple[_Report, ...]


def test_story_event_lines_and_record() -> None:
    merged = _StoryEvent(
        "CONSULT", "040", "verbal cooperation", 1.0, None, Modality.ASSERTED, "PRK", None,
        "RUS", None, "2023-09-13", None, 0.9,
        (_Report(ARTICLE.id, *S1), _Report("b" * 20, 0, 10)),
    )  # fmt: skip
    lines = story_event_lines([merged], {ARTICLE.id: TEXT})
    assert lines[1] == "  CONSULT: PRK → RUS"
    assert lines[2] == "    2 reports · CAMEO 040 verbal cooperation · 2023-09-13 · asserted"
    assert lines[3].startswith("    “Kim Jong Un met")
    record = story_event_record(merged)
    assert record["modality"] == "asserted" and record["n_reports"] == 2
    assert record["reports"][0] == {"article_id": ARTICLE.id, "start": S1[0], "end": S1[1]}
