"""Entity mentions and their canonical actors, on small fictional texts about real actors."""

from __future__ import annotations

from datetime import date

import pytest

from newsfuse.annotate.actors import Gazetteer
from newsfuse.annotate.entities import EntityResolver, clean_key
from newsfuse.annotate.nlp import english
from newsfuse.model import EntityMention, MentionForm


def resolve(text: str, on: date | None = date(2023, 9, 15), people=()) -> list[EntityMention]:
    resolver = EntityResolver(Gazetteer.default(), on, people)
    resolver.add(english()(text))
    return resolver.mentions()


def by_text(mentions: list[EntityMention], text: str) -> EntityMention:
    found = [m for m in mentions if m.text == text]
    assert found, f"{text!r} not among {[m.text for m in mentions]}"
    return found[0]


def test_spellings_of_one_person_share_an_id() -> None:
    a = by_text(resolve("Kim Jong Un arrived by train."), "Kim Jong Un")
    b = by_text(resolve("Kim Jong-un arrived by train."), "Kim Jong-un")
    assert a.actor_id == b.actor_id
    assert a.kind == "person" and a.country == "PRK"


def test_capital_acting_as_government_is_its_country() -> None:
    mentions = resolve("Seoul said it would respond. Pyongyang did not comment.")
    seoul = by_text(mentions, "Seoul")
    assert (seoul.actor_id, seoul.form) == ("KOR", MentionForm.METONYM)
    assert by_text(mentions, "Pyongyang").actor_id == "PRK"


def test_capital_as_location_is_not_the_government() -> None:
    seoul = by_text(resolve("The forum took place in Seoul on Friday."), "Seoul")
    assert seoul.actor_id != "KOR"
    assert seoul.country == "KOR"


def test_the_kremlin_is_russia() -> None:
    mentions = resolve("The Kremlin said the talks were private.")
    kremlin = next(m for m in mentions if "Kremlin" in m.text)
    assert kremlin.actor_id == "RUS"


def test_demonym_is_a_country() -> None:
    mention = by_text(resolve("South Korean officials met on Tuesday."), "South Korean")
    assert (mention.actor_id, mention.form) == ("KOR", MentionForm.DEMONYM)


def test_title_gives_role_and_country() -> None:
    mentions = resolve("South Korean Foreign Minister Park Jin spoke to reporters.")
    park = by_text(mentions, "Park Jin")
    assert park.kind == "person"
    assert park.role == "foreign minister"
    assert park.country == "KOR"
    assert park.actor_id and park.actor_id.startswith("person:")


def test_unknown_person_gets_role_from_apposition() -> None:
    text = (
        "Mara Ostrovel, the spokesperson for the Valdorian Foreign Ministry, declined to comment."
    )
    mara = by_text(resolve(text), "Mara Ostrovel")
    assert mara.actor_id == "person:mara-ostrovel"
    assert mara.role == "spokesperson"


def test_short_form_resolves_to_the_full_name_before_it() -> None:
    text = (
        "Lim Soo-suk, the spokesperson for the Foreign Ministry, briefed reporters. "
        "Lim underscored the point on Thursday."
    )
    mentions = resolve(text)
    full = by_text(mentions, "Lim Soo-suk")
    short = [m for m in mentions if m.text == "Lim"]
    assert short and short[0].actor_id == full.actor_id
    assert short[0].form == MentionForm.SHORT


def test_role_phrase_resolves_to_the_person_who_holds_it() -> None:
    text = (
        "South Korean Foreign Minister Park Jin met the press in Seoul. "
        "Later, South Korea's top diplomat told journalists the talks were a threat. "
        "The minister responded that all measures were under review."
    )
    mentions = resolve(text)
    park = by_text(mentions, "Park Jin")
    roles = [m for m in mentions if m.form == MentionForm.NOMINAL]
    assert {m.text for m in roles} >= {"South Korea's top diplomat", "The minister"}
    assert all(m.actor_id == park.actor_id for m in roles)


def test_role_phrase_without_a_prior_name_uses_the_gazetteer_on_the_date() -> None:
    mentions = resolve("The North Korean leader arrived by armoured train.", on=date(2023, 9, 12))
    leader = [m for m in mentions if m.form == MentionForm.NOMINAL]
    assert leader and leader[0].canonical and "Kim Jong" in leader[0].canonical


def test_story_people_merge_spellings_across_articles() -> None:
    people = (("person:oleksandr-varenko", "Oleksandr Varenko"),)
    mention = by_text(
        resolve("Olexandr Varenko said on Monday that the talks failed.", people=people),
        "Olexandr Varenko",
    )
    assert mention.actor_id == "person:oleksandr-varenko"
    assert mention.canonical == "Oleksandr Varenko"


def test_international_bodies() -> None:
    mentions = resolve("The move violates U.N. Security Council resolutions, NATO said.")
    assert any(m.actor_id == "igo:unsc" for m in mentions)
    assert any(m.actor_id == "igo:nato" for m in mentions)


def test_offsets_index_into_the_text() -> None:
    text = (
        "“We will respond,” Seoul said.\n\nKim Jong-un met Vladimir Putin in Russia’s Amur Oblast."
    )
    resolver = EntityResolver(Gazetteer.default(), date(2023, 9, 15))
    resolver.add(english()(text[31:]), offset=31)
    for m in resolver.mentions():
        assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("the Kremlin", "Kremlin"),
        ("South Korea’s", "South Korea"),
        ("U.N.\n\nSecurity Council", "U.N. Security Council"),
    ],
)
def test_clean_key(raw: str, key: str) -> None:
    assert clean_key(raw) == key


def test_role_phrase_never_resolves_to_a_person_named_after_it() -> None:
    text = (
        "South Korean Foreign Minister Park Jin spoke first. The minister responded calmly. "
        "Russian Defense Minister Sergei Shoigu visited later."
    )
    mentions = resolve(text)
    minister = next(m for m in mentions if m.text == "The minister")
    assert minister.canonical == "Park Jin"


def test_according_to_names_a_source_not_a_place() -> None:
    kremlin = next(
        m for m in resolve("According to the Kremlin, the talks went well.") if "Kremlin" in m.text
    )
    assert kremlin.actor_id == "RUS"


def test_a_surname_alone_resolves_to_the_one_office_holder_of_that_name() -> None:
    mentions = resolve("Putin told the meeting that the talks were useful.", on=date(2023, 9, 13))
    putin = by_text(mentions, "Putin")
    assert putin.actor_id == "person:vladimir-putin"
    assert putin.kind == "person"


def test_title_with_an_institution_gives_role_and_country() -> None:
    text = "White House spokesman Josh Earnest declined to comment on the report."
    earnest = by_text(resolve(text, on=date(2016, 9, 1)), "Josh Earnest")
    assert earnest.role == "spokesperson"
    assert earnest.country == "USA"


def test_name_suffix_is_not_a_short_form() -> None:
    mentions = resolve("Joseph R. Biden Jr. spoke. Later, Jr. Smith arrived.", on=date(2016, 9, 1))
    assert not [m for m in mentions if m.text == "Jr." and m.kind == "person"]
