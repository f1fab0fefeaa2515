"""The JSON API over HTTP: a real uvicorn server on 127.0.0.1 over a real store of the sample
corpus (ingested, clustered and annotated once per module), driven with httpx."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from live_server import LiveServer
from newsfuse.api import open_newsfuse
from newsfuse.config import Settings
from newsfuse.store.engine import parse_url


def ingested_store(url: str, corpus: Path) -> None:
    with open_newsfuse(url) as news:
        report = news.ingest([str(corpus)])
        assert report.counts.ingested > 20


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'api.db'}"
    ingested_store(url, corpus_dir)
    return url


@pytest.fixture(scope="module")
def api(db_url: str) -> Iterator[httpx.Client]:
    with LiveServer(Settings(db_url=db_url)) as client:
        yield client


def get_ok(api: httpx.Client, path: str, **query: Any) -> Any:
    response = api.get(path, params=query)
    assert response.status_code == 200, response.text
    return response.json()


def all_pages(api: httpx.Client, path: str, **query: Any) -> list[list[dict[str, Any]]]:
    """Every page of a listing, following next_cursor."""
    pages: list[list[dict[str, Any]]] = []
    cursor: str | None = None
    while True:
        body = get_ok(api, path, **query, **({"cursor": cursor} if cursor else {}))
        assert set(body) >= {"items", "next_cursor"}
        pages.append(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 100, "the cursor does not advance"


def ombra_story(api: httpx.Client) -> dict[str, Any]:
    found = get_ok(api, "/api/stories", title="Ombra", min_articles=5)["items"]
    assert len(found) == 1
    return found[0]  # type: ignore[no-any-return]


# -- schema ------------------------------------------------------------------------------------

ENDPOINTS = (
    "/api/stories",
    "/api/stories/{story_id}",
    "/api/stories/{story_id}/dossier",
    "/api/stories/{story_id}/events",
    "/api/stories/{story_id}/quotes",
    "/api/articles",
    "/api/articles/{article_id}",
    "/api/entities",
    "/api/entities/{actor_id}",
    "/api/quotes",
    "/api/events",
    "/api/search",
    "/api/runs",
    "/api/runs/{run_id}",
    "/api/health",
    "/api/ingest",
)


def test_openapi_lists_every_endpoint_with_models(api: httpx.Client) -> None:
    schema = get_ok(api, "/api/openapi.json")
    assert schema["openapi"].startswith("3.")
    assert set(ENDPOINTS) <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/ingest"]
    names = set(schema["components"]["schemas"])
    assert {"StoryPage", "StoryOut", "DossierOut", "ArticleOut", "SearchPage", "ErrorOut"} <= names
    stories = schema["paths"]["/api/stories"]["get"]
    assert {p["name"] for p in stories["parameters"]} >= {
        "since", "until", "outlet", "entity", "event_type", "language", "q", "title",
        "min_articles", "limit", "cursor",
    }  # fmt: skip
    ok = stories["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["$ref"].endswith("/StoryPage")
    assert api.get("/api/docs").status_code == 200
    body = schema["paths"]["/api/ingest"]["post"]["requestBody"]["content"]["application/json"]
    assert set(body["schema"]["properties"]) == {"urls", "pages"}
    for ref in _refs(schema):  # every reference resolves inside the document
        assert ref.startswith("#/components/schemas/")
        assert ref.removeprefix("#/components/schemas/") in names


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_health(api: httpx.Client) -> None:
    from newsfuse import __version__

    health = get_ok(api, "/api/health")
    assert health == {"status": "ok", "version": __version__, "backend": "sqlite"}


# -- stories -----------------------------------------------------------------------------------


def test_story_list_pages_by_cursor_without_overlap(api: httpx.Client) -> None:
    everything = get_ok(api, "/api/stories")
    assert everything["next_cursor"] is None
    ids = [s["id"] for s in everything["items"]]
    assert len(ids) >= 5
    first = everything["items"][0]
    assert set(first) >= {"id", "title", "first_published", "article_count", "outlets"}
    pages = all_pages(api, "/api/stories", limit=2)
    assert len(pages) >= 3 and all(len(p) <= 2 for p in pages)
    paged = [s["id"] for page in pages for s in page]
    assert paged == ids and len(set(paged)) == len(paged)


def test_story_filters(api: httpx.Client) -> None:
    everything = get_ok(api, "/api/stories")["items"]
    accord = ombra_story(api)
    assert "Ombra" in accord["title"] and accord["article_count"] == 5

    wire = get_ok(api, "/api/stories", outlet="meridian wire")["items"]
    assert wire and all("Meridian Wire" in s["outlets"] for s in wire)
    assert len(wire) < len(everything) or all("Meridian Wire" in s["outlets"] for s in everything)

    german = get_ok(api, "/api/stories", language="de")["items"]
    assert german and all("de" in s["languages"] for s in german)

    named = get_ok(api, "/api/stories", entity="place:valdoria")["items"]
    assert accord["id"] in {s["id"] for s in named}

    searched = get_ok(api, "/api/stories", q="water-sharing accord")["items"]
    assert accord["id"] in {s["id"] for s in searched}
    assert not get_ok(api, "/api/stories", q="zyxwvutsrq")["items"]

    dated = get_ok(api, "/api/stories", since="2025-03-01", until="2025-04-01")["items"]
    assert accord["id"] in {s["id"] for s in dated}
    assert not get_ok(api, "/api/stories", since="2030-01-01T00:00:00+00:00")["items"]

    assert all(
        s["article_count"] >= 5 for s in get_ok(api, "/api/stories", min_articles=5)["items"]
    )
    event_type = get_ok(api, "/api/events", limit=1)["items"][0]["plover"]
    typed = get_ok(api, "/api/stories", event_type=event_type.lower())["items"]
    assert typed


def test_story_detail_dossier_events_and_quotes(api: httpx.Client) -> None:
    accord = ombra_story(api)
    detail = get_ok(api, f"/api/stories/{accord['id']}")
    assert detail["id"] == accord["id"] and len(detail["reports"]) == 3
    assert sum(1 + len(r["copies"]) for r in detail["reports"]) == 5
    by_prefix = get_ok(api, f"/api/stories/{accord['id'][:10]}")
    assert by_prefix["id"] == accord["id"]

    dossier = get_ok(api, f"/api/stories/{accord['id']}/dossier")
    assert dossier["story"]["id"] == accord["id"] and dossier["headline"]
    assert dossier["facts"]["shared"] and dossier["summary"]

    events = get_ok(api, f"/api/stories/{accord['id']}/events")
    assert events["story_id"] == accord["id"]
    for event in events["items"]:
        assert event["plover"] and event["reports"]

    quotes = get_ok(api, f"/api/stories/{accord['id']}/quotes")
    assert quotes["speakers"] == dossier["quotes"]
    assert any(s["quotes"] for s in quotes["speakers"])


# -- articles ----------------------------------------------------------------------------------


def test_articles_list_filters_and_paging(api: httpx.Client) -> None:
    everything = [a["id"] for page in all_pages(api, "/api/articles", limit=200) for a in page]
    pages = all_pages(api, "/api/articles", limit=7)
    assert len(pages) >= 3
    assert [a["id"] for page in pages for a in page] == everything
    assert len(set(everything)) == len(everything) >= 20

    accord = ombra_story(api)
    in_story = get_ok(api, "/api/articles", story=accord["id"])["items"]
    assert len(in_story) == 5 and {a["story_id"] for a in in_story} == {accord["id"]}
    wire = get_ok(api, "/api/articles", outlet="Meridian Wire")["items"]
    assert wire and {a["outlet"] for a in wire} == {"Meridian Wire"}
    assert {a["language"] for a in get_ok(api, "/api/articles", language="de")["items"]} == {"de"}
    named = get_ok(api, "/api/articles", entity="place:valdoria")["items"]
    assert named and len(named) < len(everything)
    dated = get_ok(api, "/api/articles", since="2025-06-01", until="2025-07-01")["items"]
    assert dated and all(a["published"][:7] in {"2025-05", "2025-06", "2025-07"} for a in dated)


def test_article_detail_with_annotations(api: httpx.Client) -> None:
    accord = ombra_story(api)
    first = get_ok(api, "/api/articles", story=accord["id"], limit=1)["items"][0]
    article = get_ok(api, f"/api/articles/{first['id']}")
    assert article["id"] == first["id"] and article["text"] and article["story_id"]
    annotations = article["annotations"]
    assert annotations["status"] == "annotated" and annotations["entities"]
    for mention in annotations["entities"]:
        assert article["text"][mention["start"] : mention["end"]] == mention["text"]
    assert get_ok(api, f"/api/articles/{first['id'][:8]}")["id"] == first["id"]


# -- entities, quotes, events ------------------------------------------------------------------


def test_entities_list_detail_and_paging(api: httpx.Client) -> None:
    first = get_ok(api, "/api/entities", limit=5)
    assert len(first["items"]) == 5 and first["next_cursor"]
    counts = [e["article_count"] for e in first["items"]]
    assert counts == sorted(counts, reverse=True)
    second = get_ok(api, "/api/entities", limit=5, cursor=first["next_cursor"])
    assert not {e["actor_id"] for e in first["items"]} & {e["actor_id"] for e in second["items"]}

    places = get_ok(api, "/api/entities", kind="place")["items"]
    assert places and {e["kind"] for e in places} == {"place"}
    found = get_ok(api, "/api/entities", q="valdoria")["items"]
    assert "place:valdoria" in {e["actor_id"] for e in found}

    detail = get_ok(api, "/api/entities/place:valdoria")
    assert detail["entity"]["actor_id"] == "place:valdoria"
    assert detail["stories"] and detail["articles"]
    assert ombra_story(api)["id"] in {s["id"] for s in detail["stories"]}


def test_quotes_by_speaker_and_story(api: httpx.Client) -> None:
    accord = ombra_story(api)
    in_story = all_pages(api, "/api/quotes", story=accord["id"], limit=2)
    quotes = [q for page in in_story for q in page]
    assert len(in_story) >= 2 and quotes
    keys = [(q["article_id"], q["start"]) for q in quotes]
    assert len(set(keys)) == len(keys)
    assert {q["story_id"] for q in quotes} == {accord["id"]}

    speaker = next(q["speaker_id"] for q in quotes if q["speaker_id"])
    said = [q for page in all_pages(api, "/api/quotes", speaker=speaker, limit=1) for q in page]
    assert said and {q["speaker_id"] for q in said} == {speaker}
    both = get_ok(api, "/api/quotes", speaker=speaker, story=accord["id"])["items"]
    assert both and all(q["story_id"] == accord["id"] for q in both)


def test_quote_pages_cut_short_by_the_scan_cap_go_on(
    api: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsfuse.service import api_routes

    speaker = "place:valdoria"
    whole = [q for page in all_pages(api, "/api/quotes", speaker=speaker) for q in page]
    assert whole
    monkeypatch.setattr(api_routes, "_QUOTE_BATCH", 2)
    monkeypatch.setattr(api_routes, "_QUOTE_SCAN", 4)
    pages = all_pages(api, "/api/quotes", speaker=speaker)
    assert len(pages) > 1 and [q for page in pages for q in page] == whole


def test_events_filters_and_paging(api: httpx.Client) -> None:
    everything = [e for page in all_pages(api, "/api/events", limit=200) for e in page]
    assert everything
    paged = [e for page in all_pages(api, "/api/events", limit=3) for e in page]
    assert [(e["article_id"], e["start"], e["plover"]) for e in paged] == [
        (e["article_id"], e["start"], e["plover"]) for e in everything
    ]
    plover = everything[0]["plover"]
    typed = get_ok(api, "/api/events", plover=plover, limit=200)["items"]
    assert typed and {e["plover"] for e in typed} == {plover}
    for event in typed:
        assert event["text"]
    accord = ombra_story(api)
    in_story = get_ok(api, "/api/events", story=accord["id"], limit=200)["items"]
    ids = {a["id"] for a in get_ok(api, "/api/articles", story=accord["id"])["items"]}
    assert {e["article_id"] for e in in_story} <= ids


# -- search ------------------------------------------------------------------------------------


def test_search_hits_snippets_and_paging(api: httpx.Client) -> None:
    body = get_ok(api, "/api/search", q="accord")
    assert body["total"] == len(body["items"]) >= 3
    for hit in body["items"]:
        assert hit["highlights"] and hit["story_id"] == hit["article"]["story_id"]
        start, end = hit["highlights"][0]
        assert hit["snippet"][start:end].lower().startswith("accord")
    pages = all_pages(api, "/api/search", q="accord", limit=2)
    assert [h["article"]["id"] for p in pages for h in p] == [
        h["article"]["id"] for h in body["items"]
    ]
    wire = get_ok(api, "/api/search", q="accord", outlet="Meridian Wire")["items"]
    assert wire and {h["article"]["outlet"] for h in wire} == {"Meridian Wire"}
    sql = get_ok(api, "/api/search", q="accord' OR 1=1; DROP TABLE articles; --")
    assert sql["total"] <= body["total"]
    assert get_ok(api, "/api/search", q="accord")["total"] == body["total"]


# -- runs --------------------------------------------------------------------------------------


def test_runs_and_run(api: httpx.Client) -> None:
    runs = get_ok(api, "/api/runs")["items"]
    assert len(runs) == 1 and runs[0]["status"] == "finished" and runs[0]["ingested"] > 20
    run = get_ok(api, f"/api/runs/{runs[0]['id']}")
    assert run["id"] == runs[0]["id"] and run["rejections"] == []


# -- bad input ---------------------------------------------------------------------------------


def _cursor(payload: object) -> str:
    raw = json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


SQL = "1' OR '1'='1'; DROP TABLE articles; --"
LONG = "x" * 501

BAD_INPUT = [
    ("/api/stories", {"limit": 0}),
    ("/api/stories", {"limit": -5}),
    ("/api/stories", {"limit": 10**30}),
    ("/api/stories", {"limit": 201}),
    ("/api/stories", {"limit": "ten"}),
    ("/api/stories", {"limit": SQL}),
    ("/api/stories", {"since": "2023-13-45"}),
    ("/api/stories", {"since": "yesterday"}),
    ("/api/stories", {"until": SQL}),
    ("/api/stories", {"since": "9999-12-31T23:00:00-05:00"}),
    ("/api/stories", {"until": "0001-01-01T00:00:00+05:00"}),
    ("/api/stories", {"since": "2025-03-01T25:00"}),
    ("/api/stories", {"limit": "1.5"}),
    ("/api/articles", {"until": "0001-01-01T00:00:00+05:00"}),
    ("/api/events", {"since": "9999-12-31T23:00:00-05:00"}),
    ("/api/search", {"q": "accord", "since": "9999-12-31T23:00:00-05:00"}),
    ("/api/stories", {"since": "2025-05-01", "until": "2025-04-01"}),
    ("/api/stories", {"min_articles": -1}),
    ("/api/stories", {"min_articles": SQL}),
    ("/api/stories", {"entity": SQL}),
    ("/api/stories", {"event_type": SQL}),
    ("/api/stories", {"language": SQL}),
    ("/api/stories", {"q": LONG}),
    ("/api/stories", {"title": LONG}),
    ("/api/stories", {"outlet": LONG}),
    ("/api/stories", {"outlet": "Meridian\x00Wire"}),
    ("/api/stories", {"q": '""'}),
    ("/api/stories", {"cursor": "not-a-cursor"}),
    ("/api/stories", {"cursor": SQL}),
    ("/api/stories", {"cursor": "x" * 2000}),
    ("/api/stories", {"cursor": _cursor({"k": "articles", "id": "abc"})}),
    ("/api/stories", {"cursor": _cursor({"k": "stories", "id": "st_0000000000000000"})}),
    ("/api/stories", {"cursor": _cursor({"k": "stories", "id": SQL})}),
    ("/api/stories", {"cursor": _cursor(["stories"])}),
    ("/api/stories/" + "a" * 101, {}),
    ("/api/stories/st_0000000000000000", {}),
    ("/api/stories/st_0000000000000000/dossier", {}),
    ("/api/stories/st_0000000000000000/events", {}),
    ("/api/stories/st_0000000000000000/quotes", {}),
    ("/api/stories/1'%20OR%20'1'='1", {}),
    ("/api/articles", {"limit": 10**9}),
    ("/api/articles", {"since": "2025-02-30"}),
    ("/api/articles", {"story": "st_0000000000000000"}),
    ("/api/articles", {"story": SQL}),
    ("/api/articles", {"cursor": _cursor({"k": "articles", "id": "0" * 20})}),
    ("/api/articles", {"cursor": _cursor({"k": "entities", "o": 5})}),
    ("/api/articles/0000000000", {}),
    ("/api/articles/" + "b" * 200, {}),
    ("/api/articles/x;drop", {}),
    ("/api/entities", {"q": LONG}),
    ("/api/entities", {"kind": SQL}),
    ("/api/entities", {"cursor": _cursor({"k": "entities", "o": -3})}),
    ("/api/entities", {"cursor": _cursor({"k": "entities", "o": "3"})}),
    ("/api/entities", {"cursor": _cursor({"k": "entities", "o": 10**12})}),
    ("/api/entities/person:nobody-at-all", {}),
    ("/api/entities/" + "p" * 201, {}),
    ("/api/quotes", {}),
    ("/api/quotes", {"speaker": SQL}),
    ("/api/quotes", {"story": "st_0000000000000000"}),
    ("/api/quotes", {"speaker": "KOR", "cursor": "%%%"}),
    ("/api/events", {"since": "13/09/2023"}),
    ("/api/events", {"until": "2023-09-14", "since": "2023-09-15"}),
    ("/api/events", {"plover": SQL}),
    ("/api/events", {"modality": SQL}),
    ("/api/events", {"actor": LONG}),
    ("/api/events", {"story": "st_0000000000000000"}),
    ("/api/search", {}),
    ("/api/search", {"q": ""}),
    ("/api/search", {"q": LONG}),
    ("/api/search", {"q": "--- ;;; '''"}),
    ("/api/search", {"q": "accord", "limit": -1}),
    ("/api/search", {"q": "accord", "cursor": _cursor({"k": "search", "o": 1.5})}),
    ("/api/runs", {"limit": 0}),
    ("/api/runs/0", {}),
    ("/api/runs/-1", {}),
    ("/api/runs/abc", {}),
    ("/api/runs/99999999999999999999999", {}),
    ("/api/runs/424242", {}),
]


@pytest.mark.parametrize(("path", "query"), BAD_INPUT)
def test_bad_input_is_a_clear_4xx(api: httpx.Client, path: str, query: dict[str, Any]) -> None:
    response = api.get(path, params=query)
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    body = response.json()
    assert body["error"] and isinstance(body["detail"], str) and body["detail"]


NASTY = (
    SQL,
    LONG,
    "x" * 5000,
    "-1",
    "0",
    "99999999999999999999999999",
    "2025-02-30",
    "9999-12-31T23:59:59-23:59",
    "\x00",
    "%00",
    "\u202e\u0000\ud7ff",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "  ",
    "null",
)


def test_no_parameter_value_makes_a_5xx(api: httpx.Client) -> None:
    """Every query parameter of every GET endpoint the schema lists, with hostile values."""
    accord = ombra_story(api)["id"]
    article = get_ok(api, "/api/articles", limit=1)["items"][0]["id"]
    ids = {"story_id": accord, "article_id": article, "actor_id": "place:valdoria", "run_id": "1"}
    schema = get_ok(api, "/api/openapi.json")
    failures = []
    for template, operations in schema["paths"].items():
        if "get" not in operations or template in ("/api/openapi.json", "/api/docs"):
            continue
        path = template.format(**ids)
        names = [p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"]
        required = {"q": "accord"} if template == "/api/search" else {}
        if template == "/api/quotes":
            required = {"story": accord}
        for name in names:
            for value in NASTY:
                response = api.get(path, params={**required, name: value})
                if response.status_code >= 500:
                    failures.append((path, name, value[:30], response.status_code))
        for value in NASTY if "{" in template else ():  # the id in the path itself
            hostile = template.format(**{name: quote(value, safe="") for name in ids})
            response = api.get(hostile)
            if response.status_code >= 500:
                failures.append((template, "path", value[:30], response.status_code))
    assert not failures


def test_unknown_ids_are_404(api: httpx.Client) -> None:
    for path in (
        "/api/stories/st_0000000000000000",
        "/api/articles/0000000000",
        "/api/entities/person:nobody-at-all",
        "/api/runs/424242",
    ):
        response = api.get(path)
        assert response.status_code == 404, path
        assert "no " in response.json()["detail"]


def test_sql_looking_text_is_only_ever_a_value(api: httpx.Client) -> None:
    for name in ("outlet", "title"):
        assert get_ok(api, "/api/stories", **{name: SQL})["items"] == []
    assert get_ok(api, "/api/articles", outlet=SQL)["items"] == []
    assert get_ok(api, "/api/entities", q=SQL)["items"] == []
    assert len(get_ok(api, "/api/stories")["items"]) >= 5  # nothing was dropped


# -- PostgreSQL --------------------------------------------------------------------------------

LOCAL_PG_URLS = (
    "postgresql+psycopg://newsfuse:newsfuse@127.0.0.1:5432/newsfuse_test",
    "postgresql+psycopg://newsfuse@/newsfuse_test?host=/var/run/postgresql",
)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose connections live in a new, empty schema (as tests/store/conftest.py)."""
    configured = os.environ.get("NEWSFUSE_TEST_PG_URL")
    reachable = None
    for url in (configured,) if configured else LOCAL_PG_URLS:
        engine = create_engine(parse_url(url), poolclass=NullPool)
        try:
            with engine.connect():
                reachable = url
                break
        except DBAPIError:
            continue
        finally:
            engine.dispose()
    if reachable is None:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes", "on"}:
            pytest.fail("PostgreSQL is not reachable")
        pytest.skip("PostgreSQL is not reachable")
    schema = f"nf_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(parse_url(reachable), poolclass=NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    scoped = parse_url(reachable).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.mark.postgres
