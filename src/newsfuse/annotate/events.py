"""Sentence-level event coding: who did what to whom, in PLOVER and CAMEO.

Over the whole article (sentences split again at line breaks, which spaCy runs across), every
sentence with an actor mention (a country, person, igo or organisation with a country; demonyms
and metonyms count, outlets and "according to X" do not) goes to the event model in one batch.
Per sentence:

- a trigger lexicon (`_TRIGGERS`, below) finds event cues with a CAMEO code and a strength; the
  model's type probabilities pick among them (strength + probability); other cues of strength
  >= `SECOND_EVENT_STRENGTH` and another type give a second event (at most two types a sentence);
- with no cue, the model's type is coded only when its probability reaches `MODEL_ONLY_MIN`, and
  never as a statement (statements without a cue are too vague to code);
- statements of concern ("voiced unease", "express concern") are CAMEO 012 (statement quad) with
  PLOVER ACCUSE/disapprove, the nearest PLOVER type: CAMEO 01-02 have none;
- the source is the nearest actor before the cue that is not the object of a preposition; the
  target, the first actor after the source of another country ("X and Y": one event a pair, at
  most `MAX_PAIRS`); a CONSULT noun followed by "between A and B" gives A -> B;
- modality from cues before the trigger: "not excluding"/"not ruling out" POSSIBLE; "if"/
  "unless" or "any ... would" HYPOTHETICAL; "not"/"never"/"denied" NEGATED; "may"/"could"/
  "considering" POSSIBLE; "will"/"plans to"/"is expected to"/"would" FUTURE. Negated, possible,
  future and hypothetical events are kept and marked, never dropped: filter on `modality`;
- date: the sentence's date mention (a day first; durations never); place: its most specific
  place mention ("Amur Oblast, RUS"), a country only when it is not an actor or follows "in";
- confidence = cue strength x (0.5 + 0.5 x model probability of the type), x 0.8 when the model's
  quad head is sure of another quad class; model-only events: 0.6 x probability.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from newsfuse.annotate.event_ontology import Ontology
from newsfuse.model import DateMention, EntityMention, Event, Modality, PlaceMention

PRODUCED_BY = "newsfuse.events.v1"
ACTOR_KINDS = frozenset({"country", "person", "igo", "organisation"})
MODEL_ONLY_MIN = 0.6
MIN_CONFIDENCE = 0.35
SECOND_EVENT_STRENGTH = 0.9
MAX_PAIRS = 4
QUAD_DISAGREE = 0.8
"""The model's quad-head score above which its disagreement with the cue lowers confidence."""


class PredictionLike(Protocol):
    @property
    def plover(self) -> str: ...
    @property
    def plover_score(self) -> float: ...
    @property
    def quad_class(self) -> str: ...
    @property
    def quad_score(self) -> float: ...
    @property
    def plover_scores(self) -> Mapping[str, float]: ...


class EventModelLike(Protocol):
    def predict(
        self,
        texts: Sequence[str],
        sources: Sequence[str | None] | None = None,
        targets: Sequence[str | None] | None = None,
    ) -> Sequence[PredictionLike]: ...


@dataclass(frozen=True, slots=True)
class _Cue:
    pattern: re.Pattern[str]
    plover: str
    cameo: str
    strength: float


def _cue(regex: str, plover: str, cameo: str, strength: float) -> _Cue:
    return _Cue(re.compile(regex, re.IGNORECASE), plover, cameo, strength)


