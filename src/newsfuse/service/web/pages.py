"""The web UI: server-rendered pages over the Python API (`news_of(request)`), never over the
JSON API. Each handler reads what its page shows in a fixed number of store calls (no query per
listed row), hands typed values to a template, and lets `HtmlRoute` turn an unknown id or a bad
parameter into a 404 or 400 page.

Pages: `/` stories (search, filters, keyset paging), `/stories/{id}` the dossier,
`/articles/{id}` an article with `?hl=START-END` evidence highlighted, `/entities/{actor_id}`,
`/runs` and `/runs/{id}`.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response

from newsfuse.errors import ConfigError, NotFoundError
from newsfuse.model import Annotations, Article, Story
from newsfuse.service.app import dossier_of, news_of
from newsfuse.service.params import (
    ACTOR_PATTERN,
    CODE_PATTERN,
    ID_PATTERN,
    LANGUAGE_PATTERN,
    MAX_TEXT,
    check_range,
    code,
    parse_instant,
)
from newsfuse.service.web.coverage import coverage_grid
from newsfuse.service.web.highlight import Segment, parse_spans, segments
from newsfuse.service.web.responses import HtmlRoute, page
from newsfuse.service.web.timeline_chart import timeline_chart
from newsfuse.store import ArticleFilter, SearchHit, StoryFilter

router = APIRouter(include_in_schema=False, route_class=HtmlRoute)

STORIES_PER_PAGE = 25
SEARCH_HITS = 5
ENTITY_ITEMS = 50
RUNS_PER_PAGE = 50
MAX_RUN_ID = 2**62
CHOICES_TTL_S = 60.0
"""How long the filter form's event types are reused before they are counted again."""

Text = Annotated[str | None, Query(max_length=MAX_TEXT)]
Day = Annotated[str | None, Query(max_length=40)]


@dataclass(frozen=True, slots=True)
class StoryListForm:
    """The story list's query parameters, as the form shows them back."""

    q: str = ""
    since: str = ""
    until: str = ""
    outlet: str = ""
    entity: str = ""
    event_type: str = ""
    language: str = ""

    def params(self) -> dict[str, str]:
        return {k: v for k, v in _fields(self).items() if v}

    def to_filter(self, after: Story | None) -> StoryFilter:
        since, until = parse_instant(self.since, "since"), parse_instant(self.until, "until")
        check_range(since, until)
        for name, value, pattern in (
            ("entity", self.entity, ACTOR_PATTERN),
            ("event_type", self.event_type, CODE_PATTERN),
            ("language", self.language, LANGUAGE_PATTERN),
        ):
            if value and not re.fullmatch(pattern, value):
                raise ConfigError(f"{name}: {value[:40]!r} is not a valid {name.replace('_', ' ')}")
        return StoryFilter(
            since=since,
            until=until,
            outlet=self.outlet or None,
            entity=self.entity or None,
            event_type=code(self.event_type),
            language=self.language or None,
            search=self.q or None,
            after=after,
        )


def _fields(form: StoryListForm) -> dict[str, str]:
    return {name: getattr(form, name) for name in StoryListForm.__dataclass_fields__}


@dataclass(slots=True)
class _Choices:
    event_types: list[str] = field(default_factory=list)
    loaded_at: float = -CHOICES_TTL_S


def _event_types(request: Request) -> list[str]:
    choices: _Choices | None = getattr(request.app.state, "web_choices", None)
    if choices is None:
        choices = request.app.state.web_choices = _Choices()
    if time.monotonic() - choices.loaded_at >= CHOICES_TTL_S:
        choices.event_types = sorted(news_of(request).store.event_type_counts())
        choices.loaded_at = time.monotonic()
    return choices.event_types


@router.get("/")
def story_list(
    request: Request,
    q: Text = None,
    since: Day = None,
    until: Day = None,
    outlet: Text = None,
    entity: Text = None,
    event_type: Text = None,
    language: Text = None,
    after: Text = None,
) -> Response:
    news = news_of(request)
    form = StoryListForm(
        *(v.strip() if v else "" for v in (q, since, until, outlet, entity, event_type, language))
    )
    last = None
    if after:
        last = news.store.get_story(after) if re.fullmatch(ID_PATTERN, after) else None
        if last is None:
            raise ConfigError(f"after: {after[:40]!r} is not a story of this listing")
    stories = news.store.list_stories(form.to_filter(last), STORIES_PER_PAGE + 1)
    more = len(stories) > STORIES_PER_PAGE
    stories = stories[:STORIES_PER_PAGE]
    next_href = None
    if more:
        next_href = "/?" + urlencode({**form.params(), "after": stories[-1].id})
    hits = _search_hits(request, form)
    context = {
        "form": form,
        "stories": stories,
        "next_href": next_href,
        "paged": last is not None,
        "hits": hits,
        "event_types": _event_types(request),
    }
    return page(request, "stories.html", context)


