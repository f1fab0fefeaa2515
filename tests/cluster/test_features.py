"""An article's similarity features: terms, names, and their compact byte form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest

from newsfuse.cluster.features import (
    ArticleFeatures,
    decode_features,
    encode_features,
    featurize,
    names,
    terms,
)
from newsfuse.model import Article

BODY = (
    "Rescue teams in Varnholm searched the rubble on Tuesday after a magnitude 6.2 earthquake "
    "killed 14 people, Mayor Ilse Brandauer said. The quakes damaged the old market hall.\n\n"
    "Brandauer asked the Kessler Valley Red Cross for tents."
)


def _article(text: str = BODY, title: str | None = "Earthquakes kill 14 in Varnholm") -> Article:
    return Article(id="a" * 20, source="test", text=text, title=title, language="en")


def test_terms_drop_stopwords_fold_plurals_and_keep_numbers() -> None:
    found = terms("The quakes killed 14 people in 2013 and the cities said it was 6.2")
    assert "the" not in found and "said" not in found
    assert "quake" in found and "city" in found
    assert {"14", "2013", "6.2"} <= set(found)


def test_names_are_normalised_so_spellings_match() -> None:
    assert names("Talks with Kim Jong-un began.") == names("Talks with Kim Jong Un began.")
    assert names("Talks with Kim Jong-un began.") == ["kim jong un"]


def test_names_drop_possessives_and_job_titles() -> None:
    assert names("Police said Tara Reid's rep spoke to Mayor Ilse Brandauer.") == [
        "tara reid",
        "ilse brandauer",
    ]


def test_names_skip_sentence_openers_and_trim_articles() -> None:
    found = names("Yesterday the mayor met The Hague delegation. Officials from New York came.")
    assert "yesterday" not in found
    assert "hague" in found and "new york" in found


def test_a_title_case_title_gives_no_names() -> None:
    assert names("Lindsay Lohan Checks Into Betty Ford Center", only_if_sentence_case=True) == []
    assert names("Lindsay Lohan checks into rehab", only_if_sentence_case=True) == ["lindsay lohan"]


def test_featurize_collects_title_body_and_names() -> None:
    vector = np.arange(4, dtype=np.float32)
    when = datetime(2025, 3, 13, 9, 30, tzinfo=UTC)
    f = featurize(_article(), embedding=vector, time=when)
    assert f.article_id == "a" * 20 and f.time == when
    assert dict(f.title_terms)["earthquake"] == 1
    assert dict(f.body_terms)["quake"] == 1 and "6.2" in dict(f.body_terms)
    assert {"varnholm", "ilse brandauer", "kessler valley red cross"} <= set(dict(f.names))
    assert f.embedding is not None and f.embedding.dtype == np.float32


@pytest.mark.parametrize(
    ("text", "title"), [("", None), ("", ""), ("   \n\n  ", None), ("... !!! ???", "—")]
)
def test_featurize_handles_empty_text(text: str, title: str | None) -> None:
    f = featurize(_article(text, title), embedding=None, time=None)
    assert f.title_terms == () and f.body_terms == () and f.names == ()


def test_a_broken_embedding_is_dropped() -> None:
    bad = np.array([1.0, np.nan], dtype=np.float32)
    assert featurize(_article(), embedding=bad, time=None).embedding is None


@pytest.mark.parametrize(
    "when",
    [
        None,
        datetime(2025, 3, 13, 9, 30, 15, 123456, tzinfo=UTC),
        datetime(2025, 3, 13, 9, 30, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2025, 3, 13, 9, 30),
    ],
)
@pytest.mark.parametrize("with_vector", [True, False])
def test_bytes_round_trip_exactly(when: datetime | None, with_vector: bool) -> None:
    rng = np.random.default_rng(7)
    vector = rng.standard_normal(512).astype(np.float32) if with_vector else None
    article = _article(BODY + "\n\nZürich and São Paulo reacted; Ōsaka too.")
    f = featurize(article, embedding=vector, time=when)
    data = encode_features(f)
    back = decode_features(data)
    assert back == f
    assert back.time == when and (back.time is None or back.time.tzinfo == f.time.tzinfo)
    if vector is not None:
        assert back.embedding is not None and back.embedding.tobytes() == vector.tobytes()
    assert len(data) < 2 * 512 * 4 + 1000  # compact: the vector plus a small header


def test_features_compare_by_value() -> None:
    f = featurize(_article(), embedding=np.ones(3, np.float32), time=None)
    g = featurize(_article(), embedding=np.ones(3, np.float32), time=None)
    h = featurize(_article(), embedding=None, time=None)
    assert f == g and hash(f) == hash(g)
    assert f != h
    assert isinstance(f, ArticleFeatures)


@pytest.mark.parametrize("data", [b"", b"\x07garbage", b"\x01\x00\x00\x00\x00\x00\x00\x00\x00"])
def test_decode_rejects_foreign_bytes(data: bytes) -> None:
    with pytest.raises(ValueError):
        decode_features(data)
