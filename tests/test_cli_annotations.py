"""`newsfuse annotate`, `show` and `export` with annotations, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from fake_annotator import FakeAnnotator
from newsfuse.annotate.runner import annotate_pending
from newsfuse.cli import app
from newsfuse.config import AnnotateOptions
from newsfuse.service.annotations import annotation_lines
from newsfuse.store import open_store

runner = CliRunner()

FERRY = (
    "Tamsin Reyes opened the new ferry terminal in Port Aldane on 2025-04-02, ten years after "
    "the old quay was closed by storms. “We waited a decade for this day,” said Reyes. Orrin "
    "Vale of the Harbour Council said the first crossing to Valdoria would leave on 2025-04-05 "
    "and that fares would stay at last year's level. Port Aldane expects forty thousand "
    "passengers in the first season, the council said."
)
HAFEN = (
    "Die Bürgermeisterin eröffnete am Dienstag den neuen Fährhafen. Zehn Jahre nach der "
    "Schließung des alten Kais durch Stürme legt die erste Fähre nächste Woche ab. Der Hafenrat "
    "erwartet in der ersten Saison vierzigtausend Fahrgäste, sagte ein Sprecher der Stadt."
)
ENTITY_FIELDS = {"start", "end", "text", "label", "actor_id", "canonical"}
QUOTE_FIELDS = {"start", "end", "content", "kind", "speaker", "speaker_canonical", "speaker_id"}
QUOTE_FIELDS |= {"cue"}
DATE_FIELDS = {"start", "end", "text", "value", "granularity"}
PLACE_FIELDS = {"start", "end", "text", "canonical", "country", "lat", "lon"}


def _records(path: Path, *rows: dict[str, str]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _ferry(tmp_path: Path) -> Path:
    return _records(
        tmp_path / "ferry.jsonl",
        {"id": "ferry", "title": "Port Aldane ferry terminal opens", "text": FERRY,
         "published": "2025-04-02T10:00:00Z", "outlet": "Harbour Ledger", "language": "en"},
        {"id": "hafen", "title": "Neuer Fährhafen eröffnet", "text": HAFEN,
         "published": "2025-04-02T11:00:00Z", "outlet": "Hafenblatt", "language": "de"},
    )  # fmt: skip


def _export(db: str, *extra: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["export", "--format", "jsonl", "--db", db, *extra])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def _check_spans(record: dict[str, Any]) -> None:
    """Every span of the record indexes into its `text`."""
    text = record["text"]
    for mention in (*record["entities"], *record["dates"], *record["places"]):
        assert text[mention["start"] : mention["end"]] == mention["text"], mention
    for quote in record["quotes"]:
        assert text[quote["start"] : quote["end"]] == quote["content"], quote
        if quote["speaker_start"] is not None:
            assert text[quote["speaker_start"] : quote["speaker_end"]] == quote["speaker"]
        if quote["cue_start"] is not None:
            assert text[quote["cue_start"] : quote["cue_end"]] == quote["cue"]


def test_ingest_annotates_and_show_annotate_export_give_it(tmp_path: Path) -> None:
    """End to end with the real annotator: English annotated, German skipped with a reason."""
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    ingested = runner.invoke(app, ["ingest", str(_ferry(tmp_path)), "--db", db, "--json"])
    assert ingested.exit_code == 0, ingested.output
    annotation = json.loads(ingested.stdout)["annotation"]
    assert (annotation["annotated"], annotation["not_annotated"], annotation["failed"]) == (1, 1, 0)

    records = {r["source"]: r for r in _export(db)}
    ferry, hafen = records["ferry"], records["hafen"]
    assert ferry["annotation_status"] == "annotated"
    assert hafen["annotation_status"] == "not_annotated" and hafen["entities"] == []
    for record in records.values():
        assert {"entities", "quotes", "dates", "places", "annotation_status"} <= set(record)
        _check_spans(record)

    shown = runner.invoke(app, ["show", hafen["id"][:10], "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "annotations: not_annotated" in shown.stdout and "language de" in shown.stdout
    as_json = json.loads(runner.invoke(app, ["show", ferry["id"], "--db", db, "--json"]).stdout)
    assert as_json["annotation_status"] == "annotated"
    assert as_json["annotations"]["status"] == "annotated"
    assert as_json["annotations"]["produced_by"].startswith("newsfuse.annotate")

    again = runner.invoke(app, ["annotate", "--db", db, "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["annotated"] == 0
    redo = runner.invoke(app, ["annotate", "--all", "--db", db])
    assert redo.exit_code == 0, redo.output
    assert "1 articles annotated, 1 skipped" in redo.stdout


def _fake_annotated(tmp_path: Path) -> tuple[str, str]:
    """A store whose ferry article was annotated by the fake; returns (db, ferry id)."""
    db = f"sqlite:///{tmp_path / 'fake.db'}"
    ingested = runner.invoke(app, ["ingest", str(_ferry(tmp_path)), "--db", db, "--no-annotate"])
    assert ingested.exit_code == 0, ingested.output
    assert "annotations:" not in ingested.stdout
    with open_store(db) as store:
        report = annotate_pending(store, AnnotateOptions(), FakeAnnotator())
        assert report.annotated == 2
        ferry_id = next(a.id for a in store.list_articles() if a.source == "ferry")
    return db, ferry_id


def test_export_follows_the_contract_with_offsets_into_text(tmp_path: Path) -> None:
    db, ferry_id = _fake_annotated(tmp_path)
    late = _records(
        tmp_path / "late.jsonl", {"id": "late", "title": "Later", "text": FERRY + " More."}
    )
    assert runner.invoke(app, ["ingest", str(late), "--db", db, "--no-annotate"]).exit_code == 0
    records = {r["id"]: r for r in _export(db)}
    ferry = records[ferry_id]
    assert ferry["annotation_status"] == "annotated"
    assert all(set(e) >= ENTITY_FIELDS for e in ferry["entities"])
    assert all(set(q) >= QUOTE_FIELDS for q in ferry["quotes"])
    assert all(set(d) >= DATE_FIELDS for d in ferry["dates"])
    assert all(set(p) >= PLACE_FIELDS for p in ferry["places"])
    _check_spans(ferry)
    [quote] = ferry["quotes"]
    assert quote["kind"] == "direct" and quote["speaker"] == "Reyes"
    assert (
        quote["speaker_canonical"] == "Tamsin Reyes"
        and quote["speaker_id"] == "person:tamsin-reyes"
    )
    assert [d["value"] for d in ferry["dates"]] == ["2025-04-02", "2025-04-05"]
    assert ferry["places"][0] | {"start": 0, "end": 0} == {
        "start": 0, "end": 0, "text": "Port Aldane", "canonical": "Port Aldane", "country": "VAL",
        "lat": 44.25, "lon": 12.5, "place_id": "place:port-aldane", "feature": "city",
    }  # fmt: skip
    [unannotated] = [r for r in records.values() if r["source"] == "late"]
    assert unannotated["annotation_status"] is None
    assert [unannotated[k] for k in ("entities", "quotes", "dates", "places")] == [[], [], [], []]


def test_csv_and_parquet_carry_status_and_counts(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    db, ferry_id = _fake_annotated(tmp_path)
    csv_out = tmp_path / "a.csv"
    exported = runner.invoke(app, ["export", "--format", "csv", "-o", str(csv_out), "--db", db])
    assert exported.exit_code == 0, exported.output
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(csv_out.read_text("utf-8")))}
    assert rows[ferry_id]["annotation_status"] == "annotated"
    assert "entities" not in rows[ferry_id]
    assert int(rows[ferry_id]["n_entities"]) > 3 and rows[ferry_id]["n_quotes"] == "1"

    parquet_out = tmp_path / "a.parquet"
    args = ["export", "--format", "parquet", "-o", str(parquet_out), "--db", db]
    assert runner.invoke(app, args).exit_code == 0
    table = pq.read_table(parquet_out).to_pylist()
    ferry = next(r for r in table if r["id"] == ferry_id)
    assert ferry["n_places"] == 2 and ferry["annotation_status"] == "annotated"


def test_show_prints_the_annotations_compactly(tmp_path: Path) -> None:
    db, ferry_id = _fake_annotated(tmp_path)
    shown = runner.invoke(app, ["show", ferry_id[:10], "--db", db])
    assert shown.exit_code == 0, shown.output
    out = shown.stdout
    assert "annotations: annotated · en · dates anchored on 2025-04-02 (published)" in out
    assert "Tamsin Reyes [person:tamsin-reyes] ×2  (Reyes)" in out
    assert "direct   Reyes → Tamsin Reyes (said): “We waited a decade for this day,”" in out
    assert "2025-04-05 → 2025-04-05 (day)" in out
    assert "Port Aldane → Port Aldane, VAL (44.25, 12.50) ×2" in out

    detail = json.loads(runner.invoke(app, ["show", ferry_id, "--db", db, "--json"]).stdout)
    full = detail["annotations"]
    assert full["anchor"] == {"day": "2025-04-02", "source": "published", "year_only": False}
    assert full["entities"][0]["produced_by"] == "tests.fake_annotator.v1"
    assert full["quotes"][0]["fragments"] == [
        [full["quotes"][0]["start"], full["quotes"][0]["end"]]
    ]


def test_annotation_lines_fit_90_columns() -> None:
    from newsfuse.model import Article

    article = Article(
        id="x", source="x", text=FERRY + " “" + "very long words " * 20 + "” said Reyes."
    )
    lines = annotation_lines(FakeAnnotator().annotate([article])[0], width=90)
    assert max(len(line) for line in lines) <= 90
    assert any(line.endswith("…") for line in lines)
    assert annotation_lines(None) == ["annotations: none yet (run `newsfuse annotate`)"]
