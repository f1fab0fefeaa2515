"""Quotation and attribution patterns on small fictional texts."""

from __future__ import annotations

import pytest

from newsfuse.annotate.nlp import english
from newsfuse.annotate.quotes import PRODUCED_BY, find_quotes, quotation_marks
from newsfuse.model import Quote, QuoteKind


def quotes_of(text: str) -> list[Quote]:
    quotes = find_quotes(english()(text))
    for q in quotes:  # every span indexes the text it came from
        assert text[q.start : q.end] == q.content
        assert q.produced_by == PRODUCED_BY
        if q.speaker is not None:
            assert text[q.speaker_start : q.speaker_end] == q.speaker
        if q.cue is not None:
            assert text[q.cue_start : q.cue_end] == q.cue
        for s, e in q.fragments:
            assert q.start <= s < e <= q.end
    return quotes


def only(text: str, needle: str) -> Quote:
    hits = [q for q in quotes_of(text) if needle in q.content]
    assert len(hits) == 1, hits
    return hits[0]


def test_seed_top_diplomat_told_journalists() -> None:
    text = (
        "Tension rose again on Monday.\n\n"
        '"We will never accept a nuclear-armed neighbour on the Korean Peninsula," '
        "South Korea's top diplomat reportedly told journalists at a forum."
    )
    q = only(text, "Peninsula")
    assert q.kind is QuoteKind.DIRECT
    assert q.speaker == "South Korea's top diplomat"
    assert q.cue == "told"
    assert q.speaker_kind == "person"
    assert q.content.startswith('"') and q.content.endswith('"')


def test_mixed_quote_attributed_to_the_minister_not_the_agency() -> None:
    text = (
        "Asked about the launch, the minister responded that the government is "
        '"reviewing all possible measures," according to Yonhap.'
    )
    q = only(text, "reviewing")
    assert q.kind is QuoteKind.MIXED
    assert q.speaker == "the minister"
    assert q.content.startswith("that the government")
    assert "Yonhap" not in q.content


def test_participle_cue_after_pronoun_subject() -> None:
    text = (
        "Lim Soo-suk, the spokesperson for the nation's Foreign Ministry, spoke on Tuesday. "
        "Lim underscored this, highlighting, “Any provocation will be met with a firm response.”"
    )
    q = only(text, "provocation")
    assert q.kind is QuoteKind.DIRECT
    assert q.speaker == "Lim"


@pytest.mark.parametrize(
    ("opening", "closing"),
    [('"', '"'), ("“", "”"), ("«", "»"), ("„", "“"), ("‘", "’")],
)
def test_each_quotation_mark_style(opening: str, closing: str) -> None:
    text = f"{opening}The harvest was the best in twenty years,{closing} said Mayor Ilse Brandt."
    q = only(text, "harvest")
    assert q.kind is QuoteKind.DIRECT
    assert q.speaker == "Mayor Ilse Brandt"
    assert q.cue == "said"


def test_speaker_before_cue_with_colon() -> None:
    text = 'The governor told reporters: "The bridge will reopen in March after the repairs."'
    q = only(text, "bridge")
    assert q.kind is QuoteKind.DIRECT
    assert q.speaker == "The governor"
    assert q.speaker_kind == "person"


def test_interrupted_quote_has_two_fragments() -> None:
    text = '"We are ready," she said. "The funds arrived this morning and work starts now."'
    q = only(text, "ready")
    assert q.speaker == "she"
    assert len(q.fragments) == 2
    assert "funds" in q.content


def test_quote_spanning_paragraphs() -> None:
    text = (
        '"The first paragraph of the statement explains the plan in detail.\n\n'
        '"The second paragraph adds the budget and the timetable," Finance Minister '
        "Tomas Varga said."
    )
    marks = quotation_marks(text)
    assert len(marks) == 1 and len(marks[0].fragments) == 2
    q = only(text, "first paragraph")
    assert q.speaker == "Finance Minister Tomas Varga"
    assert "second paragraph" in q.content


def test_quote_only_paragraph_continues_the_previous_speaker() -> None:
    text = (
        '"We will rebuild the harbour," Mayor Ilse Brandt said.\n\n'
        '"It will take two years and every boat owner will be compensated."\n\n'
        "The council meets again on Friday."
    )
    quotes = [q for q in quotes_of(text) if q.kind is not QuoteKind.INDIRECT]
    assert len(quotes) == 1
    assert "two years" in quotes[0].content and len(quotes[0].fragments) == 2


def test_indirect_said_that() -> None:
    text = "Mayor Ilse Brandt said that the harbour would reopen next spring."
    q = only(text, "harbour")
    assert q.kind is QuoteKind.INDIRECT
    assert q.speaker == "Mayor Ilse Brandt"
    assert q.content == "that the harbour would reopen next spring"


