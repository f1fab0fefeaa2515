"""`newsfuse dossier` as a user runs it, on the sample corpus."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsfuse.cli import app

runner = CliRunner()


def test_dossier_text_and_json(corpus_dir: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'dossier.db'}"
    assert runner.invoke(app, ["ingest", str(corpus_dir), "--db", db]).exit_code == 0
    stories = json.loads(runner.invoke(app, ["stories", "--db", db, "--json"]).stdout)
    accord = next(s for s in stories if s["article_count"] == 5 and "Ombra" in s["title"])

    shown = runner.invoke(app, ["dossier", accord["id"][:10], "--db", db])
    assert shown.exit_code == 0, shown.output
    for heading in (
        "summary:",
        "shared facts:",
        "unique facts:",
        "quotes by speaker:",
        "timeline:",
    ):
        assert heading in shown.stdout

    record = json.loads(runner.invoke(app, ["dossier", accord["id"], "--db", db, "--json"]).stdout)
    assert record["headline"] and record["summary"]
    assert len(record["reports"]) == 3  # the two wire copies sit under their origin

    missing = runner.invoke(app, ["dossier", "st_nosuchstory", "--db", db])
    assert missing.exit_code != 0 and "no such story" in missing.output
