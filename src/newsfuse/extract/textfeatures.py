"""Per-line features of a flattened page, shared by the runtime extractor and its trainer.

A flattened page is split into non-empty lines; each line gets a fixed-length vector of floats
(`LOCAL_FEATURES` names them). Features are language-light on purpose: the stopword share uses a
multilingual function-word list shipped with the model, and everything else looks at shape
(length, punctuation, capitals, digits) and at known boilerplate wording.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
_SENT_END = re.compile(r"""[.!?…。！？;]["'”’»)\]]*$""")
_SENT_INSIDE = re.compile(r"[.!?。！？]\s")
_SEPARATORS = ("|", "»", "›", "·", "•", "▸", "►", " - ", " – ", " — ", " / ")
_URLISH = ("http://", "https://", "www.", ".com", ".org", ".net", ".htm", "@")
_DIGITS = "0123456789"
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|av|af|przez|от|автор)\s", re.IGNORECASE)
_BIO = re.compile(
    r"\b(?:is|was)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}"
    r"(?:reporter|journalist|writer|correspondent|editor|contributor|columnist|author|"
    r"freelance|producer|analyst)\b",
    re.IGNORECASE,
)
# Boilerplate wording, matched on case-folded words and phrases (a regex alternation with
# word boundaries was a fifth of the run time).
_BOILER_WORDS = frozenset(
    [
        "related",
        "recommended",
        "newsletter",
        "newsletters",
        "subscribe",
        "subscription",
        "login",
        "logout",
        "register",
        "cookie",
        "cookies",
        "privacy",
        "advertisement",
        "advertising",
        "advertisements",
        "sponsored",
        "comments",
        "comment",
        "reply",
        "views",
        "tags",
        "tag",
        "categories",
        "category",
        "permalink",
        "membership",
        "members",
        "donate",
        "trending",
        "previous",
        "next",
        "home",
        "menu",
        "search",
        "copyright",
        "facebook",
        "twitter",
        "linkedin",
        "whatsapp",
        "email",
        "print",
        "share",
        "tweet",
        "pinterest",
        "instagram",
        "youtube",
        "rss",
        "login",
        "signup",
    ]
)
_BOILER_PHRASES = re.compile(
    "read more|show more|load more|see more|more stories|sign in|sign up|log in|terms of|"
    "all rights reserved|follow us|share this|share on|min read|posted in|posted by|"
    "click here|support us|most read|most popular|news feed|newsfeed|back to top|contact us|"
    "about us"
)
_CREDIT_WORDS = frozenset(
    [
        "photo",
        "photos",
        "image",
        "images",
        "picture",
        "pictured",
        "foto",
        "bild",
        "credit",
        "getty",
        "reuters",
        "afp",
        "shutterstock",
    ]
)
_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|"
    r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b\d{1,2}:\d{2}\b",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^(?:[-*•·–]\s|\d{1,2}[.)]\s)")
_COUNTER = re.compile(r"^\W*(?:\d[\d,.]*\s*\w{0,12}|\w{0,12}\s*\d[\d,.]*)\W*$")

LOCAL_FEATURES: tuple[str, ...] = (
    "log_words",
    "log_chars",
    "stop_share",
    "ends_sentence",
    "ends_colon",
    "title_share",
    "digit_share",
    "alpha_share",
    "mean_word_len",
    "log_sentences",
    "comma_per_word",
    "separators",
    "urlish",
    "byline",
    "boiler_hits",
    "credit",
    "date_like",
    "repeated",
    "title_like",
    "rel_pos",
    "blank_before",
    "blank_after",
    "all_upper",
    "bio",
    "quotes",
    "words_vs_max",
    "starts_lower",
    "counter_like",
    "short",
    "long",
    "bullet",
    "ellipsis",
    "words_rel",
    "stop_rel",
    "after_title",
    "title_dist",
    "word_pos",
)


@dataclass(frozen=True, slots=True)
class PageLine:
    """One non-empty line of a flattened page."""

    text: str
    blank_before: bool
    blank_after: bool


def split_page(text: str) -> list[PageLine]:
    """Non-empty, stripped lines, remembering whether a blank line surrounds each."""
    raw = text.splitlines()
    out: list[PageLine] = []
    for i, line in enumerate(raw):
        stripped = line.strip()
        if not stripped:
            continue
        before = i == 0 or not raw[i - 1].strip()
        after = i + 1 == len(raw) or not raw[i + 1].strip()
        out.append(PageLine(stripped, before, after))
    return out


def normalise(line: str) -> str:
    """Case- and punctuation-free form, used to spot repeated lines and title copies."""
    return " ".join(_WORD.findall(line.casefold()))


