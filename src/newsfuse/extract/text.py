"""Flattened-text pages (like ../shared/seeds): newsfuse's own boilerplate remover.

CONTRACT (other modules rely on it):

    extract_flattened(text: str) -> FlatExtraction

Keeps the article and drops appeals, news-feed items from other days, author bios,
"Read more"/"Show More" lines, related-headline lists, view counters, photo credits.

How: every non-empty line gets shape features (textfeatures.py); a two-stage logistic model
shipped in models/textblocks.json scores it (stage 2 also sees its neighbours' stage-1 scores
and the densest run of likely lines); the body is the likely lines, with a lower bar inside the
densest run. Rules then move photo credits to `captions`, drop author bios, and stop the
article at a "News Feed"/"Read more" marker. The model is trained by
`python -m newsfuse.train.textblocks`; scoring is pure Python and deterministic.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import mul
from pathlib import Path
from typing import Any

from newsfuse.extract import textfeatures as tf
from newsfuse.extract.cleanup import is_byline

MODEL_PATH = Path(__file__).with_name("models") / "textblocks.json"


@dataclass(frozen=True, slots=True)
class FlatExtraction:
    """What a flattened page holds, split into its parts."""

    title: str | None
    body: tuple[str, ...]
    """Article paragraphs in order."""
    captions: tuple[str, ...] = ()
    """Photo captions and credits found near the article."""
    authors: tuple[str, ...] = ()
    """Names from a byline ("by Jane Doe"), not from bios."""
    header_lines: tuple[str, ...] = ()
    """Lines between the title and the body (bylines, datelines, read time): where a
    publication date may be stated. Never lines from feed items or other stories."""


@dataclass(frozen=True, slots=True)
class LogisticStage:
    """One logistic regression with its standardisation folded into the weights."""

    weights: tuple[float, ...]
    bias: float

    def score(self, *parts: Sequence[float]) -> float:
        """Probability for one line whose feature vector is the parts laid end to end."""
        z = self.bias + sum(map(mul, self.weights, chain(*parts)))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @staticmethod
    def from_json(data: dict[str, Any]) -> LogisticStage:
        # p = sigmoid(coef · (x - mean) / scale + intercept), rewritten as one dot product.
        weights = tuple(c / s for c, s in zip(data["coef"], data["scale"], strict=True))
        shift = sum(w * m for w, m in zip(weights, data["mean"], strict=True))
        return LogisticStage(weights, float(data["intercept"]) - shift)


@dataclass(frozen=True, slots=True)
class LineModel:
    """The shipped weights: stopwords, two logistic stages and the selection thresholds."""

    stopwords: frozenset[str]
    stage1: LogisticStage
    stage2: LogisticStage
    region_threshold: float
    """Stage-1 score that a line must beat to pull the stage-2 region feature open."""
    keep_threshold: float
    """Stage-2 score a line needs outside the densest run."""
    inner_threshold: float
    """Stage-2 score a line needs inside the densest run (subheads, short paragraphs)."""
    pivot: float
    """Stage-2 score above which a line extends the densest run."""


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> LineModel:
    return model_from_json(json.loads(path.read_text(encoding="utf-8")))


def model_from_json(data: dict[str, Any]) -> LineModel:
    return LineModel(
        stopwords=frozenset(data["stopwords"]),
        stage1=LogisticStage.from_json(data["stage1"]),
        stage2=LogisticStage.from_json(data["stage2"]),
        region_threshold=float(data["region_threshold"]),
        keep_threshold=float(data["keep_threshold"]),
        inner_threshold=float(data["inner_threshold"]),
        pivot=float(data["pivot"]),
    )


def line_scores(lines: list[tf.PageLine], model: LineModel) -> list[float]:
    """Stage-2 probability that each line belongs to the article body."""
    local = tf.page_features(lines, model.stopwords)
    context = tf.context_features(local)
    p1 = [model.stage1.score(a, b) for a, b in zip(local, context, strict=True)]
    log_words = [row[0] for row in local]
    extra = tf.stage2_features(p1, log_words, model.region_threshold)
    return [model.stage2.score(a, b, c) for a, b, c in zip(local, context, extra, strict=True)]


def select_body(lines: list[tf.PageLine], scores: list[float], model: LineModel) -> list[int]:
    """Indices of body lines: likely lines, first copies only, never nothing.

    The article is one contiguous run on almost every page: inside the densest run of likely
    lines (weighted by length) a line needs only `inner_threshold`; outside, `keep_threshold`.
    """
    gains = [
        (p - model.pivot) * (math.log1p(line.text.count(" ") + 1) + 0.5)
        for p, line in zip(scores, lines, strict=True)
    ]
    region = tf.best_region(gains)
    keep = [
        i
        for i, p in enumerate(scores)
        if p >= (model.inner_threshold if region.start <= i < region.end else model.keep_threshold)
    ]
    if not keep:
        # A page whose best line is still unlikely (a tiny post, a listing) keeps its best
        # lines rather than nothing: recall on such pages is worth more than precision.
        top = max(scores)
        keep = [i for i, p in enumerate(scores) if p >= 0.8 * top]
    seen: set[str] = set()
    out: list[int] = []
    for i in keep:
        # Flattened pages repeat the headline and sometimes the whole story (teaser + full
        # text, print copies); the first copy is the one in reading order.
        key = tf.normalise(lines[i].text)
        if key in seen and " " in key:
            continue
        seen.add(key)
        out.append(i)
    return out


# A photo caption ends with its credit: "(Photo credit: X via Getty Images)", "© Getty/Pool".
_CREDIT_END = re.compile(
    r"(?:\((?:photo|image|picture|foto|bild|credit)\b[^()]*\)|©[^.!?]{0,80}|"
    r"\b(?:getty images|shutterstock|ap photo|afp|reuters)(?:\s*/\s*[\w .]+)?)\W*$",
    re.IGNORECASE,
)
_CREDIT_START = re.compile(r"^(?:photo|image|picture|foto|credit)s?\s*(?:credit)?\s*:", re.I)
# Lines that end the article when they come after it: feeds, bios, "read more" teasers.
_END_MARKER = re.compile(
    r"^(?:news ?feed|read more|show more|load more|more (?:news|stories)|"
    r"related (?:articles|stories|posts|news)|you (?:may|might) also like|most (?:read|popular)|"
    r"recommended(?: for you)?|latest news|more from [\w ]{1,30})\W*$",
    re.IGNORECASE,
)
_BIO = re.compile(
    r"^[\w.'’ -]{2,60}\s(?:is|was)\s(?:a|an)\s(?:[\w-]+\s){0,3}"
    r"(?:reporter|journalist|writer|correspondent|editor|contributor|columnist)\b",
    re.IGNORECASE,
)
_NOISE_LINE = re.compile(
    r"^(?:\d+\s*min(?:ute)?s?\s+read|views?\s*[\d,.]+|[\d,.]+\s*views?|"
    r"\(?\s*updated:?\s*\)?|share|tweet|print|email|advertisement)\W*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"""[.!?…:;。！？]["'”’»)\]]*$""")
