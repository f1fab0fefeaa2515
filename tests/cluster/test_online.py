"""The online clusterer on small fictional streams: stories, restore, forced joins, merges."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from newsfuse.cluster import online
from newsfuse.cluster.features import ArticleFeatures, featurize
from newsfuse.cluster.online import OnlineClusterer, Placement
from newsfuse.config import ClusterOptions
from newsfuse.model import Article, story_id_for

T0 = datetime(2025, 3, 11, 6, 0, tzinfo=UTC)

# Two earthquakes: the same kind of event, different places, people, numbers and days.
VARNHOLM = [
    (
        "Earthquake kills 14 in Varnholm",
        "A magnitude 6.2 earthquake struck the town of Varnholm in the Kessler Valley early on "
        "Tuesday, killing at least 14 people and destroying dozens of homes, Mayor Ilse "
        "Brandauer said. Rescue teams from the Kessler Valley Red Cross searched the rubble of "
        "the old market hall through the night. Brandauer said the town hospital was overwhelmed "
        "and asked for tents and blankets. The quake was felt as far away as Ostmark.",
    ),
    (
        "Varnholm quake death toll rises to 14",
        "Rescuers in Varnholm pulled survivors from collapsed buildings on Tuesday after a 6.2 "
        "magnitude quake hit the Kessler Valley, killing 14 people. Mayor Ilse Brandauer "
        "appealed for tents and blankets as the hospital filled with injured residents. The old "
        "market hall was among the buildings destroyed, and the Red Cross said its teams would "
        "work through the night.",
    ),
    (
        "Kessler Valley earthquake: Varnholm mayor appeals for help",
        "Mayor Ilse Brandauer of Varnholm asked for emergency help after Tuesday's magnitude 6.2 "
        "earthquake killed 14 people in the Kessler Valley town. Shaking was felt in Ostmark. "
        "Red Cross volunteers searched the ruins of the market hall, and the hospital treated "
        "dozens of injured residents.",
    ),
]
DELLACOURT = [
    (
        "Earthquake shakes Dellacourt, three dead",
        "A magnitude 5.4 earthquake hit Dellacourt on the Pallis Coast on Saturday, killing "
        "three people and cracking the harbour wall, Governor Tomas Reyvik said. Fishing boats "
        "were damaged and the coastal railway was closed while engineers inspected the Pallis "
        "Bridge. Reyvik said schools would stay shut until Monday.",
    ),
    (
        "Three killed as 5.4 quake hits Pallis Coast",
        "Three people died when a 5.4 magnitude quake struck Dellacourt on Saturday. Governor "
        "Tomas Reyvik said the harbour wall cracked and the coastal railway closed so engineers "
        "could check the Pallis Bridge. Schools in Dellacourt will remain closed until Monday, "
        "Reyvik said.",
    ),
    (
        "Dellacourt quake: railway closed, schools shut",
        "Engineers inspected the Pallis Bridge after Saturday's 5.4 magnitude earthquake killed "
        "three people in Dellacourt. Governor Tomas Reyvik ordered schools shut until Monday. The "
        "harbour wall cracked and fishing boats were damaged along the Pallis Coast.",
    ),
]
FILLER = [
    (
        "Lantern festival draws record crowds in Port Seren",
        "Organisers of the Port Seren lantern festival counted 80,000 visitors over the weekend, "
        "a record, as paper boats drifted down the canal and bakeries sold out of honey cakes.",
    ),
    (
        "Ostmark council approves new tram line",
        "The Ostmark city council voted 31 to 9 to build a tram line to the university campus, "
        "with construction due to begin next spring and a budget of 240 million crowns.",
    ),
    (
        "Flussland chess champion keeps her title",
        "Grandmaster Mirela Okonjo defended her Flussland championship in a tense final game "
        "against the teenager Piet Harrow, who resigned after five hours of play.",
    ),
]


def _id(key: str) -> str:
    """An article id whose first 16 characters (the story id) name the key."""
    return f"{key}-".ljust(20, "0")


def _features(
    key: str,
    title: str | None,
    text: str,
    when: datetime | None,
    embedding: np.ndarray | None = None,
) -> ArticleFeatures:
    article = Article(id=_id(key), source=key, text=text, title=title, language="en")
    return featurize(article, embedding=embedding, time=when)


def _stream(with_vectors: bool = False) -> list[ArticleFeatures]:
    """The two quakes interleaved with unrelated news, three days apart, hourly."""
    rng = np.random.default_rng(3)
    centres = {name: rng.standard_normal(16) for name in ("v", "d", "f0", "f1", "f2")}

    def vector(name: str) -> np.ndarray | None:
        if not with_vectors:
            return None
        v = centres[name] + 0.3 * rng.standard_normal(16)
        return (v / np.linalg.norm(v)).astype(np.float32)

    out = []
    for i, (title, text) in enumerate(VARNHOLM):
        out.append(_features(f"v{i}", title, text, T0 + timedelta(hours=i), vector("v")))
        d_title, d_text = DELLACOURT[i]
        when = T0 + timedelta(days=3, hours=i)
        out.append(_features(f"d{i}", d_title, d_text, when, vector("d")))
        f_title, f_text = FILLER[i]
        out.append(_features(f"f{i}", f_title, f_text, when, vector(f"f{i}")))
    return out


def _groups(features: list[ArticleFeatures], placements: list[Placement], c: OnlineClusterer):
    stories: dict[str, set[str]] = {}
    for f, p in zip(features, placements, strict=True):
        stories.setdefault(c.resolve(p.story_id), set()).add(f.article_id.split("-")[0])
    return sorted(sorted(members) for members in stories.values())


@pytest.mark.parametrize("with_vectors", [False, True])
def test_same_story_joins_and_same_kind_events_stay_apart(with_vectors: bool) -> None:
    features = _stream(with_vectors)
    c = OnlineClusterer()
    placements = [c.place(f) for f in features]
    assert _groups(features, placements, c) == [
        ["d0", "d1", "d2"],
        ["f0"],
        ["f1"],
        ["f2"],
        ["v0", "v1", "v2"],
    ]
    first = placements[0]
    assert first.opened and first.score == 0.0
    assert first.story_id == story_id_for(features[0].article_id)
    joined = placements[3]  # v1 joins v0's story
    assert not joined.opened and joined.story_id == first.story_id and joined.score > 0.3


def test_the_embedding_option_off_ignores_vectors() -> None:
    features = _stream(with_vectors=True)
    off = OnlineClusterer(ClusterOptions(embed=False))
    bare = OnlineClusterer()
    assert [off.place(f) for f in features] == [
        bare.place(replace(f, embedding=None)) for f in features
    ]


def _long_stream() -> list[ArticleFeatures]:
    """Twelve days of the fixtures, repeated with drifting wording, some undated."""
    rng = np.random.default_rng(11)
    base = _stream(with_vectors=True)
    out = []
    for day in range(12):
        for j, f in enumerate(base):
            when = None if (day + j) % 5 == 0 else f.time + timedelta(days=day)
            drop = rng.random(len(f.body_terms)) < 0.2
            body = tuple(t for t, d in zip(f.body_terms, drop, strict=True) if not d)
            key = f"{day}.{j}.{f.article_id.split('-')[0]}"
            out.append(replace(f, article_id=_id(key), body_terms=body, time=when))
    return out


@pytest.fixture(params=["exact", "approximate"])
def search_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Small streams search exactly; "approximate" forces the HNSW path and frequent index
    checkpoints and stale-entry removals, as a large stream has them."""
    if request.param == "approximate":
        monkeypatch.setattr(online, "EXACT_SEARCH_LIMIT", 0)
        monkeypatch.setattr(online, "ANN_CHECKPOINT_OPS", 7)
        monkeypatch.setattr(online, "STALE_BATCH", 3)
    return request.param


