"""Sentence-level event coding, on text annotated by the real annotator and a fake model."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsfuse.annotate.annotator import Annotator
from newsfuse.annotate.events import PRODUCED_BY, code_events, split_sentences
from newsfuse.annotate.nlp import english
from newsfuse.model import Article, Event, Modality


@dataclass(frozen=True)
class FakePrediction:
    plover: str = "CONSULT"
    plover_score: float = 0.3
    quad_class: str = "verbal cooperation"
    quad_score: float = 0.3
    plover_scores: Mapping[str, float] = field(default_factory=dict)


class FakeModel:
    """Says the same thing of every sentence and counts its calls."""

    def __init__(self, prediction: FakePrediction | None = None) -> None:
        self.prediction = prediction or FakePrediction()
        self.calls: list[list[str]] = []

    def predict(
        self,
        texts: Sequence[str],
        sources: Sequence[str | None] | None = None,
        targets: Sequence[str | None] | None = None,
    ) -> list[FakePrediction]:
        self.calls.append(list(texts))
        return [self.prediction for _ in texts]


def coded(text: str, model: FakeModel | None = None) -> list[Event]:
    article = Article(
        id="a1",
        source="test",
        text=text,
        published=datetime(2023, 9, 15, tzinfo=UTC),
        language="en",
    )
    (notes,) = Annotator().annotate([article])
    sentences = [(s.start_char, s.end_char) for s in english()(text).sents]
    return code_events(
        text, sentences, notes.entities, notes.dates, notes.places, model or FakeModel()
    )


def pairs(events: Sequence[Event], plover: str) -> set[tuple[str | None, str | None]]:
    return {(e.source_actor, e.target_actor) for e in events if e.plover == plover}


SEEDLIKE = (
    "Japan is worried about arms talks between China and North Korea and is not excluding "
    "unilateral sanctions against the two countries, Kyodo reported on Oct. 3.\n\n"
    "The Chinese leader Xi Jinping met Kim Jong Un in Russia's Amur Oblast for talks "
    "on Sept. 13.\n\n"
    "Earlier in August, Chinese Defense Minister Li Shangfu visited Pyongyang to convince the "
    "leadership to provide artillery ammunition.\n\n"
    "Japan has voiced its growing unease over the summit."
)


def test_seed_like_article() -> None:
    model = FakeModel()
    events = coded(SEEDLIKE, model)
    assert len(model.calls) == 1  # one batch for the whole article
    threats = [e for e in events if e.plover == "THREATEN"]
    assert {(e.source_actor, e.target_actor) for e in threats} == {("JPN", "CHN"), ("JPN", "PRK")}
    assert all(e.cameo == "1312" and e.mode == "restrict" for e in threats)
    assert all(e.modality is Modality.POSSIBLE for e in threats)
    (consult,) = [e for e in events if e.plover == "CONSULT"]
    assert (consult.source_actor, consult.target_actor) == ("CHN", "PRK")
    assert consult.source_entity == "person:xi-jinping"
    assert (consult.date, consult.place) == ("2023-09-13", "Amur Oblast, RUS")
    assert pairs(events, "REQUEST") == {("CHN", "PRK")}
    (concern,) = [e for e in events if e.cameo == "012"]
    assert concern.quad_class == "statement" and concern.source_actor == "JPN"
    for e in events:
        assert SEEDLIKE[e.start : e.end].strip() == SEEDLIKE[e.start : e.end]
        assert e.produced_by == PRODUCED_BY and 0 < e.confidence <= 1


def test_sentence_without_actors_is_not_coded() -> None:
    model = FakeModel()
    assert coded("Officials threatened to impose sanctions on the company.", model) == []
    assert model.calls == []  # no actor: the model is not even asked


def test_one_actor_gives_an_event_without_target() -> None:
    events = coded("Germany condemned the decision on Tuesday.")
    assert [(e.plover, e.source_actor, e.target_actor) for e in events] == [("ACCUSE", "DEU", None)]


def test_negation_is_kept_and_marked() -> None:
    events = coded("France did not threaten Italy with sanctions.")
    assert events and all(e.plover == "THREATEN" for e in events)
    assert pairs(events, "THREATEN") == {("FRA", "ITA")}
    assert {e.modality for e in events} == {Modality.NEGATED}


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Canada may impose sanctions on Venezuela.", Modality.POSSIBLE),
        ("Canada is not excluding sanctions against Venezuela.", Modality.POSSIBLE),
        ("Canada will meet Mexico next week.", Modality.FUTURE),
        ("If Venezuela attacked Guyana, Brazil would respond.", Modality.HYPOTHETICAL),
        ("Canada met Mexico in Ottawa.", Modality.ASSERTED),
    ],
)
def test_modality(text: str, modality: Modality) -> None:
    events = coded(text)
    assert events, text
    assert events[0].modality is modality


def test_hypothetical_attack_actors() -> None:
    (event,) = coded("If Venezuela attacked Guyana, Brazil would respond.")
    assert (event.plover, event.source_actor, event.target_actor) == ("ASSAULT", "VEN", "GUY")


def test_model_alone_needs_a_confident_prediction() -> None:
    text = "Poland and Lithuania strengthened their border cooperation."
    assert coded(text, FakeModel(FakePrediction("COOPERATE", 0.4, "material cooperation"))) == []
    sure = FakePrediction("COOPERATE", 0.9, "material cooperation", 0.9, {"COOPERATE": 0.9})
    events = coded(text, FakeModel(sure))
    assert events and events[0].plover == "COOPERATE" and events[0].cameo == "06"


def test_quad_disagreement_lowers_confidence() -> None:
    text = "Canada met Mexico in Ottawa."
    scores = {"CONSULT": 0.9}
    agree = coded(
        text, FakeModel(FakePrediction("CONSULT", 0.9, "verbal cooperation", 0.9, scores))
    )
    clash = coded(text, FakeModel(FakePrediction("CONSULT", 0.9, "material conflict", 0.9, scores)))
    assert clash[0].confidence < agree[0].confidence


def test_pairs_are_capped() -> None:
    text = "France, Germany, Italy and Spain condemned Russia, Belarus and Iran."
    assert len(coded(text)) == 4


def test_sentences_are_cut_at_line_breaks() -> None:
    text = "One.\n\nTwo words  \nThree"
    assert [text[s:e] for s, e in split_sentences(text, [(0, len(text))])] == [
        "One.",
        "Two words",
        "Three",
    ]


def _real_model() -> object:
    event_model = pytest.importorskip("newsfuse.annotate.event_model")
    model = event_model.EventModel.default()
    try:
        model.predict(["France met Germany."])
    except FileNotFoundError:
        pytest.skip("the event model's data file is not built")
    return model


def test_with_the_real_model() -> None:
    model = _real_model()
    events = coded(SEEDLIKE, model)  # type: ignore[arg-type]
    assert pairs(events, "CONSULT") >= {("CHN", "PRK")}
    assert pairs(events, "THREATEN") == {("JPN", "CHN"), ("JPN", "PRK")}


@pytest.mark.shared_data
def test_seed_events(seeds_dir: Path) -> None:
    from newsfuse.api import open_newsfuse

    try:
        model: object = _real_model()
    except pytest.skip.Exception:
        model = FakeModel()
    with tempfile.TemporaryDirectory() as tmp, open_newsfuse(f"sqlite:///{tmp}/s.db") as news:
        news.ingest([str(seeds_dir)])
        articles = sorted(news.articles(), key=lambda a: Path(a.source).name)
    nlp = english()
    events: list[Event] = []
    for article, notes in zip(articles, Annotator().annotate(articles), strict=True):
        sentences = [(s.start_char, s.end_char) for s in nlp(article.text).sents]
        events += code_events(
            article.text,
            sentences,
            notes.entities,
            notes.dates,
            notes.places,
            model,  # type: ignore[arg-type]
        )
    assert pairs(events, "THREATEN") >= {("KOR", "RUS"), ("KOR", "PRK")}
    consult = [e for e in events if e.plover == "CONSULT" and e.date == "2023-09-13"]
    assert any(
        {e.source_actor, e.target_actor} == {"PRK", "RUS"} and e.place == "Amur Oblast, RUS"
        for e in consult
    )
    assert ("RUS", "PRK") in pairs(events, "REQUEST") | pairs(events, "AID")
    assert any(e.source_actor == "KOR" and e.cameo[:2] in {"01", "02"} for e in events)
