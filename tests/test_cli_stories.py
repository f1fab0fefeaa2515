"""`newsfuse stories`, `story` and `recluster` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsfuse.cli import app

runner = CliRunner()


def test_stories_story_and_recluster(corpus_dir: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    ingested = runner.invoke(app, ["ingest", str(corpus_dir), "--db", db, "--json"])
    assert ingested.exit_code == 0, ingested.output
    clustering = json.loads(ingested.stdout)["clustering"]
    assert clustering["assigned"] == 25 and clustering["copies"] == 2

    listed = runner.invoke(app, ["stories", "--db", db, "--json"])
    assert listed.exit_code == 0, listed.output
    stories = json.loads(listed.stdout)
    assert len(stories) == 5
    accord = next(s for s in stories if s["article_count"] == 5 and "Ombra" in s["title"])
    assert accord["independent_origin_count"] == 3

    shown = runner.invoke(app, ["story", accord["id"][:10], "--db", db, "--json"])
    assert shown.exit_code == 0, shown.output
    detail = json.loads(shown.stdout)
    assert len(detail["reports"]) == 3
    assert sum(len(r["copies"]) for r in detail["reports"]) == 2

    table = runner.invoke(app, ["stories", "--db", db])
    assert table.exit_code == 0 and "5 of 5 stories" in table.stdout
    text = runner.invoke(app, ["story", accord["id"], "--db", db])
    flat = " ".join(text.stdout.split())  # the console wraps long lines
    assert "copy:" in flat and "3 independent origins" in flat

    again = runner.invoke(app, ["recluster", "--db", db, "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["assigned"] == 25
    relisted = json.loads(runner.invoke(app, ["stories", "--db", db, "--json"]).stdout)
    assert sorted(s["id"] for s in relisted) == sorted(s["id"] for s in stories)


def test_unknown_story_is_a_clear_error(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    result = runner.invoke(app, ["story", "st_nope", "--db", db])
    assert result.exit_code == 1
    assert "no such story" in result.output
