"""A synthetic newsfuse store for serving benchmarks: 100,000 articles in a few minutes.

Running extraction, clustering and annotation over 100,000 pages takes hours; serving does not
care how the rows got there, only that they look like the real thing. So this module writes
finished values straight through the store's own functions (`Store.add_articles`,
`save_clustering`, `put_annotations`), in big batches: every index, trigger (the full-text
index of migration 0005) and summary row is the one a real run produces.

What it makes, from one seed (the same seed gives the same store):

- a fictional world: 30 countries with capitals and cities, 400 people with roles, 40 outlets;
  some countries are named far more often than others (Zipf), as in real news;
- stories of 1-15 articles (mostly small, a long tail), spread over two years: each is one
  event (talks, sanctions, an attack, ...) with its actors, place, day and numbers;
- independent reports of 300-600 words: a lead sentence that states the event, shared fact
  sentences (a number now and then differs between outlets: a conflict), quotes with
  speakers, and filler from a vocabulary; wire copies (`duplicate_of`) of earlier reports;
- annotations with exact character offsets: entities (people, countries, organisations),
  quotes with speakers and cues, dates, places and PLOVER events, so a dossier has facts,
  quotes, events and a timeline to build.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from newsfuse.model import (
    AnchorSource,
    Annotations,
    AnnotationStatus,
    Article,
    DateAnchor,
    DateMention,
    DateSource,
    EntityMention,
    Event,
    Granularity,
    Modality,
    PlaceMention,
    Quote,
    QuoteKind,
    StoryAssignment,
    article_id,
    story_id_for,
)
from newsfuse.store import RunCounts, Store

PRODUCED_BY = "newsfuse.bench.synthetic.v1"
DEFAULT_SEED = 20261124
# Story sizes 1..15: mostly small stories, a long tail of big ones (mean about 5).
SIZE_WEIGHTS = (16, 13, 11, 10, 9, 8, 7, 6, 5, 4, 3, 3, 2, 2, 1)


@dataclass(frozen=True, slots=True)
class CorpusOptions:
    """What to generate; the same options give the same store."""

    articles: int = 100_000
    seed: int = DEFAULT_SEED
    outlets: int = 40
    start: date = date(2023, 1, 1)
    days: int = 730
    """Stories begin on a day in [start, start + days)."""
    copy_share: float = 0.15
    """Share of the articles after a story's first that are wire copies of an earlier one."""
    conflict_share: float = 0.15
    """Chance that a report gives a different number for a shared fact."""
    undated_share: float = 0.01
    batch_articles: int = 2000
    """Articles per write transaction (articles, their memberships, their annotations)."""


# -- the world ---------------------------------------------------------------------------------

_SYLLABLES = (
    "ar", "bel", "cor", "dan", "el", "fen", "gar", "hal", "ir", "jor", "kal", "lun", "mar",
    "nor", "os", "pel", "quin", "ras", "sol", "tor", "ul", "var", "wen", "yal", "zer", "vo",
    "li", "ta", "mi", "sa", "do", "ke",
)  # fmt: skip
_COUNTRY_ENDINGS = ("ia", "land", "ovia", "istan", "ary", "esh", "ora")
_ROLES = (
    "president", "prime minister", "foreign minister", "defence minister", "finance minister",
    "spokesperson", "central bank governor", "opposition leader", "army chief", "trade envoy",
)  # fmt: skip
_OUTLET_WORDS = (
    "Herald", "Courier", "Times", "Ledger", "Post", "Observer", "Dispatch", "Gazette",
    "Chronicle", "Tribune", "Sentinel", "Monitor", "Record", "Wire", "Daily", "Bulletin",
)  # fmt: skip
_ORGS = (
    ("org:northern-trade-council", "Northern Trade Council", "igo"),
    ("org:continental-union", "Continental Union", "igo"),
    ("org:maritime-security-forum", "Maritime Security Forum", "igo"),
    ("org:world-grain-agency", "World Grain Agency", "igo"),
    ("org:red-lantern-relief", "Red Lantern Relief", "organisation"),
    ("org:harbor-energy", "Harbor Energy", "organisation"),
    ("org:council-of-ports", "Council of Ports", "igo"),
    ("org:institute-for-peace-studies", "Institute for Peace Studies", "organisation"),
)
TOPICS = (
    "grain exports", "fishing rights", "a border dispute", "a pipeline project", "energy prices",
    "refugee returns", "water sharing", "a rail corridor", "tariffs on steel", "a prisoner swap",
    "airspace violations", "a ceasefire line", "port access", "mining licences", "debt relief",
    "vaccine supplies", "a dam on the river", "election observers", "cyber attacks",
    "a fisheries treaty",
)  # fmt: skip
NOUNS = (
    "agreement", "dispute", "proposal", "plan", "economy", "currency", "budget", "harbor",
    "coalition", "parliament", "treaty", "investigation", "report", "deadline", "framework",
    "settlement", "delegation", "summit", "embargo", "convoy", "reform", "ministry", "market",
    "inflation", "shipment", "frontier", "reservoir", "corridor", "alliance", "referendum",
)  # fmt: skip
_ADJECTIVES = (
    "fragile", "long-awaited", "controversial", "modest", "sweeping", "temporary", "regional",
    "bilateral", "costly", "cautious", "unexpected", "disputed", "ambitious", "limited",
)  # fmt: skip
_VERBS = ("delay", "reshape", "strengthen", "weaken", "complicate", "accelerate", "test",
          "overshadow", "revive", "stall")  # fmt: skip
