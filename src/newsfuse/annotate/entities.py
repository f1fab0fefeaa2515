"""Entity mentions canonicalised to stable actor ids.

spaCy finds the names; the shipped gazetteer (`actors.py`) says who they are. On top of that:
- titles and appositions give a person a role and a country ("South Korean Foreign Minister
  Park Jin", "Lim Soo-suk, the spokesperson for ...");
- a short form ("Kim") resolves to the full name that came before it in the article;
- a role phrase ("the minister", "South Korea's top diplomat") resolves to the person holding
  that role, in the article or, failing that, in the gazetteer on the article's date;
- a capital acting as a government ("Seoul said") is its country; "in Seoul" is a place;
- across a story, a person spelled two ways is one person (`StoryContext.people`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from newsfuse.annotate.actors import Actor, Gazetteer, Role, name_key, slug
from newsfuse.model import EntityMention, MentionForm

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PRODUCED_BY = "newsfuse.entities.v1"

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
LOCATIVE = frozenset(
    [
        "in",
        "at",
        "near",
        "from",
        "to",
        "into",
        "across",
        "outside",
        "inside",
        "within",
        "throughout",
        "toward",
        "towards",
        "around",
        "via",
        "through",
        "off",
        "along",
        "between",
        "beyond",
        "across",
        "onto",
        "over",
    ]
)
# Head nouns of role phrases; normalise_role() maps the whole phrase when it can.
ROLE_HEADS = frozenset(
    [
        "minister",
        "diplomat",
        "leader",
        "president",
        "premier",
        "chancellor",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "secretary",
        "envoy",
        "ambassador",
        "dictator",
        "king",
        "queen",
        "chief",
        "commander",
        "general",
        "director",
        "governor",
        "mayor",
        "chairman",
        "chairwoman",
        "chair",
        "head",
    ]
)
_GENERIC_ROLES = {"minister": "minister", "secretary": "secretary"}
_DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "this", "that"})
_NOT_PLACE_BEFORE_TO = frozenset(
    {"according", "due", "owing", "thanks", "close", "next", "similar"}
)
_BRACKETS = frozenset("()[]{}")
_TRIM = " \t\r\n-–—,.;:\"'“”‘’()[]"
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_WS = re.compile(r"\s+")
_KIND_LABEL = {
    "person": "PERSON",
    "country": "GPE",
    "igo": "ORG",
    "organisation": "ORG",
    "outlet": "ORG",
    "place": "LOC",
}


@dataclass(frozen=True, slots=True)
class Found:
    """An entity mention with the context the places stage needs."""

    mention: EntityMention
    locative: bool = False
    """Preceded by a locative preposition ("in Seoul"): a place, not an actor."""
    country_hint: str | None = None
    """A country the text ties the mention to ("Russia's far-eastern Amur Oblast")."""


@dataclass(slots=True)
class _Person:
    actor_id: str
    canonical: str
    parts: tuple[str, ...]
    """name_key of each name token ("lim", "soosuk")."""
    role: str | None
    country: str | None
    end: int


@dataclass(slots=True)
class _Article:
    """Resolution state shared by all windows of one article."""

    people: list[_Person] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)


def clean_key(text: str) -> str:
    """A mention's text as looked up: whitespace collapsed, "the" and possessives dropped."""
    text = _WS.sub(" ", text).strip(_TRIM)
    text = _POSSESSIVE.sub("", text).strip(_TRIM)
    if text[:4].lower() == "the ":
        text = text[4:]
    return text


