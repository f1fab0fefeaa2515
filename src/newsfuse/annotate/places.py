"""Place mentions: which entity mentions are places, and where they are.

A country or a capital is a place when the text puts something *in* it ("at a forum in Seoul");
acting as a subject it is an actor ("Seoul said") and only `entities` lists it. Regions,
cities below capital rank, landmarks and waters are always places. The shipped gazetteer gives
the country and, where it has them, coordinates; a country named beside the mention breaks ties
("Russia's far-eastern Amur Oblast").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from newsfuse.annotate.actors import Actor, Gazetteer
from newsfuse.annotate.entities import Found, clean_key
from newsfuse.model import MentionForm, PlaceMention

PRODUCED_BY = "newsfuse.places.v1"

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_ACTOR_FEATURES = frozenset({"country", "capital"})
"""Features that name a government as often as a place: places only in a locative phrase."""


_MAJOR_FEATURES = frozenset({"country", "capital"})
_NOT_PLACES = frozenset(
    {"eastern", "western", "northern", "southern", "central", "east", "west", "north", "south"}
)
"""Words spaCy tags as places that the gazetteer happens to know as some region ("Eastern",
Fiji): never a place on their own."""


def find_places(found: Sequence[Found], gazetteer: Gazetteer) -> list[PlaceMention]:
    """The place mentions among an article's entity mentions, in text order."""
    prior = _article_country(found)
    out: list[PlaceMention] = []
    for item in found:
        place = _place(item, gazetteer, prior)
        if place is not None:
            out.append(place)
    return out


def _article_country(found: Sequence[Found]) -> str | None:
    """The country the article names most: the tie-breaker for a minor place's name
    ("Toledo" in an article about Ohio is not the district in Belize)."""
    counts = Counter(
        f.mention.country for f in found if f.mention.kind == "country" and f.mention.country
    )
    return counts.most_common(1)[0][0] if counts else None


def _resolve(key: str, hint: str | None, prior: str | None, gazetteer: Gazetteer) -> Actor | None:
    actor = gazetteer.place(key, hint)
    minor = actor is not None and _feature(actor) not in _MAJOR_FEATURES
    if hint is None and prior is not None and minor and actor.country != prior:
        actor = gazetteer.place(key, prior)
    return actor


def _place(item: Found, gazetteer: Gazetteer, prior: str | None = None) -> PlaceMention | None:
    mention = item.mention
    if mention.form in {MentionForm.DEMONYM, MentionForm.NOMINAL, MentionForm.SHORT}:
        return None
    if mention.kind in {"person", "igo", "organisation", "outlet"}:
        return None
    if mention.label not in _PLACE_LABELS and mention.kind not in {"place", "country"}:
        return None
    key = clean_key(mention.text)
    if not any(c.isupper() for c in key) or key.lower() in _NOT_PLACES:
        return None
    actor = _resolve(key, item.country_hint, prior, gazetteer)
    if actor is None:
        if mention.label in {"LOC", "FAC"} or (item.locative and mention.label == "GPE"):
            return PlaceMention(
                mention.start,
                mention.end,
                mention.text,
                key,
                item.country_hint,
                place_id=mention.actor_id,
                produced_by=PRODUCED_BY,
            )
        return None
    if _feature(actor) in _ACTOR_FEATURES and not item.locative:
        return None
    return PlaceMention(
        mention.start,
        mention.end,
        mention.text,
        actor.name,
        actor.id if actor.kind == "country" else actor.country,
        actor.lat,
        actor.lon,
        actor.id,
        _feature(actor),
        PRODUCED_BY,
    )


def _feature(actor: Actor) -> str:
    return "country" if actor.kind == "country" else (actor.feature or "area")