_ARMS = r"(?:ammunition|munitions|arms|weapons?|weaponry|shells|missiles|military aid)"
_TRIGGERS = (
    _cue(
        r"\b(?:threat\w*|warn\w*|consider\w*|not (?:be )?exclud\w*|not rul\w* out|may|might|"
        r"could|weigh\w*|mull\w*|hint\w*|reviewing)\b[^.;]{0,60}?\bsanction\w*",
        "THREATEN",
        "1312",
        0.95,
    ),
    _cue(
        r"\bthreat\w*\b[^.;]{0,20}?\b(?:attack|strike|invade|force|retaliat\w*)",
        "THREATEN",
        "138",
        0.9,
    ),
    _cue(r"\bthreaten(?:s|ed|ing)?\b|\bultimatum\b", "THREATEN", "130", 0.75),
    _cue(
        r"\b(?:convinc\w*|urg\w*|press\w*|persuad\w*|ask\w*|request\w*|seek\w*|sought|push\w*)\b"
        rf"[^.;]{{0,80}}?\b(?:provid\w*|suppl\w*|deliver\w*|send|secure)\b[^.;]{{0,40}}?{_ARMS}",
        "REQUEST",
        "1032",
        0.9,
    ),
    _cue(r"\b(?:urged|called on|calls on|demand\w*|appeal\w* to)\b", "REQUEST", "10", 0.75),
    _cue(
        r"\b(?:express\w*|voic\w*|rais\w*|grow\w*|grew|deep)\b[^.;]{0,25}?"
        r"\b(?:concern|unease|alarm|worr\w*|regret|apprehension|dismay)",
        "ACCUSE",
        "012",
        0.85,
    ),
    _cue(r"\b(?:concerned|worried|alarmed|worry|worries|fear(?:s|ed)?)\b", "ACCUSE", "012", 0.7),
    _cue(
        r"\b(?:accus\w*|condemn\w*|criticiz\w*|criticis\w*|denounc\w*|blam\w*)\b",
        "ACCUSE",
        "112",
        0.85,
    ),
    _cue(
        r"\b(?:phone|telephone) (?:call|conversation|talks)\b|\bspoke by phone\b",
        "CONSULT",
        "041",
        0.85,
    ),
    _cue(r"\bvisit(?:s|ed|ing)?\b", "CONSULT", "042", 0.8),
    _cue(r"\b(?:meeting|summit|talks)\s+between\b", "CONSULT", "040", 0.85),
    _cue(
        r"\b(?:met|meet|meets|held talks|hold talks|negotiated|discussed)\b", "CONSULT", "040", 0.8
    ),
    _cue(r"\b(?:meeting|summit|talks|negotiations)\b", "CONSULT", "040", 0.5),
    _cue(
        rf"\b(?:provid\w*|supplied|suppl(?:y|ies)|deliver\w*|sen[dt]s?)\b[^.;]{{0,40}}?{_ARMS}",
        "AID",
        "072",
        0.8,
    ),
    _cue(r"\b(?:aid|assistance)\b", "AID", "070", 0.7),
    _cue(
        r"\b(?:impos\w*|slapp\w*|levied|join\w*)\b[^.;]{0,30}?\bsanctions?\b", "COERCE", "163", 0.85
    ),
    _cue(
        r"\b(?:expel\w*|sever(?:s|ed|ing)?|cut ties|suspend\w*|recall(?:s|ed)?)\b",
        "SANCTION",
        "16",
        0.75,
    ),
    _cue(r"\b(?:reject\w*|refus\w*|refut\w*|vetoe?\w*|dismiss\w*)\b", "REJECT", "12", 0.75),
    _cue(r"\b(?:agree[ds]?|agreeing|pledg\w*|promis\w*|offer\w*|vow\w*)\b", "AGREE", "03", 0.7),
    _cue(r"\bsign\w* (?:an? |the )?(?:agreement|deal|treaty|accord)\b", "SUPPORT", "057", 0.85),
    _cue(r"\b(?:prais\w*|endors\w*|backed|welcomed)\b", "SUPPORT", "051", 0.75),
    _cue(r"\b(?:deploy\w*|mobiliz\w*|mobilis\w*)\b", "MOBILIZE", "15", 0.75),
    _cue(r"\b(?:protest\w*|demonstrat\w*|rallied)\b", "PROTEST", "14", 0.7),
    _cue(r"\b(?:arrest\w*|detain\w*|seiz\w*)\b", "COERCE", "17", 0.75),
    _cue(
        r"\b(?:attack\w*|shell\w*|bomb\w*|struck|strikes|invad\w*|killed|fired on|shot down)\b",
        "ASSAULT",
        "19",
        0.75,
    ),
)
_CONSULT_NOUN = re.compile(r"\b(?:meeting|summit|talks)\b", re.IGNORECASE)
_PREPOSITIONS = frozenset(
    {
        *("between", "with", "against", "to", "on", "for", "of", "in", "at", "from", "over"),
        *("about", "toward", "towards", "into", "upon", "including", "across", "by", "than"),
        "via",
    }
)
_DETERMINERS = frozenset(
    {"the", "a", "an", "its", "his", "her", "their", "our", "this", "that", "these", "those"}
)
_JOIN = re.compile(
    r"^\s*,?\s*(?:and|or|&)\s+(?:(?:the|his|her|its|their)\s+)?$|^\s*,\s*$", re.IGNORECASE
)
_SAME_UNIT = re.compile(r"^[\s,]*(?:[\w.'’-]+[\s,]+){0,3}$")
_UNIT_STOP = re.compile(r"\b(?:and|or|but|that|to|who|which|has|have|had|is|was|said)\b", re.I)
_ACCORDING = re.compile(r"\b(?:according to|citing|cited by)\s+(?:the\s+)?$", re.IGNORECASE)
_WORD = re.compile(r"[\w'’-]+")

