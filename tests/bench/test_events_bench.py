"""Scoring helpers of the event benchmark on tiny synthetic data."""

from __future__ import annotations

import pytest

from newsfuse.bench.events import gold_actor, score_actors, spans_overlap, verdict
from newsfuse.train.events import (
    Config,
    Example,
    accuracy,
    cameo_quad,
    macro_f1,
    training_rows,
)


def test_macro_f1_and_accuracy() -> None:
    gold = ["a", "a", "b", "c"]
    pred = ["a", "b", "b", "c"]
    # F1: a = 2/3, b = 2/3, c = 1
    assert macro_f1(gold, pred) == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert accuracy(gold, pred) == 0.75
    assert macro_f1([], []) == 0.0 and accuracy([], []) == 0.0
    assert macro_f1(["a"], ["b"]) == 0.0


def test_actor_scoring() -> None:
    assert spans_overlap((0, 5), (4, 9)) and not spans_overlap((0, 4), (4, 9))
    assert not spans_overlap(None, (0, 1))
    s = score_actors([((0, 5), (0, 5)), ((0, 3), (2, 8)), (None, (1, 2))])
    assert (s.n, s.exact, s.overlap) == (3, 1, 2)
    rec = {"actors": [{"role": "target", "start": 9, "end": 12}, {"role": "source", "start": None}]}
    assert gold_actor(rec, ("source",)) is None
    assert gold_actor(rec, ("target",)) == (9, 12)


def test_cameo_roots_to_quad_classes() -> None:
    assert [cameo_quad(r) for r in ("01", "02", "04", "07", "10", "16", "14", "19")] == [
        0,
        0,
        1,
        2,
        3,
        3,
        4,
        4,
    ]
    assert verdict(0.81, 0.80) == "met" and verdict(0.79, 0.80) == "MISSED"


def test_training_rows_weigh_extra_sets() -> None:
    dev = [Example("d1", "zsp_plv", "A met B.", plover="CONSULT")]
    sets = {
        "plover_gsr_cameo": [Example("g1", "plover_gsr_cameo", "A hit B.", plover="ASSAULT")],
        "ngec_synthetic": [
            Example("n1", "ngec_synthetic", "A sued B.", plover="ACCUSE"),
            Example("n2", "ngec_synthetic", "No label."),
        ],
    }
    cfg = Config(
        "t",
        plover_extra=("plover_gsr_cameo", "ngec_synthetic"),
        extra_weight=0.5,
        set_weights=(("ngec_synthetic", 0.25),),
    )
    rows, weights = training_rows(sets, "plover", cfg, dev)
    assert [e.id for e in rows] == ["d1", "g1", "n1"]
    assert weights.tolist() == [1.0, 0.5, 0.25]
