"""Place mentions: countries, capitals used as places, regions with coordinates."""

from __future__ import annotations

from datetime import date

from newsfuse.annotate.actors import Gazetteer
from newsfuse.annotate.entities import EntityResolver
from newsfuse.annotate.nlp import english
from newsfuse.annotate.places import find_places
from newsfuse.model import PlaceMention


def places_of(text: str) -> list[PlaceMention]:
    gazetteer = Gazetteer.default()
    resolver = EntityResolver(gazetteer, date(2023, 9, 15))
    resolver.add(english()(text))
    return find_places(resolver.found(), gazetteer)


def test_region_with_country_and_coordinates() -> None:
    places = places_of("The North Korean leader met Putin in Russia's far-eastern Amur Oblast.")
    amur = next(p for p in places if "Amur" in p.text)
    assert amur.canonical and "Amur" in amur.canonical
    assert amur.country == "RUS"
    assert amur.lat is not None and 45 < amur.lat < 60
    assert amur.lon is not None and 115 < amur.lon < 140


def test_capital_in_a_locative_phrase_is_a_place() -> None:
    places = places_of("Journalists gathered at a forum in Seoul.")
    seoul = next(p for p in places if p.text == "Seoul")
    assert seoul.country == "KOR" and seoul.lat is not None


def test_capital_acting_as_government_is_not_a_place() -> None:
    assert not [p for p in places_of("Seoul condemned the launch.") if p.text == "Seoul"]


def test_country_as_place_only_in_a_locative_phrase() -> None:
    places = places_of("Russia denied it. The summit was held in Russia.")
    russia = [p for p in places if p.text == "Russia"]
    assert len(russia) == 1 and russia[0].country == "RUS"
    assert russia[0].start > 20
