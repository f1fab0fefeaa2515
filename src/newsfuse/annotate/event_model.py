"""Sentence-level event classifier: PLOVER event type and CAMEO quad-plus class.

Two linear heads (multinomial logistic regression, trained by `python -m newsfuse.train.events`
with scikit-learn, a dev dependency) over one feature vector per sentence:

- the USE multilingual embedding (`newsfuse.cluster.embed.UseEmbedder`, 512-d) of the event
  clause (`event_clause`: the words from the first actor's end to the second actor's end, or
  the sentence when no actor is given), scaled by `emb_scale` at training (the model's JSON
  `embedded_text` may instead name the whole sentence, or `placeholder_text`: the sentence
  with its actors replaced by plain words);
- hashed lexical n-grams: lower-cased word unigrams and bigrams of the sentence with the source
  and target actor strings (when given and found) replaced by `SRC` / `TGT`, plus the same of
  the event clause prefixed `C:`, hashed with CRC-32 into `2**hash_bits` buckets, sublinear
  counts, the vector L2-normalised.

Inference is numpy only: the weights ship as `data/event_model.npz` (the lexical weights kept
sparse: only buckets seen in training have weights) and the configuration, label sets and
training provenance as `data/event_model.json`. Nothing is fetched at run time.

The PLOVER head knows 15 types: PLOVER's 16 with CONCEDE and RETREAT merged into YIELD, as in
the training data. The quad head's classes are `QUAD_CLASSES` (CAMEO 01–02 statements and
appeals, 03–05 verbal cooperation, 06–08 material cooperation, 09–13 and 16 verbal conflict,
14–15 and 17–20 material conflict). Negation and modality are not modelled here: "did not
threaten" is classified like "threatened" (the caller marks the modality).
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from threading import Lock
from typing import Protocol

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_NPZ = DATA_DIR / "event_model.npz"
MODEL_JSON = DATA_DIR / "event_model.json"
HEADS = ("plover", "quad")
SOURCE_TOKEN = "SRC"
TARGET_TOKEN = "TGT"

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|[0-9]+|SRC|TGT")


@dataclass(frozen=True, slots=True)
class EventPrediction:
    """The model's reading of one sentence."""

    plover: str
    """The most probable PLOVER type (upper case, e.g. "CONSULT")."""
    plover_score: float
    """Its probability."""
    quad_class: str
    """One of `QUAD_CLASSES`."""
    quad_score: float
    plover_scores: Mapping[str, float]
    """The probability of every PLOVER type the model knows."""


class SentenceEmbedder(Protocol):
    """What the model needs of an embedder (`UseEmbedder` in production)."""

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def mark_actors(text: str, source: str | None, target: str | None) -> str:
    """`text` with the first occurrence of each actor string replaced by SRC / TGT."""
    spans: list[tuple[int, int, str]] = []
    for actor, token in ((source, SOURCE_TOKEN), (target, TARGET_TOKEN)):
        if not actor or not actor.strip():
            continue
        at = _find(text, actor.strip())
        if at >= 0 and not any(s < at + len(actor) and at < e for s, e, _ in spans):
            spans.append((at, at + len(actor.strip()), token))
    for start, end, token in sorted(spans, reverse=True):
        text = f"{text[:start]} {token} {text[end:]}"
    return text


SOURCE_WORD = "Someone"
TARGET_WORD = "someone else"


def placeholder_text(text: str, source: str | None, target: str | None) -> str:
    """`text` with the source and target actor strings (when given and found) replaced by
    plain words, "Someone" and "someone else": what the embedder sees of a sentence, so that
    it reads the event rather than who took part in it."""
    marked = mark_actors(text, source, target)
    words = [
        SOURCE_WORD if w == SOURCE_TOKEN else TARGET_WORD if w == TARGET_TOKEN else w
        for w in marked.split()
    ]
    return " ".join(words)


def event_clause(text: str, source: str | None, target: str | None) -> str:
    """The words that carry the event: from the end of the first actor to the end of the
    second (both given and found), from the end of the source on (only the source), else
    the whole sentence."""
    spans = [_span(text, a) for a in (source, target)]
    found = sorted(s for s in spans if s is not None)
    if len(found) == 2 and found[0][1] <= found[1][0]:
        clause = text[found[0][1] : found[1][1]]
    elif len(found) >= 1:
        start = found[0][1]
        clause = " ".join(text[start:].split()[:CLAUSE_WORDS])
    else:
        clause = text
    return clause.strip() or text


CLAUSE_WORDS = 12
"""Words after a lone actor that make up its event clause."""


def _span(text: str, actor: str | None) -> tuple[int, int] | None:
    if not actor or not actor.strip():
        return None
    at = _find(text, actor.strip())
    return (at, at + len(actor.strip())) if at >= 0 else None


def _find(text: str, actor: str) -> int:
    at = text.find(actor)
    return at if at >= 0 else text.lower().find(actor.lower())


def ngrams(text: str) -> list[str]:
    """Lower-cased word unigrams and bigrams (actor placeholders kept upper case)."""
    words = _WORD.findall(_lower(text))
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def _lower(text: str) -> str:
    # lower-case everything but the placeholders mark_actors inserted
    return " ".join(
        w if w in (SOURCE_TOKEN, TARGET_TOKEN) else w.lower()
        for w in text.replace("’", "'").split()
    )


def lexical_features(text: str, source: str | None, target: str | None) -> list[str]:
    """The n-grams of the sentence (actors marked) and, prefixed `C:`, of its event clause."""
    grams = ngrams(mark_actors(text, source, target))
    if source or target:
        grams += ["C:" + g for g in ngrams(event_clause(text, source, target))]
    return grams


