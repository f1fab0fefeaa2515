"""The cluster stage end to end on the sample corpus: stories, copies, restart, recluster."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsfuse.api import Newsfuse, open_newsfuse
from newsfuse.cluster.runner import stream_order, trusted_time
from newsfuse.config import ClusterOptions
from newsfuse.model import Article

REPO = Path(__file__).resolve().parents[2]
EXPECTED = json.loads((REPO / "examples" / "corpus-expected.json").read_text("utf-8"))
FETCHED = datetime(2025, 11, 1, tzinfo=UTC)


def _article(published: datetime | None, id_: str = "a1", fetched: datetime = FETCHED) -> Article:
    return Article(id=id_, source=id_, text="t", published=published, fetched_at=fetched)


def test_trusted_time_keeps_a_plausible_date_in_utc() -> None:
    naive = datetime(2025, 3, 13, 9, 30)
    assert trusted_time(_article(naive), ClusterOptions()) == naive.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "published",
    [datetime(1970, 1, 1, tzinfo=UTC), FETCHED + timedelta(days=30), None],
    ids=["epoch", "far-future", "none"],
)
def test_untrustworthy_dates_are_dropped(published: datetime | None) -> None:
    assert trusted_time(_article(published), ClusterOptions()) is None


def test_a_chunk_is_placed_in_publication_order_then_the_undated_by_id() -> None:
    late = _article(datetime(2025, 3, 14, tzinfo=UTC), "late")
    early = _article(datetime(2025, 3, 13, tzinfo=UTC), "early")
    undated_b = _article(None, "undated-b", fetched=datetime(2025, 3, 13, 12, tzinfo=UTC))
    undated_a = _article(None, "undated-a", fetched=datetime(2025, 3, 14, 12, tzinfo=UTC))
    chunk = [late, undated_b, early, undated_a]
    ordered = [a.id for a in stream_order(chunk, ClusterOptions())]
    assert ordered == ["early", "late", "undated-a", "undated-b"]


def _sources_by_story(news: Newsfuse) -> dict[str, set[str]]:
    """Corpus file keys grouped by the story newsfuse put them in."""
    groups: dict[str, set[str]] = defaultdict(set)
    for story in news.stories(limit=1000):
        for report in news.story(story.id).reports:
            for member in (report.original, *report.copies):
                groups[story.id].add(_corpus_key(news, member.article_id))
    return dict(groups)


FILE_BY_TITLE = {row["title"]: row["file"] for row in EXPECTED}


def _corpus_key(news: Newsfuse, article_id: str) -> str:
    """The corpus-expected.json name of a stored article (titles are unique in the corpus)."""
    return FILE_BY_TITLE[news.article(article_id).title or ""]


def _partition(groups: dict[str, set[str]]) -> set[frozenset[str]]:
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def corpus_news(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Newsfuse:
    db = tmp_path_factory.mktemp("stories") / "corpus.db"
    news = open_newsfuse(f"sqlite:///{db}")
    news.ingest([str(corpus_dir)])
    yield news
    news.close()


def test_corpus_stories_match_the_truth(corpus_news: Newsfuse) -> None:
    truth: dict[str, set[str]] = defaultdict(set)
    for row in EXPECTED:
        truth[row["story"]].add(row["file"])
    found = _sources_by_story(corpus_news)
    assert _partition(found) == _partition(truth)


def test_wire_copies_link_to_the_original(corpus_news: Newsfuse) -> None:
    by_key = {}
    for story in corpus_news.stories(limit=1000):
        for report in corpus_news.story(story.id).reports:
            original = _corpus_key(corpus_news, report.original.article_id)
            by_key[original] = None
            for copy in report.copies:
                by_key[_corpus_key(corpus_news, copy.article_id)] = original
    for row in EXPECTED:
        assert by_key[row["file"]] == row["wire_copy_of"], row["file"]


def test_story_counts_outlets_and_origins(corpus_news: Newsfuse) -> None:
    accord = next(s for s in corpus_news.stories(limit=1000) if "Ombra" in (s.title or ""))
    assert accord.article_count == 5
    assert accord.outlet_count == 5
    assert accord.independent_origin_count == 3  # the wire original + Kestrel + Flussland


def test_export_gives_story_and_duplicate_of(corpus_news: Newsfuse, tmp_path: Path) -> None:
    from newsfuse.service.export import ExportFormat

    target = tmp_path / "out.jsonl"
    with target.open("w") as handle:
        corpus_news.export(ExportFormat.JSONL, None, handle)
    records = [json.loads(line) for line in target.read_text().splitlines()]
    assert all(r["story_id"] and r["story_id"].startswith("st_") for r in records)
    copies = [r for r in records if r["duplicate_of"]]
    assert len(copies) == 2
    ids = {r["id"]: r for r in records}
    for copy in copies:
        assert ids[copy["duplicate_of"]]["story_id"] == copy["story_id"]


def _split_corpus(corpus_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The corpus as two deliveries: what was published before June, then the rest.

    Feeds and record files are left out: one file holds articles from both halves.
    """
    first, second = tmp_path / "first", tmp_path / "second"
    for row in EXPECTED:
        if "#" in row["file"]:
            continue
        name = row["file"]
        early = row["published"] is not None and row["published"] < "2025-06-01"
        target = (first if early else second) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.write_bytes((corpus_dir / name).read_bytes())
    return first, second