@pytest.mark.parametrize("cut", [1, 17, 40, 90])
def test_restore_then_continue_equals_one_run(cut: int, search_mode: str) -> None:
    features = _long_stream()
    whole = OnlineClusterer()
    expected = [whole.place(f) for f in features]
    first = OnlineClusterer()
    got = [first.place(f) for f in features[:cut]]
    restored = OnlineClusterer.from_bytes(first.to_bytes())
    assert restored.clock == first.clock
    got += [restored.place(f) for f in features[cut:]]
    assert got == expected
    assert restored.to_bytes() == whole.to_bytes()  # the same state, ANN graph included


def test_state_is_deterministic(search_mode: str) -> None:
    features = _long_stream()
    a, b = OnlineClusterer(), OnlineClusterer()
    assert [a.place(f) for f in features] == [b.place(f) for f in features]
    assert a.to_bytes() == b.to_bytes()


def test_from_bytes_rejects_foreign_bytes() -> None:
    with pytest.raises(ValueError):
        OnlineClusterer.from_bytes(b"not a state")


def test_into_forces_the_story() -> None:
    features = _stream()
    c = OnlineClusterer()
    quake = c.place(features[0])
    tram = c.place(features[2])  # unrelated filler
    forced = c.place(features[1], into=quake.story_id)  # Dellacourt text, forced to Varnholm
    assert forced.story_id == quake.story_id and not forced.opened
    unknown = c.place(features[4], into="st_0000unknown000")
    assert unknown.story_id == "st_0000unknown000" and not unknown.opened
    again = c.place(features[7], into="st_0000unknown000")  # Dellacourt again
    assert again.story_id == "st_0000unknown000" and again.score > 0.0
    assert tram.story_id != quake.story_id


