"""Bag-of-tokens precision/recall/F1, as in the ScrapingHub article-extraction-benchmark.

Tokens are runs of word characters, case-folded; a page's score compares the multisets of
tokens of the extraction and of the gold text. Scores are averaged per page by the caller.
An empty extraction of a non-empty gold scores 0 everywhere.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class TokenScore:
    """Precision, recall and F1 of one extraction against its gold text."""

    precision: float
    recall: float
    f1: float


def tokenize(text: str) -> list[str]:
    """Case-folded word tokens; punctuation and whitespace are separators."""
    return _TOKEN.findall(text.casefold())


def token_scores(extracted: str, gold: str) -> TokenScore:
    """Bag-of-tokens P/R/F1 of `extracted` against `gold`."""
    pred, true = Counter(tokenize(extracted)), Counter(tokenize(gold))
    n_pred, n_true = sum(pred.values()), sum(true.values())
    if n_pred == 0 and n_true == 0:
        return TokenScore(1.0, 1.0, 1.0)  # nothing to find and nothing found
    if n_pred == 0 or n_true == 0:
        return TokenScore(0.0, 0.0, 0.0)
    hits = sum((pred & true).values())
    precision, recall = hits / n_pred, hits / n_true
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return TokenScore(precision, recall, f1)


def mean_scores(scores: Iterable[TokenScore]) -> TokenScore:
    """Per-page scores averaged (macro), the benchmark's headline figure."""
    items = list(scores)
    if not items:
        return TokenScore(0.0, 0.0, 0.0)
    n = len(items)
    return TokenScore(
        sum(s.precision for s in items) / n,
        sum(s.recall for s in items) / n,
        sum(s.f1 for s in items) / n,
    )


_WS = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _WS.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class SnippetCounts:
    """Counts for pages scored by snippets (trafilatura's own evaluation set)."""

    true_pos: int = 0
    """`with` snippets found in the extraction."""
    false_neg: int = 0
    """`with` snippets missing."""
    true_neg: int = 0
    """`without` snippets correctly left out."""
    false_pos: int = 0
    """`without` snippets that leaked into the extraction."""

    def __add__(self, other: SnippetCounts) -> SnippetCounts:
        return SnippetCounts(
            self.true_pos + other.true_pos,
            self.false_neg + other.false_neg,
            self.true_neg + other.true_neg,
            self.false_pos + other.false_pos,
        )

    def score(self) -> TokenScore:
        """Micro P/R/F1 over all snippets, as trafilatura's evaluation reports it."""
        tp, fp, fn = self.true_pos, self.false_pos, self.false_neg
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return TokenScore(precision, recall, f1)


def snippet_counts(extracted: str, with_: Iterable[str], without: Iterable[str]) -> SnippetCounts:
    """Whitespace-normalised containment of must-have and must-not-have snippets."""
    text = _squash(extracted)
    found = [_squash(s) in text for s in with_]
    leaked = [_squash(s) in text for s in without]
    return SnippetCounts(
        true_pos=sum(found),
        false_neg=len(found) - sum(found),
        true_neg=len(leaked) - sum(leaked),
        false_pos=sum(leaked),
    )