class EntityResolver:
    """Finds and canonicalises the entity mentions of one article, window by window."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        on: date | None = None,
        story_people: Sequence[tuple[str, str]] = (),
        outlets: Sequence[str] = (),
    ) -> None:
        self.gazetteer = gazetteer
        self.on = on
        # The article's own outlet: spaCy tags "Meridian Wire" in a dateline as a person.
        self._outlets = {
            name_key(clean_key(o)): clean_key(o) for o in outlets if o and clean_key(o)
        }
        self._story = {
            name_key(canonical): (actor_id, canonical) for actor_id, canonical in story_people
        }
        self._state = _Article()

    # -- public -----------------------------------------------------------------------------

    def add(self, doc: Doc, offset: int = 0) -> None:
        """Resolve the mentions of one window of the article (`offset` = its start in the text)."""
        spans = self._spans(doc)
        covered: set[int] = set()
        for span in spans:
            covered.update(range(span.start, span.end))
            found = self._resolve(doc, span, offset)
            if found is not None:
                self._state.found.append(found)
        self._short_forms(doc, offset, covered)
        self._nominals(doc, offset, covered)

    def found(self) -> list[Found]:
        """All mentions so far, in text order."""
        return sorted(self._state.found, key=lambda f: (f.mention.start, f.mention.end))

    def mentions(self) -> list[EntityMention]:
        return [f.mention for f in self.found()]

    def speaker(self, start: int, end: int, before: int) -> EntityMention | None:
        """The canonical entity behind a quote's speaker span: the mention inside it (a person
        first), else a person of the article the span names ("Varga-Moren"). Pronouns are the
        caller's (`last_person`)."""
        inside = [
            f.mention
            for f in self._state.found
            if f.mention.start < end and f.mention.end > start and f.mention.actor_id
        ]
        if inside:
            inside.sort(key=lambda m: (m.kind != "person", m.form == MentionForm.DEMONYM, m.start))
            return inside[0]
        return None

    def name_in_span(self, start: int, end: int, text: str) -> EntityMention | None:
        """A person of the article named by a span spaCy did not tag, added as a short form."""
        key = clean_key(text)
        if not key[:1].isupper():
            return None
        person = self._short_form_of(key) or self._full_name_of(key)
        if person is None:
            return None
        mention = self._person_mention(start, end, text, person, MentionForm.SHORT)
        self._state.found.append(Found(mention))
        return mention

    def last_person(self, before: int) -> EntityMention | None:
        """The person mentioned most recently before an offset (pronoun resolution)."""
        best: EntityMention | None = None
        for f in self._state.found:
            m = f.mention
            if m.kind == "person" and m.end <= before and (best is None or m.end > best.end):
                best = m
        return best

    # -- mention detection ------------------------------------------------------------------

    def _spans(self, doc: Doc) -> list[Span]:
        """spaCy's entities of the labels we keep, trimmed of possessives and stray punctuation,
        and split at brackets (a dateline "TARROW BRIDGE (Meridian Wire" is two names)."""
        out: list[Span] = []
        for ent in doc.ents:
            if ent.label_ not in ENTITY_LABELS:
                continue
            for part in _split_at_brackets(ent):
                span = _trim(part)
                if span is not None:
                    out.append(span)
        return out

    def _resolve(self, doc: Doc, span: Span, offset: int) -> Found | None:
        key = clean_key(span.text)
        if not key or not any(c.isalpha() for c in key):
            return None
        label = span.label_
        locative = _is_locative(doc, span)
        hint = _country_hint(doc, span, self.gazetteer)
        start, end = offset + span.start_char, offset + span.end_char
        text = span.text

        country = self.gazetteer.demonym(key)
        if label == "NORP" or (country and label != "PERSON"):
            if not country:
                return None
            actor = self.gazetteer.get(country)
            return Found(
                self._mention(
                    start, end, text, "NORP", actor, country_id=country, form=MentionForm.DEMONYM
                ),
                locative=False,
            )

        candidates = self.gazetteer.lookup(key)
        outlet = self._outlets.get(name_key(key))
        if outlet is not None and not any(a.kind == "outlet" for a in candidates):
            mention = EntityMention(
                start,
                end,
                text,
                "ORG",
                f"outlet:{slug(outlet)}",
                outlet,
                "outlet",
                produced_by=PRODUCED_BY,
            )
            return Found(mention)
        # spaCy's small model often tags a bare surname ORG or GPE ("Caskova told ..."):
        # a one-word name of a person already in the article is that person, unless the
        # gazetteer knows the word as something else.
        maybe_short = label == "PERSON" or not any(a.kind != "person" for a in candidates)
        if maybe_short and " " not in key and self._state.people:
            person = self._short_form_of(key)
            if person is not None:
                return Found(self._person_mention(start, end, text, person, MentionForm.SHORT))
        if maybe_short and " " not in key and key[:1].isupper() and not candidates:
            known = self.gazetteer.by_surname(key, self.on)
            if known is not None:
                candidates, label = (known,), "PERSON"
        persons = [a for a in candidates if a.kind == "person"]
        if label == "PERSON" and (persons or not candidates):
            return Found(self._person(doc, span, key, persons, start, end))
        if not locative:
            metonym = self.gazetteer.metonym(key)
            if metonym and (label in {"GPE", "ORG", "FAC"}):
                actor = self.gazetteer.get(metonym)
                if actor is not None and not (candidates and candidates[0].kind == "country"):
                    return Found(
                        self._mention(start, end, text, label, actor, form=MentionForm.METONYM)
                    )
        if candidates:
            actor = self._best(candidates, label, hint)
            out_label = label if label != "PERSON" else _KIND_LABEL.get(actor.kind, "ORG")
            return Found(self._mention(start, end, text, out_label, actor), locative, hint)
        if label in {"GPE", "LOC", "FAC"}:
            actor_id = f"place:{slug(key)}"
            kind = "place"
        elif label == "ORG":
            actor_id, kind = f"org:{slug(key)}", "organisation"
        else:
            return None
        if not slug(key):
            return None
        mention = EntityMention(
            start, end, text, label, actor_id, key, kind, hint, produced_by=PRODUCED_BY
        )
        return Found(mention, locative, hint)

    def _best(self, candidates: Sequence[Actor], label: str, hint: str | None) -> Actor:
        """The gazetteer's best-first order, nudged by the label and the country in context."""
        preferred = {
            "GPE": ("country", "place"),
            "LOC": ("place", "country"),
            "FAC": ("place",),
            "ORG": ("igo", "organisation", "outlet", "country"),
        }.get(label, ())

        def rank(actor: Actor) -> tuple[int, int]:
            kind_rank = preferred.index(actor.kind) if actor.kind in preferred else len(preferred)
            return (kind_rank, 0 if hint and actor.country == hint else 1)

        return min(candidates, key=rank)

    # -- persons ----------------------------------------------------------------------------

    def _person(
        self, doc: Doc, span: Span, key: str, persons: Sequence[Actor], start: int, end: int
    ) -> EntityMention:
        role, country = _title_before(doc, span, self.gazetteer)
        if role is None:
            role, country2 = _apposition_after(doc, span, self.gazetteer)
            country = country or country2
        actor = self._pick_person(persons, role, country)
        if actor is not None:
            active = _active_role(actor, self.on, role)
            person = _Person(
                actor.id,
                actor.name,
                _parts(actor.name) + _parts(key),
                role or (active.title if active else None),
                actor.country or country,
                end,
            )
        else:
            actor_id, canonical = self._story_person(key)
            person = _Person(actor_id, canonical, _parts(key), role, country, end)
            same = self._same_person(person)
            if same is not None:
                same.role = same.role or role
                same.country = same.country or country
                person = same
        if person not in self._state.people:
            self._state.people.append(person)
        person.end = end
        return self._person_mention(start, end, span.text, person, MentionForm.NAME)

    def _pick_person(
        self, persons: Sequence[Actor], role: str | None, country: str | None
    ) -> Actor | None:
        if not persons:
            return None
        if len(persons) == 1:
            return persons[0]
        for actor in persons:
            if country and actor.country == country:
                return actor
        return persons[0]

    def _story_person(self, key: str) -> tuple[str, str]:
        """A person the gazetteer does not know: the story's id for them if it has one."""
        k = name_key(key)
        if k in self._story:
            return self._story[k]
        for known, value in self._story.items():
            if _close(k, known):
                return value
        return f"person:{slug(key)}", key

    def _same_person(self, person: _Person) -> _Person | None:
        k = name_key(person.canonical)
        for other in self._state.people:
            ok = name_key(other.canonical)
            if other.actor_id == person.actor_id or _close(k, ok):
                return other
        return None

    def _full_name_of(self, key: str) -> _Person | None:
        k = name_key(key)
        return next((p for p in self._state.people if name_key(p.canonical) == k), None)

    def _short_form_of(self, key: str) -> _Person | None:
        """The full-name person a one-word mention refers to: the latest earlier person whose
        family name it is, first ("Kim" -> Kim Jong Un) or last ("Putin" -> Vladimir Putin)."""
        k = name_key(key)
        for person in reversed(self._state.people):
            if len(person.parts) >= 2 and k in (person.parts[0], person.parts[-1]):
                return person
        return None

    def _person_mention(
        self, start: int, end: int, text: str, person: _Person, form: MentionForm
    ) -> EntityMention:
        return EntityMention(
            start,
            end,
            text,
            "PERSON",
            person.actor_id,
            person.canonical,
            "person",
            person.country,
            person.role,
            form,
            PRODUCED_BY,
        )

    def _short_forms(self, doc: Doc, offset: int, covered: set[int]) -> None:
        """Bare surnames spaCy did not tag ("Lim underscored this")."""
        for token in doc:
            if token.i in covered or not token.text[:1].isupper() or token.tag_ != "NNP":
                continue
            if len(token.text) < 2:
                continue
            last = token.i
            # a hyphenated family name is three tokens: "Varga", "-", "Moren"
            while (
                last + 2 < len(doc)
                and doc[last + 1].text == "-"
                and not doc[last + 1].whitespace_
                and not doc[last].whitespace_
                and doc[last + 2].text[:1].isupper()
            ):
                last += 2
            text = doc[token.i : last + 1].text
            person = self._short_form_of(text)
            if person is None:
                continue
            start = offset + token.idx
            self._state.found.append(
                Found(
                    self._person_mention(start, start + len(text), text, person, MentionForm.SHORT)
                )
            )
            covered.update(range(token.i, last + 1))

    # -- role phrases -----------------------------------------------------------------------

    def _nominals(self, doc: Doc, offset: int, covered: set[int]) -> None:
        """ "the minister", "South Korea's top diplomat", "the North Korean leader"."""
        for token in doc:
            if (
                token.i in covered
                or token.lower_ not in ROLE_HEADS
                or token.tag_ not in {"NN", "NNP"}
            ):
                continue
            nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if nxt is not None and nxt.ent_type_ == "PERSON":
                continue  # a title: handled with the name
            phrase = _role_phrase(doc, token, self.gazetteer)
            if phrase is None:
                continue
            first, role_words, country = phrase
            role = self.gazetteer.normalise_role(role_words) or _GENERIC_ROLES.get(token.lower_)
            if role is None:
                continue
            person = self._holder(role, country, offset + doc[first].idx)
            if person is None:
                continue
            start = offset + doc[first].idx
            end = offset + token.idx + len(token.text)
            mention = self._person_mention(
                start,
                end,
                doc[first : token.i + 1].text,
                person,
                MentionForm.NOMINAL,
            )
            self._state.found.append(Found(replace(mention, label="ROLE")))
            covered.update(range(first, token.i + 1))

    def _holder(self, role: str, country: str | None, before: int) -> _Person | None:
        """Who holds a role: the latest such person before in the article, else the gazetteer."""
        people = {p.actor_id: p for p in self._state.people}
        earlier = sorted(
            (f.mention for f in self._state.found if f.mention.kind == "person"),
            key=lambda m: m.end,
            reverse=True,
        )
        for mention in earlier:
            person = people.get(mention.actor_id or "")
            if mention.end > before or person is None:
                continue
            if (
                person.role
                and _role_matches(person.role, role)
                and (country is None or person.country in (None, country))
            ):
                return person
        if country is None:
            return None
        holders = self.gazetteer.holders(role, country, self.on)
        if not holders:
            return None
        actor = holders[0]
        person = _Person(
            actor.id, actor.name, _parts(actor.name), role, actor.country or country, before
        )
        self._state.people.append(person)
        return person

    def _mention(
        self,
        start: int,
        end: int,
        text: str,
        label: str,
        actor: Actor | None,
        *,
        country_id: str | None = None,
        form: MentionForm = MentionForm.NAME,
    ) -> EntityMention:
        if actor is None:
            return EntityMention(
                start,
                end,
                text,
                label,
                country_id,
                None,
                "country" if country_id else None,
                country_id,
                form=form,
                produced_by=PRODUCED_BY,
            )
        kind = actor.kind
        country = actor.country if kind != "country" else actor.id
        return EntityMention(
            start, end, text, label, actor.id, actor.name, kind, country, None, form, PRODUCED_BY
        )


