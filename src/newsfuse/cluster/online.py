"""The online story clusterer: one article at a time, in stream order.

Each article is compared with a bounded set of candidate stories and joins the best one whose
score passes a threshold, or opens a story of its own (the single-pass scheme of Miranda et
al. 2018, "Multilingual clustering of streaming news", with the dense-vector feature of
Staykovski et al. 2019). Candidates come from two indexes, never from a scan of all stories:

* an inverted index from an article's most weighted terms to the stories that used them
  (posting lists capped to the most recent stories per term);
* an HNSW index (usearch) over story embedding centroids.

The score of an article against a story is a weighted mean of the similarities that both
sides have, so a missing feature drops out and the weights renormalise:

* lexical: TF-IDF cosine over title and body words. Document frequencies are online (every
  article updates them as it arrives); name words and numbers weigh more, because they are
  what tells two events of the same kind apart (two rehab stays, two earthquakes). Words of
  two different languages are not compared (the feature drops out for that pair);
* names: cosine over the words of capitalised names;
* embedding: cosine between the article's sentence embedding and the story's centroid.

It is then multiplied by a penalty when the years mentioned in the two texts disagree, and
divided by one when the article lies far (more than `time_grace_hours`) outside the story's
span of trusted times: a late report of an older event of the same kind.

Each feature has its own bar (`lexical_threshold`, ...): the level at which that similarity
alone says "same story". The article joins the story with the best margin when its score
reaches the same weighted mean of the bars, so dropping a feature drops its share of the bar
too and the cut stays calibrated with or without embeddings. The bars fall for short texts:
two headlines on one story share two or three words, two articles share dozens. They also
fall a little when both sides have trusted times within `time_close_hours`.

A story's vectors are centroids (the sum of its articles' unit vectors), truncated to the
most weighted terms so that memory per story is fixed. An article that clears the bar of a
second story by as much bridges them, when the two stories also clear the bar against each
other (`merge_ratio`): the younger story is merged into the older one, and its id stays
resolvable through `resolve`. Stories that saw no trusted time for `window_days` of
stream clock leave the active set; their vectors are dropped.

Everything is deterministic (ties go to the older story) and `to_bytes`/`from_bytes` carry
the whole state, so a restored clusterer continues exactly as an uninterrupted one would,
the approximate index included (see `_ann_apply`).
"""

from __future__ import annotations

import heapq
import io
import json
import math
import struct
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from usearch.index import Index

from newsfuse.cluster.features import ArticleFeatures
from newsfuse.config import ClusterOptions
from newsfuse.model import story_id_for

HASH_BITS = 23
"""Terms are hashed into 2^23 buckets: no vocabulary to store, a fixed-size DF table."""
LEX_CAP = 64
"""Terms kept in a story's lexical centroid (the most weighted)."""
NAME_CAP = 24
YEAR_CAP = 4
QUERY_TERMS = 10
"""An article's most weighted terms, looked up in (and added to) the inverted index."""
POSTING_CAP = 48
"""Most recent stories kept per term in the inverted index."""
POSTING_CANDIDATES = 48
ANN_CANDIDATES = 16
EXACT_SEARCH_LIMIT = 4096
"""Below this many indexed stories the embedding search is exact (brute force)."""
ANN_CHECKPOINT_OPS = 2048
"""ANN index operations between two checkpoints (see `_ann_apply`)."""
STALE_BATCH = 1024
"""Outdated ANN entries removed together (see `_unindex`)."""
COMMON_TERM_SHARE = 0.2
"""A term in more than this share of articles is not used to find candidates."""
MAX_MERGES = 2
"""Stories one article may merge at most (a high bar, and a bound on the damage)."""

_MAGIC = b"NFOC"
_VERSION = 1
_NAME_PREFIX = "\x1fn:"
_DAY = 86400.0
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_HEADER = struct.Struct("<4sBII")  # magic, version, meta length, compressed length
_UNCOMPRESSED = frozenset({"_emb", "index_base", "log_vectors"})
"""Dense float and int8 vectors: zlib gains little on them and costs most of the time."""
_SLOT_BITS = 32
_SLOT_MASK = (1 << _SLOT_BITS) - 1


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one article went."""

    story_id: str
    """The (resolved, surviving) story the article is now in."""
    score: float
    """Similarity to that story; 0.0 when the article opened a new story."""
    opened: bool
    """True when the article opened a new story (id = story_id_for(article_id))."""
    merged: tuple[tuple[str, float], ...] = ()
    """Stories merged INTO story_id by this article: (merged_id, score)."""


@dataclass(frozen=True, slots=True)
class _Doc:
    """An article's vectors as the clusterer compares them."""

    lex_ids: np.ndarray  # int32, sorted
    lex_w: np.ndarray  # float32, unit norm
    name_ids: np.ndarray
    name_w: np.ndarray
    year_ids: np.ndarray  # int32, sorted
    year_w: np.ndarray
    embedding: np.ndarray | None
    time: float  # seconds since the epoch, NaN when untrusted
    language: int  # a code for the language, -1 when unknown
    n_terms: int
    query: tuple[int, ...]  # the most weighted lexical buckets, for the inverted index