def _local(line: PageLine, words: list[str], stopwords: frozenset[str]) -> list[float]:
    text = line.text
    n_words = len(words)
    n_chars = len(text)
    nonspace = max(1, n_chars - text.count(" "))
    # Counting with str.count and joins runs in C; per-character loops and regex scans of
    # long lines dominated the profile.
    digits = sum(map(text.count, _DIGITS))
    folded = " ".join(words).casefold()
    lowered = folded.split()
    letters = len(folded) - max(0, n_words - 1) - digits
    stops = sum(map(stopwords.__contains__, lowered))
    boiler = sum(map(_BOILER_WORDS.__contains__, lowered))
    if n_words <= 40:  # boilerplate wording only tells on short lines
        boiler += len(_BOILER_PHRASES.findall(folded))
    initials = [w[0] for w in words if w[0].isalpha()]
    alpha_words = initials
    titled = sum(map(str.isupper, initials))
    return [
        math.log1p(n_words),
        math.log1p(n_chars),
        stops / n_words if n_words else 0.0,
        1.0 if _SENT_END.search(text) else 0.0,
        1.0 if text.endswith(":") else 0.0,
        titled / len(alpha_words) if alpha_words else 0.0,
        digits / nonspace,
        letters / nonspace,
        min(12.0, (len(folded) - n_words + 1) / n_words) / 12.0 if n_words else 0.0,
        math.log1p(len(_SENT_INSIDE.findall(text))),
        text.count(",") / n_words if n_words else 0.0,
        min(3.0, sum(map(text.count, _SEPARATORS))),
        1.0 if any(map(text.__contains__, _URLISH)) else 0.0,
        1.0 if n_words <= 8 and _BYLINE.search(text) else 0.0,
        min(3.0, boiler) / (1.0 + math.log1p(n_words)),
        1.0 if "©" in text or not _CREDIT_WORDS.isdisjoint(lowered) else 0.0,
        1.0 if digits and _DATE.search(text) else 0.0,
        0.0,  # repeated: filled in by page_features
        0.0,  # title_like: filled in by page_features
        0.0,  # rel_pos
        1.0 if line.blank_before else 0.0,
        1.0 if line.blank_after else 0.0,
        1.0 if letters > 3 and text.upper() == text else 0.0,
        1.0 if (" is " in text or " was " in text) and _BIO.search(text) else 0.0,
        1.0 if any(q in text for q in '"“”«»„') else 0.0,
        0.0,  # words_vs_max
        1.0 if text[0].islower() else 0.0,
        1.0 if n_words <= 4 and _COUNTER.match(text) and digits else 0.0,
        1.0 if n_words <= 3 else 0.0,
        1.0 if n_words >= 25 else 0.0,
        1.0 if _BULLET.match(text) else 0.0,
        1.0 if text.endswith(("...", "…")) else 0.0,
        0.0,  # words_rel
        0.0,  # stop_rel
        0.0,  # after_title
        0.0,  # title_dist
        0.0,  # word_pos
    ]


_LOG_WORDS = LOCAL_FEATURES.index("log_words")
_STOP = LOCAL_FEATURES.index("stop_share")
_WORDS_REL = LOCAL_FEATURES.index("words_rel")
_STOP_REL = LOCAL_FEATURES.index("stop_rel")
_AFTER_TITLE = LOCAL_FEATURES.index("after_title")
_TITLE_DIST = LOCAL_FEATURES.index("title_dist")
_WORD_POS = LOCAL_FEATURES.index("word_pos")
_REPEATED = LOCAL_FEATURES.index("repeated")
_TITLE_LIKE = LOCAL_FEATURES.index("title_like")
_REL_POS = LOCAL_FEATURES.index("rel_pos")
_WORDS_VS_MAX = LOCAL_FEATURES.index("words_vs_max")


def page_features(lines: Sequence[PageLine], stopwords: frozenset[str]) -> list[list[float]]:
    """Local features of every line, with the page-level ones (repeats, title copies) set."""
    words = [_WORD.findall(line.text) for line in lines]
    keys = [" ".join(w).casefold() for w in words]
    counts = Counter(keys)
    title_key = keys[0] if keys else ""
    max_words = max((len(w) for w in words), default=1) or 1
    total_words = sum(len(w) for w in words) or 1
    last = max(1, len(lines) - 1)
    rows = [_local(line, words[i], stopwords) for i, line in enumerate(lines)]
    mean_log = sum(r[_LOG_WORDS] for r in rows) / max(1, len(rows))
    mean_stop = sum(r[_STOP] for r in rows) / max(1, len(rows))
    # The headline usually reappears on the page just above the article (line 0 is <title>).
    title_at = next(
        (i for i in range(1, len(keys)) if keys[i] and _similar(keys[i], title_key)), None
    )
    seen_words = 0
    for i, row in enumerate(rows):
        row[_REPEATED] = 1.0 if counts[keys[i]] > 1 and keys[i] else 0.0
        row[_TITLE_LIKE] = 1.0 if i and keys[i] and _similar(keys[i], title_key) else 0.0
        row[_REL_POS] = i / last
        row[_WORDS_VS_MAX] = len(words[i]) / max_words
        row[_WORDS_REL] = row[_LOG_WORDS] - mean_log
        row[_STOP_REL] = row[_STOP] - mean_stop
        if title_at is not None:
            row[_AFTER_TITLE] = 1.0 if i > title_at else 0.0
            gap = math.log1p(abs(i - title_at))
            row[_TITLE_DIST] = gap if i >= title_at else -gap
        row[_WORD_POS] = seen_words / total_words
        seen_words += len(words[i])
    return rows


