"""The dossier of a small fictional story, ingested through the real API (extract, cluster,
annotate): two independent reports and a wire copy, plus an earlier story with the same actors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dossier_pages import LEDGER, write_page
from newsfuse.api import Newsfuse, open_newsfuse
from newsfuse.fuse.dossier import Dossier, build_dossier, dossier_record, story_actor_sets

POST = [
    "Kim Jong-un and Vladimir Putin signed a rail freight agreement in Vladivostok on Sunday, "
    "May 12, 2024, promising to double cargo on the Tumen river line.",
    "“We will stand with our friends in every season and on every track,” Kim Jong-un told "
    "reporters after the signing.",
    "Putin said the line would carry coal, timber and fertiliser, and called the agreement “a "
    "bridge that no sanctions can close.”",
    "Analysts in Seoul warned that the rail link could be used to move munitions.",
]
EARLIER = [
    "Kim Jong Un and Vladimir Putin spoke by telephone on March 3, 2024 about fishing quotas "
    "in the Sea of Japan, the Korean Central News Agency reported.",
    "The call lasted forty minutes and covered crab and pollock catches off the eastern coast.",
]


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> tuple[Newsfuse, Dossier]:
    pages = tmp_path_factory.mktemp("pages")
    title = "Kim Jong Un and Putin sign Tumen rail freight deal in Vladivostok"
    write_page(pages / "ledger.html", title, "Eastern Ledger", "2024-05-12T09:00:00Z", LEDGER)
    write_page(pages / "wire.html", title, "Coastal Wire", "2024-05-12T11:00:00Z", LEDGER)
    write_page(
        pages / "post.html",
        "Kim Jong-un, Putin agree to double rail cargo",
        "Peninsula Post",
        "2024-05-12T15:00:00Z",
        POST,
    )
    write_page(
        pages / "call.html",
        "Kim and Putin discuss fishing quotas by phone",
        "Eastern Ledger",
        "2024-03-03T18:00:00Z",
        EARLIER,
    )
    news = open_newsfuse(f"sqlite:///{pages.parent / 'dossier.db'}")
    report = news.ingest([str(pages)])
    assert report.counts.ingested == 4, report.rejections
    summit = next(s for s in news.stories() if s.article_count == 3)
    yield news, build_dossier(news, summit.id, story_actors=story_actor_sets(news, summit.id))
    news.close()


def test_dossier_groups_outlets_copies_and_reports(story: tuple[Newsfuse, Dossier]) -> None:
    news, dossier = story
    assert dossier.headline == "Kim Jong Un and Putin sign Tumen rail freight deal in Vladivostok"
    assert len(dossier.reports) == 2
    ledger = next(r for r in dossier.reports if r.original.outlet == "Eastern Ledger")
    assert [c.outlet for c in ledger.copies] == ["Coastal Wire"]
    assert {o.outlet for o in dossier.outlets} == {
        "Eastern Ledger",
        "Coastal Wire",
        "Peninsula Post",
    }
    assert dossier.first_published is not None and dossier.first_published.day == 12
    for sentence in dossier.summary:
        assert (
            news.article(sentence.article_id).text[sentence.start : sentence.end] == sentence.text
        )
    assert len(dossier.summary) == 3
    assert dossier.shared_facts  # the summit and the agreement are in both reports
    assert any("Analysts in Seoul" in f.text for f in dossier.unique_facts)


def test_quotes_by_speaker_merge_spellings_and_carriers(story: tuple[Newsfuse, Dossier]) -> None:
    news, dossier = story
    kim = [s for s in dossier.quotes if s.speaker_id == "person:kim-jong-un"]
    assert len(kim) == 1, [(s.speaker_id, s.speaker) for s in dossier.quotes]
    track = [q for q in kim[0].quotes if "every track" in q.content]
    assert len(track) == 1  # one quote, carried by the report, its copy and the other report
    assert set(track[0].outlets) == {"Eastern Ledger", "Coastal Wire", "Peninsula Post"}
    for carrier in track[0].carriers:
        assert news.article(carrier.article_id).text[carrier.start : carrier.end] == carrier.text


def test_timeline_related_and_record(story: tuple[Newsfuse, Dossier]) -> None:
    news, dossier = story
    days = [t.earliest for t in dossier.timeline if t.earliest is not None]
    assert days == sorted(days)
    may12 = [t for t in dossier.timeline if t.value == "2024-05-12"]
    assert may12 and {e.outlet for t in may12 for e in t.evidence} >= {
        "Eastern Ledger",
        "Peninsula Post",
    }
    assert [r.relation for r in dossier.related] == ["earlier"]
    assert {"person:kim-jong-un", "person:vladimir-putin"} <= set(dossier.related[0].shared_actors)

    record = json.loads(json.dumps(dossier_record(dossier)))
    assert record["headline"] == dossier.headline
    assert record["facts"]["shared"] and record["facts"]["unique"]
    for item in record["summary"] + [e for f in record["facts"]["shared"] for e in f["evidence"]]:
        text = news.article(item["article_id"]).text
        assert text[item["start"] : item["end"]] == item["text"]


@pytest.mark.shared_data
def test_seed_dossier(seeds_dir: Path, tmp_path: Path) -> None:
    with open_newsfuse(f"sqlite:///{tmp_path / 'seeds.db'}") as news:
        news.ingest([str(seeds_dir)])
        (story,) = news.stories()
        dossier = build_dossier(news, story.id)
        titles = {r.original.title for r in dossier.reports}
        assert dossier.headline in titles
        speakers = {s.speaker_id for s in dossier.quotes}
        assert {"person:park-jin", "person:lim-soo-suk"} <= speakers
        assert any(t.value == "2023-09-13" for t in dossier.timeline)
        json.dumps(dossier_record(dossier))