@dataclass(frozen=True, slots=True)
class _Params:
    t_lex: float
    t_names: float
    t_emb: float
    short_terms: float
    short_terms_emb: float
    w_lex: float
    w_names: float
    w_emb: float
    title_weight: float
    name_boost: float
    number_boost: float
    year_penalty: float
    close_days: float
    close_bonus: float
    grace_days: float
    scale_days: float
    window_days: float
    merge_ratio: float
    merge_gap: float

    @classmethod
    def of(cls, o: ClusterOptions) -> _Params:
        return cls(
            t_lex=o.lexical_threshold,
            t_names=o.names_threshold,
            t_emb=o.embedding_threshold,
            short_terms=o.short_text_terms,
            short_terms_emb=o.short_text_terms_embedding,
            w_lex=o.weight_lexical,
            w_names=o.weight_names,
            w_emb=o.weight_embedding if o.embed else 0.0,
            title_weight=o.title_weight,
            name_boost=o.name_boost,
            number_boost=o.number_boost,
            year_penalty=o.year_penalty,
            close_days=o.time_close_hours / 24.0,
            close_bonus=o.time_close_bonus,
            grace_days=o.time_grace_hours / 24.0,
            scale_days=max(o.time_scale_days, 1e-6),
            window_days=o.window_days,
            merge_ratio=o.merge_ratio,
            merge_gap=o.merge_gap,
        )


