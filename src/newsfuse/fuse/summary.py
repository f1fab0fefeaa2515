"""A story's canonical headline and a short extractive summary, each sentence cited.

Sentences come from `facts.split_sentences`, so a summary sentence and a fact's evidence are the
same spans. Each sentence is a TF-IDF vector of its `facts.sentence_features` (stems, numbers,
actor ids, so "Kim Jong Un" and "Kim Jong-un" count as one term). A sentence's centrality is the
mean, over the other reports, of its best cosine with a sentence of that report: what every
outlet says scores high, one outlet's colour scores low. A lone report falls back to the mean
cosine with its own other sentences. Early sentences get a small bonus (news puts the point
first); a sentence too close to one already picked is skipped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsfuse.fuse.facts import ReportText, sentence_features, split_sentences, stem

MIN_CONTENT_WORDS = 5
"""Shorter sentences (headings, captions, "Read more") are never summary sentences."""
POSITION_BONUS = 0.15
"""Added to the first sentence's score, halving with each later one."""
REDUNDANCY = 0.5
"""Cosine above which a candidate repeats a sentence already picked."""
_BOILERPLATE = re.compile(
    r"\b(read more|subscribe|sign up|click here|follow us|share this|advertisement|"
    r"all rights reserved|newsletter|copyright|photo credit|getty images)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d.,]*")


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One summary sentence and where it stands: `text == article.text[start:end]`."""

    text: str
    article_id: str
    outlet: str
    start: int
    end: int
    score: float
    """Centrality plus position bonus; higher is more central."""


@dataclass(frozen=True, slots=True)
class _Candidate:
    report: int
    position: int
    start: int
    end: int
    text: str
    vector: dict[str, float]


def summarise(reports: Sequence[ReportText], n: int = 3) -> tuple[SummarySentence, ...]:
    """The `n` most central sentences across the reports, most central first."""
    candidates = _candidates(reports)
    if not candidates or n <= 0:
        return ()
    centrality = _centralities(candidates, len(reports))
    scored = sorted(
        ((float(centrality[i]) + _bonus(c.position), c) for i, c in enumerate(candidates)),
        key=lambda sc: (-sc[0], sc[1].report, sc[1].start),
    )
    chosen: list[tuple[float, _Candidate]] = []
    for score, candidate in scored:
        if all(_cosine(candidate.vector, c.vector) <= REDUNDANCY for _, c in chosen):
            chosen.append((score, candidate))
            if len(chosen) == n:
                break
    return tuple(
        SummarySentence(
            text=c.text,
            article_id=reports[c.report].article_id,
            outlet=reports[c.report].outlet,
            start=c.start,
            end=c.end,
            score=round(score, 4),
        )
        for score, c in chosen
    )


def headline(
    titles: Sequence[str | None],
    reports: Sequence[ReportText],
    summary: Sequence[SummarySentence] | None = None,
) -> str:
    """The title most like the others; ties (two titles, say) go to the title closest to the
    summary (`summarise(reports, 3)` unless given), then the earliest. Without titles, the
    first summary sentence; "" for a story with neither."""
    known = list(dict.fromkeys(t.strip() for t in titles if t and t.strip()))
    summary = summary if summary is not None else summarise(reports, 3)
    if not known:
        return summary[0].text if summary else ""
    bags = [_title_bag(t) for t in known]
    gist = _title_bag(" ".join(s.text for s in summary))
    totals = [
        (round(sum(_dice(bag, other) for j, other in enumerate(bags) if j != i), 6),
         _dice(bag, gist))
        for i, bag in enumerate(bags)
    ]  # fmt: skip
    best = max(range(len(known)), key=lambda i: (totals[i], -i))
    return known[best]


def _candidates(reports: Sequence[ReportText]) -> list[_Candidate]:
    raw: list[tuple[int, int, int, int, str, frozenset[str]]] = []
    for index, report in enumerate(reports):
        position = 0
        for sentence in split_sentences(report.text):
            if _BOILERPLATE.search(sentence.text):
                continue
            features, words = sentence_features(report.text, sentence, report.annotations)
            if words < MIN_CONTENT_WORDS:
                continue
            raw.append((index, position, sentence.start, sentence.end, sentence.text, features))
            position += 1
    df: dict[str, int] = {}
    for *_, features in raw:
        for feature in features:
            df[feature] = df.get(feature, 0) + 1
    total = len(raw)
    candidates = []
    for index, position, start, end, text, features in raw:
        weights = {f: math.log(1 + total / df[f]) for f in features}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vector = {f: w / norm for f, w in weights.items()}
        candidates.append(_Candidate(index, position, start, end, text, vector))
    return candidates


def _centralities(candidates: Sequence[_Candidate], reports: int) -> np.ndarray:
    """Each candidate's centrality (see the module note), from one matrix of cosines."""
    vocabulary: dict[str, int] = {}
    for c in candidates:
        for feature in c.vector:
            vocabulary.setdefault(feature, len(vocabulary))
    vectors = np.zeros((len(candidates), max(1, len(vocabulary))), dtype=np.float64)
    for i, c in enumerate(candidates):
        for feature, weight in c.vector.items():
            vectors[i, vocabulary[feature]] = weight
    cosines = vectors @ vectors.T
    np.fill_diagonal(cosines, 0.0)
    owner = np.array([c.report for c in candidates])
    if reports > 1:
        best = np.zeros((len(candidates), reports))
        for report in np.unique(owner):
            best[:, report] = cosines[:, owner == report].max(axis=1)
        best[np.arange(len(candidates)), owner] = 0.0  # a report does not vouch for itself
        return best.sum(axis=1) / (reports - 1)
    others = len(candidates) - 1
    return cosines.sum(axis=1) / others if others else np.zeros(len(candidates))


def _bonus(position: int) -> float:
    return POSITION_BONUS / 2.0**position


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(f, 0.0) for f, w in a.items())


def _title_bag(title: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _WORD.findall(title) if len(w) > 2)


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0
