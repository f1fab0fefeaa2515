"""Flattened-page extraction: fictional pages in the layouts of real outlets, and the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfuse.extract import textfeatures as tf
from newsfuse.extract.text import MODEL_PATH, FlatExtraction, extract_flattened

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "text"
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def _page(name: str) -> FlatExtraction:
    return extract_flattened((FIXTURES / name).read_text(encoding="utf-8"))


def _body(result: FlatExtraction) -> str:
    return "\n".join(result.body)


def test_membership_page_keeps_article_and_drops_appeal_bio_and_feed() -> None:
    result = _page("harbour_gazette.txt")
    assert result.body[0].startswith("Dock workers at the port of Esterel returned")
    assert result.body[-1].startswith("Fishermen in nearby Cala Verde")
    body = _body(result)
    for boilerplate in (
        "10,000 members",
        "Tomas Ferreira is a reporter",
        "lighthouse",
        "Skyvale",
        "Esterel opens new ferry terminal",
        "Read more",
        "Show More",
    ):
        assert boilerplate not in body


def test_membership_page_parts() -> None:
    result = _page("harbour_gazette.txt")
    assert result.title == "Valdoria port workers end strike after pay deal with Meridian Shipping"
    assert result.authors == ("Tomas Ferreira",)
    assert "4 min read" in result.header_lines
    assert len(result.captions) == 1
    assert result.captions[0].endswith("(Photo credit: Lena Marsh / Harbour Gazette)")
    assert not any("Photo credit" in line for line in result.body)


def test_counter_page_drops_related_headlines_and_counter() -> None:
    result = _page("northern_ledger.txt")
    assert result.title == "Snowfall closes mountain passes across Kestria for third day"
    assert result.authors == ("Mira Holt",)
    assert result.body[0].startswith("Heavy snowfall closed all four mountain passes")
    assert result.body[-1].startswith("Shops in the valley reported")
    body = _body(result)
    for boilerplate in ("VIEW 1,204", "Avalanche warning", "Farmers warn", "Sign in", "© Ledger"):
        assert boilerplate not in body
    assert result.captions == (
        "Snowploughs clear the road near Aldheim pass © Ledger Images/Staff",
    )


def test_empty_and_blank_pages() -> None:
    assert extract_flattened("") == FlatExtraction(title=None, body=())
    assert extract_flattened("\n  \n\t\n").body == ()


def test_result_is_deterministic() -> None:
    text = (FIXTURES / "harbour_gazette.txt").read_text(encoding="utf-8")
    assert extract_flattened(text) == extract_flattened(text)


def test_shipped_model_is_small_and_says_what_it_was_trained_on() -> None:
    assert MODEL_PATH.stat().st_size < 200_000
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert "research benchmark data" in data["trained_on"]["licence"]
    assert len(data["stage1"]["coef"]) == len(tf.LOCAL_FEATURES + tf.CONTEXT_FEATURES)
    assert len(data["stage2"]["coef"]) == len(
        tf.LOCAL_FEATURES + tf.CONTEXT_FEATURES + tf.STAGE2_FEATURES
    )


def test_split_page_marks_blank_neighbours() -> None:
    lines = tf.split_page("Title\n\n  First line  \nSecond line\n\nLast")
    assert [line.text for line in lines] == ["Title", "First line", "Second line", "Last"]
    assert [(line.blank_before, line.blank_after) for line in lines] == [
        (True, True),
        (True, False),
        (False, True),
        (True, True),
    ]


def test_best_region_is_the_densest_run() -> None:
    assert tf.best_region([-1.0, 2.0, -0.5, 3.0, -4.0, 1.0]) == tf.Region(1, 4)
    assert tf.best_region([-1.0, -2.0]) == tf.Region(0, 0)


def _seed(prefix: str) -> FlatExtraction:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return extract_flattened(path.read_text(encoding="utf-8"))


def test_seed_000_kyiv_layout() -> None:
    result = _seed("000")
    assert result.title == (
        "South Korea concerned over Russia-North Korea arms talks, hints at sanctions"
    )
    assert result.body[0].startswith("South Korea grows worried")
    body = _body(result)
    for boilerplate in (
        "25,000 members",
        "Martin Fornusek is a reporter",
        "Trump said on Nov. 25",
        "Driscoll",
        "South Korea pledges $2.3 billion",
    ):
        assert boilerplate not in body
    assert any(c.endswith("(Photo credit: Kyodo News via Getty Images)") for c in result.captions)
    assert "3 min read" in result.header_lines


def test_seed_003_keeps_broken_paragraph_and_drops_headline_list() -> None:
    result = _seed("003")
    assert result.title == "South Korea Raises Alarm Over North Korea-Russia Military Talks"
    assert result.body[0].startswith("South Korea has voiced its growing unease")
    assert result.body[-1].endswith("tenuous peace in the region.")
    assert any(line.endswith("runs against U.N.") for line in result.body)
    assert "Security Council resolutions”." in result.body
    body = _body(result)
    for boilerplate in ("VIEW 423", "Coal Controversy", "Poland bans entry"):
        assert boilerplate not in body
    assert any(c.endswith("© Getty Images News/Pool") for c in result.captions)
