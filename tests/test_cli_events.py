"""Events as a user meets them: `show`, `story`, `export --format jsonl|gdelt|plover`, and
`events classify`."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fake_annotator import FakeAnnotator
from newsfuse.annotate.runner import annotate_pending
from newsfuse.cli import app
from newsfuse.config import AnnotateOptions
from newsfuse.model import Event, StoryAssignment, story_id_for
from newsfuse.service.events import GDELT_COLUMNS
from newsfuse.store import open_store

runner = CliRunner()
CONTRACT = {"plover", "mode", "cameo", "quad_class", "goldstein", "source_actor", "target_actor"}
CONTRACT |= {"date", "place", "start", "end", "confidence"}

SUMMIT = (
    "Orrin Vale met Tamsin Reyes in Port Aldane on 2025-04-02 to discuss the ferry crossing "
    "and the fares the harbour council wants to keep at last year's level. "
    "Valdoria threatened Orrin Vale with a harbour levy, officials said. "
    "The talks would resume in May, when the first season of the new crossing begins."
)
RECAP = (
    "A day later, the council confirmed it: Orrin Vale met Tamsin Reyes in Port Aldane on "
    "2025-04-02. Nothing else was agreed."
)


def _store(tmp_path: Path) -> tuple[str, str, str]:
    """Two articles, annotated by the fake and put in one story: (db, summit id, recap id)."""
    db = f"sqlite:///{tmp_path / 'events.db'}"
    path = tmp_path / "summit.jsonl"
    rows = [
        {"id": "summit", "title": "Vale meets Reyes", "text": SUMMIT, "outlet": "Harbour Ledger",
         "url": "https://ledger.example/summit", "published": "2025-04-02T10:00:00Z",
         "language": "en"},
        {"id": "recap", "title": "Council confirms", "text": RECAP, "outlet": "Port Gazette",
         "published": "2025-04-03T08:00:00Z", "language": "en"},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    args = ["ingest", str(path), "--db", db, "--no-cluster", "--no-annotate"]
    ingested = runner.invoke(app, args)
    assert ingested.exit_code == 0, ingested.output
    with open_store(db) as store:
        ids = {a.source: a.id for a in store.list_articles()}
        summit, recap = ids["summit"], ids["recap"]
        assignments = [
            StoryAssignment(
                summit, story_id_for(summit), 0, 1.0, outlet_key="ledger", produced_by="tests"
            ),
            StoryAssignment(
                recap, story_id_for(summit), 1, 0.8, outlet_key="gazette", produced_by="tests"
            ),
        ]
        store.save_clustering(assignments, [], b"state", 2)
        assert annotate_pending(store, AnnotateOptions(), FakeAnnotator()).annotated == 2
    return db, summit, recap


@dataclass(frozen=True)
class _Report:
    article_id: str
    start: int
    end: int


@dataclass(frozen=True)
class _Merged:
    plover: str
    cameo: str
    quad_class: str
    goldstein: float
    mode: str | None
    modality: Any
    source_actor: str | None
    source_entity: str | None
    target_actor: str | None
    target_entity: str | None
    date: str | None
    place: str | None
    confidence: float
    reports: tuple[_Report, ...]


def _fake_merge(reports: Sequence[tuple[str, Event]]) -> list[_Merged]:
    """Same type, actors and date: one event (what `fuse.events.merge_events` does, simply)."""
    merged: dict[tuple[Any, ...], list[tuple[str, Event]]] = {}
    for article_id, e in reports:
        key = (e.plover, e.source_actor, e.target_actor, e.date)
        merged.setdefault(key, []).append((article_id, e))
    return [
        _Merged(
            e.plover, e.cameo, e.quad_class, e.goldstein, e.mode, e.modality, e.source_actor,
            e.source_entity, e.target_actor, e.target_entity, e.date, e.place, e.confidence,
            tuple(_Report(a, r.start, r.end) for a, r in group),
        )
        for group in merged.values()
        for _, e in group[:1]
    ]  # fmt: skip


@pytest.fixture
def merge(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fusion stage's `merge_events`, or a simple stand-in until it exists."""
    try:
        import newsfuse.fuse.events  # noqa: F401
    except ImportError:
        module = types.ModuleType("newsfuse.fuse.events")
        module.merge_events = _fake_merge  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "newsfuse.fuse.events", module)


