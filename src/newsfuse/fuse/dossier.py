"""A story's dossier: what happened, who said what, what every outlet reports, what only one
reports, where they disagree, how it developed, and which stories came before and after.

`build_dossier(news, story_id)` reads the story through the Python API (`Newsfuse.story`,
`article`, `annotations`, `story_events`) and assembles the parts the other fuse modules build:
facts and conflicts (`facts`, `conflicts`), headline and summary (`summary`), timeline
(`timeline`). Quotes are grouped here, by canonical speaker (`Quote.speaker_id`, so two
spellings of one person are one speaker); the same words carried by several articles are one
quote with every carrier. `dossier_record` is the JSON shape, each item with its evidence spans
(`article_id`, `start`, `end` into that article's text).

Related stories share at least `RELATED_MIN_ACTORS` actor ids with this one, at least one of
them uncommon; the store ranks them by the shared actors' rarity (`Store.related_stories`), or
the caller gives a mapping `story_id -> actor ids` (`story_actor_sets` builds one).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence, Set
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from newsfuse.fuse.conflicts import Conflict, find_conflicts
from newsfuse.fuse.events import StoryEvent
from newsfuse.fuse.facts import (
    SHARED,
    UNIQUE,
    Evidence,
    Fact,
    ReportText,
    align_facts,
    default_embedder,
)
from newsfuse.fuse.summary import SummarySentence, headline, summarise
from newsfuse.fuse.timeline import TimelineEntry, build_timeline
from newsfuse.model import Annotations, Story, normalise_text
from newsfuse.service.stories import Report, member_record, story_record
from newsfuse.store import StoryMember

if TYPE_CHECKING:
    from newsfuse.api import Newsfuse
    from newsfuse.fuse.facts import SentenceEmbedder

RELATED_MIN_ACTORS = 2
RELATED_LIMIT = 10
SAME_QUOTE = 0.6
"""Share of the shorter quote's words the longer one must contain for the two to be one quote."""
SUMMARY_SENTENCES = 3
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class OutletCoverage:
    """One outlet's articles in the story (originals and copies), in story order."""

    outlet: str
    articles: tuple[StoryMember, ...]


@dataclass(frozen=True, slots=True)
class DossierQuote:
    """One quote as its carriers print it; `content` is the first carrier's wording."""

    content: str
    kind: str
    carriers: tuple[Evidence, ...]
    """Every article that carries it: the content span, and the content as that article has it."""
    outlets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SpeakerQuotes:
    speaker_id: str | None
    """Actor id ("person:kim-jong-un"); None when the speaker could not be resolved."""
    speaker: str
    """Canonical name, or the speaker as written, or "unknown"."""
    kind: str | None
    quotes: tuple[DossierQuote, ...]


@dataclass(frozen=True, slots=True)
class RelatedStory:
    story: Story
    shared_actors: tuple[str, ...]
    relation: str
    """"earlier" | "later" | "overlapping" (spans overlap or a date is unknown)."""


@dataclass(frozen=True, slots=True)
class Dossier:
    story: Story
    headline: str
    summary: tuple[SummarySentence, ...]
    first_published: datetime | None
    last_published: datetime | None
    reports: tuple[Report, ...]
    """Independent reports: each original with its copies (wire pickups, republications)."""
    outlets: tuple[OutletCoverage, ...]
    facts: tuple[Fact, ...]
    conflicts: tuple[Conflict, ...]
    quotes: tuple[SpeakerQuotes, ...]
    events: tuple[StoryEvent, ...]
    timeline: tuple[TimelineEntry, ...]
    related: tuple[RelatedStory, ...]

    @property
    def shared_facts(self) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.kind == SHARED)

    @property
    def unique_facts(self) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.kind == UNIQUE)


def build_dossier(
    news: Newsfuse,
    story_id: str,
    *,
    story_actors: Mapping[str, Set[str]] | None = None,
    embedder: SentenceEmbedder | None = default_embedder(),  # noqa: B008 (one shared cache)
) -> Dossier:
    """The dossier of a story (by id, prefix or merged id). `story_actors` maps story ids to
    the actor ids they name, for related stories (see the module note). Facts are aligned with
    `embedder` (the cached USE encoder by default; None aligns by word overlap alone)."""
    detail = news.story(story_id)
    story = detail.story
    originals, copies = report_texts(news, detail.reports)
    facts = align_facts(originals, embedder)
    related = (
        related_stories(news, story, story_actors)
        if story_actors is not None
        else stored_related_stories(news, story)
    )
    events = tuple(news.story_events(story.id))
    summary = summarise(originals, SUMMARY_SENTENCES)
    return Dossier(
        story=story,
        headline=headline([r.original.title for r in detail.reports], originals, summary),
        summary=summary,
        first_published=story.first_published,
        last_published=story.last_published,
        reports=detail.reports,
        outlets=_outlets(detail.reports),
        facts=tuple(facts),
        conflicts=tuple(find_conflicts(originals, facts)),
        quotes=group_quotes([*originals, *copies]),
        events=events,
        timeline=build_timeline(originals, events, copies),
        related=related,
    )


