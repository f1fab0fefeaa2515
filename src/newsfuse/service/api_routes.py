"""The JSON API (mounted under /api): read-only endpoints, and the token-guarded ingest one.

Every endpoint goes through the Python API (`Newsfuse`) or its store, with the record shapes
the CLI's `--json` prints (`service.stories`, `service.export`, `fuse.dossier`), so the three
front doors agree. Listings answer `{"items": [...], "next_cursor": ...}`; pass `next_cursor`
back as `cursor` (with the same filters) for the next page. Parameters are checked in
`service.params`: a bad one is a 400 or 422 with a message naming it, an unknown id a 404.

The story list is the hot path (benchmarked): one keyset query a page, plus one primary-key
read when a cursor is given, and no per-row queries anywhere in a listing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from newsfuse import __version__
from newsfuse.api import Newsfuse
from newsfuse.config import ServeOptions
from newsfuse.errors import ConfigError, NotFoundError
from newsfuse.fuse.dossier import Dossier, dossier_record
from newsfuse.model import Article, Quote, StoryAssignment
from newsfuse.service import params
from newsfuse.service.annotations import annotations_record
from newsfuse.service.app import dossier_of, news_of, options_of
from newsfuse.service.dossier_cache import DossierCache
from newsfuse.service.events import event_record, story_event_record
from newsfuse.service.export import article_record
from newsfuse.service.ingest_api import router as ingest_router
from newsfuse.service.params import KeyCursor, OffsetCursor
from newsfuse.service.runs import rejection_record, run_record
from newsfuse.service.stories import detail_record, story_record
from newsfuse.store import ArticleFilter, EntityFilter, EventFilter, StoryFilter


class ErrorOut(BaseModel):
    """Every 4xx/5xx answer: a stable code and a message that says what to fix."""

    error: str
    detail: str


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "A parameter or cursor is not usable."},
    404: {"model": ErrorOut, "description": "The id names nothing stored."},
    422: {"model": ErrorOut, "description": "A parameter fails its declared type or bounds."},
}
router = APIRouter(responses=_ERRORS)
router.include_router(ingest_router)


async def _news(request: Request) -> Newsfuse:
    # async: a plain function dependency would cost a thread-pool hop on every request.
    return news_of(request)


async def _options(request: Request) -> ServeOptions:
    return options_of(request)


News = Annotated[Newsfuse, Depends(_news)]
Options = Annotated[ServeOptions, Depends(_options)]


def _text(description: str, min_length: int | None = None) -> Any:
    """A free-text query parameter: capped, without control characters."""
    return Query(
        min_length=min_length,
        max_length=params.MAX_TEXT,
        pattern=params.TEXT_PATTERN,
        description=description,
    )


Instant = Annotated[
    str | None,
    Query(max_length=40, description="ISO date or datetime (naive means UTC)."),
]
Cursor = Annotated[
    str | None,
    Query(max_length=params.MAX_CURSOR, description="`next_cursor` of the previous page."),
]
Limit = Annotated[
    int | None,
    Query(ge=1, le=100_000, description="Items a page (server default 50, at most 200)."),
]
Actor = Annotated[
    str | None, Query(pattern=params.ACTOR_PATTERN, max_length=200, description="Actor id.")
]
Language = Annotated[str | None, Query(pattern=params.LANGUAGE_PATTERN, max_length=35)]
CodeParam = Annotated[str | None, Query(pattern=params.CODE_PATTERN, max_length=40)]
StoryRef = Annotated[str | None, Query(pattern=params.ID_PATTERN, max_length=100)]
StoryId = Annotated[
    str, Path(pattern=params.ID_PATTERN, description="Story id, unique prefix or merged id.")
]
ArticleId = Annotated[
    str, Path(pattern=params.ID_PATTERN, description="Article id or a unique prefix (6+).")
]
ActorId = Annotated[str, Path(pattern=params.ACTOR_PATTERN, max_length=200)]


# -- response models ---------------------------------------------------------------------------


class StoryOut(BaseModel):
    id: str
    title: str | None
    first_published: str | None = Field(description="ISO 8601, UTC.")
    last_published: str | None
    article_count: int
    outlet_count: int
    independent_origin_count: int
    outlets: list[str]
    languages: list[str]


class StoryPage(BaseModel):
    items: list[StoryOut]
    next_cursor: str | None


class MemberOut(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    language: str | None
    score: float
    duplicate_of: str | None
    duplicate_similarity: float | None


class ReportOut(MemberOut):
    copies: list[MemberOut] = Field(description="Copies of this report (wire pickups).")


class StoryDetailOut(StoryOut):
    aliases: list[str] = Field(description="Ids of stories merged into this one.")
    reports: list[ReportOut]


class DossierOut(BaseModel):
    """`fuse.dossier.dossier_record`: every item carries its evidence spans."""

    story: StoryOut
    headline: str
    summary: list[dict[str, Any]]
    first_published: str | None
    last_published: str | None
    reports: list[ReportOut]
    outlets: list[dict[str, Any]]
    facts: dict[str, list[dict[str, Any]]] = Field(description="`shared` and `unique` facts.")
    conflicts: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    events: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    related: list[dict[str, Any]]


class StoryEventsOut(BaseModel):
    story_id: str
    items: list[dict[str, Any]] = Field(description="Events merged across the story's reports.")


class SpeakerQuotesOut(BaseModel):
    speaker_id: str | None
    speaker: str
    kind: str | None
    quotes: list[dict[str, Any]]


class StoryQuotesOut(BaseModel):
    story_id: str
    speakers: list[SpeakerQuotesOut]


class ArticleSummary(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    language: str | None
    story_id: str | None
    duplicate_of: str | None


class ArticlePage(BaseModel):
    items: list[ArticleSummary]
    next_cursor: str | None


class ArticleOut(BaseModel):
    """`service.export.article_record`, and the annotations once the article has them."""

    id: str
    url: str | None
    canonical_url: str | None
    outlet: str | None
    title: str | None
    text: str
    authors: list[str]
    published: str | None
    published_source: str | None
    published_confidence: float | None
    language: str | None
    captions: list[str]
    source: str
    fetched_at: str | None
    produced_by: str
    status: str
    story_id: str | None
    duplicate_of: str | None
    annotations: dict[str, Any] | None


class EntityOut(BaseModel):
    actor_id: str
    canonical: str | None
    kind: str | None
    country: str | None
    label: str | None
    article_count: int
    story_count: int


class EntityPage(BaseModel):
    items: list[EntityOut]
    next_cursor: str | None


class EntityDetailOut(BaseModel):
    entity: EntityOut
    stories: list[StoryOut] = Field(description="The latest stories naming it (more: /stories).")
    articles: list[ArticleSummary] = Field(description="The latest articles naming it.")


class QuoteOut(BaseModel):
    article_id: str
    story_id: str | None
    outlet: str | None
    published: str | None
    content: str
    kind: str
    start: int
    end: int
    speaker: str | None
    speaker_id: str | None
    speaker_canonical: str | None
    speaker_kind: str | None
    cue: str | None


class QuotePage(BaseModel):
    items: list[QuoteOut]
    next_cursor: str | None


class EventOut(BaseModel):
    article_id: str
    plover: str
    mode: str | None
    cameo: str
    quad_class: str
    goldstein: float
    source_actor: str | None
    target_actor: str | None
    date: str | None
    place: str | None
    start: int
    end: int
    confidence: float
    modality: str
    source_entity: str | None
    target_entity: str | None
    text: str | None = Field(description="The evidence sentence.")


class EventPage(BaseModel):
    items: list[EventOut]
    next_cursor: str | None


class SearchHitOut(BaseModel):
    article: ArticleSummary
    story_id: str | None
    score: float
    snippet: str
    highlights: list[tuple[int, int]] = Field(description="[start, end) spans in `snippet`.")


class SearchPage(BaseModel):
    items: list[SearchHitOut]
    next_cursor: str | None
    total: int | None = Field(description="Articles matching in all (on the first page only).")


class RejectionOut(BaseModel):
    source: str
    url: str | None
    reason: str
    detail: str


class RunOut(BaseModel):
    id: int
    status: str
    started_at: str | None
    finished_at: str | None
    inputs: list[str]
    pages_seen: int
    ingested: int
    duplicates: int
    unchanged: int
    rejected: int
    rejected_by_reason: dict[str, int]


class RunPage(BaseModel):
    items: list[RunOut]
    next_cursor: str | None


class RunDetailOut(RunOut):
    rejections: list[RejectionOut]


class HealthOut(BaseModel):
    status: str
    version: str
    backend: str


# -- keyset paging -----------------------------------------------------------------------------


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_Identified)


def _cursor_item(
    cursor: str | None, listing: str, lookup: Callable[[str], _Item | None]
) -> _Item | None:
    """The last item of the previous page that `cursor` names (None on the first page)."""
    key = params.decode_key_cursor(cursor, listing)
    if key is None:
        return None
    last = lookup(key.last_id)
    if last is None:
        raise ConfigError(f"cursor: its {listing} item is gone; start again from the first page")
    return last


def _keyset_page(found: list[_Item], size: int, listing: str) -> tuple[list[_Item], str | None]:
    """The page of `found` (read with one row more than `size`) and the next page's cursor."""
    page = found[:size]
    more = len(found) > size
    return page, params.encode_cursor(listing, KeyCursor(page[-1].id)) if more else None