def test_show_prints_the_events_with_their_sentences(tmp_path: Path) -> None:
    db, summit, _ = _store(tmp_path)
    shown = runner.invoke(app, ["show", summit, "--db", db])
    assert shown.exit_code == 0, shown.output
    out = shown.stdout
    assert "events: 2" in out
    assert "CONSULT: MRL (person:orrin-vale) → VAL (person:tamsin-reyes)" in out
    assert "CAMEO 040 verbal cooperation · 2025-04-02 · Port Aldane, VAL · asserted" in out
    assert "“Orrin Vale met Tamsin Reyes in Port Aldane on 2025-04-02 to discuss the" in out
    assert "THREATEN: VAL → MRL (person:orrin-vale)" in out
    assert "“Valdoria threatened Orrin Vale with a harbour levy, officials said.”" in out

    detail = json.loads(runner.invoke(app, ["show", summit, "--db", db, "--json"]).stdout)
    consult, threaten = detail["annotations"]["events"]
    assert consult["plover"] == "CONSULT" and consult["produced_by"].startswith("tests.")
    assert detail["text"][consult["start"] : consult["end"]] == consult["text"]
    assert threaten["source_actor"] == "VAL" and threaten["target_entity"] == "person:orrin-vale"


def test_story_prints_its_merged_events(tmp_path: Path, merge: None) -> None:
    db, summit, recap = _store(tmp_path)
    story_id = story_id_for(summit)
    shown = runner.invoke(app, ["story", story_id, "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "events:" in shown.stdout and "CONSULT: MRL" in shown.stdout
    assert "2 reports · CAMEO 040 verbal cooperation" in shown.stdout

    detail = json.loads(runner.invoke(app, ["story", story_id, "--db", db, "--json"]).stdout)
    consults = [e for e in detail["events"] if e["plover"] == "CONSULT"]
    reports = [r for e in consults for r in e["reports"]]
    assert {r["article_id"] for r in reports} == {summit, recap}
    assert all(e["n_reports"] == len(e["reports"]) for e in detail["events"])


def test_exports_carry_the_events(tmp_path: Path) -> None:
    db, summit, recap = _store(tmp_path)
    jsonl = runner.invoke(app, ["export", "--db", db])
    assert jsonl.exit_code == 0, jsonl.output
    records = {r["id"]: r for r in map(json.loads, jsonl.stdout.splitlines())}
    assert [e["plover"] for e in records[summit]["events"]] == ["CONSULT", "THREATEN"]
    for record in records.values():
        for event in record["events"]:
            assert record["text"][event["start"] : event["end"]] == event["text"]
            assert set(event) >= CONTRACT

    gdelt = runner.invoke(app, ["export", "--format", "gdelt", "--db", db])
    assert gdelt.exit_code == 0, gdelt.output
    rows = [line.split("\t") for line in gdelt.stdout.splitlines()]
    assert len(rows) == 3 and all(len(row) == len(GDELT_COLUMNS) for row in rows)
    by_name = [dict(zip(GDELT_COLUMNS, row, strict=True)) for row in rows]
    assert sorted(r["EventCode"] for r in by_name) == ["040", "040", "130"]
    assert {r["Day"] for r in by_name if r["EventCode"] == "040"} == {"20250402"}
    with_header = runner.invoke(app, ["export", "--format", "gdelt", "--header", "--db", db])
    assert with_header.stdout.splitlines()[0].split("\t") == list(GDELT_COLUMNS)

    out = tmp_path / "events.plover.jsonl"
    plover = runner.invoke(app, ["export", "--format", "plover", "-o", str(out), "--db", db])
    assert plover.exit_code == 0, plover.output
    events = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert sorted(e["event_type"] for e in events) == ["CONSULT", "CONSULT", "THREATEN"]
    assert all(e["article"]["id"] in {summit, recap} for e in events)

    story = runner.invoke(
        app, ["export", "--format", "plover", "--story", story_id_for(summit)[:8], "--db", db]
    )
    assert story.exit_code == 0, story.output
    assert [json.loads(line)["article"]["id"] for line in story.stdout.splitlines()] == [
        summit, summit, recap,
    ]  # fmt: skip
    missing = runner.invoke(app, ["export", "--story", "st_nope", "--db", db])
    assert missing.exit_code == 1 and "no such story" in missing.output


def test_classify_passes_bad_lines_through_with_an_error(tmp_path: Path) -> None:
    """Only bad lines: the model is never needed."""
    path = tmp_path / "bad.jsonl"
    path.write_text('not json\n{"source": "KOR"}\n[1, 2]\n\n', encoding="utf-8")
    result = runner.invoke(app, ["events", "classify", str(path)])
    assert result.exit_code == 3
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("error") for line in lines] == [
        lines[0]["error"], "no text", "not a JSON object",
    ]  # fmt: skip
    assert lines[0]["line"] == "not json" and lines[0]["error"].startswith("not JSON")
    assert lines[1]["source"] == "KOR"
    assert "line 1:" in result.stderr and "line 2: no text" in result.stderr
    assert runner.invoke(app, ["events", "classify", str(tmp_path / "none")]).exit_code == 1


def test_classify_jsonl_batches_and_keeps_order() -> None:
    import io

    from newsfuse.service.events import SentenceEvent, classify_jsonl

    calls: list[int] = []

    def classify(texts, sources, targets):  # type: ignore[no-untyped-def]
        calls.append(len(texts))
        return [
            SentenceEvent(f"T{len(t)}", 0.5, "040", "verbal cooperation", 0.6, 1.0) for t in texts
        ]

    lines = [json.dumps({"text": "x" * n, "source": "KOR"}) for n in range(1, 6)]
    lines.insert(2, "{broken")
    out, errors = io.StringIO(), []
    report = classify_jsonl(lines, out, lambda n, why: errors.append(n), classify, batch=2)
    got = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [g.get("plover") for g in got] == ["T1", "T2", None, "T3", "T4", "T5"]
    assert got[0]["cameo"] == "040" and got[0]["quad_class"] == "verbal cooperation"
    assert got[0]["source"] == "KOR" and errors == [3]
    assert (report.lines, report.coded, report.bad) == (6, 5, 1) and calls == [2, 1, 2]


def _model_available() -> bool:
    try:
        from newsfuse.annotate.event_model import EventModel

        EventModel.default().predict(["Seoul met Moscow."])
    except Exception:  # noqa: BLE001 - absent, untrained, or not loadable here
        return False
    return True


def test_classify_codes_sentences_with_the_shipped_model(tmp_path: Path) -> None:
    if not _model_available():
        pytest.skip("the shipped event model is not there (python -m newsfuse.train.events)")
    path = tmp_path / "sentences.jsonl"
    sentences = [
        {"text": "South Korea threatened sanctions against Russia.", "source": "South Korea",
         "target": "Russia", "id": 7},
        {"text": "Kim Jong Un met Vladimir Putin at the Vostochny cosmodrome."},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(s) for s in sentences) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["events", "classify", str(path)])
    assert result.exit_code == 0, result.output
    coded = [json.loads(line) for line in result.stdout.splitlines()]
    assert [c["id"] for c in coded[:1]] == [7]
    quads = {"statement", "verbal cooperation", "material cooperation", "verbal conflict",
             "material conflict"}  # fmt: skip
    for record in coded:
        assert record["plover"].isupper() and record["cameo"].isdigit()
        assert record["quad_class"] in quads