def test_story_list_and_search_on_postgresql(pg_url: str, corpus_dir: Path) -> None:
    ingested_store(pg_url, corpus_dir)
    with LiveServer(Settings(db_url=pg_url)) as api:
        assert get_ok(api, "/api/health")["backend"] == "postgresql"
        everything = [s["id"] for s in get_ok(api, "/api/stories")["items"]]
        paged = [s["id"] for page in all_pages(api, "/api/stories", limit=2) for s in page]
        assert paged == everything and len(everything) >= 5
        accord = ombra_story(api)
        assert accord["id"] in {s["id"] for s in get_ok(api, "/api/stories", q="accord")["items"]}
        hits = get_ok(api, "/api/search", q="accord")
        assert hits["total"] == len(hits["items"]) >= 3
        start, end = hits["items"][0]["highlights"][0]
        assert hits["items"][0]["snippet"][start:end].lower().startswith("accord")
        assert api.get("/api/stories", params={"outlet": "a\x00b"}).status_code == 422
        assert api.get("/api/search", params={"q": SQL}).status_code == 200
        for name in ("outlet", "title", "q", "entity", "language", "since", "cursor"):
            for value in NASTY:
                for path in ("/api/stories", "/api/search", "/api/articles"):
                    query = {"q": "accord", name: value} if path == "/api/search" else {name: value}
                    assert api.get(path, params=query).status_code < 500, (path, name, value)


