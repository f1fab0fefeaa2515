"""Claim-level alignment of a story's sentences across its independent reports.

Each report's text is split into sentences with exact character spans (`split_sentences`).
Two sentences of different origins state the same fact when their similarity reaches
`FactOptions.threshold`. Similarity is a weighted Dice overlap of their features:

- content words, crudely stemmed ("worried" and "worries" meet);
- numbers, normalised ("$2.3 billion" and "$2.3bn" meet);
- actors from the annotations, by actor id, so "Kim Jong Un" and "Kim Jong-un" are one feature
  and the words of a resolved mention do not count twice.

A feature's weight is its inverse sentence frequency within the story, so words every report
repeats ("South Korea") count for less than the ones that pin a claim down. With an embedder,
the score is blended with the cosine of the sentence vectors (all sentences embedded in one
batch): paraphrases share few words ("grows worried ... talks" against "voiced its growing
unease following a summit"), and within one story every sentence shares the topic's words, so
neither measure alone separates the same claim from a neighbouring one. `default_embedder()`
is the clustering stage's USE encoder behind a sentence cache (≈ 1 ms a new sentence).

Who says it is part of the claim: a sentence that is mostly one person's quote (direct or
reported) aligns only with a sentence that names that person, unless the two share a number.
Otherwise Park Jin's warning in one report and Lim Soo-suk's in another, which any similarity
puts close together, would be one fact and neither outlet's statement its own.

Each sentence links to its best match in every other origin (when that clears the threshold);
a fact is a connected component of those links, so a sentence belongs to exactly one fact. A
fact reported by more than one independent origin is "shared"; the others are "unique".
Trivial sentences (headings, fragments, "Read more") are left out.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import numpy as np

from newsfuse.model import Annotations


class SentenceEmbedder(Protocol):
    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class ReportText:
    """One independent report of the story (copies are not separate reports)."""

    article_id: str
    outlet: str
    """Display name ("Kyiv Independent"); the outlet key or site when the name is unknown."""
    origin: str
    """Id of the independent origin (the report's original article id)."""
    text: str
    annotations: Annotations | None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence span in one article: `text == article.text[start:end]`."""

    article_id: str
    outlet: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    """Stable: a hash of the representative sentence and its article."""
    text: str
    """The representative sentence (from the earliest report that states it)."""
    support: tuple[Evidence, ...]
    """Every sentence that states it, one or more per report, in report order."""
    outlets: tuple[str, ...]
    origins: int
    kind: str
    """"shared" (more than one independent origin) | "unique" (one origin)."""


@dataclass(frozen=True, slots=True)
class FactOptions:
    threshold: float = 0.34
    """Least word-overlap similarity at which two sentences of different origins state the same
    fact (no embedder)."""
    mutual_threshold: float = 0.2
    """Lower bar for two sentences that are each other's best match across their origins
    (paraphrases share few words; being the best match both ways is evidence too)."""
    embedded_threshold: float = 0.225
    """`threshold` for the blended score, with an embedder. On the seeds the weakest true pair
    (the warning: "grows worried" / "voiced its growing unease") scores 0.231 and the
    strongest best-match pair that is not one fact 0.208 (`tests/test_seeds.py` holds them)."""
    embedded_mutual_threshold: float = 0.2
    """`mutual_threshold` for the blended score."""
    embedding_weight: float = 0.5
    """Share of the embedding cosine in the score when an embedder is given."""
    embedding_floor: float = 0.35
    """Cosine below which the embedding adds nothing (USE gives unrelated sentences of one
    story ≈ 0.2-0.5, the same claim 0.55-0.7)."""
    speaker_share: float = 0.5
    """A quote covering at least this share of a sentence makes it its speaker's claim."""
    min_content_words: int = 4
    """Sentences with fewer content words (headings, fragments) are not facts."""

    def thresholds(self, embedded: bool) -> tuple[float, float]:
        """(one-way, mutual) bar for the score in use."""
        if embedded:
            return self.embedded_threshold, self.embedded_mutual_threshold
        return self.threshold, self.mutual_threshold


SHARED = "shared"
UNIQUE = "unique"

# --- sentences -------------------------------------------------------------------------------

_ABBREVIATIONS_TEXT = (
    "mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm st jr sr vs etc inc corp ltd co "
    "no nos approx dept est fig jan feb mar apr jun jul aug sep sept oct nov dec mt ft"
)
_ABBREVIATIONS = frozenset(_ABBREVIATIONS_TEXT.split())
# A sentence ends at . ! ? (with closing quotes or brackets) before space and a capital, a
# digit or an opening quote; or at a line break.
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n+")
_WORD_BEFORE = re.compile(r"(\S+)$")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with exact spans (`text[start:end] == sentence.text`), stripped of spaces."""
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group().startswith(".") and _is_abbreviation(text, match.start()):
            continue
        _append(sentences, text, start, match.end())
        start = match.end()
    _append(sentences, text, start, len(text))
    return sentences


def _is_abbreviation(text: str, dot: int) -> bool:
    found = _WORD_BEFORE.search(text, 0, dot)
    word = found.group(1).lstrip("\"'“‘(") if found else ""
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):  # U.S, U.N, a.m
        return True
    return len(word) == 1 and word.isupper() or word.lower() in _ABBREVIATIONS


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        first = start + len(piece) - len(piece.lstrip())
        sentences.append(Sentence(first, first + len(stripped), stripped))


# --- features --------------------------------------------------------------------------------

_STOPWORDS_TEXT = """
    a an the and or but nor so yet of to in on at by for with from into onto over under about
    as than then that this these those there here it its it's he him his she her hers they them
    their theirs we us our you your i me my is are was were be been being am has have had having
    do does did done not no can could would should will shall may might must also too very just
    which who whom whose what when where why how all any both each few more most other some such
    only own same s t said says say told according while after before since until during
    against between through up down out off again further once if because however though
    although whether one two"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_TOKEN = re.compile(
    r"[$€£]?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|percent|million|billion|trillion|bn|m)\b)?|[A-Za-z][A-Za-z'’-]*"
)
_BOILERPLATE = re.compile(
    r"\b(read more|subscribe|sign up|click here|follow us|share this|advertisement|"
    r"all rights reserved|newsletter|copyright)\b",
    re.IGNORECASE,
)
_SCALE = {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}