def _story_ids_by_article(news: Newsfuse) -> dict[str, str]:
    out = {}
    for story in news.stories(limit=1000):
        for report in news.story(story.id).reports:
            for member in (report.original, *report.copies):
                out[member.article_id] = story.id
    return out


def test_restart_then_more_equals_one_run_and_recluster(corpus_dir: Path, tmp_path: Path) -> None:
    first, second = _split_corpus(corpus_dir, tmp_path)
    split_db = f"sqlite:///{tmp_path / 'split.db'}"
    with open_newsfuse(split_db) as news:
        news.ingest([str(first)])
    with open_newsfuse(split_db) as news:  # a new process would see exactly this store
        news.ingest([str(second)])
        online = _story_ids_by_article(news)
        news.recluster()
        batch = _story_ids_by_article(news)
    with open_newsfuse(f"sqlite:///{tmp_path / 'whole.db'}") as news:
        news.ingest([str(first), str(second)])
        whole = _story_ids_by_article(news)
    assert online == batch == whole


def _records(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


ACCORD_TEXT = (
    "Valdoria and Marrenland signed the Ombra river water-sharing accord in Tarrow Bridge, "
    "guaranteeing Marrenland 42 percent of the summer flow of the Ombra. Farmers in the "
    "Lowmarch valley welcomed the Ombra accord, and both parliaments are expected to vote on "
    "the water-sharing treaty before the summer recess, officials in Valdoria said."
)
QUAKE_TEXT = (
    "Rescuers in Fennick on Marrenland's Tallow Coast searched collapsed buildings on Tuesday "
    "after the magnitude 6.3 quake, as the death toll in Fennick rose to 15. Aftershocks shook "
    "the Tallow Coast overnight, the Marrenland Geological Survey said, and engineers from "
    "Port Seren began inspecting the market hall where most victims died."
)


def test_an_untrusted_date_neither_moves_the_clock_nor_revives_old_stories(
    corpus_news: Newsfuse, tmp_path: Path
) -> None:
    from newsfuse.cluster.runner import StoryStream

    clock_before = StoryStream.load(corpus_news.store, ClusterOptions()).clusterer.clock
    accord = next(s for s in corpus_news.stories(limit=100) if "Ombra" in (s.title or ""))
    quake = next(s for s in corpus_news.stories(limit=100) if "Tallow" in (s.title or ""))
    future = {
        "id": "future-1",
        "title": "Ombra water-sharing accord: what Valdoria and Marrenland signed",
        "text": ACCORD_TEXT,
        "published": "2099-01-01T00:00:00Z",
        "outlet": "Kestrel Daily",
    }
    corpus_news.ingest([str(_records(tmp_path / "future.jsonl", [future]))])
    stream = StoryStream.load(corpus_news.store, ClusterOptions())
    assert stream.clusterer.clock == clock_before  # 2099 was not believed
    future_id = next(a.id for a in corpus_news.articles(limit=100) if a.source == "future-1")
    assert corpus_news.store.memberships([future_id])[future_id].story_id != accord.id

    follow_up = {
        "id": "quake-2",
        "title": "Fennick death toll rises to 15 as Tallow Coast aftershocks continue",
        "text": QUAKE_TEXT,
        "published": "2025-09-23T08:00:00Z",
        "outlet": "Kestrel Daily",
    }
    corpus_news.ingest([str(_records(tmp_path / "later.jsonl", [follow_up]))])
    later_id = next(a.id for a in corpus_news.articles(limit=100) if a.source == "quake-2")
    assert corpus_news.store.memberships([later_id])[later_id].story_id == quake.id


def test_odd_articles_never_crash_the_cluster_stage(tmp_path: Path) -> None:
    odd = [
        {"id": "no-title", "text": QUAKE_TEXT, "published": "2025-09-22T10:00:00Z"},
        {"id": "no-date", "title": "Undated quake report", "text": QUAKE_TEXT + " Undated."},
        {"id": "epoch", "title": "Epoch", "text": ACCORD_TEXT, "published": "1970-01-01T00:00:00Z"},
        {"id": "numbers", "title": "12 34", "text": " ".join(["1234 5678 91011"] * 20)},
        {"id": "symbols", "title": "—", "text": "… ¶ § — † ‡ • ※ " * 20},
    ]
    with open_newsfuse(f"sqlite:///{tmp_path / 'odd.db'}") as news:
        report = news.ingest([str(_records(tmp_path / "odd.jsonl", odd))])
        assert report.clustering is not None
        assert report.clustering.assigned == report.counts.ingested == len(odd)
        assert len(news.store.memberships([a.id for a in news.articles()])) == len(odd)