def _similar(key: str, title_key: str) -> bool:
    # The first line of a flattened page is usually <title>: "Headline - Outlet". A later line
    # that starts that string (or contains it) is the on-page headline.
    return len(key) >= 12 and (title_key.startswith(key) or key.startswith(title_key))


# Context features: neighbours' shape, so a short line inside prose reads differently from a
# short line inside a menu.
_CTX_SOURCES = (
    LOCAL_FEATURES.index("log_words"),
    LOCAL_FEATURES.index("stop_share"),
    LOCAL_FEATURES.index("ends_sentence"),
    LOCAL_FEATURES.index("title_share"),
)
_CTX_OFFSETS = (-2, -1, 1, 2)
_CTX_WINDOWS = (3, 8)

CONTEXT_FEATURES: tuple[str, ...] = tuple(
    [f"{LOCAL_FEATURES[s]}@{o:+d}" for o in _CTX_OFFSETS for s in _CTX_SOURCES]
    + [f"{LOCAL_FEATURES[s]}~{w}" for w in _CTX_WINDOWS for s in _CTX_SOURCES]
)


def context_features(rows: Sequence[Sequence[float]]) -> list[tuple[float, ...]]:
    """Neighbour values at fixed offsets and window means, for each line."""
    n = len(rows)
    columns = [[row[s] for row in rows] for s in _CTX_SOURCES]
    # Built column by column with slices: per-cell index arithmetic was slow in Python.
    out_columns: list[list[float]] = []
    for o in _CTX_OFFSETS:
        for col in columns:
            out_columns.append(_shifted(col, o, n))
    for w in _CTX_WINDOWS:
        for col in columns:
            out_columns.append(window_means(col, w))
    return list(zip(*out_columns, strict=True)) if n else []


def _shifted(col: list[float], offset: int, n: int) -> list[float]:
    """col[i + offset] for each i, with 0.0 past either edge."""
    if offset > 0:
        return col[offset:] + [0.0] * min(offset, n)
    return [0.0] * min(-offset, n) + col[: max(0, n + offset)]


def _prefix(values: Sequence[float]) -> list[float]:
    acc = [0.0]
    for v in values:
        acc.append(acc[-1] + v)
    return acc


def window_means(values: Sequence[float], width: int) -> list[float]:
    """Mean of values over [i - width, i + width], clipped at the page edges."""
    pre = _prefix(values)
    n = len(values)
    return [
        (pre[min(n, i + width + 1)] - pre[max(0, i - width)])
        / (min(n, i + width + 1) - max(0, i - width))
        for i in range(n)
    ]


@dataclass(frozen=True, slots=True)
class Region:
    """A half-open run of line indices [start, end)."""

    start: int
    end: int


def best_region(scores: Sequence[float]) -> Region:
    """The contiguous run of lines with the largest sum of scores (Kadane); may be empty."""
    best, best_lo, best_hi = 0.0, 0, 0
    run, lo = 0.0, 0
    for i, s in enumerate(scores):
        if run <= 0.0:
            run, lo = 0.0, i
        run += s
        if run > best:
            best, best_lo, best_hi = run, lo, i + 1
    return Region(best_lo, best_hi)


STAGE2_FEATURES: tuple[str, ...] = (
    "p@-3",
    "p@-2",
    "p@-1",
    "p@0",
    "p@+1",
    "p@+2",
    "p@+3",
    "p~3",
    "p~8",
    "p~20",
    "in_region",
    "region_dist",
    "region_words_share",
    "p_rank",
)


def stage2_features(
    p1: Sequence[float], log_words: Sequence[float], threshold: float
) -> list[list[float]]:
    """Features from stage-1 scores: neighbours, window means, and the densest region.

    The region is the contiguous run maximising sum((p - threshold) * log_words): long likely
    lines pull it open, runs of unlikely lines close it.
    """
    n = len(p1)
    gains = [(p - threshold) * (w + 0.5) for p, w in zip(p1, log_words, strict=True)]
    region = best_region(gains)
    lo, hi = region.start, region.end
    total = sum(log_words) or 1.0
    region_share = sum(log_words[lo:hi]) / total
    means = [window_means(p1, w) for w in (3, 8, 20)]
    order = sorted(range(n), key=lambda i: p1[i])
    rank = [0.0] * n
    for r, i in enumerate(order):
        rank[i] = r / max(1, n - 1)
    out: list[list[float]] = []
    for i in range(n):
        row = [p1[i + o] if 0 <= i + o < n else 0.0 for o in (-3, -2, -1, 0, 1, 2, 3)]
        row += [m[i] for m in means]
        inside = lo <= i < hi
        dist = 0 if inside else (lo - i if i < lo else i - hi + 1)
        row += [1.0 if inside else 0.0, math.log1p(dist), region_share, rank[i]]
        out.append(row)
    return out