def _terms(*words: str) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((w, 1) for w in words))


def _made(key: str, words: list[str], vector: np.ndarray | None = None) -> ArticleFeatures:
    return ArticleFeatures(
        article_id=_id(key),
        time=None,
        title_terms=(),
        body_terms=_terms(*words),
        names=(),
        embedding=vector,
    )


def test_a_bridging_article_merges_into_the_older_story() -> None:
    options = ClusterOptions(
        lexical_threshold=0.5, short_text_terms=0.0, merge_ratio=1.0, merge_gap=0.2
    )
    c = OnlineClusterer(options)
    left = [f"alpha{i}" for i in range(8)]
    right = [f"omega{i}" for i in range(8)]
    noise = [_made(f"n{i}", [f"noise{i}{k}" for k in range(8)]) for i in range(6)]
    for f in noise:  # background documents so that IDF is not degenerate
        c.place(f)
    older = c.place(_made("a1", left[:6] + right[:2]))
    younger = c.place(_made("b1", right[:6] + left[:2]))
    assert older.opened and younger.opened
    c.place(_made("a2", left[:5] + right[:3]), into=older.story_id)
    c.place(_made("b2", right[:5] + left[:3]), into=younger.story_id)
    bridge = c.place(_made("x", left[:4] + right[:4]))
    assert bridge.story_id == older.story_id
    assert [m for m, _ in bridge.merged] == [younger.story_id]
    assert all(score > 0.5 for _, score in bridge.merged)
    assert c.resolve(younger.story_id) == older.story_id
    assert c.resolve(older.story_id) == older.story_id
    late = c.place(_made("b3", right[:6]), into=younger.story_id)
    assert late.story_id == older.story_id
    follow = c.place(_made("b4", right[:7]))
    assert follow.story_id == older.story_id


@pytest.mark.parametrize(
    "features",
    [
        _made("e1", []),
        ArticleFeatures("e2", None, (), (), (), None),
        ArticleFeatures("e3", None, (("x", 1),), (), (("x", 1),), np.zeros(16, np.float32)),
        ArticleFeatures("e4", T0, (), (("a", 1),), (), np.full(16, np.nan, np.float32)),
        ArticleFeatures("e5", datetime(2025, 3, 11), (), (("1999", 3),), (), None),
    ],
    ids=["no-terms", "nothing", "zero-vector", "nan-vector", "naive-time"],
)
def test_bad_input_never_raises(features: ArticleFeatures) -> None:
    c = OnlineClusterer()
    for f in _stream(with_vectors=True)[:4]:
        c.place(f)
    placed = c.place(features)
    assert placed.story_id
    again = c.place(replace(features, article_id=features.article_id + "x"))
    assert again.story_id
    c.place(_stream(with_vectors=True)[5])
    OnlineClusterer.from_bytes(c.to_bytes())


