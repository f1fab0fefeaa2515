"""Claim-level alignment of sentences across a story's reports (fictional stories)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from newsfuse.fuse.facts import (
    SHARED,
    UNIQUE,
    CachedEmbedder,
    Fact,
    FactOptions,
    ReportText,
    align_facts,
    split_sentences,
)
from newsfuse.model import Annotations, AnnotationStatus, EntityMention, Quote, QuoteKind

FIRST = (
    "Flooding in the river town of Maravel killed 12 people on Tuesday, officials said.\n\n"
    "Mayor Ilse Varga ordered the evacuation of 3,000 residents from the lower districts.\n\n"
    "The U.S. embassy in Sept. said nothing. Read more\n\n"
    "Local volunteers filled sandbags through the night near the old stone bridge."
)
SECOND = (
    "At least 15 people were killed when floods hit Maravel on Tuesday.\n\n"
    "About 3,000 residents of the lower districts were evacuated on the orders of Mayor "
    "Ilse Varga.\n\n"
    "A Weather Service spokesman blamed three days of unusually heavy rain in the hills."
)


def _report(article_id: str, outlet: str, text: str, ann: Annotations | None = None) -> ReportText:
    return ReportText(article_id, outlet, article_id, text, ann)


def _mention(text: str, name: str, actor_id: str) -> EntityMention:
    start = text.index(name)
    return EntityMention(start, start + len(name), name, "PERSON", actor_id, kind="person")


def _annotated(article_id: str, text: str, names: dict[str, str]) -> Annotations:
    return Annotations(
        article_id,
        AnnotationStatus.ANNOTATED,
        entities=tuple(_mention(text, n, a) for n, a in names.items()),
    )


def _containing(facts: list[Fact], phrase: str) -> Fact:
    return next(f for f in facts if any(phrase in e.text for e in f.support))


def test_sentences_keep_exact_spans_and_abbreviations() -> None:
    text = "The U.S. envoy arrived on Sept. 13 in Maravel. Talks began! Did they end?\n\nYes."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "The U.S. envoy arrived on Sept. 13 in Maravel.",
        "Talks began!",
        "Did they end?",
        "Yes.",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_shared_fact_across_differently_worded_sentences() -> None:
    facts = align_facts(
        [_report("a1", "Daily Lantern", FIRST), _report("b1", "Coast Post", SECOND)]
    )
    evacuation = _containing(facts, "ordered the evacuation")
    assert evacuation.kind == SHARED and evacuation.origins == 2
    assert evacuation.outlets == ("Daily Lantern", "Coast Post")
    assert any("were evacuated" in e.text for e in evacuation.support)
    flood = _containing(facts, "killed 12")
    assert flood.kind == SHARED and any("15 people" in e.text for e in flood.support)
    assert flood.text.startswith("Flooding")  # the representative comes from the first report


def test_unique_facts_and_order() -> None:
    facts = align_facts(
        [_report("a1", "Daily Lantern", FIRST), _report("b1", "Coast Post", SECOND)]
    )
    kinds = [f.kind for f in facts]
    assert kinds == sorted(kinds, key=lambda k: k != SHARED)  # shared first
    sandbags = _containing(facts, "sandbags")
    assert sandbags.kind == UNIQUE and sandbags.outlets == ("Daily Lantern",)
    rain = _containing(facts, "heavy rain")
    assert rain.kind == UNIQUE and rain.outlets == ("Coast Post",)
    unique = [f for f in facts if f.kind == UNIQUE]
    assert unique.index(sandbags) < unique.index(rain)  # article order
    assert not any("Read more" in e.text for f in facts for e in f.support)
    assert len({f.id for f in facts}) == len(facts)


def test_names_match_by_actor_id() -> None:
    first = "Kim Jong Un inspected the new fishing harbour at Sinpo with his generals."
    second = "Kim Jong-un toured a harbour for fishing boats in Sinpo, state media reported."
    strict = FactOptions(threshold=0.36, mutual_threshold=0.36)
    plain = align_facts([_report("a", "One", first), _report("b", "Two", second)], None, strict)
    assert all(f.kind == UNIQUE for f in plain)  # the words alone do not meet the bar
    reports = [
        _report("a", "One", first, _annotated("a", first, {"Kim Jong Un": "person:kim-jong-un"})),
        _report("b", "Two", second, _annotated("b", second, {"Kim Jong-un": "person:kim-jong-un"})),
    ]
    assert [f.kind for f in align_facts(reports, None, strict)] == [SHARED]


def test_same_origin_sentences_are_not_aligned() -> None:
    reports = [_report("a1", "Daily Lantern", FIRST), ReportText("a2", "Wire", "a1", FIRST, None)]
    assert all(f.kind == UNIQUE for f in align_facts(reports))


def test_empty_and_single_report_stories() -> None:
    assert align_facts([]) == []
    assert align_facts([_report("a", "One", "")]) == []
    facts = align_facts([_report("a1", "Daily Lantern", FIRST)])
    assert facts and all(f.kind == UNIQUE and f.origins == 1 for f in facts)


def test_evidence_offsets_point_into_the_text() -> None:
    texts = {"a1": FIRST, "b1": SECOND}
    facts = align_facts(
        [_report("a1", "Daily Lantern", FIRST), _report("b1", "Coast Post", SECOND)]
    )
    for fact in facts:
        for e in fact.support:
            assert texts[e.article_id][e.start : e.end] == e.text


def test_order_is_deterministic() -> None:
    reports = [_report("a1", "Daily Lantern", FIRST), _report("b1", "Coast Post", SECOND)]
    assert align_facts(reports) == align_facts(reports)


@pytest.mark.shared_data
def test_seed_facts(seeds_dir: Path, tmp_path: Path) -> None:
    from newsfuse.api import open_newsfuse
    from newsfuse.fuse.dossier import report_texts

    with open_newsfuse(f"sqlite:///{tmp_path / 'seeds.db'}") as news:
        news.ingest([str(seeds_dir)])
        (story,) = news.stories()
        reports, _ = report_texts(news, news.story(story.id).reports)
    assert [r.outlet for r in reports][0] == "Kyiv Independent" and len(reports) == 2
    facts = align_facts(reports)
    shared = " ".join(e.text for f in facts if f.kind == SHARED for e in f.support)
    assert "summit" in shared or "met Putin" in shared
    assert "unease" in shared or "worried" in shared
    first_only = [f for f in facts if f.kind == UNIQUE and f.outlets == (reports[0].outlet,)]
    second_only = [f for f in facts if f.kind == UNIQUE and f.outlets == (reports[1].outlet,)]
    assert any(s in f.text for f in first_only for s in ("Park", "top diplomat", "minister"))
    assert any("Lim Soo-suk" in f.text for f in second_only)


def _quoted(article_id: str, text: str, quote: str, speaker_id: str) -> Annotations:
    start = text.index(quote)
    name = speaker_id.removeprefix("person:").replace("-", " ").title()
    return Annotations(
        article_id,
        AnnotationStatus.ANNOTATED,
        quotes=(
            Quote(start, start + len(quote), quote, QuoteKind.DIRECT, name, speaker_id=speaker_id),
        ),
    )


def test_one_persons_claim_is_not_anothers() -> None:
    first = "“The rail deal is a grave threat to peace in the region,” Minister Ana Roth said."
    second = "“The rail deal is a grave threat to peace in the region,” envoy Piet Kale said."
    third = "The rail deal is a grave threat to peace in the region, Ana Roth warned."
    a = _quoted("a1", first, first[:57], "person:ana-roth")
    b = _quoted("b1", second, second[:57], "person:piet-kale")
    c = Annotations(
        "c1",
        AnnotationStatus.ANNOTATED,
        entities=(_mention(third, "Ana Roth", "person:ana-roth"),),
    )
    facts = align_facts(
        [_report("a1", "Daily Lantern", first, a), _report("b1", "Coast Post", second, b)]
    )
    assert [f.kind for f in facts] == [UNIQUE, UNIQUE]
    facts = align_facts(
        [_report("a1", "Daily Lantern", first, a), _report("c1", "Hill Times", third, c)]
    )
    assert [f.kind for f in facts] == [SHARED]  # the other names her: her claim, reported


def test_cached_embedder_embeds_each_sentence_once() -> None:
    calls: list[list[str]] = []

    class Counting:
        def embed(self, texts: Sequence[str]) -> np.ndarray:
            calls.append(list(texts))
            return np.asarray([[len(t), 1.0] for t in texts], dtype=np.float32)

    cached = CachedEmbedder(Counting(), size=2)
    first = cached.embed(["a", "bb", "a"])
    assert first.shape == (3, 2) and calls == [["a", "bb"]]
    assert np.array_equal(cached.embed(["bb"]), first[1:2]) and len(calls) == 1
    cached.embed(["ccc"])  # evicts "a", the least recently used
    cached.embed(["a"])
    assert calls[-1] == ["a"]


def test_embedded_alignment_threshold_is_its_own() -> None:
    options = FactOptions()
    assert options.thresholds(False) == (options.threshold, options.mutual_threshold)
    assert options.thresholds(True) == (
        options.embedded_threshold,
        options.embedded_mutual_threshold,
    )