def report_texts(
    news: Newsfuse, reports: Sequence[Report]
) -> tuple[list[ReportText], list[ReportText]]:
    """The story's independent reports as `ReportText`, and its copies (each with its
    original as origin), read in two batched queries."""
    members = [(m, r.original.article_id) for r in reports for m in (r.original, *r.copies)]
    ids = [m.article_id for m, _ in members]
    articles = news.store.get_articles(ids)
    notes = news.store.annotations_of(ids)
    originals: list[ReportText] = []
    copies: list[ReportText] = []
    for member, origin in members:
        article = articles.get(member.article_id)
        if article is None:
            continue
        outlet = member.outlet or article.outlet or member.outlet_name
        text = ReportText(article.id, outlet, origin, article.text, notes.get(article.id))
        (originals if member.article_id == origin else copies).append(text)
    return originals, copies


def _outlets(reports: Sequence[Report]) -> tuple[OutletCoverage, ...]:
    by_outlet: dict[str, list[StoryMember]] = {}
    for report in reports:
        for member in (report.original, *report.copies):
            by_outlet.setdefault(member.outlet_name, []).append(member)
    return tuple(
        OutletCoverage(name, tuple(sorted(members, key=lambda m: m.seq)))
        for name, members in by_outlet.items()
    )


# --- quotes ----------------------------------------------------------------------------------


def group_quotes(reports: Sequence[ReportText]) -> tuple[SpeakerQuotes, ...]:
    """Quotes by speaker (actor id, else the canonical or written name); the same words in
    several articles are one quote. Speakers with most quotes first, then by name."""
    speakers: dict[str, tuple[str | None, str, str | None, list[list[Evidence]], list[str]]] = {}
    for report in reports:
        annotations: Annotations | None = report.annotations
        for quote in annotations.quotes if annotations else ():
            name = quote.speaker_canonical or quote.speaker or "unknown"
            key = quote.speaker_id or "name:" + normalise_text(name)
            entry = speakers.setdefault(key, (quote.speaker_id, name, quote.speaker_kind, [], []))
            carrier = Evidence(report.article_id, report.outlet, quote.start, quote.end,
                               quote.content)  # fmt: skip
            groups, kinds = entry[3], entry[4]
            for group in groups:
                if _same_quote(group[0].text, quote.content):
                    if all(c.article_id != carrier.article_id for c in group):
                        group.append(carrier)
                    break
            else:
                groups.append([carrier])
                kinds.append(str(quote.kind))
    result = [
        SpeakerQuotes(
            speaker_id=speaker_id,
            speaker=name,
            kind=kind,
            quotes=tuple(
                DossierQuote(
                    content=group[0].text,
                    kind=quote_kind,
                    carriers=tuple(group),
                    outlets=tuple(dict.fromkeys(c.outlet for c in group)),
                )
                for group, quote_kind in zip(groups, kinds, strict=True)
            ),
        )
        for speaker_id, name, kind, groups, kinds in speakers.values()
    ]
    result.sort(key=lambda s: (-len(s.quotes), s.speaker.casefold()))
    return tuple(result)


def _same_quote(a: str, b: str) -> bool:
    first, second = _words(a), _words(b)
    if not first or not second:
        return False
    return len(first & second) / min(len(first), len(second)) >= SAME_QUOTE


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(normalise_text(text)) if len(w) > 2)


# --- related stories -------------------------------------------------------------------------


def story_actor_sets(news: Newsfuse, story_id: str) -> dict[str, frozenset[str]]:
    """`story_id -> actor ids` for the story and every story sharing an actor with it (an
    indexed lookup on the article entities, not a scan of the store)."""
    mine = news.store.story_actors(story_id)
    found = news.store.stories_naming(mine) if mine else {}
    found[story_id] = mine
    return found