def stem(word: str) -> str:
    """A crude stem: lower case, no possessive, common suffixes off ("worries" -> "worri")."""
    word = word.lower().replace("’", "'")
    word = word.removesuffix("'s").removesuffix("'")
    for suffix, keep in (
        ("ies", "i"),
        ("ied", "i"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    return word


def number_value(token: str) -> str | None:
    """A number token normalised to a comparable string: "$2.3 billion" -> "$2300000000"."""
    m = re.fullmatch(
        r"([$€£]?)(\d[\d,]*(?:\.\d+)?)\s?(%|percent|million|billion|trillion|bn|m)?", token
    )
    if m is None:
        return None
    currency, digits, unit = m.group(1), m.group(2).replace(",", ""), (m.group(3) or "").lower()
    try:
        value = float(digits) * _SCALE.get(unit, 1.0)
    except ValueError:
        return None
    shown = f"{value:.6g}" if value < 1e6 else f"{value:.0f}"
    return f"{currency}{shown}{'%' if unit in ('%', 'percent') else ''}"


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence ready for comparison."""

    report: int
    sentence: Sentence
    features: frozenset[str]
    content_words: int
    speakers: frozenset[str] = frozenset()
    """Person ids whose quote makes up most of the sentence (`FactOptions.speaker_share`)."""


def sentence_features(
    text: str, sentence: Sentence, annotations: Annotations | None
) -> tuple[frozenset[str], int]:
    """The sentence's features (`w:` stems, `n:` numbers, `a:` actor ids) and how many content
    words it has."""
    features: set[str] = set()
    covered: list[tuple[int, int]] = []
    if annotations is not None:
        for mention in annotations.entities:
            if sentence.start <= mention.start and mention.end <= sentence.end and mention.actor_id:
                features.add("a:" + mention.actor_id)
                covered.append((mention.start, mention.end))
    words = 0
    for token in _TOKEN.finditer(sentence.text):
        at = sentence.start + token.start()
        if any(lo <= at < hi for lo, hi in covered):
            words += 1
            continue
        raw = token.group()
        if raw[0].isdigit() or raw[0] in "$€£":
            value = number_value(raw)
            if value is not None:
                features.add("n:" + value)
                words += 1
            continue
        lowered = raw.lower()
        if lowered in _STOPWORDS or len(lowered) < 3:
            continue
        features.add("w:" + stem(raw))
        words += 1
    return frozenset(features), words


def sentence_speakers(
    sentence: Sentence, annotations: Annotations | None, share: float = 0.5
) -> frozenset[str]:
    """Person ids whose quotes (direct, mixed or reported) cover at least `share` of the
    sentence: the sentence is then that person's claim. Outlets ("Yonhap reported") and
    countries are carriers or collectives, not a claim's owner."""
    if annotations is None:
        return frozenset()
    length = max(1, sentence.end - sentence.start)
    found = set()
    for quote in annotations.quotes:
        if not (quote.speaker_id or "").startswith("person:"):
            continue
        overlap = min(quote.end, sentence.end) - max(quote.start, sentence.start)
        if overlap / length >= share:
            found.add(str(quote.speaker_id))
    return frozenset(found)


def _units(reports: Sequence[ReportText], options: FactOptions) -> list[_Unit]:
    units = []
    for index, report in enumerate(reports):
        for sentence in split_sentences(report.text):
            if _BOILERPLATE.search(sentence.text):
                continue
            features, words = sentence_features(report.text, sentence, report.annotations)
            if words >= options.min_content_words:
                speakers = sentence_speakers(sentence, report.annotations, options.speaker_share)
                units.append(_Unit(index, sentence, features, words, speakers))
    return units


def speaker_gate(units: Sequence[_Unit]) -> np.ndarray:
    """1 where two units may state one fact, 0 where one is a person's claim the other neither
    attributes to that person (names them) nor pins to the same number."""
    n = len(units)
    gate = np.ones((n, n), dtype=np.float32)
    for i, unit in enumerate(units):
        if not unit.speakers:
            continue
        named = {"a:" + s for s in unit.speakers}
        numbers = {f for f in unit.features if f.startswith("n:")}
        for j, other in enumerate(units):
            if named & other.features or unit.speakers & other.speakers:
                continue
            if numbers & other.features:
                continue
            gate[i, j] = gate[j, i] = 0.0
    return gate


# --- similarity and grouping -----------------------------------------------------------------


def similarity_matrix(
    units: Sequence[_Unit], embeddings: np.ndarray | None = None, options: FactOptions | None = None
) -> np.ndarray:
    """Weighted Dice overlap of every pair of units (blended with the embedding cosine)."""
    options = options or FactOptions()
    n = len(units)
    df: dict[str, int] = {}
    for unit in units:
        for feature in unit.features:
            df[feature] = df.get(feature, 0) + 1
    weight = {f: math.log(1.0 + n / d) for f, d in df.items()}
    shared = sorted(f for f, d in df.items() if d > 1)  # only these can be in common
    column = {f: i for i, f in enumerate(shared)}
    matrix = np.zeros((n, len(shared)), dtype=np.float32)
    totals = np.zeros(n, dtype=np.float32)
    for row, unit in enumerate(units):
        for feature in unit.features:
            totals[row] += weight[feature]
            if feature in column:
                matrix[row, column[feature]] = weight[feature]
    common = (matrix > 0).astype(np.float32) @ matrix.T  # sum of weights both rows hold
    denominator = totals[:, None] + totals[None, :]
    denominator[denominator == 0] = 1.0
    scores = 2.0 * common / denominator
    if embeddings is not None and len(embeddings):
        cosine = np.clip(embeddings @ embeddings.T, 0.0, 1.0)
        lifted = np.clip((cosine - options.embedding_floor) / (1 - options.embedding_floor), 0, 1)
        scores = (1 - options.embedding_weight) * scores + options.embedding_weight * lifted
    return scores * speaker_gate(units)


def align_facts(
    reports: Sequence[ReportText],
    embedder: SentenceEmbedder | None = None,
    options: FactOptions | None = None,
) -> list[Fact]:
    """The story's facts: shared ones first (most origins first), then unique ones in article
    order and position."""
    options = options or FactOptions()
    units = _units(reports, options)
    if not units:
        return []
    embeddings = embedder.embed([u.sentence.text for u in units]) if embedder else None
    scores = similarity_matrix(units, embeddings, options)
    threshold, mutual_threshold = options.thresholds(embeddings is not None)
    origins = [reports[u.report].origin for u in units]
    parent = list(range(len(units)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    best = _best_matches(scores, origins)
    for i, matches in enumerate(best):
        for score, j in matches.values():
            mutual = best[j].get(origins[i], (0.0, -1))[1] == i
            if score >= threshold or (mutual and score >= mutual_threshold):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(units)):
        groups.setdefault(find(i), []).append(i)
    ranked = [(_fact(reports, [units[i] for i in m]), min(m)) for m in groups.values()]
    ranked.sort(key=lambda pair: (pair[0].kind != SHARED, -pair[0].origins, pair[1]))
    return [fact for fact, _ in ranked]


def _best_matches(scores: np.ndarray, origins: Sequence[str]) -> list[dict[str, tuple[float, int]]]:
    """For each unit, its best-scoring unit in every other origin: {origin: (score, index)}."""
    labels = np.asarray([list(dict.fromkeys(origins)).index(o) for o in origins])
    best: list[dict[str, tuple[float, int]]] = [{} for _ in origins]
    for label in np.unique(labels):
        columns = np.flatnonzero(labels == label)
        picks = columns[np.argmax(scores[:, columns], axis=1)]
        for i, j in enumerate(picks):
            score = float(scores[i, j])
            if labels[i] != label and score > 0:
                best[i][origins[j]] = (score, int(j))
    return best


def _fact(reports: Sequence[ReportText], members: list[_Unit]) -> Fact:
    members = sorted(members, key=lambda u: (u.report, u.sentence.start))
    support = tuple(
        Evidence(
            reports[u.report].article_id,
            reports[u.report].outlet,
            u.sentence.start,
            u.sentence.end,
            u.sentence.text,
        )
        for u in members
    )
    outlets = tuple(dict.fromkeys(reports[u.report].outlet for u in members))
    origins = len({reports[u.report].origin for u in members})
    head = support[0]
    digest = hashlib.sha1(f"{head.article_id}\n{head.text}".encode()).hexdigest()[:16]
    return Fact(
        id=f"fact_{digest}",
        text=head.text,
        support=support,
        outlets=outlets,
        origins=origins,
        kind=SHARED if origins > 1 else UNIQUE,
    )


# --- the default embedder --------------------------------------------------------------------


class CachedEmbedder:
    """An embedder that remembers the vectors of the last `size` sentences it saw: a dossier
    rebuilt after one more article joins its story embeds only that article's sentences.
    Thread-safe (the server builds dossiers in a thread pool); the encoder runs unlocked."""

    def __init__(self, embedder: SentenceEmbedder, size: int = 50_000) -> None:
        self._embedder = embedder
        self._size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
            for text in known:
                self._vectors.move_to_end(text)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            known.update(zip(missing, self._embedder.embed(missing), strict=True))
            with self._lock:
                for text in missing:
                    self._vectors[text] = known[text]
                while len(self._vectors) > self._size:
                    self._vectors.popitem(last=False)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([known[t] for t in texts]).astype(np.float32)


@cache
def default_embedder() -> SentenceEmbedder:
    """The sentence embedder dossiers use: the clustering stage's USE encoder (weights ship in
    the package, nothing is fetched), loaded on first use (≈ 0.7 s), with a sentence cache."""
    from newsfuse.cluster.embed import UseEmbedder  # loads 30 MB of weights on first embed

    return CachedEmbedder(UseEmbedder(batch_size=64))