def hashed_ngrams(grams: Sequence[str], hash_bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Bucket indices and L2-normalised sublinear counts of `grams`."""
    mask = (1 << hash_bits) - 1
    counts: dict[int, int] = {}
    for g in grams:
        b = zlib.crc32(g.encode("utf-8")) & mask
        counts[b] = counts.get(b, 0) + 1
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    idx = np.fromiter(sorted(counts), dtype=np.int64, count=len(counts))
    val = 1.0 + np.log(np.array([counts[int(i)] for i in idx], dtype=np.float32))
    return idx, (val / np.linalg.norm(val)).astype(np.float32)


@dataclass(frozen=True, slots=True)
class Head:
    """One linear softmax classifier over [embedding * emb_scale, hashed n-grams]."""

    classes: tuple[str, ...]
    emb: np.ndarray
    """(classes, 512) weights of the embedding (already multiplied by emb_scale)."""
    lex_buckets: np.ndarray
    """Sorted bucket ids that carry weights."""
    lex: np.ndarray
    """(classes, len(lex_buckets)) weights of those buckets."""
    bias: np.ndarray

    def probabilities(
        self, embeddings: np.ndarray, lexical: Sequence[tuple[np.ndarray, np.ndarray]]
    ) -> np.ndarray:
        logits = embeddings @ self.emb.T + self.bias
        for row, (idx, val) in enumerate(lexical):
            pos = np.searchsorted(self.lex_buckets, idx)
            pos = np.minimum(pos, len(self.lex_buckets) - 1)
            known = self.lex_buckets[pos] == idx if len(self.lex_buckets) else idx < 0
            if known.any():
                logits[row] += self.lex[:, pos[known]] @ val[known]
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)


class EventModel:
    """The shipped event classifier (`EventModel.default()`); weights load on first use."""

    def __init__(
        self,
        npz: Path = MODEL_NPZ,
        meta: Path = MODEL_JSON,
        embedder: SentenceEmbedder | None = None,
    ) -> None:
        self._npz, self._meta_path = npz, meta
        self._embedder = embedder
        self._heads: dict[str, Head] | None = None
        self._meta: dict | None = None
        self._lock = Lock()

    @classmethod
    def default(cls) -> EventModel:
        """The model shipped in the package (one instance per process)."""
        return _default_model()

    @property
    def meta(self) -> dict:
        """The model's configuration, label sets, provenance and CV figures."""
        if self._meta is None:
            self._meta = json.loads(self._meta_path.read_text(encoding="utf-8"))
        return self._meta

    @property
    def plover_types(self) -> tuple[str, ...]:
        return self._load()["plover"].classes

    def predict(
        self,
        texts: Sequence[str],
        sources: Sequence[str | None] | None = None,
        targets: Sequence[str | None] | None = None,
    ) -> list[EventPrediction]:
        """One prediction per sentence; `sources`/`targets` are the actor strings, if known."""
        if not texts:
            return []
        heads = self._load()
        srcs = list(sources) if sources is not None else [None] * len(texts)
        tgts = list(targets) if targets is not None else [None] * len(texts)
        if len(srcs) != len(texts) or len(tgts) != len(texts):
            raise ValueError("predict: sources and targets must have one entry per text")
        bits = int(self.meta["hash_bits"])
        triples = list(zip(texts, srcs, tgts, strict=True))
        lexical = [hashed_ngrams(lexical_features(t, s, g), bits) for t, s, g in triples]
        embedded = self.meta.get("embedded_text")
        if embedded == "clause":
            embeddings = self._embed([event_clause(t, s, g) for t, s, g in triples])
        elif embedded == "placeholders":
            embeddings = self._embed([placeholder_text(t, s, g) for t, s, g in triples])
        else:
            embeddings = self._embed(list(texts))
        pp = heads["plover"].probabilities(embeddings, lexical)
        pq = heads["quad"].probabilities(embeddings, lexical)
        out = []
        plover, quad = heads["plover"].classes, heads["quad"].classes
        for p_row, q_row in zip(pp, pq, strict=True):
            i, j = int(p_row.argmax()), int(q_row.argmax())
            scores = {c: round(float(v), 6) for c, v in zip(plover, p_row, strict=True)}
            out.append(
                EventPrediction(plover[i], float(p_row[i]), quad[j], float(q_row[j]), scores)
            )
        return out

    def _embed(self, texts: list[str]) -> np.ndarray:
        if self._embedder is None:
            from newsfuse.cluster.embed import UseEmbedder

            self._embedder = UseEmbedder(batch_size=64)
        return np.asarray(self._embedder.embed(texts), dtype=np.float32)

    def _load(self) -> dict[str, Head]:
        with self._lock:
            if self._heads is None:
                self._heads = load_heads(self._npz, self.meta)
            return self._heads


def load_heads(npz: Path, meta: Mapping) -> dict[str, Head]:
    """Both heads from the weights file and the label sets in `meta`."""
    with np.load(npz) as z:
        return {
            name: Head(
                classes=tuple(meta["heads"][name]["classes"]),
                emb=z[f"{name}_emb"].astype(np.float32),
                lex_buckets=z[f"{name}_lex_buckets"].astype(np.int64),
                lex=z[f"{name}_lex"].astype(np.float32),
                bias=z[f"{name}_bias"].astype(np.float32),
            )
            for name in HEADS
        }


@lru_cache(maxsize=1)
def _default_model() -> EventModel:
    return EventModel()