# -- helpers over tokens ------------------------------------------------------------------------


def _split_at_brackets(ent: Span) -> list[Span]:
    from spacy.tokens import Span

    cuts = [t.i for t in ent if t.text in _BRACKETS]
    if not cuts:
        return [ent]
    starts = [ent.start, *(c + 1 for c in cuts)]
    ends = [*cuts, ent.end]
    return [
        Span(ent.doc, a, b, label=ent.label_) for a, b in zip(starts, ends, strict=True) if b > a
    ]


def _trim(ent: Span) -> Span | None:
    """Drop leading/trailing tokens that are punctuation, whitespace or a possessive."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (
        doc[start].is_punct or doc[start].is_space or doc[start].text in {"'s", "’s"}
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_punct
        or doc[end - 1].is_space
        or doc[end - 1].text in {"'s", "’s", "'", "’"}
    ):
        end -= 1
    if start >= end:
        return None
    if start == ent.start and end == ent.end:
        return ent
    from spacy.tokens import Span

    return Span(doc, start, end, label=ent.label_)


def _is_locative(doc: Doc, span: Span) -> bool:
    """A preposition of place before the mention, skipping determiners, adjectives and a
    possessive owner ("in Russia's far-eastern Amur Oblast")."""
    i = span.start - 1
    steps = 0
    while i >= 0 and steps < 6:
        token = doc[i]
        lower = token.lower_
        if lower in LOCATIVE:
            # "according to the Kremlin", "due to Russia" name a source, not a place
            return not (lower == "to" and i > 0 and doc[i - 1].lower_ in _NOT_PLACE_BEFORE_TO)
        if token.is_punct and token.text not in {"-"}:
            return False
        if token.tag_ in {"DT", "JJ", "POS", "NNP", "HYPH", "PRP$"} or lower in {"'s", "’s"}:
            i -= 1
            steps += 1
            continue
        return False
    return False


def _ent_at(doc: Doc, i: int) -> Span | None:
    """The entity that token i is part of, found from the token's IOB tags (reading
    `doc.ents` builds every span of the document: too slow to do per mention)."""
    if i < 0 or i >= len(doc) or not doc[i].ent_type_:
        return None
    start, end = i, i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def _country_hint(doc: Doc, span: Span, gazetteer: Gazetteer) -> str | None:
    """A country named right before ("Russia's ...") or right after (", Russia") the mention."""
    for i in range(span.start - 1, max(-1, span.start - 5), -1):
        if doc[i].ent_type_ == "GPE":
            ent = _ent_at(doc, i)
            if ent is not None and ent.text != span.text:
                country = gazetteer.country(clean_key(ent.text))
                if country is not None:
                    return country.id
            break
    after = span.end + 1
    if after < len(doc) and doc[span.end].text == "," and doc[after].ent_type_ == "GPE":
        ent = _ent_at(doc, after)
        country = gazetteer.country(clean_key(ent.text)) if ent is not None else None
        if country is not None:
            return country.id
    return None


def _title_before(doc: Doc, span: Span, gazetteer: Gazetteer) -> tuple[str | None, str | None]:
    """ "South Korean Foreign Minister Park Jin", "Russian President, Vladimir Putin"."""
    i = span.start - 1
    if i >= 0 and doc[i].text == ",":
        i -= 1
    words: list[str] = []
    country: str | None = None
    while i >= 0 and len(words) < 5:
        token = doc[i]
        if token.ent_type_ in {"NORP", "GPE"}:
            country = _country_of(doc, i, gazetteer)
            break
        if token.text in {"'s", "’s"}:
            country = _country_of(doc, i - 1, gazetteer) if i > 0 else None
            break
        if token.is_alpha and (
            token.text[:1].isupper() or token.lower_ in ROLE_HEADS or token.tag_ == "JJ"
        ):
            if token.ent_type_ == "PERSON":
                break
            words.append(token.text)
            i -= 1
            continue
        break
    if not words:
        return None, None
    phrase = " ".join(reversed(words))
    role = _normalised_role(phrase, gazetteer)
    if role is None and words[0].lower() in ROLE_HEADS:
        role = phrase.lower()
    if country is None:  # "White House spokesman": the institution gives the country
        country = _country_in(list(reversed(words)), gazetteer)
    return role, country


def _normalised_role(phrase: str, gazetteer: Gazetteer) -> str | None:
    """The role of a title phrase or of its shorter endings ("White House spokesman" ->
    spokesperson)."""
    words = phrase.split()
    for i in range(len(words)):
        role = gazetteer.normalise_role(" ".join(words[i:]))
        if role is not None:
            return role
    return None


def _country_in(words: Sequence[str], gazetteer: Gazetteer) -> str | None:
    """A country named by leading words of a title ("White House", "Kremlin", "Polish")."""
    for n in range(min(3, len(words)), 0, -1):
        text = " ".join(words[:n])
        country = gazetteer.metonym(text) or gazetteer.demonym(text)
        if country and len(country) == 3:
            return country
    return None


def _apposition_after(doc: Doc, span: Span, gazetteer: Gazetteer) -> tuple[str | None, str | None]:
    """ "Lim Soo-suk, the spokesperson for the nation's Foreign Ministry"."""
    i = span.end
    if i >= len(doc) or doc[i].text != ",":
        return None, None
    i += 1
    country: str | None = None
    words: list[str] = []
    while i < len(doc) and len(words) < 6:
        token = doc[i]
        if token.lower_ in _DETERMINERS and not words:
            i += 1
            continue
        if token.ent_type_ in {"NORP", "GPE"} and not words:
            country = _country_of(doc, i, gazetteer)
            i += 1
            continue
        if token.text in {"'s", "’s"}:
            i += 1
            continue
        if token.is_alpha and token.tag_ in {"NN", "NNP", "JJ", "NNS"}:
            words.append(token.text)
            if token.lower_ in ROLE_HEADS:
                break
            i += 1
            continue
        break
    if not words or words[-1].lower() not in ROLE_HEADS:
        return None, country
    phrase = " ".join(words)
    return _normalised_role(phrase, gazetteer) or phrase.lower(), country


def _role_phrase(doc: Doc, head: Token, gazetteer: Gazetteer) -> tuple[int, str, str | None] | None:
    """Walk left from a role head noun to its determiner or possessor.

    Returns (first token index, the role words, the country) or None when the phrase has no
    determiner or possessor (a bare "minister" is too vague to resolve)."""
    i = head.i - 1
    words = [head.text]
    country: str | None = None
    while i >= 0:
        token = doc[i]
        if token.lower_ in _DETERMINERS:
            return i, " ".join(reversed(words)), country
        if token.text in {"'s", "’s"}:
            j = i - 1
            while j >= 0 and doc[j].ent_type_ == "GPE" and doc[j].ent_iob_ != "B":
                j -= 1
            if j >= 0 and doc[j].ent_type_ == "GPE":
                country = _country_of(doc, j, gazetteer)
                return j, " ".join(reversed(words)), country
            return None
        if token.ent_type_ == "NORP":
            country = _country_of(doc, i, gazetteer)
            while i > 0 and doc[i - 1].ent_type_ == "NORP" and doc[i].ent_iob_ != "B":
                i -= 1
            i -= 1
            continue
        if token.tag_ in {"JJ", "NN", "NNP"} and token.is_alpha and len(words) < 4:
            words.append(token.text)
            i -= 1
            continue
        return None
    return None


def _country_of(doc: Doc, i: int, gazetteer: Gazetteer) -> str | None:
    ent = _ent_at(doc, i)
    text = clean_key(ent.text if ent is not None else doc[i].text)
    return (
        gazetteer.demonym(text)
        or (c.id if (c := gazetteer.country(text)) else None)
        or gazetteer.metonym(text)
    )


_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _parts(name: str) -> tuple[str, ...]:
    """Name keys of a name's words, without suffixes ("Joseph R. Biden Jr." -> joseph, r, biden)."""
    keys = (name_key(p) for p in re.split(r"\s+", name))
    return tuple(k for k in keys if k and k not in _NAME_SUFFIXES)