_PAST_VERBS = ("signed", "rejected", "negotiated", "abandoned", "renewed", "debated", "blocked")
_PLURALS = ("protesters", "workers", "soldiers", "families", "lorries", "vessels", "farmers",
            "students", "officials", "journalists")  # fmt: skip
_PERIODS = ("weeks", "months", "days", "quarters")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_QUOTES = (
    "We will not accept any agreement that ignores {topic}",
    "This is a moment for both our countries to show good faith",
    "The people of {country} deserve answers about what happened",
    "We have made real progress, but there is more work to do",
    "Nobody wants this to escalate any further",
    "Our position on {topic} has not changed and will not change",
    "These talks were frank, difficult and in the end useful",
    "We are ready to meet again whenever the other side is serious",
    "Every option remains on the table as far as {topic} is concerned",
    "History will judge how we handle {topic} in the months ahead",
)


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    """A user-assigned ISO 3166 alpha-3 code (XAA-XZZ): never a real country's."""
    name: str
    capital: str
    cities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Person:
    actor_id: str
    name: str
    role: str
    country: Country


@dataclass(frozen=True, slots=True)
class Org:
    actor_id: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: Country


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    domain: str


@dataclass(frozen=True, slots=True)
class World:
    countries: tuple[Country, ...]
    country_weights: tuple[float, ...]
    people: tuple[Person, ...]
    orgs: tuple[Org, ...]
    outlets: tuple[Outlet, ...]
    outlet_weights: tuple[float, ...]

    def people_of(self, country: Country) -> list[Person]:
        return [p for p in self.people if p.country is country]


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()


def _unique(rng: random.Random, make: Callable[[], str], taken: set[str]) -> str:
    while (value := make()) in taken:
        pass
    taken.add(value)
    return value