# -- newsfuse serve ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_command_prints_urls_and_serves(db_url: str) -> None:
    port = _free_port()
    env = {**os.environ, "NEWSFUSE_INGEST_TOKEN": "from-the-environment"}
    command = [sys.executable, "-m", "newsfuse.cli", "serve", "--db", db_url, "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert process.stdout is not None
        printed = [process.stdout.readline().decode() for _ in range(2)]
        assert f"http://127.0.0.1:{port}/" in printed[0]
        assert f"http://127.0.0.1:{port}/api/docs" in printed[1]
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.1)
        assert health.json()["status"] == "ok"
        ingest = httpx.post(f"http://127.0.0.1:{port}/api/ingest", json={"urls": []})
        assert ingest.status_code == 401  # on, through NEWSFUSE_INGEST_TOKEN
    finally:
        process.terminate()
        process.wait(timeout=20)
        if process.stdout is not None:
            process.stdout.close()


def test_serve_command_fails_cleanly_on_a_bad_store(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsfuse.cli import app

    missing = f"sqlite:///{tmp_path / 'no' / 'such' / 'folder.db'}"
    result = CliRunner().invoke(app, ["serve", "--db", missing, "--port", str(_free_port())])
    assert result.exit_code == 1 and "does not exist" in " ".join(result.output.split())


def test_unknown_paths_are_404_json_under_api_and_html_elsewhere(api: httpx.Client) -> None:
    under_api = api.get("/api/no-such-endpoint")
    assert under_api.status_code == 404 and under_api.headers["content-type"].startswith(
        "application/json"
    )
    page = api.get("/no-such-page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in page.headers
