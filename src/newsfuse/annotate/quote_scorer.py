"""A learned filter over the attribution candidates that the quotation patterns propose.

`newsfuse.annotate.quotes` proposes candidates generously (low cue-rate thresholds, several per
sentence); each candidate is described by sparse named features (the pattern that found it, the
cue word and its PolNeAR cue rate, the speaker's kind and shape, the content's length, shape and
position) and scored by a logistic regression, one per group (`quoted`: direct and mixed;
`indirect`). A candidate is kept when its probability reaches its group's threshold, and of
kept candidates that share most of their content only the most probable stays.

The weights (`data/quote_scorer.json`) are trained by `python -m newsfuse.train.quotes` on
PolNeAR v1.0 train; the file records the data, the split and the thresholds' held-out figures.
Scoring is pure Python over a few dozen features per candidate, deterministic.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Protocol

MODEL_FILE = "data/quote_scorer.json"

_WORD = re.compile(r"\w+")
_QUOTE_CHARS = set("\"'“”„«»‘’‹›")
_NAMING_BEFORE = {"so-called", "called", "dubbed", "named", "term", "word", "phrase", "as"}


class CandidateView(Protocol):
    """What feature extraction reads from the token view of `newsfuse.annotate.quotes`."""

    text: str
    low: list[str]
    tag: list[str]
    ent: list[str]
    start: list[int]
    end: list[int]
    n: int
    in_quote: list[bool]

    def cue_rate(self, i: int) -> float: ...


@dataclass(frozen=True, slots=True)
class Candidate:
    """One proposed attribution, in the terms the features need."""

    kind: str
    """direct | mixed | indirect"""
    rule: str
    """The pattern that proposed it."""
    fragments: tuple[tuple[int, int], ...]
    """Content character spans."""
    speaker: tuple[int, int]
    """Speaker token span."""
    cue: tuple[int, int]
    """Cue token span."""
    speaker_kind: str


def group_of(kind: str) -> str:
    """The scorer group of a quote kind."""
    return "indirect" if kind == "indirect" else "quoted"


def _bucket(x: float, edges: tuple[float, ...]) -> int:
    return bisect.bisect_right(edges, x)


def candidate_features(
    v: CandidateView, c: Candidate, paragraph_starts: list[int]
) -> dict[str, float]:
    """Sparse named features of candidate `c` (values in [0, 1] or indicator 1.0)."""
    f: dict[str, float] = {"bias": 1.0, f"kind={c.kind}": 1.0, f"rule={c.rule}": 1.0}
    cue_i = c.cue[0]
    cue_word = v.low[cue_i]
    rate = v.cue_rate(cue_i) if cue_word != ":" else 0.0
    f["cue_rate"] = rate
    f[f"cue_rate_b{_bucket(rate, (0.1, 0.2, 0.4, 0.6, 0.8))}"] = 1.0
    f[f"cue={cue_word}"] = 1.0
    f[f"cue_tag={v.tag[cue_i]}"] = 1.0
    nxt = v.low[c.cue[1]] if c.cue[1] < v.n else "</s>"
    f[f"cue_next={nxt if nxt in {'that', ',', ':', 'to', 'the', 'he', 'she', 'it'} else 'x'}"] = 1.0
    if nxt in _QUOTE_CHARS:
        f["cue_next=quote"] = 1.0
    if cue_i > 0 and v.low[cue_i - 1] == ",":
        f["cue_after_comma"] = 1.0
    # speaker
    s0, s1 = c.speaker
    words = v.low[s0:s1]
    f[f"spk={c.speaker_kind}"] = 1.0
    f[f"spk_len_b{_bucket(s1 - s0, (1, 2, 3, 5, 8))}"] = 1.0
    if s1 - s0 == 1 and v.tag[s0] == "PRP":
        f[f"spk_pron={words[0]}"] = 1.0
    ents = {v.ent[i] for i in range(s0, s1)} - {""}
    for e in ents & {"PERSON", "ORG", "GPE", "NORP"}:
        f[f"spk_ent={e}"] = 1.0
    if words and words[0] in ("the", "a", "an"):
        f["spk_det"] = 1.0
    if any(v.in_quote[i] for i in range(s0, s1)):
        f["spk_in_quote"] = 1.0
    f["spk_after_cue"] = 1.0 if s0 > cue_i else 0.0
    gap = cue_i - s1 if s1 <= cue_i else s0 - c.cue[1]
    f[f"spk_gap_b{_bucket(gap, (0, 1, 2, 4))}"] = 1.0
    # content
    start, end = c.fragments[0][0], c.fragments[-1][1]
    content = "".join(v.text[a:b] for a, b in c.fragments)
    words_c = _WORD.findall(content)
    n = len(words_c)
    f[f"len_b{_bucket(n, (1, 2, 3, 4, 6, 9, 14, 20, 30, 50))}"] = 1.0
    f["len_log"] = min(1.0, math.log1p(n) / math.log(200))
    if len(c.fragments) > 1:
        f["fragments>1"] = 1.0
    if words_c:
        caps = sum(1 for w in words_c if w[:1].isupper()) / n
        f["title_share"] = caps
        if n > 1 and caps >= 0.8:
            f["title_case"] = 1.0
        if words_c[0][:1].isupper():
            f["starts_upper"] = 1.0
    stripped = content.strip().strip("".join(_QUOTE_CHARS)).strip()
    if stripped[-1:] in (".", "!", "?", ","):
        f[f"inner_end={stripped[-1]}"] = 1.0
    if "?" in content:
        f["has_question"] = 1.0
    if content[:1] in _QUOTE_CHARS:
        f["content_quoted"] = 1.0
    f["cue_before_content"] = 1.0 if v.start[cue_i] < start else 0.0
    tokens = [
        i
        for a, b in c.fragments
        for i in range(bisect.bisect_left(v.start, a), bisect.bisect_left(v.start, b))
        if v.low[i].strip() and v.low[i] not in _QUOTE_CHARS
    ]
    if tokens:
        quoted = sum(1 for i in tokens if v.in_quote[i])
        f[f"quoted_words_b{_bucket(quoted, (0, 1, 2, 3, 5, 8))}"] = 1.0
        f[f"quoted_share_b{_bucket(quoted / len(tokens), (0.0, 0.3, 0.7, 0.99))}"] = 1.0
        first_q = next((i for i in tokens if v.in_quote[i]), None)
        if first_q is not None and first_q >= 2 and v.low[first_q - 2] in _NAMING_BEFORE:
            f["so_called"] = 1.0
    # the paragraph: a headline-like line (short, title case, unpunctuated) rarely holds a quote;
    # its index is left out on purpose (PolNeAR repeats the title as the first line, articles
    # here do not, and long articles are annotated in chunks)
    para = bisect.bisect_right(paragraph_starts, start) - 1
    p_start = paragraph_starts[para] if para >= 0 else 0
    p_end = v.text.find("\n", end)
    p_end = len(v.text) if p_end < 0 else p_end
    line = v.text[p_start:p_end].rstrip()
    if line and line[-1] not in ".!?\"”’'":
        f["para_unpunctuated"] = 1.0
    line_words = _WORD.findall(line)
    if 1 < len(line_words) <= 20:
        caps = sum(1 for w in line_words if w[:1].isupper()) / len(line_words)
        if caps >= 0.6:
            f["para_headline_like"] = 1.0
    if start - p_start <= 1:
        f["content_starts_para"] = 1.0
    return f


def paragraph_starts(text: str) -> list[int]:
    """Character offsets where paragraphs (lines) start."""
    return [0] + [m.end() for m in re.finditer("\n+", text)]


@dataclass(frozen=True, slots=True)
class GroupModel:
    """A logistic regression over named features and the probability a candidate needs."""

    weights: Mapping[str, float]
    threshold: float

    def probability(self, features: Mapping[str, float]) -> float:
        z = sum(self.weights.get(k, 0.0) * x for k, x in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True, slots=True)
class QuoteScorer:
    """The groups' models."""

    groups: Mapping[str, GroupModel]

    def probability(self, c: Candidate, features: Mapping[str, float]) -> float:
        return self.groups[group_of(c.kind)].probability(features)

    def threshold(self, c: Candidate) -> float:
        return self.groups[group_of(c.kind)].threshold