def _search_hits(request: Request, form: StoryListForm) -> list[tuple[SearchHit, list[Segment]]]:
    if not form.q:
        return []
    found = news_of(request).store.search_articles(form.q, ArticleFilter(), SEARCH_HITS)
    return [(hit, segments(hit.snippet, list(hit.highlights))) for hit in found]


@router.get("/stories/{story_id}")
def story_page(request: Request, story_id: str) -> Response:
    if not re.fullmatch(ID_PATTERN, story_id):
        raise NotFoundError(f"story {story_id[:40]!r}: no such story")
    dossier = dossier_of(request, story_id)
    context = {
        "d": dossier,
        "grid": coverage_grid(dossier),
        "chart": timeline_chart(dossier.timeline),
    }
    return page(request, "dossier.html", context)


@router.get("/articles/{article_id}")
def article_page(
    request: Request,
    article_id: str,
    hl: Annotated[list[str], Query(max_length=40)] = [],  # noqa: B006 (FastAPI copies it)
) -> Response:
    if not re.fullmatch(ID_PATTERN, article_id):
        raise NotFoundError(f"article {article_id[:40]!r}: no such article")
    news = news_of(request)
    article = news.article(article_id)
    spans = parse_spans(hl, len(article.text))
    notes = news.store.get_annotations(article.id)
    membership = news.store.memberships([article.id]).get(article.id)
    context = {
        "article": article,
        "segments": segments(article.text, spans),
        "marks": len(spans),
        "notes": notes,
        "entities": _entity_rows(notes),
        "story_id": membership.story_id if membership else None,
    }
    return page(request, "article.html", context)


@dataclass(frozen=True, slots=True)
class EntityRow:
    """One actor an article names, with each of its mentions' spans."""

    actor_id: str | None
    name: str
    kind: str | None
    spans: tuple[tuple[int, int], ...]


def _entity_rows(notes: Annotations | None) -> list[EntityRow]:
    rows: dict[str, tuple[str | None, str, str | None, list[tuple[int, int]]]] = {}
    for mention in notes.entities if notes else ():
        key = mention.actor_id or "text:" + mention.text.casefold()
        name = mention.canonical or mention.text
        rows.setdefault(key, (mention.actor_id, name, mention.kind, []))[3].append(
            (mention.start, mention.end)
        )
    found = [EntityRow(a, n, k, tuple(s)) for a, n, k, s in rows.values()]
    found.sort(key=lambda r: (-len(r.spans), r.name.casefold()))
    return found


@router.get("/entities/{actor_id}")
def entity_page(request: Request, actor_id: str) -> Response:
    if not re.fullmatch(ACTOR_PATTERN, actor_id):
        raise ConfigError(f"actor id {actor_id[:40]!r} is not an actor id like KOR or person:name")
    news = news_of(request)
    summary = news.store.entity_summary(actor_id)
    if summary is None:
        raise NotFoundError(f"entity {actor_id!r}: no stored article names it")
    stories = news.store.list_stories(StoryFilter(entity=actor_id), ENTITY_ITEMS)
    ids = news.store.articles_naming(actor_id, ENTITY_ITEMS)
    found = news.store.get_articles(ids)
    articles: list[Article] = [found[i] for i in ids if i in found]
    context = {"entity": summary, "stories": stories, "articles": articles}
    return page(request, "entity.html", context)


@router.get("/runs")
def runs_page(request: Request) -> Response:
    return page(request, "runs.html", {"runs": news_of(request).runs(RUNS_PER_PAGE)})


@router.get("/runs/{run_id}")
def run_page(request: Request, run_id: int) -> Response:
    if not 0 < run_id <= MAX_RUN_ID:
        raise NotFoundError(f"run {run_id}: no such run")
    news = news_of(request)
    run = news.run(run_id)
    context = {"run": run, "rejections": news.store.rejections(run.id)}
    return page(request, "run.html", context)
