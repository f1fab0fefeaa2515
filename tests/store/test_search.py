"""Full-text search and the listing filters the HTTP API and web UI use, on every backend:
FTS5 on SQLite, tsvector on PostgreSQL; hostile query text is only ever words."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from newsfuse.errors import ConfigError
from newsfuse.model import (
    Annotations,
    AnnotationStatus,
    Article,
    EntityMention,
    Event,
    StoryAssignment,
    story_id_for,
)
from newsfuse.store import (
    ArticleFilter,
    EntityFilter,
    EventFilter,
    Store,
    StoryFilter,
)
from newsfuse.store.search import parse_query, snippet

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
TEXTS = {
    "harbour": (
        "Harbour strike in Valdoria",
        "Dock workers in Port Elsin walked out on Monday, halting ferry traffic. The union "
        "said the strike would last until wages rise.",
    ),
    "harbour2": (
        "Ferries stop as Valdoria dockers strike",
        "Ferry traffic stopped in Port Elsin after dock workers began a strike over wages.",
    ),
    "summit": (
        "Summit on river treaty",
        "Ministers of Valdoria and Kestrel met to sign a river treaty. Minister Ana Varga "
        "called it historic.",
    ),
    "hostile": (
        "<script>alert(1)</script> x' OR 1=1 --",
        "A page whose title is hostile; its body mentions a treaty once.",
    ),
}


def article(name: str, hours: float) -> Article:
    title, text = TEXTS[name]
    return Article(
        id=f"{name:0<20}"[:20],
        source=f"/corpus/{name}.html",
        text=text,
        title=title,
        url=f"https://daily.example/{name}",
        outlet="Daily Planet" if name != "harbour2" else "Coast Courier",
        published=T0 + timedelta(hours=hours),
        language="en" if name != "summit" else "de",
        produced_by="tests",
    )


def notes(a: Article, actor: str, plover: str | None) -> Annotations:
    events = () if plover is None else (Event(0, 10, plover, "040", "verbal cooperation", 1.0,
                                               source_actor=actor, date="2024-03-01"),)  # fmt: skip
    return Annotations(
        a.id,
        AnnotationStatus.ANNOTATED,
        language="en",
        entities=(EntityMention(0, 5, actor, "PERSON", actor, actor.split(":")[-1].title()),),
        events=events,
        produced_by="tests",
        annotated_at=T0,
    )


@pytest.fixture
def filled(store: Store, run_id: int) -> dict[str, Article]:
    made = {name: article(name, hours) for hours, name in enumerate(TEXTS)}
    store.add_articles(list(made.values()), run_id)
    a = made
    assignments = [
        StoryAssignment(a["harbour"].id, story_id_for(a["harbour"].id), 0, 0.0, outlet_key="dp"),
        StoryAssignment(a["harbour2"].id, story_id_for(a["harbour"].id), 1, 0.5, outlet_key="cc"),
        StoryAssignment(a["summit"].id, story_id_for(a["summit"].id), 2, 0.0, outlet_key="dp"),
        StoryAssignment(a["hostile"].id, story_id_for(a["hostile"].id), 3, 0.0, outlet_key="dp"),
    ]
    store.save_clustering(assignments, [], b"state", 4)
    store.put_annotations(
        [
            notes(a["harbour"], "org:elsin-dockers", "PROTEST"),
            notes(a["harbour2"], "org:elsin-dockers", None),
            notes(a["summit"], "person:ana-varga", "CONSULT"),
        ]
    )
    return made


def test_search_ranks_title_matches_first_and_stems(store: Store, filled: dict) -> None:
    hits = store.search_articles("strikes")
    assert [h.article.id for h in hits][:2] == [filled["harbour"].id, filled["harbour2"].id] or {
        h.article.id for h in hits
    } == {filled["harbour"].id, filled["harbour2"].id}
    assert len(hits) == 2
    assert all(h.score > 0 for h in hits)
    first = hits[0]
    assert any(first.snippet[s:e].lower().startswith("strike") for s, e in first.highlights)
    assert store.count_search("strike") == 2


def test_search_needs_every_word_and_keeps_phrases(store: Store, filled: dict) -> None:
    assert [h.article.id for h in store.search_articles("river treaty")] == [filled["summit"].id]
    assert store.search_articles('"treaty river"') == []
    assert store.count_search("treaty") == 2


def test_search_takes_filters_and_pages(store: Store, filled: dict) -> None:
    only = store.search_articles("strike", ArticleFilter(outlet="Coast Courier"))
    assert [h.article.id for h in only] == [filled["harbour2"].id]
    first, second = (
        store.search_articles("strike", limit=1),
        store.search_articles("strike", limit=1, offset=1),
    )
    assert len(first) == len(second) == 1 and first[0].article.id != second[0].article.id


@pytest.mark.parametrize(
    "hostile",
    ["x' OR 1=1; DROP TABLE articles; --", 'NEAR(a b) OR "', "title:strike*", "a & !b | c:*"],
)
def test_query_syntax_and_sql_are_only_words(store: Store, filled: dict, hostile: str) -> None:
    store.search_articles(hostile)  # no error: operators are words
    assert store.count_articles() == 4


def test_a_query_without_words_is_a_config_error(store: Store, filled: dict) -> None:
    with pytest.raises(ConfigError, match="no word"):
        store.search_articles(" !!! '' ")


def test_story_filters(store: Store, filled: dict) -> None:
    harbour = story_id_for(filled["harbour"].id)
    summit = story_id_for(filled["summit"].id)
    ids = lambda f: {s.id for s in store.list_stories(f)}  # noqa: E731
    assert ids(StoryFilter(search="ferry wages")) == {harbour}
    assert ids(StoryFilter(entity="person:ana-varga")) == {summit}
    assert ids(StoryFilter(event_type="PROTEST")) == {harbour}
    assert ids(StoryFilter(language="de")) == {summit}
    assert store.count_stories(StoryFilter(search="treaty")) == 2


def test_article_filters_and_keyset(store: Store, filled: dict) -> None:
    harbour = story_id_for(filled["harbour"].id)
    named = store.list_articles(ArticleFilter(entity="org:elsin-dockers"))
    assert [a.id for a in named] == [filled["harbour"].id, filled["harbour2"].id]
    assert [a.id for a in store.list_articles(ArticleFilter(event_type="CONSULT"))] == [
        filled["summit"].id
    ]
    assert len(store.list_articles(ArticleFilter(story_id=harbour))) == 2
    everything = store.list_articles()
    page = store.list_articles(ArticleFilter(after=everything[1]), limit=10)
    assert page == everything[2:]


def test_entities_and_events(store: Store, filled: dict) -> None:
    docks = store.entity_summary("org:elsin-dockers")
    assert docks is not None and docks.article_count == 2 and docks.story_count == 1
    assert store.entity_summary("nobody") is None
    listed = store.list_entities(EntityFilter(query="ANA"))
    assert [e.actor_id for e in listed] == ["person:ana-varga"]
    assert store.list_entities(limit=1)[0].actor_id == "org:elsin-dockers"  # most named
    kinds = {e.kind for e in store.list_entities()}
    assert all(store.list_entities(EntityFilter(kind=k)) for k in kinds if k)
    assert store.articles_naming("org:elsin-dockers") == [
        filled["harbour2"].id,
        filled["harbour"].id,
    ]
    events = store.list_events(EventFilter(plover="CONSULT"))
    assert [(a, e.plover) for a, e in events] == [(filled["summit"].id, "CONSULT")]
    assert store.list_events(EventFilter(since=date(2024, 3, 2))) == []
    assert len(store.list_events(EventFilter(until=date(2024, 3, 2)))) == 2
    harbour = story_id_for(filled["harbour"].id)
    assert [e.plover for _, e in store.list_events(EventFilter(story_id=harbour))] == ["PROTEST"]


def test_parse_query_caps_terms_and_snippets_mark_words() -> None:
    query = parse_query(" ".join(f"w{i}" for i in range(40)))
    assert len(query.words) == 16
    text, marks = snippet("x " * 300 + "The strike began. " + "y " * 300, parse_query("strikes"))
    assert text.startswith("… ") and text.endswith(" …")
    assert [text[s:e] for s, e in marks] == ["strike"]


def test_search_survives_a_title_rewrite(store: Store, filled: dict) -> None:
    # Re-adding the same article changes nothing, in the index too.
    store.add_articles([replace(filled["summit"])], store.start_run(["again"], {}))
    assert store.count_search("treaty") == 2


def test_related_stories_weigh_rare_actors_and_ignore_common_ones(
    store: Store, run_id: int
) -> None:
    def put(name: str, actors: tuple[str, ...], seq: int, story: str | None = None) -> str:
        a = replace(article("harbour", seq), id=f"{name:0<20}"[:20], url=None)
        store.add_articles([a], run_id)
        sid = story or story_id_for(a.id)
        store.save_clustering([StoryAssignment(a.id, sid, seq, 0.0, outlet_key="o")], [], b"s",
                              seq + 1)  # fmt: skip
        mentions = tuple(EntityMention(0, 1, x, "ORG", x, x) for x in actors)
        store.put_annotations([Annotations(a.id, AnnotationStatus.ANNOTATED, entities=mentions,
                                           produced_by="t", annotated_at=T0)])  # fmt: skip
        return sid

    base = put("base", ("org:rare-a", "org:rare-b", "USA", "RUS"), 0)
    close = put("close", ("org:rare-a", "org:rare-b"), 1)
    loose = put("loose", ("org:rare-a", "USA"), 2)
    common_only = put("common", ("USA", "RUS"), 3)
    for n in range(60):  # make USA and RUS common
        put(f"filler{n:03d}", ("USA", "RUS"), 4 + n)
    related = store.related_stories(base)
    ids = [story_id for story_id, _, _ in related]
    assert ids[0] == close and loose in ids and common_only not in ids
    assert related[0][1] == ("org:rare-a", "org:rare-b")
    assert store.related_stories(close, min_shared=3) == []