def related_stories(
    news: Newsfuse,
    story: Story,
    story_actors: Mapping[str, Set[str]],
    min_shared: int = RELATED_MIN_ACTORS,
    limit: int = RELATED_LIMIT,
) -> tuple[RelatedStory, ...]:
    """Stories sharing at least `min_shared` actor ids with `story`, most shared first (at most
    `limit`), then returned in time order: earlier ones, overlapping, later ones."""
    mine = story_actors.get(story.id, frozenset())
    if len(mine) < min_shared:
        return ()
    scored = sorted(
        (
            (len(common), other_id, tuple(sorted(common)))
            for other_id, actors in story_actors.items()
            if other_id != story.id and len(common := mine & actors) >= min_shared
        ),
        key=lambda t: (-t[0], t[1]),
    )[:limit]
    related = []
    for _, other_id, shared_actors in scored:
        other = news.store.get_story(other_id)
        if other is not None:
            related.append(RelatedStory(other, shared_actors, _relation(story, other)))
    return _in_time_order(related)


def stored_related_stories(
    news: Newsfuse,
    story: Story,
    min_shared: int = RELATED_MIN_ACTORS,
    limit: int = RELATED_LIMIT,
) -> tuple[RelatedStory, ...]:
    """As `related_stories`, ranked by the store: shared actors weighted by how rare they are,
    so stories sharing only very common actors (the United States, say) are not related."""
    related = []
    for other_id, shared_actors, _ in news.store.related_stories(story.id, min_shared, limit):
        other = news.store.get_story(other_id)
        if other is not None:
            related.append(RelatedStory(other, shared_actors, _relation(story, other)))
    return _in_time_order(related)


def _in_time_order(related: list[RelatedStory]) -> tuple[RelatedStory, ...]:
    """Earlier stories, overlapping ones, later ones; each group by first publication."""
    order = {"earlier": 0, "overlapping": 1, "later": 2}
    related.sort(
        key=lambda r: (
            order[r.relation],
            r.story.first_published is None,
            r.story.first_published.timestamp() if r.story.first_published else 0.0,
            r.story.id,
        )
    )
    return tuple(related)


def _relation(story: Story, other: Story) -> str:
    if (
        other.last_published
        and story.first_published
        and other.last_published < story.first_published
    ):
        return "earlier"
    if (
        other.first_published
        and story.last_published
        and other.first_published > story.last_published
    ):
        return "later"
    return "overlapping"


# --- JSON ------------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _evidence(e: Evidence) -> dict[str, Any]:
    return {"article_id": e.article_id, "outlet": e.outlet, "start": e.start, "end": e.end,
            "text": e.text}  # fmt: skip


def dossier_record(d: Dossier) -> dict[str, Any]:
    """The dossier as JSON-ready values; every item carries its evidence spans."""
    return {
        "story": story_record(d.story),
        "headline": d.headline,
        "summary": [asdict(s) for s in d.summary],
        "first_published": _iso(d.first_published),
        "last_published": _iso(d.last_published),
        "reports": [
            {**member_record(r.original), "copies": [member_record(c) for c in r.copies]}
            for r in d.reports
        ],
        "outlets": [
            {"outlet": o.outlet, "articles": [m.article_id for m in o.articles]} for o in d.outlets
        ],
        "facts": {kind: [_fact(f) for f in d.facts if f.kind == kind] for kind in (SHARED, UNIQUE)},
        "conflicts": [
            {
                "slot": c.slot,
                "values": [
                    {"value": value, "evidence": [_evidence(e) for e in evidence]}
                    for value, evidence in c.values
                ],
            }
            for c in d.conflicts
        ],
        "quotes": [
            {
                "speaker_id": s.speaker_id,
                "speaker": s.speaker,
                "kind": s.kind,
                "quotes": [
                    {
                        "content": q.content,
                        "kind": q.kind,
                        "outlets": list(q.outlets),
                        "evidence": [_evidence(c) for c in q.carriers],
                    }  # fmt: skip
                    for q in s.quotes
                ],
            }
            for s in d.quotes
        ],
        "events": [_event(e) for e in d.events],
        "timeline": [
            {
                "value": t.value,
                "earliest": _iso_day(t.earliest),
                "latest": _iso_day(t.latest),
                "kind": t.kind,
                "label": t.label,
                "mentions": list(t.mentions),
                "evidence": [_evidence(e) for e in t.evidence],
            }
            for t in d.timeline
        ],
        "related": [
            {
                **story_record(r.story),
                "shared_actors": list(r.shared_actors),
                "relation": r.relation,
            }  # fmt: skip
            for r in d.related
        ],
    }


def _iso_day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _fact(f: Fact) -> dict[str, Any]:
    return {
        "id": f.id,
        "text": f.text,
        "kind": f.kind,
        "outlets": list(f.outlets),
        "origins": f.origins,
        "evidence": [_evidence(e) for e in f.support],
    }


def _event(e: StoryEvent) -> dict[str, Any]:
    record = asdict(e)
    record["modality"] = str(e.modality)
    record["evidence"] = [
        {"article_id": a, "start": s, "end": t} for a, s, t in record.pop("reports")
    ]
    return record
