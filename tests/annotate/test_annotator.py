"""The annotate stage end to end on fictional articles: entities, quotes, dates, places."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from newsfuse.annotate.annotator import Annotator, StoryContext
from newsfuse.config import AnnotateOptions
from newsfuse.model import Annotations, AnnotationStatus, Article

BODY = (
    "Valdorian Foreign Minister Irena Caskova warned on Tuesday that the border talks had "
    'failed. "We will not accept this," Caskova told reporters in Ostrava.\n\n'
    'The minister said the government was "reviewing all options," according to Reuters.\n\n'
    "Earlier this week, the Kremlin said the talks on Sept. 13 were private. The 18-month "
    "dispute began in the spring of 2022."
)


def article(text: str = BODY, **kw: object) -> Article:
    values: dict[str, object] = {
        "id": "a1",
        "source": "test",
        "text": text,
        "published": datetime(2023, 9, 15, 10, tzinfo=UTC),
        "language": "en",
    }
    values.update(kw)
    return Article(**values)  # type: ignore[arg-type]


def annotate_one(
    item: Article, context: StoryContext | None = None, **options: object
) -> Annotations:
    annotator = Annotator(replace(AnnotateOptions(), **options))
    return annotator.annotate([item], [context] if context else None)[0]


def assert_offsets(result: Annotations, text: str) -> None:
    for m in (*result.entities, *result.dates, *result.places):
        assert text[m.start : m.end] == m.text
    for q in result.quotes:
        assert text[q.start : q.end] == q.content or q.fragments
        if q.speaker_start is not None:
            assert text[q.speaker_start : q.speaker_end] == q.speaker


def test_full_annotation() -> None:
    result = annotate_one(article())
    assert result.status == AnnotationStatus.ANNOTATED
    assert_offsets(result, BODY)
    caskova = [m for m in result.entities if m.text == "Irena Caskova"][0]
    assert caskova.role == "foreign minister"
    direct = [q for q in result.quotes if q.kind == "direct"]
    assert direct and direct[0].speaker_id == caskova.actor_id
    values = {d.text: d.value for d in result.dates}
    assert values.get("Sept. 13") == "2023-09-13"
    assert any(d.granularity == "duration" for d in result.dates)
    assert any(e.actor_id == "RUS" for e in result.entities)


def test_undated_article_is_anchored_to_its_story() -> None:
    context = StoryContext(
        "st_x", datetime(2023, 9, 14, tzinfo=UTC), datetime(2023, 9, 15, tzinfo=UTC)
    )
    result = annotate_one(article(published=None), context)
    assert result.anchor is not None and result.anchor.source == "story"
    assert {d.text: d.value for d in result.dates}.get("Sept. 13") == "2023-09-13"


def test_non_english_is_not_annotated() -> None:
    text = (
        "Die Regierung in Berlin hat am Dienstag neue Sanktionen angekündigt. Der Minister "
        "sagte, man prüfe alle Möglichkeiten, und die Gespräche seien gescheitert."
    )
    result = annotate_one(article(text, language=None))
    assert result.status == AnnotationStatus.NOT_ANNOTATED
    assert result.reason and "de" in result.reason
    assert not result.entities and not result.quotes


def test_declared_english_but_german_text_is_not_annotated() -> None:
    text = "Die Regierung hat am Dienstag neue Sanktionen angekündigt, sagte der Sprecher in Bern."
    assert annotate_one(article(text, language="en")).status == AnnotationStatus.NOT_ANNOTATED


def test_bad_text_never_raises() -> None:
    for text in ["", "....", "“unbalanced quote\n\n«guillemets» and ‘single", "a" * 5000]:
        result = annotate_one(article(text or " "))
        assert result.status in {AnnotationStatus.ANNOTATED, AnnotationStatus.NOT_ANNOTATED}


def test_long_text_is_windowed_with_exact_offsets() -> None:
    text = "\n\n".join([BODY] * 12)
    result = annotate_one(article(text), window_chars=1500)
    assert_offsets(result, text)
    assert len([m for m in result.entities if m.text == "Irena Caskova"]) == 12
    assert len(result.quotes) >= 12


def test_text_past_max_chars_is_cut_and_said() -> None:
    text = "\n\n".join([BODY] * 10)
    result = annotate_one(article(text), max_chars=2000)
    assert result.status == AnnotationStatus.ANNOTATED
    assert result.reason and "first" in result.reason
    assert all(m.end <= 2000 for m in result.entities)


def test_two_processes_give_the_same_result() -> None:
    items = [article(id=f"a{i}") for i in range(6)]
    serial = Annotator(replace(AnnotateOptions(), n_process=1)).annotate(items)
    with Annotator(replace(AnnotateOptions(), n_process=2, batch_size=2)) as annotator:
        parallel = annotator.annotate(items)
    strip = lambda r: replace(r, annotated_at=None)  # noqa: E731
    assert [strip(r) for r in serial] == [strip(r) for r in parallel]


def test_story_members_in_one_batch_share_dates_and_people() -> None:
    dated_by_text = article(
        "Dmitri Volkonsky said on Monday that the talks failed. Caption from March 6, 2023. "
        "The ministry reported on Sept. 15 that the ceasefire held.",
        id="first",
        published=None,
    )
    undated = article(
        "Dmitriy Volkonsky said the talks on Sept. 13 were private and would go on.",
        id="second",
        published=None,
    )
    story = StoryContext("st_same")
    first, second = Annotator(replace(AnnotateOptions(), n_process=1)).annotate(
        [dated_by_text, undated], [story, story]
    )
    assert first.anchor is not None and first.anchor.source == "text"
    assert second.anchor is not None and second.anchor.source == "story"
    assert {d.text: d.value for d in second.dates}.get("Sept. 13") == "2023-09-13"
    ids = {m.actor_id for m in (*first.entities, *second.entities) if "Volkonsky" in m.text}
    assert ids == {"person:dmitri-volkonsky"}


def test_story_text_anchor_from_the_store_anchors_an_undated_article() -> None:
    # the article's own text names no year, so only the story can date "Sept. 13"
    text = "The talks on Sept. 13 were private, the Kremlin said earlier this week."
    context = StoryContext("st_x", text_anchor=datetime(2023, 9, 15).date())
    result = annotate_one(article(text, published=None), context)
    assert result.anchor is not None and result.anchor.source == "story"
    assert {d.text: d.value for d in result.dates}.get("Sept. 13") == "2023-09-13"


def test_hyphenated_surname_speaker_and_own_outlet() -> None:
    text = (
        "TARROW BRIDGE (Meridian Wire) — Water envoy Ilse Varga-Moren signed the accord on "
        'Thursday.\n\n"Today the river stops being a line on a map," Varga-Moren told '
        "reporters after the ceremony."
    )
    result = annotate_one(article(text, outlet="Meridian Wire"))
    quote = next(q for q in result.quotes if q.kind == "direct")
    assert quote.speaker == "Varga-Moren"
    assert quote.speaker_id == "person:ilse-varga-moren"
    wire = [m for m in result.entities if m.text == "Meridian Wire"]
    assert wire and wire[0].actor_id == "outlet:meridian-wire" and wire[0].kind == "outlet"
