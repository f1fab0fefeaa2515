"""An article's similarity features: terms, names, trusted time and embedding.

Computed once per article, before clustering, so the clusterer's hot loop only looks
numbers up. Three views of the text:

* terms: case-folded Unicode words of the title and (the lead of) the body, English
  stopwords out, a light plural stemmer on ASCII words ("quakes" = "quake"). Counts, not
  weights: the clusterer weights them by its online document frequencies.
* names: runs of capitalised words ("Betty Ford Center"), case-folded with hyphens and
  apostrophes split off, so "Kim Jong-un" and "Kim Jong Un" are one name. Names and numbers
  are what tell two events of the same kind apart (two rehab stays, two earthquakes).
* the dense sentence embedding (`embed.py`), or None when the caller has none.

`encode_features`/`decode_features` store them compactly without pickle: a small JSON
header, zlib-compressed, then the embedding's raw float32 bytes.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from newsfuse.model import Article

BODY_TOKENS = 800
"""Body words kept: the lead carries the story, and a bounded length bounds the cost."""

_FORMAT = 1
_HEADER = struct.Struct("<BII")  # format, JSON length, embedding dimension

_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s$")
_SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$|\n\s*$")


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _wordset(
    """
    a about above after again against ago all almost also although am among an and another any
    are around as at away back be became because become been before being below between both
    but by came can cannot could did do does doing done down during each early either else
    even ever every few for from further get gets got had has have having he her here hers
    herself him himself his how however i if in including into is it its itself just last
    late later least less like made make many may me might more most much must my myself near
    neither never new next no nor not now of off often on once one only or other others our
    ours ourselves out over own per put rather re said same say says see seen shall she should
    since so some still such than that the their theirs them themselves then there these they
    this those though three through thus to too two under until up upon us very via was we
    well were what when where whether which while who whom whose why will with within without
    would yet you your yours yourself yourselves s t d ll m ve mr mrs ms dr
    """
)
"""English function words and reporting filler; they say nothing about which story."""

_NAME_JOINERS = frozenset({"of", "de", "del", "la", "le", "van", "von", "der", "bin", "al", "da"})
_NAME_TRIM = _wordset(
    "the a an this that these those and or but in on at for to with by from as after before "
    "when while if mr mrs ms dr"
)
_TITLES = _wordset(
    "mayor president governor senator sen rep gov gen general minister prime chancellor king "
    "queen prince princess pope judge chief prosecutor sheriff coach captain professor prof "
    "sir lady lord mp ceo secretary ambassador commissioner inspector detective officer "
    "spokesman spokeswoman spokesperson director chairman premier deputy vice"
)
"""Leading job titles are not part of a name: "Mayor Ilse Brandauer" is "ilse brandauer"."""


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """What the clusterer compares articles by. Terms and names are sorted by key."""

    article_id: str
    time: datetime | None
    """Trusted publication time (UTC), decided by the caller; None for an undated article."""
    title_terms: tuple[tuple[str, int], ...]
    body_terms: tuple[tuple[str, int], ...]
    names: tuple[tuple[str, int], ...]
    """Normalised capitalised names with their counts ("betty ford center")."""
    embedding: np.ndarray | None = None
    """L2-normalised float32 vector, or None (the feature then drops out)."""
    language: str | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ArticleFeatures):
            return NotImplemented
        same_vector = (self.embedding is None and other.embedding is None) or (
            self.embedding is not None
            and other.embedding is not None
            and self.embedding.dtype == other.embedding.dtype
            and np.array_equal(self.embedding, other.embedding)
        )
        return same_vector and (
            self.article_id,
            self.time,
            self.title_terms,
            self.body_terms,
            self.names,
            self.language,
        ) == (
            other.article_id,
            other.time,
            other.title_terms,
            other.body_terms,
            other.names,
            other.language,
        )

    def __hash__(self) -> int:
        return hash((self.article_id, self.time, self.title_terms))


def featurize(
    article: Article, *, embedding: np.ndarray | None, time: datetime | None
) -> ArticleFeatures:
    """An article's features; `time` is the trusted time the caller decided (or None)."""
    title = article.title or ""
    body = article.text or ""
    english = _is_english(article.language)
    body_words = _WORD.findall(body)
    vector = None
    if embedding is not None:
        vector = np.ascontiguousarray(np.asarray(embedding, dtype=np.float32).ravel())
        if vector.size == 0 or not np.all(np.isfinite(vector)):
            vector = None
    return ArticleFeatures(
        article_id=article.id,
        time=time,
        title_terms=_counted(terms(title, english=english)),
        body_terms=_counted(_terms_of(body_words[:BODY_TOKENS], english=english)),
        names=_counted(names(title, only_if_sentence_case=True) + names(body, limit=BODY_TOKENS)),
        embedding=vector,
        language=article.language,
    )


def terms(text: str, *, english: bool = True) -> list[str]:
    """The text's content words: case-folded, stopwords out, plurals folded."""
    return _terms_of(_WORD.findall(text), english=english)


