"""The annotate stage over the store: batches, resume, failures, contexts, the ingest hook."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fake_annotator import FakeAnnotator
from newsfuse import pipeline
from newsfuse.annotate.annotator import Annotator, StoryContext
from newsfuse.annotate.runner import (
    AnnotateReport,
    annotate_pending,
    annotate_safely,
    reannotate,
    reason_key,
)
from newsfuse.config import AnnotateOptions, Settings
from newsfuse.model import Annotations, AnnotationStatus, Article, StoryAssignment, story_id_for
from newsfuse.pipeline import run_ingest
from newsfuse.store import Store, open_store

T0 = datetime(2025, 4, 2, 9, 0, tzinfo=UTC)
OPTIONS = AnnotateOptions(batch_size=2)  # 8 articles per stored batch


def art(n: int, text: str | None = None, language: str | None = "en") -> Article:
    return Article(
        id=f"article-{n:03d}",
        source=f"/corpus/{n}.txt",
        text=text or f"Tamsin Reyes opened the Port Aldane ferry terminal on 2025-04-0{n % 9 + 1}.",
        title=f"Story {n}",
        published=T0 + timedelta(hours=n),
        language=language,
        produced_by="tests",
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'annotate.db'}") as opened:
        yield opened


def fill(store: Store, articles: Sequence[Article]) -> None:
    run_id = store.start_run(["tests"], {})
    for article in articles:  # one insert each: arrival order is the list order
        store.add_articles([article], run_id)


def statuses(store: Store, articles: Sequence[Article]) -> dict[str, AnnotationStatus]:
    found = store.annotations_of([a.id for a in articles])
    return {article_id: a.status for article_id, a in found.items()}


def test_everything_pending_is_annotated_once(store: Store) -> None:
    articles = [art(n) for n in range(11)]
    fill(store, articles)
    fake = FakeAnnotator()
    seen: list[int] = []
    report = annotate_pending(store, OPTIONS, fake, progress=seen.append)
    assert (report.annotated, report.not_annotated, report.failed) == (11, 0, 0)
    assert seen == [8, 3] and [len(call) for call in fake.calls] == [8, 3]
    assert store.count_unannotated() == 0
    stored = store.get_annotations(articles[0].id)
    assert stored is not None and stored.entities[0].actor_id == "person:tamsin-reyes"
    assert annotate_pending(store, OPTIONS, fake) == AnnotateReport()  # nothing left to do


def test_one_failing_article_costs_only_itself(store: Store) -> None:
    articles = [art(n) for n in range(6)]
    articles[3] = art(3, text="The BOOM article that breaks the annotator.")
    fill(store, articles)
    report = annotate_pending(store, OPTIONS, FakeAnnotator())
    assert (report.annotated, report.failed) == (5, 1)
    failed = store.get_annotations(articles[3].id)
    assert failed is not None and failed.status is AnnotationStatus.FAILED
    assert failed.reason == f"annotator failed (RuntimeError: cannot read {articles[3].id})"
    assert set(statuses(store, articles).values()) == {
        AnnotationStatus.ANNOTATED,
        AnnotationStatus.FAILED,
    }
    assert store.count_unannotated() == 0  # FAILED is recorded: `annotate --all` retries it


class _InterruptedAnnotator(FakeAnnotator):
    """Stops the process (Ctrl-C) on its second batch."""

    def annotate(
        self, articles: Sequence[Article], contexts: Sequence[StoryContext] | None = None
    ) -> list[Annotations]:
        if len(self.calls) == 1:
            raise KeyboardInterrupt
        return super().annotate(articles, contexts)


def test_an_interrupted_pass_resumes_with_what_is_left(store: Store) -> None:
    articles = [art(n) for n in range(13)]
    fill(store, articles)
    with pytest.raises(KeyboardInterrupt):
        annotate_pending(store, OPTIONS, _InterruptedAnnotator())
    done = store.annotations_of([a.id for a in articles])
    assert sorted(done) == [a.id for a in articles[:8]]  # the first batch was stored
    fake = FakeAnnotator()
    report = annotate_pending(store, OPTIONS, fake)
    assert report.annotated == 5 and fake.calls == [[a.id for a in articles[8:]]]
    assert len(store.annotations_of([a.id for a in articles])) == 13


class _ShortAnnotator(FakeAnnotator):
    """Answers for all but the last article of a batch."""

    def annotate(
        self, articles: Sequence[Article], contexts: Sequence[StoryContext] | None = None
    ) -> list[Annotations]:
        out = super().annotate(articles, contexts)
        return out[:-1] if len(out) > 1 else out


def test_an_annotator_that_answers_for_the_wrong_articles_is_retried_one_by_one() -> None:
    articles = [art(n) for n in range(3)]
    results = annotate_safely(_ShortAnnotator(), articles, [StoryContext()] * 3)
    assert [r.article_id for r in results] == [a.id for a in articles]
    assert all(r.status is AnnotationStatus.ANNOTATED for r in results)


def test_non_english_articles_are_not_annotated_with_a_reason(store: Store) -> None:
    german = art(1, text="Die Bürgermeisterin eröffnete am Dienstag den Fährhafen.", language="de")
    english = art(2)
    empty = art(3, text="   \n ")
    fill(store, [german, english, empty])
    report = annotate_pending(store, AnnotateOptions(), Annotator(AnnotateOptions()))
    assert (report.annotated, report.not_annotated) == (1, 2)
    assert sum(report.not_annotated_by_reason.values()) == 2
    assert any(key.startswith("language de") for key in report.not_annotated_by_reason)
    for article in (german, empty):
        skipped = store.get_annotations(article.id)
        assert skipped is not None and skipped.status is AnnotationStatus.NOT_ANNOTATED
        assert skipped.reason and skipped.entities == () and skipped.quotes == ()
    skipped = store.get_annotations(german.id)
    assert skipped is not None and skipped.reason and "language de" in skipped.reason


def test_reason_key_drops_the_details() -> None:
    assert reason_key("language de is not annotated (only en)") == "language de is not annotated"
    assert reason_key("no text") == "no text"
    assert reason_key(None) == "unknown"


def test_later_articles_see_the_people_their_story_already_named(store: Store) -> None:
    first, second, loner = art(1), art(2, text="Reyes spoke again at the quay."), art(3)
    fill(store, [first])
    run_id = store.start_run(["tests"], {})
    store.save_clustering(
        [StoryAssignment(first.id, story_id_for(first.id), 0, 0.0, outlet_key="x")], [], b"s", 1
    )
    annotate_pending(store, OPTIONS, FakeAnnotator())
    store.add_articles([second, loner], run_id)
    store.save_clustering(
        [
            StoryAssignment(second.id, story_id_for(first.id), 1, 0.7, outlet_key="y"),
            StoryAssignment(loner.id, story_id_for(loner.id), 2, 0.0, outlet_key="y"),
        ],
        [],
        b"s",
        3,
    )
    fake = FakeAnnotator()
    annotate_pending(store, OPTIONS, fake)
    context = fake.contexts[second.id]
    assert context.story_id == story_id_for(first.id)
    assert context.people == (("person:tamsin-reyes", "Tamsin Reyes"),)
    assert context.first_published == first.published
    assert context.last_published == second.published
    assert fake.contexts[loner.id].people == ()


def test_reannotate_forgets_and_redoes_everything(store: Store) -> None:
    articles = [art(n) for n in range(3)]
    articles[1] = art(1, text="BOOM")
    fill(store, articles)
    annotate_pending(store, OPTIONS, FakeAnnotator())
    report = reannotate(store, OPTIONS, FakeAnnotator(fail_on="never in any text"))
    assert report.annotated == 3 and report.failed == 0
    assert set(statuses(store, articles).values()) == {AnnotationStatus.ANNOTATED}


def test_the_report_adds_up() -> None:
    one = AnnotateReport(1, 2, {"no text": 2}, 0, 1.5)
    two = AnnotateReport(3, 1, {"no text": 1}, 1, 0.5)
    assert one + two == AnnotateReport(4, 3, {"no text": 3}, 1, 2.0)
    assert (one + two).total == 8


# -- riding along an ingest --------------------------------------------------------------------


def _records(path: Path, n: int, start: int = 0) -> Path:
    rows = [
        {
            "id": f"rec-{i}",
            "title": f"Ferry terminal {i}",
            "text": f"Tamsin Reyes opened ferry terminal {i} in Port Aldane on 2025-04-02. " * 4,
            "published": f"2025-04-{i % 27 + 1:02d}T10:00:00Z",
            "language": "en",
        }
        for i in range(start, start + n)
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _settings(tmp_path: Path, *, cluster: bool = True, annotate: bool = True) -> Settings:
    base = Settings(db_url=f"sqlite:///{tmp_path / 'ingest.db'}")
    return replace(
        base,
        cluster=replace(base.cluster, enabled=cluster, embed=False),
        annotate=replace(base.annotate, enabled=annotate),
    )


@pytest.mark.parametrize("cluster", [True, False], ids=["after-clustering", "clustering-off"])
def test_ingest_annotates_what_it_stores(tmp_path: Path, cluster: bool) -> None:
    settings = _settings(tmp_path, cluster=cluster)
    fake = FakeAnnotator()
    with open_store(settings.db_url) as store:
        inputs = [str(_records(tmp_path / "a.jsonl", 5))]
        report = run_ingest(inputs, store, settings, annotator=fake, cluster_every=3, batch_size=1)
        assert report.annotation is not None and report.annotation.annotated == 5
        assert store.count_unannotated() == 0
        assert len(fake.calls) == 2  # after the step at 3 articles, and at the end
        if cluster:  # annotated after clustering: every article knew its story
            assert all(c.story_id is not None for c in fake.contexts.values())


def test_no_annotate_stores_only(tmp_path: Path) -> None:
    settings = _settings(tmp_path, annotate=False)
    with open_store(settings.db_url) as store:
        report = run_ingest(
            [str(_records(tmp_path / "a.jsonl", 2))], store, settings, annotator=FakeAnnotator()
        )
        assert report.annotation is None and store.count_unannotated() == 2


class _CountingAnnotator(FakeAnnotator):
    made = 0
    closed = 0

    def __init__(self, options: AnnotateOptions | None = None) -> None:
        super().__init__()
        type(self).made += 1

    def close(self) -> None:
        type(self).closed += 1


def test_the_annotator_is_made_once_and_only_when_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "Annotator", _CountingAnnotator)
    settings = _settings(tmp_path)
    records = str(_records(tmp_path / "a.jsonl", 7))
    with open_store(settings.db_url) as store:
        run_ingest([records], store, settings, cluster_every=2, batch_size=1)
        assert _CountingAnnotator.made == 1 and store.count_unannotated() == 0
        assert _CountingAnnotator.closed == 1  # the run made it, so the run closed it
        again = run_ingest([records], store, settings)  # all duplicates: nothing to annotate
        assert _CountingAnnotator.made == 1
        assert again.annotation == AnnotateReport()