_BYLINE = re.compile(r"^(?:by|written by|words by)\s+(.+)$", re.IGNORECASE)
# Enough body words before a marker that the marker ends an article, not a teaser.
_MIN_WORDS_BEFORE_MARKER = 60


def is_caption(line: str) -> bool:
    return bool(_CREDIT_END.search(line) or _CREDIT_START.match(line))


def apply_rules(lines: list[tf.PageLine], body: list[int]) -> list[int]:
    """Drop bios, counters and anything after an end marker that follows the article."""
    out: list[int] = []
    body_set = set(body)
    words = 0
    stop_at = len(lines)
    for i, line in enumerate(lines):
        if words >= _MIN_WORDS_BEFORE_MARKER and _END_MARKER.match(line.text):
            stop_at = i
            break
        if i in body_set:
            words += line.text.count(" ") + 1
    for i in range(stop_at):
        text = lines[i].text
        if i not in body_set or _BIO.match(text) or _NOISE_LINE.match(text) or is_caption(text):
            continue
        out.append(i)
    return _trim_tail(lines, out)


def _trim_tail(lines: list[tf.PageLine], body: list[int]) -> list[int]:
    # A related headline right after the last paragraph ("X pledges $2.3 billion in aid")
    # scores like a subhead; at the very end of the body it cannot introduce anything.
    while len(body) > 1 and _is_headline(lines[body[-1]].text):
        body = body[:-1]
    return body


