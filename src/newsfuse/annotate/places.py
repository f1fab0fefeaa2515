"""Place mentions: which entity mentions are places, and where they are.

A country or a capital is a place when the text puts something *in* it ("at a forum in Seoul");
acting as a subject it is an actor ("Seoul said") and only `entities` lists it. Regions,
cities below capital rank, landmarks and waters are always places. The shipped gazetteer gives
the country and, where it has them, coordinates; a country named beside the mention breaks ties
("Russia's far-eastern Amur Oblast").
"""

from __future__ import annotations

from collections.abc import Iterable

from newsfuse.annotate.actors import Actor, Gazetteer
from newsfuse.annotate.entities import Found, clean_key
from newsfuse.model import MentionForm, PlaceMention

PRODUCED_BY = "newsfuse.places.v1"

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_ACTOR_FEATURES = frozenset({"country", "capital"})
"""Features that name a government as often as a place: places only in a locative phrase."""


def find_places(found: Iterable[Found], gazetteer: Gazetteer) -> list[PlaceMention]:
    """The place mentions among an article's entity mentions, in text order."""
    out: list[PlaceMention] = []
    for item in found:
        place = _place(item, gazetteer)
        if place is not None:
            out.append(place)
    return out


def _place(item: Found, gazetteer: Gazetteer) -> PlaceMention | None:
    mention = item.mention
    if mention.form in {MentionForm.DEMONYM, MentionForm.NOMINAL, MentionForm.SHORT}:
        return None
    if mention.kind in {"person", "igo", "organisation", "outlet"}:
        return None
    if mention.label not in _PLACE_LABELS and mention.kind not in {"place", "country"}:
        return None
    key = clean_key(mention.text)
    actor = gazetteer.place(key, item.country_hint)
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
