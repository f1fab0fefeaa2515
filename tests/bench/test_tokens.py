"""The extraction benchmark's scoring on tiny strings."""

from __future__ import annotations

import pytest

from newsfuse.bench.tokens import (
    TokenScore,
    mean_scores,
    snippet_counts,
    token_scores,
    tokenize,
)


def test_tokenize_casefolds_and_drops_punctuation() -> None:
    assert tokenize("Hello, WORLD! It's 2023.") == ["hello", "world", "it", "s", "2023"]


def test_perfect_and_empty() -> None:
    assert token_scores("a b c", "c b a") == TokenScore(1.0, 1.0, 1.0)
    assert token_scores("", "a b") == TokenScore(0.0, 0.0, 0.0)
    assert token_scores("", "") == TokenScore(1.0, 1.0, 1.0)


def test_bag_of_tokens_counts_repeats() -> None:
    score = token_scores("a a b x", "a b c")
    assert score.precision == pytest.approx(2 / 4)
    assert score.recall == pytest.approx(2 / 3)
    assert score.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_mean_is_per_page() -> None:
    mean = mean_scores([TokenScore(1.0, 1.0, 1.0), TokenScore(0.0, 0.0, 0.0)])
    assert mean == TokenScore(0.5, 0.5, 0.5)


def test_snippets() -> None:
    counts = snippet_counts("The  body\ntext here.", ["body text", "missing"], ["here.", "nav"])
    assert (counts.true_pos, counts.false_neg, counts.false_pos, counts.true_neg) == (1, 1, 1, 1)
    assert counts.score().f1 == pytest.approx(0.5)