def test_indirect_clause_then_speaker() -> None:
    text = "The harbour will reopen next spring, the mayor said."
    q = only(text, "harbour")
    assert q.kind is QuoteKind.INDIRECT
    assert q.speaker == "the mayor"
    assert q.content == "The harbour will reopen next spring"


def test_according_to_an_outlet() -> None:
    text = "According to Yonhap, the talks will resume in Geneva next week."
    q = only(text, "talks")
    assert q.kind is QuoteKind.INDIRECT
    assert q.speaker == "Yonhap"
    assert q.speaker_kind == "outlet"
    assert q.cue == "According to"


def test_outlet_reported() -> None:
    text = "The talks will resume in Geneva next week, the Daily Herald reported."
    q = only(text, "talks")
    assert q.speaker_kind == "outlet"


def test_scare_quotes_are_not_quotes() -> None:
    text = "Troops crossed the river in what officials call a so-called 'special operation' today."
    assert not [q for q in quotes_of(text) if q.kind is not QuoteKind.INDIRECT]
    text = 'The show "Morning Harbour" airs daily on the local station.'
    assert quotes_of(text) == []


def test_apostrophes_in_single_quoted_text() -> None:
    text = "‘We can’t wait for the ’90s revival, and the workers’ union agrees,’ Ms. Okafor said."
    q = only(text, "revival")
    assert q.kind is QuoteKind.DIRECT
    assert q.speaker == "Ms. Okafor"
    assert q.content.startswith("‘We can’t") and q.content.endswith("agrees,’")


def test_unbalanced_quotation_mark_stays_in_its_paragraph() -> None:
    paragraphs = ['He said "we will win the vote and then some.'] + [
        f"Paragraph {i} describes the weather in the valley." for i in range(40)
    ]
    text = "\n\n".join(paragraphs)
    marks = quotation_marks(text)
    assert marks and all(m.end <= len(paragraphs[0]) for m in marks)
    for q in quotes_of(text):
        assert q.end - q.start < 400


def test_a_run_of_open_quote_paragraphs_is_capped() -> None:
    text = "\n\n".join(f'"Part {i} of a very long statement goes on' for i in range(20))
    for m in quotation_marks(text):
        assert len(m.fragments) <= 5
    quotes_of(text)


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n  ", '"', "“”", "‘", "…", "no sentence here", '""" ,,, said said said :::'],
)
def test_degenerate_texts_do_not_crash(text: str) -> None:
    quotes_of(text)


def test_long_document() -> None:
    para = '"The reservoir is full and the dam is safe," the engineer said. '
    text = "\n\n".join(
        para + "Rain fell all week in the valley, officials said." for _ in range(300)
    )
    quotes = quotes_of(text)
    assert sum(q.kind is QuoteKind.DIRECT for q in quotes) == 300


# ---------------------------------------------------------------- the candidate scorer


def test_shipped_scorer_records_its_training_data() -> None:
    import json
    from importlib import resources

    from newsfuse.annotate.quote_scorer import MODEL_FILE, quote_scorer

    raw = json.loads(resources.files("newsfuse.annotate").joinpath(MODEL_FILE).read_text())
    assert "PolNeAR" in raw["trained_on"]["dataset"]
    assert raw["trained_on"]["licence"]
    scorer = quote_scorer()
    assert set(scorer.groups) == {"quoted", "indirect"}
    assert all(0.0 <= g.threshold < 1.0 and g.weights for g in scorer.groups.values())


def test_scorer_threshold_decides_what_is_kept() -> None:
    from newsfuse.annotate.quote_scorer import GroupModel, QuoteScorer, quote_scorer

    text = '"We are ready to talk," the minister said. The talks will resume, officials said.'
    doc = english()(text)
    shipped = quote_scorer()

    def at(threshold: float) -> QuoteScorer:
        return QuoteScorer({g: GroupModel(m.weights, threshold) for g, m in shipped.groups.items()})

    assert find_quotes(doc, at(1.01)) == []
    everything = find_quotes(doc, at(0.0))
    assert {q.kind for q in everything} >= {QuoteKind.DIRECT, QuoteKind.INDIRECT}
    assert len(find_quotes(doc)) <= len(everything)


def test_overlapping_candidates_keep_the_more_probable() -> None:
    from newsfuse.annotate.quote_scorer import suppress_overlaps

    scored = [(0.6, ((0, 100),)), (0.9, ((10, 90),)), (0.5, ((200, 240),)), (0.7, ((95, 300),))]
    # 0 and 1 share all 80 characters of the shorter, 2 lies inside 3: each pair is one
    # attribution proposed twice; 0 and 3 share only 5 characters
    assert suppress_overlaps(scored) == [1, 3]
    assert suppress_overlaps(scored, share=1.01) == [0, 1, 2, 3]