def test_a_vector_of_another_size_is_ignored() -> None:
    c = OnlineClusterer()
    features = _stream(with_vectors=True)
    c.place(features[0])
    odd = replace(features[3], embedding=np.ones(7, np.float32))
    assert c.place(odd).story_id == c.resolve(c.place(features[0]).story_id)


def test_untrusted_time_never_moves_the_clock() -> None:
    c = OnlineClusterer()
    features = _stream()
    assert c.clock is None
    c.place(replace(features[0], time=None))
    assert c.clock is None
    c.place(features[1])
    assert c.clock == features[1].time
    c.place(replace(features[2], time=None))
    c.place(replace(features[3], time=T0))  # an older trusted time does not go back
    assert c.clock == features[1].time


def test_stories_retire_after_the_window() -> None:
    c = OnlineClusterer(ClusterOptions(window_days=14))
    v0, v1 = (_features(f"w{i}", *VARNHOLM[i], T0) for i in range(2))
    first = c.place(v0)
    assert c.active_count == 1
    later = T0 + timedelta(days=15)
    moved = c.place(_features("far", *FILLER[0], later))  # the clock passes the window
    assert moved.opened and c.active_count == 1
    back = c.place(replace(v1, time=later))
    assert back.opened and back.story_id != first.story_id  # the old story is gone
    wire = c.place(replace(v1, article_id="wire-copy-of-v0"), into=first.story_id)
    assert wire.story_id == first.story_id and not wire.opened  # a retired story comes back


def test_time_apart_keeps_same_kind_stories_apart() -> None:
    c = OnlineClusterer()
    a = c.place(_features("y1", *VARNHOLM[0], T0))
    same_day = c.place(_features("y2", *VARNHOLM[1], T0 + timedelta(hours=20)))
    assert same_day.story_id == a.story_id
    c2 = OnlineClusterer(ClusterOptions(window_days=400))
    b = c2.place(_features("y1", *VARNHOLM[0], T0))
    c2.place(_features("z", *FILLER[1], T0 + timedelta(days=300)))
    year_later = c2.place(_features("y2", *VARNHOLM[1], T0 + timedelta(days=300)))
    assert year_later.opened and year_later.story_id != b.story_id


def test_an_article_in_another_language_joins_by_names_and_vector() -> None:
    features = _stream(with_vectors=True)
    c = OnlineClusterer()
    story = c.place(features[0])
    for f in features[1:3]:
        c.place(f)
    german = Article(
        id=_id("de"),
        source="de",
        title="Erdbeben in Varnholm: 14 Tote",
        text=(
            "Ein Erdbeben der Stärke 6,2 hat am Dienstag die Stadt Varnholm im Kessler-Tal "
            "erschüttert. Bürgermeisterin Ilse Brandauer bat um Zelte und Decken; Helfer des "
            "Roten Kreuzes suchten die ganze Nacht in den Trümmern der alten Markthalle."
        ),
        language="de",
    )
    vector = features[3].embedding  # the Varnholm story's vector, as a multilingual model gives
    placed = c.place(featurize(german, embedding=vector, time=T0 + timedelta(hours=5)))
    assert placed.story_id == story.story_id


def test_another_language_without_shared_features_opens_its_own_story() -> None:
    c = OnlineClusterer()
    english = c.place(_features("en1", *VARNHOLM[0], T0))
    foreign = Article(
        id=_id("xx"), source="xx", text="varnholm kessler brandauer 14 6.2", language="de"
    )
    placed = c.place(featurize(foreign, embedding=None, time=T0))
    assert placed.opened and placed.story_id != english.story_id
