"""The shipped sentence event classifier: files, provenance, labels, determinism."""

from __future__ import annotations

import json

import pytest

from newsfuse.annotate.event_model import (
    MODEL_JSON,
    MODEL_NPZ,
    EventModel,
    event_clause,
    lexical_features,
    mark_actors,
    placeholder_text,
)
from newsfuse.annotate.event_ontology import QUAD_CLASSES

LICENCES = {
    "zsp_plv": "none stated",
    "conflibert_cameo": "GPL-3.0 repository",
    "plover_gsr_cameo": "CC BY-SA 4.0",
    "ngec_synthetic": "none stated",
    "petrarch2_unittest": "MIT",
}


@pytest.fixture(scope="module")
def model() -> EventModel:
    return EventModel.default()


def test_model_files_ship_small() -> None:
    assert MODEL_NPZ.exists() and MODEL_JSON.exists()
    assert MODEL_NPZ.stat().st_size < 5_000_000


def test_provenance_lists_datasets_rows_and_licences() -> None:
    meta = json.loads(MODEL_JSON.read_text(encoding="utf-8"))
    sets = {d["dataset"]: d for d in meta["training_data"]}
    assert {"zsp_plv", "conflibert_cameo"} <= set(sets)
    for name, d in sets.items():
        assert d["licence"] == LICENCES[name]
        assert sum(d["rows"].values()) > 0
    assert meta["heads"]["quad"]["classes"] == sorted(QUAD_CLASSES)


def test_consultation_and_shelling(model: EventModel) -> None:
    texts = [
        "Ruritania's foreign minister met his Freedonian counterpart for talks.",
        "Troops shelled the border town overnight.",
    ]
    consult, shell = model.predict(texts)
    top3 = sorted(consult.plover_scores, key=consult.plover_scores.__getitem__, reverse=True)[:3]
    assert "CONSULT" in top3
    assert consult.quad_class in ("verbal cooperation", "statement")
    assert shell.quad_class == "material conflict"
    assert shell.plover in ("ASSAULT", "COERCE")


def test_labels_are_valid_and_scores_are_probabilities(model: EventModel) -> None:
    (p,) = model.predict(
        ["Freedonia imposed sanctions on Ruritania."], ["Freedonia"], ["Ruritania"]
    )
    assert p.plover in p.plover_scores and p.quad_class in QUAD_CLASSES
    assert abs(sum(p.plover_scores.values()) - 1.0) < 1e-3
    assert 0.0 < p.plover_score <= 1.0 and 0.0 < p.quad_score <= 1.0
    assert len(model.plover_types) == 15 and "YIELD" in model.plover_types


def test_deterministic_and_batch_independent(model: EventModel) -> None:
    texts = ["Freedonia accused Ruritania of spying.", "The two leaders signed a trade deal."]
    a = model.predict(texts)
    b = model.predict(texts[:1]) + model.predict(texts[1:])
    assert [x.plover for x in a] == [x.plover for x in b]
    assert all(abs(x.plover_score - y.plover_score) < 1e-4 for x, y in zip(a, b, strict=True))


def test_empty_input_and_length_mismatch(model: EventModel) -> None:
    assert model.predict([]) == []
    with pytest.raises(ValueError):
        model.predict(["a", "b"], ["x"])


def test_actor_marking_and_event_clause() -> None:
    text = "Ruritania's army attacked Freedonian positions near the border."
    assert mark_actors(text, "Ruritania's army", "Freedonian positions").split() == [
        "SRC",
        "attacked",
        "TGT",
        "near",
        "the",
        "border.",
    ]
    assert event_clause(text, "Ruritania's army", "Freedonian positions") == (
        "attacked Freedonian positions"
    )
    assert event_clause(text, None, None) == text
    assert "C:attacked" in lexical_features(text, "Ruritania's army", None)
    assert not any(g.startswith("C:") for g in lexical_features(text, None, None))


def test_placeholder_text_hides_the_actors() -> None:
    text = "Iran's foreign minister condemned the U.S. court ruling."
    out = placeholder_text(text, "Iran's foreign minister", "the U.S. court ruling")
    assert out == "Someone condemned someone else ."
    assert placeholder_text(text, None, None) == text