def _is_headline(text: str) -> bool:
    n_words = text.count(" ") + 1
    return 3 <= n_words <= 20 and not _SENTENCE_END.search(text)


def find_title(lines: list[tf.PageLine], first_body: int) -> int | None:
    """Index of the headline: a headline-shaped line before the body, repeated ones first."""
    keys = [tf.normalise(line.text) for line in lines[: first_body + 1]]
    title_key = keys[0]
    candidates = [
        i
        for i in range(first_body)
        if 3 <= keys[i].count(" ") + 1 <= 30
        and not is_caption(lines[i].text)
        and not lines[i].text.endswith((".", ":"))
    ]
    if not candidates:
        return None

    def rank(i: int) -> tuple[int, int]:
        # Shown twice (title bar + headline) or echoing line 0 (<title>) beats nearness.
        repeated = keys.count(keys[i]) > 1 or (i > 0 and title_key.startswith(keys[i]))
        return (1 if repeated else 0, i if i > 0 else -1)

    return max(candidates, key=rank)


def header_of(lines: list[tf.PageLine], title_at: int | None, first_body: int) -> list[str]:
    """Lines between the (last copy of the) headline and the body, captions excluded."""
    if title_at is None:
        return []
    title_key = tf.normalise(lines[title_at].text)
    # From the first copy of the headline: "3 min read" may sit between two copies of it.
    start = min(
        (i for i in range(title_at + 1) if tf.normalise(lines[i].text) == title_key),
        default=title_at,
    )
    return [
        lines[i].text
        for i in range(start + 1, first_body)
        if not is_caption(lines[i].text) and tf.normalise(lines[i].text) != title_key
    ][:6]


def authors_of(header: list[str]) -> tuple[str, ...]:
    for line in header:
        match = _BYLINE.match(line)
        if not match:
            continue
        names = re.split(r"\s*(?:,|\band\b|&)\s*", match.group(1).split("|")[0])
        return tuple(n.strip() for n in names if re.search(r"[^\W\d_]", n))
    return ()


def _first_prose(lines: list[tf.PageLine], body: list[int]) -> int:
    """The first body line that is a paragraph, not a headline copy or a byline."""
    for i in body:
        text = lines[i].text
        # cleanup.is_byline wants names only: "By Tuesday evening, the bells..." is prose.
        if not _is_headline(text) and not is_byline(text) and not _NOISE_LINE.match(text):
            return i
    return body[0] if body else len(lines)


def extract_flattened(text: str, model: LineModel | None = None) -> FlatExtraction:
    model = model or load_model()
    lines = tf.split_page(text)
    if not lines:
        return FlatExtraction(title=None, body=())
    scores = line_scores(lines, model)
    body = apply_rules(lines, select_body(lines, scores, model))
    # Headline copies and bylines that open the selected run are header, not paragraphs.
    start = _first_prose(lines, body)
    body = [i for i in body if i >= start]
    title_at = find_title(lines, start)
    header = header_of(lines, title_at, start)
    last_body = body[-1] if body else start
    captions = tuple(line.text for line in lines[: last_body + 1] if is_caption(line.text))
    return FlatExtraction(
        title=lines[title_at].text if title_at is not None else None,
        body=tuple(lines[i].text for i in body),
        captions=captions,
        authors=authors_of(header),
        header_lines=tuple(header),
    )