# -- stories -----------------------------------------------------------------------------------


@router.get("/stories", response_model=StoryPage, tags=["stories"])
async def list_stories(
    news: News,
    options: Options,
    since: Instant = None,
    until: Instant = None,
    outlet: Annotated[str | None, _text("Part of one of its outlets' names.")] = None,
    entity: Actor = None,
    event_type: CodeParam = None,
    language: Language = None,
    q: Annotated[str | None, _text("Full text.")] = None,
    title: Annotated[str | None, _text("In title.")] = None,
    min_articles: Annotated[int | None, Query(ge=1, le=params.MAX_COUNT)] = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Live stories, most recently active first."""
    size = params.page_size(limit, options)
    story_filter = StoryFilter(
        since=params.parse_instant(since, "since"),
        until=params.parse_instant(until, "until"),
        outlet=outlet or None,
        min_articles=min_articles,
        query=title or None,
        entity=entity or None,
        event_type=params.code(event_type),
        language=language or None,
        search=q or None,
    )
    params.check_range(story_filter.since, story_filter.until)
    last_story = _cursor_item(cursor, "stories", news.store.get_story)
    if last_story is not None:
        story_filter = replace(story_filter, after=last_story)
    page, next_cursor = _keyset_page(news.store.list_stories(story_filter, size + 1), size,
                                     "stories")  # fmt: skip
    return {"items": [story_record(s) for s in page], "next_cursor": next_cursor}


@router.get("/stories/{story_id}", response_model=StoryDetailOut, tags=["stories"])
def get_story(news: News, story_id: StoryId) -> dict[str, Any]:
    """One story with its articles, copies grouped under their original."""
    return detail_record(news.story(story_id))


@router.get("/stories/{story_id}/dossier", response_model=DossierOut, tags=["stories"])
async def get_dossier(request: Request, story_id: StoryId) -> Response:
    """The story's dossier: headline, cited summary, shared/unique/conflicting facts, quotes
    by speaker, events, timeline and related stories."""
    # A cached dossier is answered on the event loop; a build goes to the thread pool.
    cache: DossierCache = request.app.state.dossiers
    news = news_of(request)
    data = cache.rendered_if_cached(news, story_id, "json")
    if data is None:
        data = await run_in_threadpool(cache.rendered, news, story_id, "json", _dossier_json)
    return Response(data, media_type="application/json")


def _dossier_json(dossier: Dossier) -> bytes:
    """The dossier as `DossierOut` serialises it (what the response model would send)."""
    return DossierOut.model_validate(dossier_record(dossier)).model_dump_json().encode()


@router.get("/stories/{story_id}/events", response_model=StoryEventsOut, tags=["stories"])
def get_story_events(news: News, story_id: StoryId) -> dict[str, Any]:
    """The story's events, merged across its reports, each with its evidence spans."""
    resolved = _live_story_id(news, story_id)
    events = news.story_events(resolved)
    return {"story_id": resolved, "items": [story_event_record(e) for e in events]}


@router.get("/stories/{story_id}/quotes", response_model=StoryQuotesOut, tags=["stories"])
def get_story_quotes(request: Request, story_id: StoryId) -> dict[str, Any]:
    """The story's quotes grouped by canonical speaker, with the outlets carrying each."""
    record = dossier_record(dossier_of(request, story_id))
    return {"story_id": record["story"]["id"], "speakers": record["quotes"]}


def _live_story_id(news: Newsfuse, story_id: str) -> str:
    resolved = news.store.resolve_story_id(story_id)
    if resolved is None or news.store.get_story(resolved) is None:
        raise NotFoundError(f"story {story_id!r}: no such story")
    return resolved


# -- articles ----------------------------------------------------------------------------------


def _article_filter(
    outlet: str | None,
    since: str | None,
    until: str | None,
    language: str | None,
    entity: str | None,
    event_type: str | None,
    story: str | None,
    news: Newsfuse,
) -> ArticleFilter:
    found = ArticleFilter(
        outlet=outlet or None,
        since=params.parse_instant(since, "since"),
        until=params.parse_instant(until, "until"),
        language=language or None,
        entity=entity or None,
        event_type=params.code(event_type),
        story_id=_live_story_id(news, story) if story else None,
    )
    params.check_range(found.since, found.until)
    return found


def _summaries(news: Newsfuse, found: list[Article]) -> list[dict[str, Any]]:
    stories = news.store.memberships([a.id for a in found])
    return [_summary(a, stories.get(a.id)) for a in found]


def _summary(article: Article, story: StoryAssignment | None) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language,
        "story_id": story.story_id if story is not None else None,
        "duplicate_of": story.duplicate_of if story is not None else None,
    }


