"""Scoring logic of the quotation benchmark on tiny synthetic records."""

from __future__ import annotations

from newsfuse.bench.quotes import (
    PRF,
    Attribution,
    count_cues,
    cue_lines,
    direct_or_mixed,
    gold_attributions,
    match_pairs,
    matches,
    overlap,
    score_doc,
    speaker_correct,
    word_prf,
)


def test_overlap_counts_shared_characters_over_fragments() -> None:
    assert overlap(((0, 10),), ((5, 20),)) == 5
    assert overlap(((0, 4), (10, 14)), ((2, 12),)) == 4
    assert overlap(((0, 4),), ((4, 8),)) == 0


def test_matching_rules() -> None:
    assert matches(((0, 10),), ((9, 100),), "any")
    assert not matches(((0, 10),), ((9, 100),), "half")
    assert matches(((0, 10),), ((4, 100),), "half")  # 6 of the shorter 10


def test_matching_is_one_to_one_by_overlap() -> None:
    preds = [Attribution(((0, 100),))]
    golds = [Attribution(((0, 10),)), Attribution(((20, 90),))]
    assert match_pairs(preds, golds, "any") == [(0, 1)]
    s = score_doc(preds, golds, "any")
    assert (s.matched.tp, s.matched.n_pred, s.matched.n_gold) == (1, 1, 2)


def test_speaker_must_overlap_a_source_fragment() -> None:
    gold = Attribution(((0, 10),), ((20, 30),), "direct")
    assert speaker_correct(Attribution(((0, 10),), ((25, 27),)), gold)
    assert not speaker_correct(Attribution(((0, 10),), ((40, 45),)), gold)
    assert not speaker_correct(Attribution(((0, 10),)), gold)
    assert speaker_correct(Attribution(((0, 10),)), Attribution(((0, 10),)))
    s = score_doc([Attribution(((0, 10),), ((40, 45),), "direct")], [gold], "any")
    assert s.matched.tp == 1 and s.with_speaker.tp == 0


def test_prf_arithmetic() -> None:
    total = PRF(1, 2, 4) + PRF(1, 2, 0)
    assert (total.precision, total.recall) == (0.5, 0.5)
    assert PRF(0, 0, 0).f1 == 0.0


def test_gold_from_a_record_and_kind_filter() -> None:
    record = {
        "text": '"Yes," she said. Rain fell, he said.',
        "attributions": [
            {
                "source": [{"start": 8, "end": 11}],
                "cue": [{"start": 12, "end": 16}],
                "content": [{"start": 0, "end": 7}],
                "quote_kind": "direct",
            },
            {
                "source": [{"start": 28, "end": 30}],
                "cue": [{"start": 31, "end": 35}],
                "content": [{"start": 17, "end": 26}],
                "quote_kind": "indirect",
            },
            {"source": [], "cue": [], "content": []},
        ],
    }
    golds = gold_attributions(record)
    assert len(golds) == 2
    assert [g.kind for g in direct_or_mixed(golds)] == ["direct"]
    words = word_prf(record["text"], [Attribution(((0, 7),))], golds)
    assert (words.tp, words.n_pred, words.n_gold) == (1, 1, 3)


def test_cue_lexicon_counts() -> None:
    record = {
        "text": "He said no. She said yes. The said item.",
        "attributions": [{"cue": [{"start": 3, "end": 7}]}, {"cue": [{"start": 16, "end": 20}]}],
    }
    counts = count_cues([record])
    assert counts["said"] == (2, 2 / 3)
    lines = list(cue_lines(counts, min_count=2, min_rate=0.5))
    assert any(line.startswith("said\t2\t") for line in lines)
    assert any(line.startswith("underscored\t") for line in lines)  # seeded
