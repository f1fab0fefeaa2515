"""The shipped CAMEO/PLOVER ontology and its compiler."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfuse.annotate.event_ontology import QUAD_CLASSES, Ontology
from newsfuse.train import event_ontology as compiler


def test_sixteen_plover_types_and_quads() -> None:
    onto = Ontology.default()
    assert len(onto.plover_types()) == 16
    assert onto.quad_class_of_plover("CONSULT") == "verbal cooperation"
    assert onto.quad_class_of_plover("threaten") == "verbal conflict"
    assert onto.quad_class_of_plover("ASSAULT") == "material conflict"


@pytest.mark.parametrize(
    ("code", "quad"),
    [
        ("012", "statement"),
        ("020", "statement"),
        ("036", "verbal cooperation"),
        ("072", "material cooperation"),
        ("1312", "verbal conflict"),
        ("163", "verbal conflict"),
        ("145", "material conflict"),
        ("190", "material conflict"),
    ],
)
def test_quad_class_from_root(code: str, quad: str) -> None:
    found = Ontology.default().cameo(code)
    assert found is not None and found.quad_class == quad and quad in QUAD_CLASSES


def test_cameo_lookup() -> None:
    onto = Ontology.default()
    threat = onto.cameo("1312")
    assert threat is not None
    assert (threat.plover, threat.mode, threat.goldstein) == ("THREATEN", "restrict", -5.8)
    statement = onto.cameo("012")
    assert statement is not None and statement.plover is None
    assert onto.cameo("999") is None
    assert onto.goldstein("04") == 1.0


def test_representative_codes() -> None:
    onto = Ontology.default()
    assert onto.cameo_for("CONSULT") == "04"
    assert onto.cameo_for("CONSULT", "visit") == "042"
    assert onto.cameo_for("THREATEN", "restrict") == "1312"
    assert onto.cameo_for("ASSAULT") == "18"
    assert onto.cameo_for("ACCUSE") == "11"
    assert onto.cameo_for("REQUEST", "no-such-mode") == "10"
    with pytest.raises(KeyError):
        onto.cameo_for("DANCE")
    for plover in onto.plover_types():  # every type has a code of its own type
        code = onto.cameo(onto.cameo_for(plover))
        assert code is not None and code.plover == plover


def test_records_sources_and_licences() -> None:
    sources = Ontology.default().sources
    assert set(sources) == {"cameo", "cameo2plover", "plover"}
    assert "CC BY-SA 4.0" in sources["plover"]


@pytest.mark.shared_data
def test_compiler_reproduces_the_shipped_file(tmp_path: Path) -> None:
    if not compiler.DEFAULT_DATA.is_dir():
        pytest.skip("../shared/data/ontology is not beside this checkout")
    out = tmp_path / "onto.json"
    compiler.main(["--out", str(out)])
    shipped = Path(compiler.OUTPUT).read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == shipped
    assert len(json.loads(shipped)["cameo"]) >= 311