@router.get("/articles", response_model=ArticlePage, tags=["articles"])
def list_articles(
    news: News,
    options: Options,
    outlet: Annotated[str | None, _text("The outlet's name, exactly.")] = None,
    since: Instant = None,
    until: Instant = None,
    language: Language = None,
    entity: Actor = None,
    event_type: CodeParam = None,
    story: StoryRef = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Stored articles in publication order (undated last)."""
    size = params.page_size(limit, options)
    article_filter = _article_filter(
        outlet, since, until, language, entity, event_type, story, news
    )
    last_article = _cursor_item(cursor, "articles", news.store.get_article)
    if last_article is not None:
        article_filter = replace(article_filter, after=last_article)
    page, next_cursor = _keyset_page(news.store.list_articles(article_filter, size + 1), size,
                                     "articles")  # fmt: skip
    return {"items": _summaries(news, page), "next_cursor": next_cursor}


@router.get("/articles/{article_id}", response_model=ArticleOut, tags=["articles"])
def get_article(news: News, article_id: ArticleId) -> dict[str, Any]:
    """One article: its text and metadata, its story, and its annotations once annotated."""
    article = news.article(article_id)
    story = news.store.memberships([article.id]).get(article.id)
    annotations = news.store.get_annotations(article.id)
    record = article_record(article, story)
    record["annotations"] = (
        annotations_record(annotations, article.text) if annotations is not None else None
    )
    return record


# -- entities ----------------------------------------------------------------------------------


@router.get("/entities", response_model=EntityPage, tags=["entities"])
def list_entities(
    news: News,
    options: Options,
    q: Annotated[str | None, _text("In name or id.")] = None,
    kind: CodeParam = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Named actors, most named first."""
    size = params.page_size(limit, options)
    at = params.decode_offset_cursor(cursor, "entities")
    found = news.store.list_entities(
        EntityFilter(query=q or None, kind=kind.lower() if kind else None), size + 1, at.offset
    )
    return {
        "items": [_entity(e) for e in found[:size]],
        "next_cursor": _next_offset("entities", at, size, len(found)),
    }


def _entity(summary: Any) -> dict[str, Any]:
    return {
        "actor_id": summary.actor_id,
        "canonical": summary.canonical,
        "kind": summary.kind,
        "country": summary.country,
        "label": summary.label,
        "article_count": summary.article_count,
        "story_count": summary.story_count,
    }


def _next_offset(kind: str, at: OffsetCursor, size: int, found: int) -> str | None:
    if found <= size:
        return None
    return params.encode_cursor(kind, OffsetCursor(at.offset + size))


@router.get("/entities/{actor_id}", response_model=EntityDetailOut, tags=["entities"])
def get_entity(
    news: News,
    actor_id: ActorId,
    limit: Annotated[int, Query(ge=1, le=200, description="Stories and articles shown.")] = 20,
) -> dict[str, Any]:
    """An actor, the stories naming it and the articles naming it (newest first)."""
    summary = news.store.entity_summary(actor_id)
    if summary is None:
        raise NotFoundError(f"entity {actor_id!r}: no article names it (see /api/entities)")
    stories = news.store.list_stories(StoryFilter(entity=actor_id), limit)
    ids = news.store.articles_naming(actor_id, limit)
    found = news.store.get_articles(ids)
    return {
        "entity": _entity(summary),
        "stories": [story_record(s) for s in stories],
        "articles": _summaries(news, [found[i] for i in ids if i in found]),
    }


# -- quotes ------------------------------------------------------------------------------------


@router.get("/quotes", response_model=QuotePage, tags=["quotes"])
def list_quotes(
    news: News,
    options: Options,
    speaker: Actor = None,
    story: StoryRef = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Quotes by one speaker (actor id), or in one story, or both; in the order of the
    articles carrying them (a speaker's newest first, a story's in story order). A page may
    hold fewer than `limit` quotes: go on while `next_cursor` is not null."""
    if not speaker and not story:
        raise ConfigError("give speaker (an actor id) or story (a story id), or both")
    size = params.page_size(limit, options)
    at = params.decode_offset_cursor(cursor, "quotes")
    if story:
        story_id = _live_story_id(news, story)
        members = [m.article_id for m in news.store.story_members(story_id)]

        def ids_at(offset: int, count: int) -> list[str]:
            return members[offset : offset + count]
    else:
        assert speaker is not None
        actor = speaker

        def ids_at(offset: int, count: int) -> list[str]:
            return news.store.articles_quoting(actor, count, offset)

    items, next_at = _collect_quotes(news, ids_at, at, speaker, size)
    next_cursor = params.encode_cursor("quotes", next_at) if next_at is not None else None
    return {"items": items, "next_cursor": next_cursor}


_QUOTE_BATCH = 500
"""Articles read at a time while collecting a page of quotes."""
_QUOTE_SCAN = 2000
"""Articles one request reads at most. A speaker's articles all quote them (the store's
speaker index), so this bounds only a story's quotes filtered by a speaker the story rarely
quotes: a page cut short there has fewer items than `limit` and a `next_cursor` that goes on."""


def _collect_quotes(
    news: Newsfuse,
    ids_at: Callable[[int, int], list[str]],
    start: OffsetCursor,
    speaker: str | None,
    size: int,
) -> tuple[list[dict[str, Any]], OffsetCursor | None]:
    """Up to `size` quote records from the article at `start.offset` on (skipping that
    article's first `start.skip` matching quotes), and where the next page starts."""
    items: list[dict[str, Any]] = []
    offset, skip = start.offset, start.skip
    # Each article holds at least one quote when a speaker is given: `size` articles fill a page.
    batch = min(_QUOTE_BATCH, size)
    for _ in range(max(1, _QUOTE_SCAN // batch)):
        ids = ids_at(offset, batch)
        annotations = news.store.annotations_of(ids)
        matching = {
            article_id: [q for q in ann.quotes if speaker is None or q.speaker_id == speaker]
            for article_id, ann in annotations.items()
        }
        wanted = [i for i in ids if matching.get(i)]
        found, stories = news.store.get_articles(wanted), news.store.memberships(wanted)
        for index, article_id in enumerate(ids):
            quotes, article = matching.get(article_id, []), found.get(article_id)
            for n in range(skip if index == 0 else 0, len(quotes)):
                if len(items) == size:
                    return items, OffsetCursor(offset + index, n)
                if article is not None:
                    items.append(_quote(quotes[n], article, stories.get(article_id)))
        skip = 0
        if len(ids) < batch:
            return items, None
        offset += len(ids)
    return items, OffsetCursor(offset)


def _quote(quote: Quote, article: Article, story: StoryAssignment | None) -> dict[str, Any]:
    return {
        "article_id": article.id,
        "story_id": story.story_id if story is not None else None,
        "outlet": article.outlet,
        "published": article.published.isoformat() if article.published else None,
        "content": quote.content,
        "kind": str(quote.kind),
        "start": quote.start,
        "end": quote.end,
        "speaker": quote.speaker,
        "speaker_id": quote.speaker_id,
        "speaker_canonical": quote.speaker_canonical,
        "speaker_kind": quote.speaker_kind,
        "cue": quote.cue,
    }


# -- events ------------------------------------------------------------------------------------


@router.get("/events", response_model=EventPage, tags=["events"])
def list_events(
    news: News,
    options: Options,
    plover: CodeParam = None,
    actor: Actor = None,
    story: StoryRef = None,
    since: Instant = None,
    until: Instant = None,
    modality: CodeParam = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Stored events (one per report; see /stories/{id}/events for merged ones), latest
    date first."""
    size = params.page_size(limit, options)
    at = params.decode_offset_cursor(cursor, "events")
    event_filter = EventFilter(
        plover=params.code(plover),
        actor=actor or None,
        story_id=_live_story_id(news, story) if story else None,
        since=params.parse_day(since, "since"),
        until=params.parse_day(until, "until"),
        modality=modality.lower() if modality else None,
    )
    if event_filter.since and event_filter.until and event_filter.until <= event_filter.since:
        raise ConfigError("until must be later than since")
    found = news.store.list_events(event_filter, size + 1, at.offset)
    page = found[:size]
    texts = news.store.get_articles({article_id for article_id, _ in page})
    items = []
    for article_id, event in page:
        article = texts.get(article_id)
        record = event_record(event, article.text if article is not None else None)
        items.append({"article_id": article_id, **record})
    return {"items": items, "next_cursor": _next_offset("events", at, size, len(found))}


# -- search ------------------------------------------------------------------------------------


@router.get("/search", response_model=SearchPage, tags=["search"])
def search(
    news: News,
    options: Options,
    q: Annotated[str, _text("Words to find.", min_length=1)],
    outlet: Annotated[str | None, _text("The outlet's name, exactly.")] = None,
    since: Instant = None,
    until: Instant = None,
    language: Language = None,
    entity: Actor = None,
    event_type: CodeParam = None,
    story: StoryRef = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Full-text search over article text: all the words (stemmed) and "quoted phrases",
    best first, each hit with a snippet and the spans of the matched words in it."""
    size = params.page_size(limit, options)
    at = params.decode_offset_cursor(cursor, "search")
    article_filter = _article_filter(
        outlet, since, until, language, entity, event_type, story, news
    )
    hits = news.store.search_articles(q, article_filter, size + 1, at.offset)
    page = hits[:size]
    stories = news.store.memberships([h.article.id for h in page])
    items = [
        {
            "article": _summary(h.article, stories.get(h.article.id)),
            "story_id": s.story_id if (s := stories.get(h.article.id)) is not None else None,
            "score": h.score,
            "snippet": h.snippet,
            "highlights": [list(span) for span in h.highlights],
        }
        for h in page
    ]
    return {
        "items": items,
        "next_cursor": _next_offset("search", at, size, len(hits)),
        "total": news.store.count_search(q, article_filter) if cursor is None else None,
    }


# -- runs and health ---------------------------------------------------------------------------


@router.get("/runs", response_model=RunPage, tags=["runs"])
def list_runs(news: News, options: Options, limit: Limit = None) -> dict[str, Any]:
    """Ingest runs, newest first."""
    size = params.page_size(limit, options)
    return {"items": [run_record(r) for r in news.runs(size)], "next_cursor": None}


@router.get("/runs/{run_id}", response_model=RunDetailOut, tags=["runs"])
def get_run(
    news: News, run_id: Annotated[int, Path(ge=1, le=2**62, description="Run id.")]
) -> dict[str, Any]:
    """One ingest run with every rejected input and its reason."""
    record = run_record(news.run(run_id))
    record["rejections"] = [rejection_record(r) for r in news.store.rejections(run_id)]
    return record


@router.get("/health", response_model=HealthOut, tags=["service"])
def health(news: News) -> dict[str, Any]:
    """The service is up and its store answers."""
    news.store.list_runs(1)
    return {"status": "ok", "version": __version__, "backend": news.store.backend}