class OnlineClusterer:
    """Stories from a stream of articles; see the module docstring for the method."""

    def __init__(self, options: ClusterOptions | None = None) -> None:
        self._p = _Params.of(options or ClusterOptions())
        self._df = np.zeros(1 << HASH_BITS, dtype=np.int32)
        self._n_docs = 0
        self._clock: datetime | None = None
        self._next_number = 0
        self._alias: dict[str, str] = {}
        self._slot_of: dict[str, int] = {}
        self._number_slot: dict[int, int] = {}
        self._postings: dict[int, list[int]] = {}
        self._retired_since_sweep = 0
        self.auto_retire = True
        """Retire idle stories as the clock moves (off: the caller calls `retire`)."""
        self._free: list[int] = []
        self._heap: list[tuple[float, int]] = []
        self._dim = 0
        self._index: Index | None = None
        self._index_base = b""  # the index as of its last checkpoint (see `_ann_log`)
        self._ann_log: list[tuple[np.ndarray, np.ndarray | None]] = []
        self._index_version = 0
        self._stale: list[int] = []
        self._ids: list[str | None] = []
        self._alloc(0)

    # ----------------------------------------------------------------- public API

    @property
    def clock(self) -> datetime | None:
        """The latest trusted time seen; untrusted (None) times never move it."""
        return self._clock

    @property
    def active_count(self) -> int:
        """Stories in the active set (searched for new articles)."""
        return len(self._slot_of)

    def resolve(self, story_id: str) -> str:
        """The surviving id of a story, following merges."""
        seen = 0
        while story_id in self._alias and seen <= len(self._alias):
            story_id = self._alias[story_id]
            seen += 1
        return story_id

    def place(self, features: ArticleFeatures, *, into: str | None = None) -> Placement:
        """Assign one article (fed in stream order). `into` forces the story (a wire copy
        joins its original's story; a merged-away id is resolved). Never raises on empty
        text, no title, no time or no embedding."""
        self._advance_clock(features.time)
        doc = self._vectors(features)
        if into is not None:
            return self._place_forced(doc, self.resolve(into))
        own_id = story_id_for(features.article_id)
        if own_id in self._alias or own_id in self._slot_of:  # the same article placed again
            return self._place_forced(doc, self.resolve(own_id))
        if doc.n_terms == 0:  # nothing to compare by: a story of its own
            return self._open(doc, own_id)
        slots = self._candidates(doc)
        if slots.size == 0:
            return self._open(doc, own_id)
        scores, bars = self._score(doc, slots)
        margins = scores - bars
        order = np.lexsort((self._number[slots], -margins))
        best, best_score = int(slots[order[0]]), float(scores[order[0]])
        if margins[order[0]] < 0:
            return self._open(doc, own_id)
        bridged = [
            (int(slots[i]), float(scores[i]))
            for i in order[1:]
            if scores[i] >= bars[i] * self._p.merge_ratio
            and margins[i] >= margins[order[0]] - self._p.merge_gap
            and self._stories_alike(best, int(slots[i]))
        ][:MAX_MERGES]
        merged: list[tuple[str, float]] = []
        target, target_score = best, best_score
        for slot, score in bridged:
            older, younger = (
                (target, slot) if self._number[target] < self._number[slot] else (slot, target)
            )
            merged.append((self._story_id(younger), score if younger == slot else target_score))
            self._absorb(older, younger)
            target, target_score = older, max(target_score, score)
        self._join(target, doc)
        return Placement(self._story_id(target), best_score, False, tuple(merged))

    # ----------------------------------------------------------------- features

    def _vectors(self, f: ArticleFeatures) -> _Doc:
        p = self._p
        name_words = {w for name, _ in f.names for w in name.split()}
        terms = [t for t, _ in f.title_terms] + [t for t, _ in f.body_terms]
        raw = np.array([c for _, c in f.title_terms] + [c for _, c in f.body_terms], np.float64)
        tf = raw.copy()
        tf[: len(f.title_terms)] *= p.title_weight
        boosts = np.array(
            [
                p.number_boost if t[:1].isdigit() else p.name_boost if t in name_words else 1.0
                for t in terms
            ],
            dtype=np.float64,
        )
        years: dict[int, float] = {}
        for i, term in enumerate(terms):
            if len(term) == 4 and term.isdigit() and 1900 <= int(term) <= 2099:
                years[int(term)] = years.get(int(term), 0.0) + float(raw[i])
        lex_ids, lex_w = self._weigh(_buckets(terms), tf, boosts)
        name_terms = [_NAME_PREFIX + w for name, _ in f.names for w in name.split()]
        name_tf = np.array([c for name, c in f.names for _ in name.split()], np.float64)
        name_ids, name_w = self._weigh(_buckets(name_terms), name_tf, None)
        self._n_docs += 1
        year_ids = np.array(sorted(years), dtype=np.int32)
        year_w = _unit(np.array([years[y] for y in sorted(years)], dtype=np.float32))
        top = np.lexsort((lex_ids, -lex_w))[:QUERY_TERMS] if lex_ids.size else []
        return _Doc(
            lex_ids=lex_ids,
            lex_w=lex_w,
            name_ids=name_ids,
            name_w=name_w,
            year_ids=year_ids,
            year_w=year_w,
            embedding=self._embedding(f.embedding),
            time=_seconds(f.time),
            language=_language_code(f.language),
            n_terms=int(lex_ids.size),
            query=tuple(int(lex_ids[i]) for i in top),
        )

    def _weigh(
        self, buckets: np.ndarray, tf: np.ndarray, boosts: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Sublinear TF x online IDF (this article counted), unit length, sorted by bucket.
        Terms that share a bucket add their counts and keep the larger boost."""
        if buckets.size == 0:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        ids, inverse = np.unique(buckets, return_inverse=True)
        counts = np.bincount(inverse, weights=tf, minlength=ids.size)
        ids = ids.astype(np.int32)
        self._df[ids] += 1
        idf = np.log((self._n_docs + 2.0) / (self._df[ids] + 0.5))
        weights = (1.0 + np.log(np.maximum(counts, 1.0))) * idf
        if boosts is not None:
            best = np.ones(ids.size)
            np.maximum.at(best, inverse, boosts)
            weights *= best
        return ids, _unit(weights.astype(np.float32))

    def _embedding(self, vector: np.ndarray | None) -> np.ndarray | None:
        if vector is None or self._p.w_emb <= 0:
            return None
        v = np.asarray(vector, dtype=np.float32).ravel()
        if v.size == 0 or (self._dim and v.size != self._dim) or not np.all(np.isfinite(v)):
            return None
        norm = float(np.linalg.norm(v))
        if norm == 0.0:
            return None
        if not self._dim:
            self._dim = int(v.size)
            self._emb = np.zeros((self._capacity, self._dim), dtype=np.float16)
        return v / norm

    def _short(self, doc: _Doc, terms: float) -> float:
        """How much lower a bar is for a short text: sqrt(n / (n + terms)), n its distinct
        terms (near 1.0 for a full article)."""
        return math.sqrt(doc.n_terms / (doc.n_terms + terms)) if terms > 0 else 1.0

    # ----------------------------------------------------------------- candidates and scores

    def _candidates(self, doc: _Doc) -> np.ndarray:
        """Active story slots worth scoring: posting-list hits plus embedding neighbours."""
        common = COMMON_TERM_SHARE * self._n_docs if self._n_docs >= 100 else math.inf
        found: list[int] = []
        for bucket in doc.query:
            posting = self._postings.get(bucket)
            if posting and self._df[bucket] <= common:
                found.extend(posting[-POSTING_CAP:])
        active = self._number_slot
        slots: set[int] = set()
        if found:
            numbers, hits = np.unique(np.array(found, dtype=np.int64), return_counts=True)
            for number in numbers[np.lexsort((-numbers, -hits))].tolist():
                slot = active.get(number)
                if slot is not None:
                    slots.add(slot)
                    if len(slots) == POSTING_CANDIDATES:
                        break
        if doc.embedding is not None and self._index is not None and len(self._index):
            matches = self._index.search(
                doc.embedding,
                ANN_CANDIDATES,
                exact=len(self._index) <= EXACT_SEARCH_LIMIT,
                threads=1,
            )
            keys = np.asarray(matches.keys, dtype=np.int64).ravel()
            found_slots = keys & _SLOT_MASK
            current = self._index_key[found_slots] == keys  # not a stale copy
            slots.update(found_slots[current].tolist())
        found_slots = np.array(sorted(slots), dtype=np.int64)
        if not math.isnan(doc.time):  # retirement may lag (see `retire`): the window holds
            idle = self._touched[found_slots] < doc.time - self._p.window_days * _DAY
            found_slots = found_slots[~idle]
        return found_slots

    def _score(self, doc: _Doc, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each candidate's score (weighted mean of the similarities both sides have, times
        the year and time penalties) and its bar: the same weighted mean of the features'
        own thresholds, so a feature that drops out takes its share of the bar with it."""
        p = self._p
        lex = _sparse_dot(doc.lex_ids, doc.lex_w, self._lex_ids[slots], self._lex_w[slots])
        lex = lex / np.maximum(self._lex_norm[slots], 1e-12)
        w_lex = np.full(slots.size, p.w_lex)
        if doc.language >= 0:  # words of two languages do not compare; names and vectors do
            other = self._lang[slots]
            w_lex[(other >= 0) & (other != doc.language)] = 0.0
        num = w_lex * lex
        den = w_lex.copy()
        short = self._short(doc, p.short_terms)
        bar = w_lex * (p.t_lex * short)
        if doc.name_ids.size and p.w_names > 0:
            has = self._name_norm[slots] > 0
            names = _sparse_dot(
                doc.name_ids, doc.name_w, self._name_ids[slots], self._name_w[slots]
            ) / np.maximum(self._name_norm[slots], 1e-12)
            num += p.w_names * names * has
            den += p.w_names * has
            bar += p.w_names * p.t_names * short * has
        if doc.embedding is not None:
            has = self._emb_norm[slots] > 0
            emb = (self._emb[slots].astype(np.float32) @ doc.embedding) / np.maximum(
                self._emb_norm[slots], 1e-12
            )
            num += p.w_emb * emb * has
            den += p.w_emb * has
            bar += p.w_emb * p.t_emb * self._short(doc, p.short_terms_emb) * has
        comparable = den > 0  # no shared feature at all: never a match
        den = np.where(comparable, den, 1.0)
        score = num / den
        if doc.year_ids.size and p.year_penalty > 0:
            has = self._year_norm[slots] > 0
            years = _sparse_dot(
                doc.year_ids, doc.year_w, self._year_ids[slots], self._year_w[slots]
            ) / np.maximum(self._year_norm[slots], 1e-12)
            score *= np.where(has, 1.0 - p.year_penalty * (1.0 - years), 1.0)
        bar = np.where(comparable, bar / den, np.inf)
        if not math.isnan(doc.time):
            first, last = self._first[slots], self._last[slots]
            gap = np.maximum(np.maximum(first - doc.time, doc.time - last), 0.0) / _DAY
            dated = ~np.isnan(gap)
            gap = np.where(dated, gap, 0.0)
            late = np.maximum(gap - p.grace_days, 0.0)
            score /= 1.0 + late / p.scale_days
            bar *= np.where(dated & (gap <= p.close_days), 1.0 - p.close_bonus, 1.0)
        return score.astype(np.float64), bar.astype(np.float64)

    def _stories_alike(self, a: int, b: int) -> bool:
        """Two stories compared as an article is compared with a story: a bridging article
        merges them only when they also look alike on their own, by `merge_ratio` times
        the full-length bar."""
        p = self._p
        num = p.w_lex * _row_cosine(self._lex_ids, self._lex_w, self._lex_norm, a, b)
        den, bar = p.w_lex, p.w_lex * p.t_lex
        if p.w_names > 0 and self._name_norm[a] > 0 and self._name_norm[b] > 0:
            num += p.w_names * _row_cosine(self._name_ids, self._name_w, self._name_norm, a, b)
            den += p.w_names
            bar += p.w_names * p.t_names
        if p.w_emb > 0 and self._emb_norm[a] > 0 and self._emb_norm[b] > 0:
            dot = float(self._emb[a].astype(np.float32) @ self._emb[b].astype(np.float32))
            num += p.w_emb * dot / float(self._emb_norm[a] * self._emb_norm[b])
            den += p.w_emb
            bar += p.w_emb * p.t_emb
        return den > 0 and num >= bar * p.merge_ratio

    # ----------------------------------------------------------------- story updates

    def _open(self, doc: _Doc, story_id: str) -> Placement:
        slot = self._new_story(story_id)
        self._join(slot, doc)
        return Placement(story_id, 0.0, True, ())

    def _place_forced(self, doc: _Doc, story_id: str) -> Placement:
        slot = self._slot_of.get(story_id)
        score = 0.0
        if slot is None:  # retired or unknown: it comes back, seeded by this article
            slot = self._new_story(story_id)
        elif doc.n_terms or doc.embedding is not None:
            score = float(self._score(doc, np.array([slot], dtype=np.int64))[0][0])
        self._join(slot, doc)
        return Placement(story_id, score, False, ())

    def _new_story(self, story_id: str) -> int:
        if self._free:
            slot = self._free.pop()
        else:
            slot = self._used
            if slot == self._capacity:
                self._alloc(max(64, 2 * self._capacity))
            self._used += 1
            self._ids.append(None)
        number = self._next_number
        self._next_number += 1
        self._ids[slot] = story_id
        self._slot_of[story_id] = slot
        self._number_slot[number] = slot
        self._number[slot] = number
        self._count[slot] = 0
        self._first[slot] = np.nan
        self._lang[slot] = -1
        self._last[slot] = np.nan
        self._touched[slot] = np.nan
        for ids, w, norm in self._sparse_parts():
            ids[slot] = -1
            w[slot] = 0.0
            norm[slot] = 0.0
        if self._dim:
            self._emb[slot] = 0.0
        self._emb_norm[slot] = 0.0
        return slot

    def _join(self, slot: int, doc: _Doc) -> None:
        self._count[slot] += 1
        if self._lang[slot] < 0:
            self._lang[slot] = doc.language
        self._merge_sparse(self._lex_ids, self._lex_w, self._lex_norm, slot, doc.lex_ids, doc.lex_w)
        self._merge_sparse(
            self._name_ids, self._name_w, self._name_norm, slot, doc.name_ids, doc.name_w
        )
        self._merge_sparse(
            self._year_ids, self._year_w, self._year_norm, slot, doc.year_ids, doc.year_w
        )
        if doc.embedding is not None:
            total = self._emb[slot].astype(np.float32) + doc.embedding
            count = int(self._count[slot])
            self._set_embedding(slot, total, reindex=count & (count - 1) == 0)
        if not math.isnan(doc.time):
            self._first[slot] = np.fmin(self._first[slot], doc.time)
            self._last[slot] = np.fmax(self._last[slot], doc.time)
        self._touch(slot, doc.time)
        number = int(self._number[slot])
        for bucket in doc.query:
            self._post(bucket, number)

    def _absorb(self, keep: int, gone: int) -> None:
        """Merge story `gone` into story `keep` (the older); `gone` lives on as an alias."""
        self._count[keep] += self._count[gone]
        for ids, w, norm in self._sparse_parts():
            valid = ids[gone] >= 0
            self._merge_sparse(ids, w, norm, keep, ids[gone][valid], w[gone][valid])
        if self._dim and self._emb_norm[gone] > 0:
            total = self._emb[keep].astype(np.float32) + self._emb[gone].astype(np.float32)
            self._set_embedding(keep, total)
        self._first[keep] = np.fmin(self._first[keep], self._first[gone])
        self._last[keep] = np.fmax(self._last[keep], self._last[gone])
        self._touched[keep] = np.fmax(self._touched[keep], self._touched[gone])
        if not math.isnan(self._touched[keep]):
            heapq.heappush(self._heap, (float(self._touched[keep]), int(self._number[keep])))
        number = int(self._number[keep])
        ids, w = self._lex_ids[gone], self._lex_w[gone]
        for i in np.lexsort((ids, -w))[:QUERY_TERMS]:
            if ids[i] >= 0:
                self._post(int(ids[i]), number)
        gone_id = self._story_id(gone)
        self._alias[gone_id] = self._story_id(keep)
        self._drop(gone)

    def _merge_sparse(
        self,
        ids: np.ndarray,
        weights: np.ndarray,
        norms: np.ndarray,
        slot: int,
        add_ids: np.ndarray,
        add_w: np.ndarray,
    ) -> None:
        """A centroid plus a vector, truncated to its most weighted entries."""
        if add_ids.size == 0:
            return
        valid = ids[slot] >= 0
        all_ids = np.concatenate([ids[slot][valid], add_ids])
        all_w = np.concatenate([weights[slot][valid], add_w])
        uniq, inverse = np.unique(all_ids, return_inverse=True)
        summed = np.bincount(inverse, weights=all_w).astype(np.float32)
        cap = ids.shape[1]
        if uniq.size > cap:
            keep = np.sort(np.lexsort((uniq, -summed))[:cap])
            uniq, summed = uniq[keep], summed[keep]
        ids[slot] = -1
        weights[slot] = 0.0
        ids[slot, : uniq.size] = uniq
        weights[slot, : uniq.size] = summed
        norms[slot] = float(np.sqrt(np.dot(summed, summed)))

    def _set_embedding(self, slot: int, total: np.ndarray, *, reindex: bool = True) -> None:
        """Store a story's embedding sum. The ANN index only finds candidates (scores use
        the exact centroid), so its copy is refreshed when the story doubles in size."""
        self._emb[slot] = total.astype(np.float16)
        stored = self._emb[slot].astype(np.float32)
        norm = float(np.linalg.norm(stored))
        self._emb_norm[slot] = norm
        if self._index_key[slot] >= 0 and not reindex:
            return
        self._unindex(slot)
        if norm > 0:
            key = (self._index_version << _SLOT_BITS) | slot
            self._index_version += 1
            self._ann_apply(np.array([key], dtype=np.int64), stored / norm)
            self._index_key[slot] = key

    def _unindex(self, slot: int) -> None:
        """Forget a story's ANN entry. Removals are batched: a usearch insert right after a
        removal costs about 1 ms, after a batch of them 0.2 ms. Until then searches skip the
        stale entry, since its key (version, slot) is no longer the slot's current key."""
        key = int(self._index_key[slot])
        if key < 0:
            return
        self._index_key[slot] = -1
        self._stale.append(key)
        if len(self._stale) >= STALE_BATCH:
            self._ann_apply(np.array(self._stale, dtype=np.int64), None)
            self._stale = []

    def _ann_apply(self, keys: np.ndarray, vector: np.ndarray | None) -> None:
        """Add one vector (or remove keys) in the ANN index, logging the operation.

        usearch draws each new node's HNSW level from a generator that a loaded index
        restarts, so an index saved and loaded would grow differently from one that was
        not. Hence the index is only ever grown from a checkpoint: every
        `ANN_CHECKPOINT_OPS` operations it is saved and reloaded, in every run alike, and
        the state carries the checkpoint plus the operations since; a restored clusterer
        replays them and ends with the very same graph as an uninterrupted one.
        """
        if self._index is None:
            self._index = _new_index(self._dim)
        if vector is None:
            self._index.remove(keys)
        else:
            self._index.add(int(keys[0]), vector, threads=1)
        self._ann_log.append((keys, vector))
        if len(self._ann_log) >= ANN_CHECKPOINT_OPS:
            self._index_base = bytes(self._index.save())
            self._index = _new_index(self._dim)
            self._index.load(self._index_base)
            self._ann_log = []

    def _touch(self, slot: int, time: float) -> None:
        """A story's activity time: its latest trusted time, else the clock when touched."""
        when = time if not math.isnan(time) else _seconds(self._clock)
        if math.isnan(when) or when <= np.nan_to_num(self._touched[slot], nan=-np.inf):
            return
        self._touched[slot] = when
        heapq.heappush(self._heap, (when, int(self._number[slot])))

    def _post(self, bucket: int, number: int) -> None:
        posting = self._postings.get(bucket)
        if posting is None:
            self._postings[bucket] = [number]
            return
        if posting[-1] == number:
            return
        posting.append(number)
        if len(posting) > 2 * POSTING_CAP:
            self._postings[bucket] = _compact(posting, self._number_slot)

    def _drop(self, slot: int) -> None:
        """Take a story out of the active set (merged away or retired)."""
        story_id = self._ids[slot]
        if story_id is not None:
            self._slot_of.pop(story_id, None)
        self._number_slot.pop(int(self._number[slot]), None)
        self._ids[slot] = None
        self._unindex(slot)
        self._emb_norm[slot] = 0.0
        self._free.append(slot)
        self._retired_since_sweep += 1
        if self._retired_since_sweep > max(1024, len(self._slot_of)):
            self._sweep_postings()

    def _sweep_postings(self) -> None:
        """Drop inactive stories from every posting list (amortised over many retirements)."""
        swept: dict[int, list[int]] = {}
        for bucket, posting in self._postings.items():
            kept = _compact(posting, self._number_slot)
            if kept:
                swept[bucket] = kept
        self._postings = swept
        self._retired_since_sweep = 0

    def _advance_clock(self, time: datetime | None) -> None:
        if time is None:
            return
        if time.tzinfo is None:
            time = time.replace(tzinfo=UTC)
        if self._clock is not None and time <= self._clock:
            return
        first = self._clock is None
        self._clock = time
        if first:  # stories opened before any trusted time start ageing now
            now = _seconds(time)
            for slot in self._slot_of.values():
                if math.isnan(self._touched[slot]):
                    self._touched[slot] = now
                    heapq.heappush(self._heap, (now, int(self._number[slot])))
        if self.auto_retire:
            self.retire()

    def retire(self) -> None:
        """Drop the stories idle for longer than the window before the clock.

        Called on every clock advance unless `auto_retire` is off; the store runner turns it
        off and retires between chunks, so that an undated article of a chunk can still meet
        the stories that chunk went through (a dated article never does: `_candidates` keeps
        only the stories within the window of its own time).
        """
        if self._clock is None:
            return
        cutoff = _seconds(self._clock) - self._p.window_days * _DAY
        while self._heap and self._heap[0][0] < cutoff:
            when, number = heapq.heappop(self._heap)
            slot = self._number_slot.get(number)
            if slot is not None and self._touched[slot] == when:
                self._drop(slot)

    def _story_id(self, slot: int) -> str:
        story_id = self._ids[slot]
        assert story_id is not None
        return story_id

    # ----------------------------------------------------------------- storage

    def _sparse_parts(self) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]:
        return (
            (self._lex_ids, self._lex_w, self._lex_norm),
            (self._name_ids, self._name_w, self._name_norm),
            (self._year_ids, self._year_w, self._year_norm),
        )

    def _alloc(self, capacity: int) -> None:
        """(Re)allocate the per-story arrays, keeping what is there."""
        old = getattr(self, "_capacity", 0)

        def grow(name: str, shape: tuple[int, ...], dtype: type, fill: float) -> None:
            fresh = np.full((capacity, *shape), fill, dtype=dtype)
            if old:
                fresh[:old] = getattr(self, name)
            setattr(self, name, fresh)

        grow("_number", (), np.int64, -1)
        grow("_count", (), np.int32, 0)
        grow("_first", (), np.float64, np.nan)
        grow("_last", (), np.float64, np.nan)
        grow("_touched", (), np.float64, np.nan)
        grow("_lex_ids", (LEX_CAP,), np.int32, -1)
        grow("_lex_w", (LEX_CAP,), np.float32, 0.0)
        grow("_lex_norm", (), np.float32, 0.0)
        grow("_name_ids", (NAME_CAP,), np.int32, -1)
        grow("_name_w", (NAME_CAP,), np.float32, 0.0)
        grow("_name_norm", (), np.float32, 0.0)
        grow("_year_ids", (YEAR_CAP,), np.int32, -1)
        grow("_year_w", (YEAR_CAP,), np.float32, 0.0)
        grow("_year_norm", (), np.float32, 0.0)
        grow("_emb_norm", (), np.float32, 0.0)
        grow("_index_key", (), np.int64, -1)
        grow("_lang", (), np.int32, -1)
        if old == 0:
            self._used = 0
        if self._dim:
            grow("_emb", (self._dim,), np.float16, 0.0)
        else:
            self._emb = np.zeros((capacity, 0), dtype=np.float16)
        self._capacity = capacity

    _ARRAYS = (
        "_number",
        "_count",
        "_first",
        "_last",
        "_touched",
        "_lex_ids",
        "_lex_w",
        "_lex_norm",
        "_name_ids",
        "_name_w",
        "_name_norm",
        "_year_ids",
        "_year_w",
        "_year_norm",
        "_emb_norm",
        "_index_key",
        "_lang",
        "_emb",
    )

    def to_bytes(self) -> bytes:
        """The whole state, no pickle: a JSON header and the sparse and integer arrays,
        zlib-compressed, then the dense vectors as they are."""
        arrays: dict[str, np.ndarray] = {
            name: getattr(self, name)[: self._used] for name in self._ARRAYS
        }
        nonzero = np.flatnonzero(self._df).astype(np.int32)
        arrays["df_ids"] = nonzero
        arrays["df_counts"] = self._df[nonzero]
        buckets = np.array(sorted(self._postings), dtype=np.int64)
        lists = [self._postings[int(b)] for b in buckets]
        arrays["post_buckets"] = buckets
        arrays["post_lengths"] = np.array([len(x) for x in lists], dtype=np.int32)
        arrays["post_numbers"] = np.array([n for x in lists for n in x], dtype=np.int64)
        arrays["index_base"] = np.frombuffer(self._index_base, dtype=np.uint8)
        arrays["log_lengths"] = np.array(  # -1: an add of one vector; n: n keys removed
            [len(k) if v is None else -1 for k, v in self._ann_log], dtype=np.int64
        )
        arrays["log_keys"] = np.concatenate(
            [k for k, _ in self._ann_log] or [np.zeros(0, np.int64)]
        ).astype(np.int64)
        added = [v for _, v in self._ann_log if v is not None]
        arrays["log_vectors"] = (
            np.stack(added).astype(np.float32) if added else np.zeros((0, 0), np.float32)
        )
        meta = {
            "n_docs": self._n_docs,
            "clock": self._clock.isoformat() if self._clock is not None else None,
            "next_number": self._next_number,
            "alias": self._alias,
            "ids": self._ids,
            "free": self._free,
            "retired_since_sweep": self._retired_since_sweep,
            "dim": self._dim,
            "used": self._used,
            "index_version": self._index_version,
            "stale": self._stale,
            "arrays": [],
        }
        packed, plain = io.BytesIO(), io.BytesIO()
        for name, array in arrays.items():
            data = np.ascontiguousarray(array)
            raw = name in _UNCOMPRESSED
            meta["arrays"].append([name, data.dtype.str, list(data.shape), data.nbytes, raw])
            (plain if raw else packed).write(data.tobytes())
        header = json.dumps(meta, separators=(",", ":")).encode()
        body = zlib.compress(header + packed.getvalue(), 1)
        return _HEADER.pack(_MAGIC, _VERSION, len(header), len(body)) + body + plain.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, options: ClusterOptions | None = None) -> OnlineClusterer:
        """A clusterer in exactly the state `to_bytes` saved."""
        if len(data) < _HEADER.size:
            raise ValueError("clusterer state too short")
        magic, version, header_len, body_len = _HEADER.unpack_from(data)
        if magic != _MAGIC or version != _VERSION:
            raise ValueError("not a clusterer state of this version")
        view = memoryview(data)
        try:
            packed = zlib.decompress(view[_HEADER.size : _HEADER.size + body_len])
            meta = json.loads(packed[:header_len])
        except (zlib.error, ValueError) as err:
            raise ValueError(f"clusterer state unreadable: {err}") from err
        arrays: dict[str, np.ndarray] = {}
        offsets = {False: header_len, True: _HEADER.size + body_len}
        for name, dtype, shape, nbytes, raw in meta["arrays"]:
            source = view if raw else packed
            chunk = source[offsets[raw] : offsets[raw] + nbytes]
            arrays[name] = np.frombuffer(chunk, dtype=np.dtype(dtype)).reshape(shape).copy()
            offsets[raw] += nbytes
        self = cls(options)
        self._n_docs = meta["n_docs"]
        self._clock = datetime.fromisoformat(meta["clock"]) if meta["clock"] else None
        self._next_number = meta["next_number"]
        self._alias = dict(meta["alias"])
        self._ids = list(meta["ids"])
        self._free = list(meta["free"])
        self._retired_since_sweep = meta["retired_since_sweep"]
        self._dim = meta["dim"]
        self._index_version = meta["index_version"]
        self._stale = list(meta["stale"])
        used = meta["used"]
        self._capacity = 0
        self._alloc(max(64, used))
        self._used = used
        for name in cls._ARRAYS:
            getattr(self, name)[:used] = arrays[name]
        self._df[arrays["df_ids"]] = arrays["df_counts"]
        numbers = arrays["post_numbers"].tolist()
        start = 0
        for bucket, length in zip(
            arrays["post_buckets"].tolist(), arrays["post_lengths"].tolist(), strict=True
        ):
            self._postings[bucket] = numbers[start : start + length]
            start += length
        for slot, story_id in enumerate(self._ids):
            if story_id is None:
                continue
            self._slot_of[story_id] = slot
            number = int(self._number[slot])
            self._number_slot[number] = slot
            if not math.isnan(self._touched[slot]):
                self._heap.append((float(self._touched[slot]), number))
        heapq.heapify(self._heap)
        self._index_base = arrays["index_base"].tobytes()
        if self._index_base:
            self._index = _new_index(self._dim)
            self._index.load(self._index_base)
        start, vectors = 0, iter(arrays["log_vectors"])
        for length in arrays["log_lengths"].tolist():
            count = 1 if length < 0 else length
            keys = arrays["log_keys"][start : start + count]
            start += count
            self._ann_apply(keys, next(vectors) if length < 0 else None)
        return self