_POSSIBLE_NEG = re.compile(r"\bnot (?:be )?(?:exclud\w*|rul\w* out)|\bdid not rule out", re.I)
_IF = re.compile(r"\b(?:if|unless)\b", re.IGNORECASE)
_WOULD = re.compile(r"\bwould\b", re.IGNORECASE)
_ANY_WOULD = re.compile(r"\bany\b[^.;]*\bwould\b", re.IGNORECASE)
_CLAUSE = re.compile(r"\b(?:that|which|whether|who|while|because)\b|[;:“\"]", re.IGNORECASE)
_ADJACENT = re.compile(r"^\s+$")
_NEGATION = re.compile(r"\b(?:not|never|no longer|denied|deny|denies)\b|n['’]t\b", re.IGNORECASE)
_POSSIBLE = re.compile(r"\b(?:may|might|could|consider\w*|weigh\w*|mull\w*|possib\w*)\b", re.I)
_FUTURE = re.compile(
    r"\b(?:will|shall|plans? to|planning to|(?:is|are) expected to|(?:is|are) set to|intends? to|"
    r"going to)\b|['’]ll\b",
    re.IGNORECASE,
)
_PLACE_RANK = {"landmark": 0, "city": 1, "capital": 1, "region": 2, "area": 3, "country": 4}
_LOCATIVE = re.compile(r"\b(?:in|at|near|inside)\s+(?:the\s+)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Unit:
    """One actor as the sentence names it: "South Korean Foreign Minister Park Jin"."""

    start: int
    end: int
    actor: str
    entity: str | None
    text: str


@dataclass(frozen=True, slots=True)
class _Group:
    """Coordinated units ("Moscow or Pyongyang") and whether a preposition governs them."""

    units: tuple[_Unit, ...]
    governed_by: str | None

    @property
    def start(self) -> int:
        return self.units[0].start

    @property
    def end(self) -> int:
        return self.units[-1].end


@dataclass(frozen=True, slots=True)
class _Match:
    plover: str
    cameo: str
    strength: float
    start: int
    end: int


def split_sentences(text: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans cut again at line breaks and trimmed of whitespace."""
    out: list[tuple[int, int]] = []
    for start, end in sentences:
        for piece in re.finditer(r"[^\n]+", text[start:end]):
            s, e = start + piece.start(), start + piece.end()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                out.append((s, e))
    return out


def code_events(
    text: str,
    sentences: Sequence[tuple[int, int]],
    entities: Sequence[EntityMention],
    dates: Sequence[DateMention],
    places: Sequence[PlaceMention],
    model: EventModelLike,
    ontology: Ontology | None = None,
) -> list[Event]:
    """The article's events, in text order; one model call for all sentences with an actor."""
    ontology = ontology or Ontology.default()
    actors = sorted(_actor_mentions(entities), key=lambda m: (m.start, -m.end))
    todo: list[tuple[int, int, list[_Group]]] = []
    for start, end in split_sentences(text, sentences):
        inside = [m for m in actors if m.start >= start and m.end <= end]
        groups = _groups(text, start, _units(text, inside))
        if groups:
            todo.append((start, end, groups))
    if not todo:
        return []
    texts = [text[s:e] for s, e, _ in todo]
    guesses = [_provisional(text, s, g) for s, _, g in todo]
    predictions = model.predict(texts, [a for a, _ in guesses], [b for _, b in guesses])
    events: list[Event] = []
    for (start, end, groups), prediction in zip(todo, predictions, strict=True):
        events.extend(
            _code_sentence(text, start, end, groups, prediction, dates, places, actors, ontology)
        )
    return events


def _actor_mentions(entities: Sequence[EntityMention]) -> list[EntityMention]:
    found = [
        m
        for m in entities
        if m.actor_id and m.kind in ACTOR_KINDS and (m.kind != "organisation" or m.country)
    ]
    # keep the longest of overlapping mentions ("South Korea's top diplomat" over "South Korea")
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    kept: list[EntityMention] = []
    for m in found:
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return kept


def _actor_of(m: EntityMention) -> tuple[str, str | None]:
    if m.kind in ("country", "igo"):
        return str(m.actor_id), None
    return str(m.country or m.actor_id), m.actor_id


def _units(text: str, mentions: Sequence[EntityMention]) -> list[_Unit]:
    units: list[_Unit] = []
    for m in mentions:
        actor, entity = _actor_of(m)
        if units:
            last = units[-1]
            gap = text[last.end : m.start]
            if last.actor == actor and _SAME_UNIT.match(gap) and not _UNIT_STOP.search(gap):
                units[-1] = _Unit(
                    last.start, m.end, actor, entity or last.entity, text[last.start : m.end]
                )
                continue
        units.append(_Unit(m.start, m.end, actor, entity, m.text))
    return units


def _governor(text: str, sentence_start: int, at: int) -> str | None:
    """The preposition (or "according to") governing a phrase starting at `at`, if any."""
    before = text[sentence_start:at]
    if _ACCORDING.search(before):
        return "according to"
    tail = re.split(r"[,;:()\"“”]", before[-60:])[-1]  # a comma ends the phrase
    words = [w.lower() for w in _WORD.findall(tail)]
    while words and words[-1] in _DETERMINERS:
        words.pop()
    if words and words[-1].endswith(("'s", "’s")):
        return None
    for word in words[-2:][::-1]:  # "from neighboring South Korea"
        if word in _PREPOSITIONS:
            return str(word)
    return None


def _groups(text: str, sentence_start: int, units: Sequence[_Unit]) -> list[_Group]:
    joined: list[tuple[list[_Unit], bool]] = []  # units, whether "and"/"or" joins them
    for unit in units:
        gap = text[joined[-1][0][-1].end : unit.start] if joined else ""
        if joined and _JOIN.match(gap):
            joined[-1][0].append(unit)
            joined[-1] = (joined[-1][0], joined[-1][1] or gap.strip() != ",")
        else:
            joined.append(([unit], False))
    # a bare comma list is no coordination ("If Venezuela attacked Guyana, Brazil would")
    groups = [g if conj else [u] for g, conj in joined for u in (g if not conj else g[:1])]
    return [
        _Group(tuple(g), _governor(text, sentence_start, g[0].start))
        for g in groups
        if _governor(text, sentence_start, g[0].start) != "according to"
    ]


def _provisional(text: str, start: int, groups: Sequence[_Group]) -> tuple[str | None, str | None]:
    free = [g for g in groups if g.governed_by is None]
    source = free[0] if free else groups[0]
    rest = [g for g in groups if g.start > source.start]
    return source.units[0].text, (rest[0].units[0].text if rest else None)


def _matches(sentence: str, offset: int) -> list[_Match]:
    found: list[_Match] = []
    for cue in _TRIGGERS:
        for m in cue.pattern.finditer(sentence):
            found.append(
                _Match(cue.plover, cue.cameo, cue.strength, offset + m.start(), offset + m.end())
            )
    return found


def _support(prediction: PredictionLike, plover: str, cameo: str, ontology: Ontology) -> float:
    """The model's probability for the cue's type (for a statement, its statement score too)."""
    p = float(prediction.plover_scores.get(plover, 0.0))
    code = ontology.cameo(cameo)
    if code and code.quad_class == "statement" and prediction.quad_class == "statement":
        p = max(p, float(prediction.quad_score))
    return p


def _chosen(
    matches: Sequence[_Match], prediction: PredictionLike, ontology: Ontology
) -> list[tuple[_Match, float]]:
    """The cues to code, with their model support: the best, then strong cues of other types."""
    best: dict[str, tuple[float, _Match, float]] = {}
    for m in matches:
        p = _support(prediction, m.plover, m.cameo, ontology)
        score = m.strength + p
        if m.plover not in best or score > best[m.plover][0]:
            best[m.plover] = (score, m, p)
    ranked = sorted(best.values(), key=lambda t: (-t[0], t[1].start))
    chosen = [(ranked[0][1], ranked[0][2])]
    chosen += [(m, p) for _, m, p in ranked[1:] if m.strength >= SECOND_EVENT_STRENGTH]
    return chosen[:2]


def _code_sentence(
    text: str,
    start: int,
    end: int,
    groups: Sequence[_Group],
    prediction: PredictionLike,
    dates: Sequence[DateMention],
    places: Sequence[PlaceMention],
    actors: Sequence[EntityMention],
    ontology: Ontology,
) -> list[Event]:
    matches = _matches(text[start:end], start)
    plan: list[tuple[_Match, float]] = []
    if matches:
        for match, p in _chosen(matches, prediction, ontology):
            confidence = match.strength * (0.5 + 0.5 * p)
            code = ontology.cameo(match.cameo)
            quad = code.quad_class if code else ontology.quad_class_of_plover(match.plover)
            if prediction.quad_class != quad and prediction.quad_score >= QUAD_DISAGREE:
                confidence *= 0.8
            plan.append((match, confidence))
    elif prediction.plover_score >= MODEL_ONLY_MIN and prediction.quad_class != "statement":
        plover = prediction.plover.upper()
        if plover in ontology.plover_types():
            free = [g for g in groups if g.governed_by is None]
            at = free[0].end if free else start
            cameo = ontology.cameo_for(plover)
            plan.append((_Match(plover, cameo, 0.6, at, at), 0.6 * prediction.plover_score))
    events: list[Event] = []
    for match, confidence in plan:
        if confidence < MIN_CONFIDENCE:
            continue
        events.extend(
            _events_for(
                text, start, end, groups, match, confidence, dates, places, actors, ontology
            )
        )
    return events


def _roles(
    text: str, groups: Sequence[_Group], match: _Match
) -> tuple[_Group | None, _Group | None]:
    """(source, target) groups for a cue."""
    for g in groups:  # "the meeting between A and B": A -> B
        if (
            match.plover == "CONSULT"
            and g.governed_by == "between"
            and len(g.units) >= 2
            and 0 <= g.start - match.end <= 40
            and _CONSULT_NOUN.search(text[match.start : match.end])
        ):
            return _Group(g.units[:1], None), _Group(g.units[1:], None)
    source = _source(text, groups, match)
    if source is None:
        return None, None
    own = {u.actor for u in source.units}
    for g in groups:
        if g.start >= source.end:
            units = tuple(u for u in g.units if u.actor not in own)
            if units:
                return source, _Group(units, g.governed_by)
    return source, None


def _source(text: str, groups: Sequence[_Group], match: _Match) -> _Group | None:
    """The group right before the cue ("of Kim providing"), else the first free group of the
    cue's clause ("Washington believes that Russia is seeking"), else the nearest free one."""
    before = [g for g in groups if g.end <= match.start]
    if before and _ADJACENT.match(text[before[-1].end : match.start]):
        return before[-1]
    free = [g for g in before if g.governed_by is None]
    if free:
        clauses = _CLAUSE.finditer(text, free[0].start, match.start)
        boundary = max((m.end() for m in clauses), default=-1)
        in_clause = [g for g in free if g.start >= boundary]
        return in_clause[0] if in_clause else free[-1]
    after = [g for g in groups if g.governed_by is None]
    return after[0] if after else None


def _events_for(
    text: str,
    start: int,
    end: int,
    groups: Sequence[_Group],
    match: _Match,
    confidence: float,
    dates: Sequence[DateMention],
    places: Sequence[PlaceMention],
    actors: Sequence[EntityMention],
    ontology: Ontology,
) -> list[Event]:
    source, target = _roles(text, groups, match)
    if source is None:
        return []
    code = ontology.cameo(match.cameo)
    quad = code.quad_class if code else ontology.quad_class_of_plover(match.plover)
    goldstein = code.goldstein if code else 0.0
    mode = code.mode if code and code.plover == match.plover else None
    if code and code.plover is None and match.plover == "ACCUSE":
        mode = "disapprove"
    modality = _modality(text, start, end, match)
    date = _date(dates, start, end)
    place = _place(places, actors, text, start, end)
    targets: tuple[_Unit | None, ...] = target.units if target else (None,)
    events: list[Event] = []
    for s in source.units:
        for t in targets:
            if len(events) == MAX_PAIRS:
                break
            events.append(
                Event(
                    start=start,
                    end=end,
                    plover=match.plover,
                    cameo=match.cameo,
                    quad_class=quad,
                    goldstein=goldstein,
                    mode=mode,
                    modality=modality,
                    source_actor=s.actor,
                    source_entity=s.entity,
                    target_actor=t.actor if t else None,
                    target_entity=t.entity if t else None,
                    date=date,
                    place=place,
                    confidence=round(confidence, 4),
                    produced_by=PRODUCED_BY,
                )
            )
    return events


def _modality(text: str, start: int, end: int, match: _Match) -> Modality:
    lo = max(start, match.start - 60)
    before = text[lo : match.start]
    span = text[lo : match.end]
    if _POSSIBLE_NEG.search(span):
        return Modality.POSSIBLE
    if _IF.search(text[start : match.start]) or _ANY_WOULD.search(text[start:end]):
        return Modality.HYPOTHETICAL
    if _NEGATION.search(before):
        return Modality.NEGATED
    if _POSSIBLE.search(span):
        return Modality.POSSIBLE
    if _FUTURE.search(before) or _WOULD.search(before):
        return Modality.FUTURE
    return Modality.ASSERTED


def _date(dates: Sequence[DateMention], start: int, end: int) -> str | None:
    inside = [
        d
        for d in dates
        if d.start >= start and d.end <= end and d.value and d.granularity != "duration"
    ]
    inside.sort(key=lambda d: (d.granularity != "day", d.start))
    return inside[0].value if inside else None


def _place(
    places: Sequence[PlaceMention],
    actors: Sequence[EntityMention],
    text: str,
    start: int,
    end: int,
) -> str | None:
    actor_spans = {(m.start, m.end) for m in actors}
    found = [
        p
        for p in places
        if p.start >= start
        and p.end <= end
        and p.canonical
        and (
            (p.start, p.end) not in actor_spans
            or _LOCATIVE.search(text[max(start, p.start - 12) : p.start])
        )
    ]
    if not found:
        return None
    best = min(found, key=lambda p: (_PLACE_RANK.get(p.feature or "", 3), p.start))
    return f"{best.canonical}, {best.country}" if best.country else best.canonical