def scorer_from_json(data: Mapping) -> QuoteScorer:
    """A scorer from the parsed model file."""
    return QuoteScorer(
        {
            name: GroupModel(dict(g["weights"]), float(g["threshold"]))
            for name, g in data["groups"].items()
        }
    )


@lru_cache(maxsize=1)
def quote_scorer() -> QuoteScorer:
    """The shipped scorer (`data/quote_scorer.json`), loaded once."""
    path = resources.files("newsfuse.annotate").joinpath(MODEL_FILE)
    return scorer_from_json(json.loads(path.read_text("utf-8")))


OVERLAP_SHARE = 0.5
"""Two kept candidates whose contents share at least this share of the shorter one are one
attribution proposed twice; only the more probable stays."""


def _shared(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def suppress_overlaps(
    scored: list[tuple[float, tuple[tuple[int, int], ...]]], share: float = OVERLAP_SHARE
) -> list[int]:
    """Indices of `scored` (probability, content fragments) left after dropping duplicates."""
    order = sorted(range(len(scored)), key=lambda i: (-scored[i][0], i))
    kept: list[int] = []
    for i in order:
        frags = scored[i][1]
        length = sum(e - s for s, e in frags)
        dup = False
        for k in kept:
            other = scored[k][1]
            shorter = min(length, sum(e - s for s, e in other))
            if shorter and _shared(frags, other) >= share * shorter:
                dup = True
                break
        if not dup:
            kept.append(i)
    return sorted(kept)