def _buckets(terms: list[str]) -> np.ndarray:
    """Stable hash buckets (CRC-32, the same on every run and machine)."""
    crc = zlib.crc32
    hashes = np.fromiter((crc(t.encode("utf-8")) for t in terms), np.int64, len(terms))
    return hashes & ((1 << HASH_BITS) - 1)


def _unit(weights: np.ndarray) -> np.ndarray:
    norm = float(np.sqrt(np.dot(weights, weights))) if weights.size else 0.0
    return (weights / norm).astype(np.float32) if norm > 0 else weights.astype(np.float32)


def _language_code(language: str | None) -> int:
    """A stable code for a language tag's primary subtag ("en-GB" -> "en"); -1 if none."""
    if not language:
        return -1
    primary = language.strip().casefold().replace("_", "-").split("-", 1)[0]
    return zlib.crc32(primary.encode("utf-8")) & 0x7FFFFFFF if primary else -1


def _seconds(time: datetime | None) -> float:
    if time is None:
        return math.nan
    if time.tzinfo is None:
        time = time.replace(tzinfo=UTC)
    return (time - _EPOCH).total_seconds()


def _sparse_dot(
    doc_ids: np.ndarray, doc_w: np.ndarray, story_ids: np.ndarray, story_w: np.ndarray
) -> np.ndarray:
    """Dot products of one sorted sparse vector with each row of padded (ids, weights)."""
    if doc_ids.size == 0:
        return np.zeros(story_ids.shape[0], dtype=np.float32)
    pos = np.minimum(np.searchsorted(doc_ids, story_ids), doc_ids.size - 1)
    hit = doc_ids[pos] == story_ids
    return (story_w * np.where(hit, doc_w[pos], 0.0)).sum(axis=1)


