"""Who said what: direct, mixed and indirect quotations with speaker and cue spans.

Works on a spaCy `Doc` from `newsfuse.annotate.nlp.english()`, which has sentences, tags and
entities but no dependency parse, so attribution is found with patterns over tags, in stages:

1. `quote_marks` pairs quotation marks into quoted spans (per paragraph, continued over
   paragraphs that open with a mark).
2. `quote_patterns` proposes attribution candidates around each quoted span (direct, mixed)
   and in sentences with a reporting cue and no quotation (indirect), with the speaker noun
   phrases that `quote_speakers` finds next to the cue.
3. `quote_scorer` keeps the candidates its logistic regression (trained on PolNeAR train by
   `python -m newsfuse.train.quotes`) finds likely, and of two with mostly the same content
   the likelier.

This module assembles the kept candidates into `Quote`s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsfuse.annotate.quote_marks import quotation_marks
from newsfuse.annotate.quote_patterns import Proposal, propose
from newsfuse.annotate.quote_scorer import (
    Candidate,
    QuoteScorer,
    candidate_features,
    paragraph_starts,
    quote_scorer,
    suppress_overlaps,
)
from newsfuse.annotate.quote_speakers import TokenView, cue_lexicon, speaker_kind
from newsfuse.model import Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "PRODUCED_BY",
    "as_candidate",
    "cue_lexicon",
    "find_quotes",
    "propose",
    "quotation_marks",
    "speaker_kind",
]

PRODUCED_BY = "newsfuse.quotes.v1"


def _to_quote(v: TokenView, f: Proposal) -> Quote:
    text = v.text
    frags = tuple(sorted(f.fragments))
    start, end = frags[0][0], frags[-1][1]
    sp_start, sp_end = v.span(*f.speaker)
    cue_start, cue_end = v.span(*f.cue)
    return Quote(
        start=start,
        end=end,
        content=text[start:end],
        kind=f.kind,
        speaker=text[sp_start:sp_end],
        speaker_start=sp_start,
        speaker_end=sp_end,
        speaker_kind=speaker_kind(v, f.speaker),
        cue=text[cue_start:cue_end],
        cue_start=cue_start,
        cue_end=cue_end,
        fragments=frags,
        produced_by=PRODUCED_BY,
    )


def as_candidate(v: TokenView, f: Proposal) -> Candidate:
    """The scorer's view of a proposed attribution."""
    return Candidate(
        kind=str(f.kind),
        rule=f.rule,
        fragments=tuple(sorted(f.fragments)),
        speaker=f.speaker,
        cue=f.cue,
        speaker_kind=speaker_kind(v, f.speaker),
    )


def keep(v: TokenView, found: list[Proposal], scorer: QuoteScorer) -> list[Proposal]:
    """The proposals `scorer` keeps: at least its threshold, and of two with mostly the same
    content the more probable; in text order."""
    starts = paragraph_starts(v.text)
    scored: list[tuple[float, tuple[tuple[int, int], ...]]] = []
    kept: list[Proposal] = []
    for f in found:
        c = as_candidate(v, f)
        p = scorer.probability(c, candidate_features(v, c, starts))
        if p >= scorer.threshold(c):
            scored.append((p, c.fragments))
            kept.append(f)
    out = [kept[i] for i in suppress_overlaps(scored)]
    out.sort(key=lambda f: min(f.fragments))
    return out


def find_quotes(doc: Doc, scorer: QuoteScorer | None = None) -> list[Quote]:
    """Direct, mixed and indirect quotations of `doc`, ordered by where their content starts.

    Candidates from the patterns are kept when `scorer` (default: the shipped model) gives them
    at least its threshold; of two kept candidates with mostly the same content, the more
    probable stays.
    """
    if not doc.text.strip() or len(doc) == 0:
        return []
    v, found = propose(doc)
    quotes = [_to_quote(v, f) for f in keep(v, found, scorer or quote_scorer())]
    quotes.sort(key=lambda q: (q.start, q.end))
    return quotes