def make_world(rng: random.Random, n_outlets: int = 40) -> World:
    """Fictional countries, people, organisations and outlets (names unique within each)."""
    taken: set[str] = set()
    countries = []
    for i in range(30):
        name = _unique(rng, lambda: _word(rng, 2) + rng.choice(_COUNTRY_ENDINGS), taken)
        cities = tuple(
            _unique(rng, lambda: _word(rng, rng.choice((2, 3))), taken) for _ in range(4)
        )
        code = "X" + chr(ord("A") + i // 26) + chr(ord("A") + i % 26)
        countries.append(Country(code, name, cities[0], cities))
    people = []
    for i in range(400):
        country = countries[i % len(countries)]
        name = _unique(rng, lambda: f"{_word(rng, 2)} {_word(rng, rng.choice((2, 3)))}", taken)
        slug = "person:" + name.lower().replace(" ", "-")
        people.append(
            Person(slug, name, _ROLES[i % len(_ROLES)] if i < 300 else "analyst", country)
        )
    outlets = []
    for _ in range(n_outlets):
        name = _unique(rng, lambda: f"The {_word(rng, 2)} {rng.choice(_OUTLET_WORDS)}", taken)
        outlets.append(
            Outlet(name, name.lower().removeprefix("the ").replace(" ", "") + ".example")
        )
    return World(
        countries=tuple(countries),
        country_weights=tuple(1.0 / (rank + 1) ** 0.9 for rank in range(len(countries))),
        people=tuple(people),
        orgs=tuple(Org(*o) for o in _ORGS),
        outlets=tuple(outlets),
        outlet_weights=tuple(1.0 / (rank + 1) ** 0.6 for rank in range(len(outlets))),
    )


# -- text with offsets -------------------------------------------------------------------------

_SLOT = re.compile(r"\{(\w+)\}")
Slot = str | Person | Country | Org | Place | date


class AnnotatedText:
    """Text built sentence by sentence from templates; every person, country, organisation,
    place and day put in a slot becomes a mention at its exact offsets."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.size = 0
        self.entities: list[EntityMention] = []
        self.places: list[PlaceMention] = []
        self.dates: list[DateMention] = []
        self.quotes: list[Quote] = []
        self.events: list[Event] = []

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def put(self, text: str) -> None:
        self._parts.append(text)
        self.size += len(text)

    def sentence(self, template: str, slots: dict[str, Slot]) -> dict[str, tuple[int, int]]:
        """Append `template` with its slots filled; the spans of the slots and of the whole
        sentence (key "_")."""
        if self.size and not self._parts[-1].endswith("\n"):
            self.put(" ")
        start = self.size
        spans: dict[str, tuple[int, int]] = {}
        pos = 0
        for match in _SLOT.finditer(template):
            self.put(template[pos : match.start()])
            value = slots[match.group(1)]
            begin = self.size
            self.put(_surface(value))
            spans[match.group(1)] = (begin, self.size)
            self._mention(value, begin, self.size)
            pos = match.end()
        self.put(template[pos:])
        spans["_"] = (start, self.size)
        return spans

    def paragraph(self) -> None:
        if self.size:
            self.put("\n\n")

    def _mention(self, value: Slot, start: int, end: int) -> None:
        text = _surface(value)
        if isinstance(value, Person):
            self.entities.append(
                EntityMention(start, end, text, "PERSON", value.actor_id, value.name, "person",
                              value.country.code, value.role, produced_by=PRODUCED_BY)
            )  # fmt: skip
        elif isinstance(value, Country):
            self.entities.append(
                EntityMention(start, end, text, "GPE", value.code, value.name, "country",
                              value.code, produced_by=PRODUCED_BY)
            )  # fmt: skip
        elif isinstance(value, Org):
            self.entities.append(
                EntityMention(start, end, text, "ORG", value.actor_id, value.name, value.kind,
                              produced_by=PRODUCED_BY)
            )  # fmt: skip
        elif isinstance(value, Place):
            place_id = "place:" + value.name.lower()
            self.places.append(
                PlaceMention(start, end, text, f"{value.name}, {value.country.code}",
                             value.country.code, place_id=place_id, feature="city",
                             produced_by=PRODUCED_BY)
            )  # fmt: skip
        elif isinstance(value, date):
            self.dates.append(
                DateMention(start, end, text, value.isoformat(), Granularity.DAY, value, value,
                            relative=True, anchor=AnchorSource.PUBLISHED, produced_by=PRODUCED_BY)
            )  # fmt: skip


def _surface(value: Slot) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return f"{_MONTHS[value.month - 1]} {value.day}"
    return value.name


# -- stories -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventKind:
    plover: str
    cameo: str
    quad_class: str
    goldstein: float
    lead: str
    title: str


_EVENTS = (
    EventKind("CONSULT", "04", "verbal cooperation", 1.0,
              "{P1} met {P2} in {CITY} on {DAY} for talks on {TOPIC}.",
              "{C1} and {C2} hold talks on {TOPIC}"),
    EventKind("AGREE", "03", "verbal cooperation", 4.0,
              "{C1} and {C2} agreed on {DAY} to work together on {TOPIC}, {P1} announced in "
              "{CITY}.",
              "{C1} and {C2} agree to cooperate on {TOPIC}"),
    EventKind("SUPPORT", "05", "verbal cooperation", 3.5,
              "{P1} pledged backing for {C2} on {TOPIC} during a visit to {CITY} on {DAY}.",
              "{C1} backs {C2} on {TOPIC}"),
    EventKind("COOPERATE", "06", "material cooperation", 6.0,
              "{C1} and {C2} signed a deal on {TOPIC} worth {N} million dollars in {CITY} on "
              "{DAY}.",
              "{C1} and {C2} sign {TOPIC} deal"),
    EventKind("AID", "07", "material cooperation", 7.0,
              "{C1} sent {N} tonnes of aid to {C2} on {DAY}, {P1} said in {CITY}.",
              "{C1} sends aid to {C2}"),
    EventKind("ACCUSE", "11", "verbal conflict", -2.0,
              "{P1} accused {C2} on {DAY} of undermining talks on {TOPIC}, speaking in {CITY}.",
              "{C1} accuses {C2} over {TOPIC}"),
    EventKind("REJECT", "12", "verbal conflict", -4.0,
              "{C2} rejected a proposal from {C1} on {TOPIC} at a meeting in {CITY} on {DAY}.",
              "{C2} rejects {C1} proposal on {TOPIC}"),
    EventKind("THREATEN", "13", "verbal conflict", -6.0,
              "{P1} warned in {CITY} on {DAY} that {C1} could impose new measures on {C2} over "
              "{TOPIC}.",
              "{C1} threatens {C2} with measures over {TOPIC}"),
    EventKind("PROTEST", "14", "material conflict", -6.5,
              "About {N} people protested in {CITY} on {DAY} against the handling of {TOPIC} by "
              "{C1}.",
              "Thousands protest in {CITY} over {TOPIC}"),
    EventKind("SANCTION", "16", "verbal conflict", -4.0,
              "{C1} imposed sanctions on {C2} on {DAY} over {TOPIC}, {P1} said in {CITY}.",
              "{C1} imposes sanctions on {C2} over {TOPIC}"),
    EventKind("MOBILIZE", "15", "material conflict", -7.2,
              "{C1} moved {N} troops toward its border with {C2} on {DAY}, officials in {CITY} "
              "said.",
              "{C1} moves troops toward {C2} border"),
    EventKind("ASSAULT", "18", "material conflict", -9.0,
              "An attack near {CITY} on {DAY} killed {N} people, {P1} said, blaming forces from "
              "{C2}.",
              "Attack near {CITY} kills {N}"),
)  # fmt: skip

_FACTS = (
    "The talks on {TOPIC} were the first between {C1} and {C2} since {YEAR}.",
    "{C1} said {N2} officials would take part in the next round of discussions.",
    "The meeting in {CITY} lasted {H} hours, according to a statement from {ORG}.",
    "{P2} is expected to travel to {CITY2} next month to follow up on {TOPIC}.",
    "Markets in {C1} rose {PCT} percent after the announcement.",
    "{ORG} called on both sides to respect earlier commitments on {TOPIC}.",
    "Trade between {C1} and {C2} reached {N3} billion dollars last year.",
    "{P1}, the {ROLE1} of {C1}, has made {TOPIC} a priority since taking office.",
)
_FILLERS = (
    "{PA}, an analyst in {CITY3}, said the {NOUN} could {VERB} the {NOUN2} in the coming {PERIOD}.",
    "The {NOUN} has been a source of tension in the region for {NUM} years.",
    "Officials in {CITY3} declined to comment on the {ADJ} {NOUN}.",
    "Local media in {C3} reported that {NUM} {PLURAL} were affected during the past {PERIOD}.",
    "{C3} has previously {PAST} similar arrangements with {C4} on {TOPIC2}.",
    "{ORG2} is due to review the {NOUN} again in {MONTH}.",
    "Critics argue that the {ADJ} {NOUN} does little to address {TOPIC2}.",
    "In {YEAR}, {C3} and {C4} {PAST} a {ADJ} {NOUN} that lapsed after {NUM} years.",
    "{PX}, the {ROLEX} of {C3}, said on {DAY2} that the {NOUN} remained {ADJ}.",
    "The {ADJ} {NOUN} is likely to {VERB} relations between the two capitals for {NUM} {PERIOD}.",
    "Several {PLURAL} gathered outside the {NOUN} offices in {CITY3} as the news spread.",
    "Diplomats said a {ADJ} {NOUN} on {TOPIC2} could follow before the end of {MONTH}.",
)
_QUOTE_FORMS = (
    ('"{Q}," {SP} {CUE}.', "said"),
    ('{SP} {CUE} reporters: "{Q}."', "told"),
    ('"{Q}," {CUE} {SP}, the {ROLE} of {C}.', "said"),
)


@dataclass(frozen=True, slots=True)
class _Story:
    """One event and everything its reports say about it."""

    kind: EventKind
    day: date
    slots: dict[str, Slot]
    numbers: dict[str, int]
    facts: tuple[str, ...]
    quotes: tuple[tuple[Person, str], ...]
    size: int


@dataclass(frozen=True, slots=True)
class SyntheticArticle:
    article: Article
    assignment: StoryAssignment
    annotations: Annotations


@dataclass(frozen=True, slots=True)
class _Report:
    """An original report as written: its text, title and mentions (copies cut it)."""

    text: AnnotatedText
    title: str


def _new_story(world: World, rng: random.Random, options: CorpusOptions) -> _Story:
    c1, c2 = _two(rng, world.countries, world.country_weights)
    c3, c4 = _two(rng, world.countries, world.country_weights)
    p1 = rng.choice([p for p in world.people_of(c1) if p.role != "analyst"])
    p2 = rng.choice([p for p in world.people_of(c2) if p.role != "analyst"])
    day = options.start + timedelta(days=rng.randrange(options.days))
    topic = rng.choice(TOPICS)
    slots: dict[str, Slot] = {
        "C1": c1, "C2": c2, "C3": c3, "C4": c4, "P1": p1, "P2": p2, "DAY": day,
        "TOPIC": topic, "TOPIC2": rng.choice(TOPICS), "ROLE1": p1.role,
        "CITY": Place(rng.choice(c1.cities), c1), "CITY2": Place(rng.choice(c2.cities), c2),
        "ORG": rng.choice(world.orgs), "ORG2": rng.choice(world.orgs),
        "YEAR": str(rng.randint(1990, 2021)),
    }  # fmt: skip
    numbers = {"N": rng.randint(12, 4000), "N2": rng.randint(3, 60), "N3": rng.randint(2, 90),
               "H": rng.randint(2, 14), "PCT": rng.randint(1, 9)}  # fmt: skip
    speakers = [p1, p2, *rng.sample(world.people, 2)]
    quotes = tuple(
        (rng.choice(speakers), rng.choice(_QUOTES).format(topic=topic, country=c1.name))
        for _ in range(rng.randint(2, 4))
    )
    size = rng.choices(range(1, len(SIZE_WEIGHTS) + 1), SIZE_WEIGHTS)[0]
    facts = tuple(rng.sample(_FACTS, rng.randint(3, 6)))
    return _Story(rng.choice(_EVENTS), day, slots, numbers, facts, quotes, size)


def _two(
    rng: random.Random, items: Sequence[Country], weights: Sequence[float]
) -> tuple[Country, Country]:
    first = rng.choices(items, weights)[0]
    while (second := rng.choices(items, weights)[0]) is first:
        pass
    return first, second


def _write_report(
    story: _Story, world: World, rng: random.Random, conflict_share: float
) -> _Report:
    """One independent report: lead (the event), facts, quotes, then filler to 300-600 words."""
    out = AnnotatedText()
    slots = dict(story.slots)
    conflicting = rng.random() < conflict_share
    for name, value in story.numbers.items():
        slots[name] = str(value + rng.randint(1, 9) if conflicting and name == "N" else value)
    lead = out.sentence(story.kind.lead, slots)
    out.events.append(_event(story, lead["_"]))
    sentences = [f for f in story.facts if rng.random() < 0.75] + ["quote"] * len(story.quotes)
    sentences += ["filler"] * rng.randint(12, 26)
    rng.shuffle(sentences)
    quotes = list(story.quotes)
    words = rng.randint(300, 600)
    in_paragraph = 0
    for kind in sentences:
        if in_paragraph == 0 or rng.random() < 0.35:
            out.paragraph()
            in_paragraph = 0
        in_paragraph += 1
        if kind == "quote":
            _quote(out, quotes.pop(), rng)
        elif kind == "filler":
            out.sentence(rng.choice(_FILLERS), _filler_slots(slots, world, story.day, rng))
        else:
            out.sentence(kind, slots)
        if out.size > words * 6.2:
            break
    title = _SLOT.sub(lambda m: _surface(slots[m.group(1)]), story.kind.title)
    return _Report(out, title)


def _event(story: _Story, span: tuple[int, int]) -> Event:
    c1, c2, p1, city = (story.slots[k] for k in ("C1", "C2", "P1", "CITY"))
    assert isinstance(c1, Country) and isinstance(c2, Country) and isinstance(city, Place)
    assert isinstance(p1, Person)
    k = story.kind
    return Event(span[0], span[1], k.plover, k.cameo, k.quad_class, k.goldstein,
                 modality=Modality.ASSERTED, source_actor=c1.code, source_entity=p1.actor_id,
                 target_actor=c2.code, date=story.day.isoformat(),
                 place=f"{city.name}, {city.country.code}", confidence=0.8,
                 produced_by=PRODUCED_BY)  # fmt: skip


def _quote(out: AnnotatedText, said: tuple[Person, str], rng: random.Random) -> None:
    speaker, content = said
    template, cue = rng.choice(_QUOTE_FORMS)
    slots: dict[str, Slot] = {"Q": content, "SP": speaker, "CUE": cue, "ROLE": speaker.role,
                              "C": speaker.country}  # fmt: skip
    spans = out.sentence(template, slots)
    (start, end), (s_start, s_end), (c_start, c_end) = spans["Q"], spans["SP"], spans["CUE"]
    out.quotes.append(
        Quote(start, end, content, QuoteKind.DIRECT, speaker.name, s_start, s_end, speaker.name,
              speaker.actor_id, "person", cue, c_start, c_end, ((start, end),), PRODUCED_BY)
    )  # fmt: skip


def _filler_slots(
    base: dict[str, Slot], world: World, day: date, rng: random.Random
) -> dict[str, Slot]:
    c3 = base["C3"]
    assert isinstance(c3, Country)
    px = rng.choice(world.people[:300])
    return {
        **base,
        "PA": rng.choice(world.people[300:]), "PX": px, "ROLEX": px.role,
        "CITY3": Place(rng.choice(c3.cities), c3), "NOUN": rng.choice(NOUNS),
        "NOUN2": rng.choice(NOUNS), "ADJ": rng.choice(_ADJECTIVES), "VERB": rng.choice(_VERBS),
        "PAST": rng.choice(_PAST_VERBS), "PLURAL": rng.choice(_PLURALS),
        "PERIOD": rng.choice(_PERIODS), "MONTH": rng.choice(_MONTHS),
        "NUM": str(rng.randint(2, 40)), "DAY2": day - timedelta(days=rng.randint(1, 20)),
    }  # fmt: skip


# -- articles ----------------------------------------------------------------------------------


class Generator:
    """Stories of synthetic articles with their memberships and annotations, in order."""

    def __init__(self, options: CorpusOptions) -> None:
        self.options = options
        self._rng = random.Random(options.seed)
        self.world = make_world(self._rng, options.outlets)
        self._seq = 0
        self._serial = 0

    def stories(self) -> Iterator[list[SyntheticArticle]]:
        """Stories until `options.articles` articles are made (the last one may be cut)."""
        left = self.options.articles
        while left > 0:
            story = _new_story(self.world, self._rng, self.options)
            made = self._story_articles(story, min(story.size, left))
            left -= len(made)
            yield made

    def _story_articles(self, story: _Story, size: int) -> list[SyntheticArticle]:
        rng = self._rng
        made: list[SyntheticArticle] = []
        written: list[tuple[_Report, Article]] = []
        story_id = ""
        for i in range(size):
            copy_of = (
                rng.choice(written) if written and rng.random() < self.options.copy_share else None
            )
            report = (
                copy_of[0]
                if copy_of
                else _write_report(story, self.world, rng, self.options.conflict_share)
            )
            article, notes = self._article(story, report, cut=copy_of is not None)
            if i == 0:
                story_id = story_id_for(article.id)
            if copy_of is None:
                written.append((report, article))
            assignment = StoryAssignment(
                article_id=article.id,
                story_id=story_id,
                seq=self._seq,
                score=0.0 if i == 0 else round(rng.uniform(0.55, 0.95), 3),
                duplicate_of=copy_of[1].id if copy_of else None,
                duplicate_similarity=round(rng.uniform(0.88, 0.99), 3) if copy_of else None,
                outlet_key=article.url.split("/")[2] if article.url else "",
                produced_by=PRODUCED_BY,
            )
            self._seq += 1
            made.append(SyntheticArticle(article, assignment, notes))
        return made

    def _article(self, story: _Story, report: _Report, *, cut: bool) -> tuple[Article, Annotations]:
        rng = self._rng
        text = report.text.text
        if cut:  # a wire copy: the same text, its last paragraph dropped
            last = text.rfind("\n\n")
            text = text[:last] if last > len(text) // 2 else text
        outlet = rng.choices(self.world.outlets, self.world.outlet_weights)[0]
        self._serial += 1
        published = datetime.combine(story.day, datetime.min.time(), UTC) + timedelta(
            minutes=rng.randint(60, 72 * 60)
        )
        dated = rng.random() >= self.options.undated_share
        slug = re.sub(r"[^a-z0-9]+", "-", report.title.lower()).strip("-")
        url = f"https://{outlet.domain}/{story.day:%Y/%m/%d}/{slug}-{self._serial}"
        author = rng.choice(self.world.people[300:]).name
        article = Article(
            id=article_id(url, text),
            source=url,
            text=text,
            title=report.title,
            url=url,
            canonical_url=url,
            outlet=outlet.name,
            authors=(author,) if rng.random() < 0.7 else (),
            published=published if dated else None,
            published_source=DateSource.METADATA if dated else None,
            published_confidence=0.95 if dated else None,
            language="en",
            fetched_at=published + timedelta(hours=1),
            produced_by=PRODUCED_BY,
        )
        return article, _annotations(article, report.text, published if dated else None)


def _annotations(
    article: Article, source: AnnotatedText, published: datetime | None
) -> Annotations:
    """The report's mentions that fall inside this article's text (a copy is cut short)."""
    n = len(article.text)
    anchor = (
        DateAnchor(published.date(), AnchorSource.PUBLISHED)
        if published
        else DateAnchor(None, AnchorSource.NONE)
    )
    return Annotations(
        article_id=article.id,
        status=AnnotationStatus.ANNOTATED,
        language="en",
        anchor=anchor,
        entities=tuple(m for m in source.entities if m.end <= n),
        quotes=tuple(q for q in source.quotes if q.end <= n),
        dates=tuple(d for d in source.dates if d.end <= n),
        places=tuple(p for p in source.places if p.end <= n),
        events=tuple(e for e in source.events if e.end <= n),
        produced_by=PRODUCED_BY,
    )


# -- the store ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BuildReport:
    articles: int
    stories: int
    copies: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def build_store(
    store: Store,
    options: CorpusOptions = CorpusOptions(),  # noqa: B008 (frozen)
    progress: Callable[[int], None] | None = None,
) -> BuildReport:
    """Write a synthetic corpus into `store` (expected empty) through its own write functions:
    articles (indexed for search by the store's triggers), stories, annotations."""
    started = time.perf_counter()
    generator = Generator(options)
    run_id = store.start_run(["synthetic"], {"seed": options.seed, "articles": options.articles})
    stories = copies = done = 0
    batch: list[SyntheticArticle] = []
    for story in generator.stories():
        batch.extend(story)
        stories += 1
        copies += sum(1 for s in story if s.assignment.duplicate_of is not None)
        if len(batch) >= options.batch_articles:
            done += _write(store, batch, run_id)
            batch = []
            if progress is not None:
                progress(done)
    done += _write(store, batch, run_id)
    store.finish_run(run_id, RunCounts(pages_seen=done, ingested=done))
    return BuildReport(done, stories, copies, time.perf_counter() - started)


def _write(store: Store, batch: list[SyntheticArticle], run_id: int) -> int:
    if not batch:
        return 0
    store.add_articles([s.article for s in batch], run_id)
    last = max(s.assignment.seq for s in batch)
    store.save_clustering([s.assignment for s in batch], [], PRODUCED_BY.encode(), last)
    store.put_annotations([s.annotations for s in batch])
    return len(batch)
