"""A simple source/target chooser for one event sentence (no dependency parse).

The main verb is the first verb (fine-grained tag VB*) that is not an auxiliary or modal and
not inside an entity. Actor-like spans are named entities of type PERSON, ORG, GPE or NORP,
and runs of proper nouns (NNP/NNPS) outside them; a span is extended left over a determiner
and adjectives ("the Iraqi", "a Swiss") and right over the common nouns that follow it
("Iraqi troops", "Swiss court"). The source is the first such span before the main verb, the
target the first after it. Passives ("was attacked by X") are not turned around.

Scored by `python -m newsfuse.bench.events` against the actor spans of conflibert_cameo.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
AUXILIARIES = frozenset(
    [
        "be",
        "is",
        "are",
        "was",
        "were",
        "been",
        "being",
        "am",
        "have",
        "has",
        "had",
        "having",
        "do",
        "does",
        "did",
        "will",
        "would",
        "shall",
        "should",
        "may",
        "might",
        "can",
        "could",
        "must",
        "'s",
        "'re",
        "'ve",
        "'d",
    ]
)
_VERB_TAGS = frozenset({"VB", "VBD", "VBZ", "VBP", "VBN", "VBG"})
_NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
_LEFT_TAGS = frozenset({"DT", "JJ", "PRP$"})


@dataclass(frozen=True, slots=True)
class ActorSpans:
    """Character spans of the chosen source and target (None when none was found)."""

    source: tuple[int, int] | None
    target: tuple[int, int] | None
    verb: int | None
    """Character offset of the main verb."""


def main_verb(doc: Doc) -> int | None:
    """Token index of the main verb, or None."""
    for tok in doc:
        if tok.tag_ in _VERB_TAGS and tok.lower_ not in AUXILIARIES and not tok.ent_type_:
            return tok.i
    return None


def actor_spans(doc: Doc) -> list[tuple[int, int]]:
    """Token spans [start, end) of actor-like mentions, in text order."""
    spans = [(e.start, e.end) for e in doc.ents if e.label_ in ACTOR_LABELS]
    taken = {i for s, e in spans for i in range(s, e)}
    i = 0
    while i < len(doc):
        if doc[i].tag_ in ("NNP", "NNPS") and i not in taken and not doc[i].ent_type_:
            j = i
            while j < len(doc) and doc[j].tag_ in ("NNP", "NNPS") and j not in taken:
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return sorted(_extend(doc, s, e) for s, e in spans)


def _extend(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while end < len(doc) and doc[end].tag_ in ("NN", "NNS") and not doc[end].ent_type_:
        end += 1
    while start > 0 and doc[start - 1].tag_ in _LEFT_TAGS:
        start -= 1
    return start, end


def choose_actors(doc: Doc) -> ActorSpans:
    """The first actor-like span before the main verb and the first after it."""
    verb = main_verb(doc)
    spans = actor_spans(doc)
    if verb is None:
        src = spans[0] if spans else None
        tgt = spans[1] if len(spans) > 1 else None
    else:
        src = next((s for s in spans if s[1] <= verb), None)
        tgt = next((s for s in spans if s[0] > verb), None)
    return ActorSpans(
        _chars(doc, src), _chars(doc, tgt), doc[verb].idx if verb is not None else None
    )


def _chars(doc: Doc, span: tuple[int, int] | None) -> tuple[int, int] | None:
    if span is None:
        return None
    s = doc[span[0] : span[1]]
    return s.start_char, s.end_char