def _active_role(actor: Actor, on: date | None, wanted: str | None) -> Role | None:
    for role in actor.roles:
        if role.active(on) and (wanted is None or role.title == wanted):
            return role
    return None


def _role_matches(have: str, wanted: str) -> bool:
    """ "foreign minister" satisfies "minister"; "head of state" satisfies "leader"."""
    return have == wanted or have.endswith(" " + wanted) or wanted in have.split()


def _close(a: str, b: str) -> bool:
    """Two name keys that are one spelling apart ("zelensky" / "zelenskyy")."""
    if a == b:
        return True
    if min(len(a), len(b)) < 7 or abs(len(a) - len(b)) > 2:
        return False
    return _edit_distance(a, b, 2) <= (1 if min(len(a), len(b)) < 10 else 2)


def _edit_distance(a: str, b: str, cap: int) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > cap:
            return cap + 1
        previous = current
    return previous[-1]


def people_of(mentions: Iterable[EntityMention]) -> list[tuple[str, str]]:
    """(actor id, canonical) of the persons among mentions, once each (for StoryContext)."""
    seen: dict[str, str] = {}
    for m in mentions:
        if m.kind == "person" and m.actor_id and m.canonical and m.actor_id not in seen:
            seen[m.actor_id] = m.canonical
    return sorted(seen.items())