def names(text: str, *, limit: int | None = None, only_if_sentence_case: bool = False) -> list[str]:
    """Runs of capitalised words, normalised ("Kim Jong-un" -> "kim jong un").

    A run is capitalised words, possibly joined by "of"/"de"/...; leading and trailing
    function words are trimmed ("The White House" -> "white house"). A lone capitalised
    word that opens a sentence is skipped: it is usually an ordinary word. A title in
    Title Case is all capitals, so with `only_if_sentence_case` it yields no names.
    """
    tokens = list(re.finditer(r"[^\W_]+(?:[-'’][^\W_]+)*", text))[:limit]
    if only_if_sentence_case and tokens:
        capitals = sum(1 for t in tokens if t.group()[0].isupper())
        if capitals * 2 > len(tokens) and len(tokens) > 2:
            return []
    found: list[str] = []
    run: list[str] = []
    run_starts_sentence = False
    prev_end = 0
    for match in tokens:
        word = match.group()
        gap = text[prev_end : match.start()]
        starts_sentence = prev_end == 0 or bool(_SENTENCE_END.search(gap))
        joined = not gap.strip()  # a comma or a bracket ends a name
        prev_end = match.end()
        capital = word[0].isupper()
        if capital and (not run or joined and not starts_sentence):
            if not run:
                run_starts_sentence = starts_sentence
            run.append(word)
            continue
        if run and joined and word.casefold() in _NAME_JOINERS and not starts_sentence:
            run.append(word)
            continue
        _flush(run, run_starts_sentence, found)
        run = [word] if capital else []
        run_starts_sentence = starts_sentence
    _flush(run, run_starts_sentence, found)
    return found


def _flush(run: list[str], starts_sentence: bool, found: list[str]) -> None:
    bare = (_POSSESSIVE.sub("", w.casefold()) for w in run)  # "Reid's" is Reid
    parts = [p for w in bare for p in re.split(r"[-'’]", w) if p]
    while len(parts) > 1 and parts[0] in _TITLES:
        parts.pop(0)
        starts_sentence = False
    while parts and (parts[0] in _NAME_TRIM or parts[0] in _NAME_JOINERS):
        parts.pop(0)
        starts_sentence = False  # "The Hague": what is left did not open the sentence
    while parts and (parts[-1] in _NAME_TRIM or parts[-1] in _NAME_JOINERS):
        parts.pop()
    if not parts or parts[0].isdigit():
        return
    if len(parts) == 1 and (starts_sentence and len(run) == 1 or len(parts[0]) < 2):
        return
    found.append(" ".join(parts))


def _terms_of(words: list[str], *, english: bool) -> list[str]:
    out = []
    for raw in words:
        word = raw.casefold().replace("’", "'")
        if "'" in word:
            word = word.split("'", 1)[0]  # "reid's" -> "reid"
        if len(word) < 2 and not word.isdigit():
            continue
        if word in STOPWORDS:
            continue
        if english and word.isascii() and word.isalpha():
            word = _stem(word)
        out.append(word)
    return out


def _stem(word: str) -> str:
    """Harman's S-stemmer: only plurals, so it never merges different words."""
    if len(word) <= 3 or not word.endswith("s"):
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if word.endswith(("us", "ss")):
        return word
    return word[:-1]


def _is_english(language: str | None) -> bool:
    return language is None or language.casefold().startswith("en")


def _counted(items: list[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(Counter(items).items()))


def encode_features(features: ArticleFeatures) -> bytes:
    """Compact bytes: header, zlib'd JSON of the sparse parts, raw float32 embedding."""
    doc = {
        "id": features.article_id,
        "t": features.time.isoformat() if features.time is not None else None,
        "ti": _pairs(features.title_terms),
        "bo": _pairs(features.body_terms),
        "na": _pairs(features.names),
        "la": features.language,
    }
    payload = zlib.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode())
    vector = b"" if features.embedding is None else features.embedding.astype("<f4").tobytes()
    dim = 0 if features.embedding is None else int(features.embedding.size)
    return _HEADER.pack(_FORMAT, len(payload), dim) + payload + vector


def decode_features(data: bytes) -> ArticleFeatures:
    """The inverse of `encode_features`; raises ValueError on bytes it did not write."""
    if len(data) < _HEADER.size:
        raise ValueError("feature bytes too short")
    version, size, dim = _HEADER.unpack_from(data)
    if version != _FORMAT:
        raise ValueError(f"unknown feature format {version}")
    start = _HEADER.size
    try:
        doc = json.loads(zlib.decompress(data[start : start + size]))
    except (zlib.error, ValueError) as err:
        raise ValueError(f"feature bytes unreadable: {err}") from err
    vector = None
    if dim:
        raw = data[start + size : start + size + 4 * dim]
        if len(raw) != 4 * dim:
            raise ValueError("feature bytes truncated")
        vector = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    return ArticleFeatures(
        article_id=doc["id"],
        time=datetime.fromisoformat(doc["t"]) if doc["t"] is not None else None,
        title_terms=_unpairs(doc["ti"]),
        body_terms=_unpairs(doc["bo"]),
        names=_unpairs(doc["na"]),
        embedding=vector,
        language=doc["la"],
    )


def _pairs(items: tuple[tuple[str, int], ...]) -> list[object]:
    return [[k for k, _ in items], [n for _, n in items]]


def _unpairs(value: list[list[object]]) -> tuple[tuple[str, int], ...]:
    keys, counts = value
    return tuple((str(k), int(n)) for k, n in zip(keys, counts, strict=True))
