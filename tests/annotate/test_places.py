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


def test_minor_place_name_prefers_the_country_the_article_is_about() -> None:
    text = (
        "The United States campaign moved on. Voters in the United States heard the pitch in "
        "Toledo on Monday, and the United States press followed."
    )
    toledo = next(p for p in places_of(text) if p.text == "Toledo")
    assert toledo.country == "USA"


def test_capital_keeps_its_country_whatever_the_article_is_about() -> None:
    text = "The United States delegation flew on. The United States envoy met officials in Paris."
    paris = next(p for p in places_of(text) if p.text == "Paris")
    assert paris.country == "FRA"


def test_direction_words_are_not_places() -> None:
    assert not [p for p in places_of("Troops moved into Eastern Ukraine.") if p.text == "Eastern"]