def test_classify_events_maps_the_model_through_the_ontology(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The API verb on a stand-in model: CAMEO code and Goldstein come from the ontology."""
    from newsfuse.annotate import event_model
    from newsfuse.annotate.event_ontology import Ontology
    from newsfuse.api import classify_events

    @dataclass(frozen=True)
    class _Prediction:
        plover: str
        plover_score: float
        quad_class: str
        quad_score: float
        plover_scores: dict[str, float]

    class _Model:
        seen: list[tuple[Any, ...]] = []

        def predict(self, texts, sources=None, targets=None):  # type: ignore[no-untyped-def]
            self.seen.append((list(texts), sources, targets))
            return [_Prediction("THREATEN", 0.9, "verbal conflict", 0.8, {}) for _ in texts]

    model = _Model()
    monkeypatch.setattr(event_model.EventModel, "default", classmethod(lambda cls: model))
    [coded] = classify_events(["Seoul warned Moscow."], ["South Korea"], ["Russia"])
    ontology = Ontology.default()
    assert coded.plover == "THREATEN" and coded.cameo == ontology.cameo_for("THREATEN")
    assert coded.goldstein == ontology.cameo(coded.cameo).goldstein  # type: ignore[union-attr]
    assert (coded.quad_class, coded.plover_score, coded.quad_score) == ("verbal conflict", 0.9, 0.8)
    assert model.seen == [(["Seoul warned Moscow."], ["South Korea"], ["Russia"])]
    assert classify_events([]) == []