def _row_cosine(ids: np.ndarray, w: np.ndarray, norms: np.ndarray, a: int, b: int) -> float:
    if norms[a] <= 0 or norms[b] <= 0:
        return 0.0
    va, vb = ids[a] >= 0, ids[b] >= 0
    _, ia, ib = np.intersect1d(ids[a][va], ids[b][vb], assume_unique=True, return_indices=True)
    dot = float(np.dot(w[a][va][ia], w[b][vb][ib]))
    return dot / float(norms[a] * norms[b])


def _compact(posting: list[int], active: dict[int, int]) -> list[int]:
    """Active stories of a posting list, latest mention first kept, capped."""
    seen: set[int] = set()
    kept: list[int] = []
    for number in reversed(posting):
        if number in active and number not in seen:
            seen.add(number)
            kept.append(number)
            if len(kept) == POSTING_CAP:
                break
    kept.reverse()
    return kept


def _new_index(dim: int) -> Index:
    """HNSW over int8-quantised unit vectors: on clustered 512-d data, 0.16 ms per insert,
    0.11 ms per query and 99% recall@16 at 100k vectors, 850 bytes each."""
    return Index(
        ndim=dim,
        metric="cos",
        dtype="i8",
        connectivity=16,
        expansion_add=64,
        expansion_search=32,
    )
