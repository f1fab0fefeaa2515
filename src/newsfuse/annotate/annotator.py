"""The annotate stage's entry point: articles (with their story context) in, `Annotations` out.

One spaCy pass per article (`nlp.english()`: tok2vec, tagger, senter, ner) feeds entities and
quotes; dates are found by our own tagger on the raw text; places are read off the entities;
events are coded in the sentences that name an actor (`events.py`, `event_model.py`).
Long texts go through spaCy in windows cut at paragraph breaks, so offsets stay exact and
memory stays flat. With `n_process` > 1 whole articles are annotated in worker processes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from multiprocessing import get_context
from typing import TYPE_CHECKING

from threadpoolctl import threadpool_limits

from newsfuse.annotate import dates, entities, events, places, quotes
from newsfuse.annotate.actors import Gazetteer, slug
from newsfuse.annotate.event_model import EventModel
from newsfuse.annotate.language import article_language
from newsfuse.config import AnnotateOptions
from newsfuse.model import (
    AnchorSource,
    Annotations,
    AnnotationStatus,
    Article,
    DateAnchor,
    Event,
    Quote,
    StoryContext,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

PRODUCED_BY = "newsfuse.annotate.v1"
_PRONOUNS = frozenset({"he", "she"})


NO_CONTEXT = StoryContext()


@dataclass(frozen=True, slots=True)
class _Window:
    index: int
    """The article's position in the batch."""
    offset: int
    text: str


class Annotator:
    """Annotates batches of articles; loads its models once and reuses its worker processes."""

    def __init__(self, options: AnnotateOptions | None = None) -> None:
        self.options = options or AnnotateOptions()
        self._pool: ProcessPoolExecutor | None = None
        self._events: EventModel | None = None

    def annotate(
        self, articles: Sequence[Article], contexts: Sequence[StoryContext] | None = None
    ) -> list[Annotations]:
        """One `Annotations` per article, in order; one bad article never fails the batch."""
        contexts = list(contexts) if contexts else [NO_CONTEXT] * len(articles)
        if len(contexts) != len(articles):
            raise ValueError("one StoryContext per article")
        workers = self.options.n_process
        if workers > 1 and len(articles) >= 2 * workers:
            return self._parallel(articles, contexts, workers)
        return self._serial(articles, contexts)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __enter__(self) -> Annotator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- serial -----------------------------------------------------------------------------

    def _serial(
        self, articles: Sequence[Article], contexts: Sequence[StoryContext]
    ) -> list[Annotations]:
        now = datetime.now(UTC)
        results: list[Annotations | None] = [None] * len(articles)
        todo: list[int] = []
        languages: list[str | None] = []
        for i, article in enumerate(articles):
            language = article_language(article)
            languages.append(language)
            skip = self._skip_reason(article, language)
            if skip:
                results[i] = Annotations(
                    article.id,
                    AnnotationStatus.NOT_ANNOTATED,
                    reason=skip,
                    language=language,
                    produced_by=PRODUCED_BY,
                    annotated_at=now,
                )
            else:
                todo.append(i)
        windows = [w for i in todo for w in self._windows(i, articles[i].text)]
        # One BLAS thread: spaCy's small matrices run ~12% slower when OpenBLAS spreads them
        # over both cores, and worker processes use the cores better anyway.
        with threadpool_limits(limits=1):
            docs = list(self._parse(windows))
        by_article: dict[int, list[tuple[int, Doc | BaseException]]] = {i: [] for i in todo}
        for window, doc in zip(windows, docs, strict=True):
            by_article[window.index].append((window.offset, doc))
        contexts = _share_text_anchors(articles, contexts, todo, self._limit)
        met: dict[str, dict[str, str]] = {}
        for i in todo:
            article = articles[i]
            context = _with_people_met(contexts[i], met)
            try:
                result = self._assemble(article, context, by_article[i], languages[i], now)
                results[i] = result
                if context.story_id:
                    people = met.setdefault(context.story_id, {})
                    for actor_id, canonical in entities.people_of(result.entities):
                        people.setdefault(actor_id, canonical)
            except Exception as exc:  # one article's bug must not cost the batch
                results[i] = Annotations(
                    article.id,
                    AnnotationStatus.FAILED,
                    reason=f"{type(exc).__name__}: {exc}"[:500],
                    language=languages[i],
                    produced_by=PRODUCED_BY,
                    annotated_at=now,
                )
        return [r for r in results if r is not None]

    def _parse(self, windows: Sequence[_Window]) -> Iterator[Doc | BaseException]:
        """spaCy over every window, in order; a window spaCy chokes on yields its error."""
        from newsfuse.annotate.nlp import english

        nlp = english()
        done = 0
        try:
            for doc in nlp.pipe((w.text for w in windows), batch_size=self.options.batch_size):
                done += 1
                yield doc
        except Exception:  # go on one window at a time so only the culprit fails
            for w in windows[done:]:
                try:
                    yield nlp(w.text)
                except Exception as exc:
                    yield exc

    def _assemble(
        self,
        article: Article,
        context: StoryContext,
        parsed: Sequence[tuple[int, Doc | BaseException]],
        language: str | None,
        now: datetime,
    ) -> Annotations:
        gazetteer = Gazetteer.default()
        limit = self._limit(article.text)
        anchor = dates.infer_anchor(
            article.text[:limit],
            article.published,
            context.first_published,
            context.last_published,
            article.captions,
        )
        if context.text_anchor and (anchor.day is None or anchor.year_only):
            anchor = DateAnchor(context.text_anchor, AnchorSource.STORY)
        outlets = (article.outlet,) if article.outlet else ()
        resolver = entities.EntityResolver(gazetteer, anchor.day, context.people, outlets)
        found_quotes: list[Quote] = []
        for offset, doc in parsed:
            if isinstance(doc, BaseException):
                raise doc
            resolver.add(doc, offset)
            found_quotes.extend(_shift(q, offset) for q in quotes.find_quotes(doc))
        # speakers first: a speaker spaCy missed ("Varga-Moren") becomes an entity mention too
        speakers = tuple(_speaker(q, resolver, gazetteer) for q in found_quotes)
        found = resolver.found()
        reason = None
        if limit < len(article.text):
            reason = f"annotated the first {limit:,} of {len(article.text):,} characters"
        text = article.text[:limit]
        mentions = tuple(f.mention for f in found)
        found_dates = tuple(dates.find_dates(text, anchor))
        found_places = tuple(places.find_places(found, gazetteer))
        coded: tuple[Event, ...] = ()
        if self.options.events:
            sentences = [
                (offset + s.start_char, offset + s.end_char)
                for offset, doc in parsed
                if not isinstance(doc, BaseException)
                for s in doc.sents
            ]
            coded = tuple(
                events.code_events(
                    text, sentences, mentions, found_dates, found_places, self._event_model()
                )
            )
        return Annotations(
            article.id,
            AnnotationStatus.ANNOTATED,
            reason=reason,
            language=language,
            anchor=anchor,
            entities=mentions,
            quotes=speakers,
            dates=found_dates,
            places=found_places,
            events=coded,
            produced_by=PRODUCED_BY,
            annotated_at=now,
        )

    def _event_model(self) -> EventModel:
        if self._events is None:
            self._events = EventModel.default()
        return self._events

    def _skip_reason(self, article: Article, language: str | None) -> str | None:
        if not article.text.strip():
            return "no text"
        if language is None:
            return "language could not be identified"
        if language not in self.options.languages:
            supported = ", ".join(self.options.languages)
            return f"language {language} is not annotated (only {supported})"
        return None

    def _limit(self, text: str) -> int:
        """Where annotation stops: all of it, or the last paragraph break before max_chars."""
        if len(text) <= self.options.max_chars:
            return len(text)
        cut = text.rfind("\n\n", 0, self.options.max_chars)
        return cut if cut > 0 else self.options.max_chars

    def _windows(self, index: int, text: str) -> list[_Window]:
        """The text up to its limit in pieces of about window_chars, cut at paragraph breaks."""
        limit = self._limit(text)
        size = self.options.window_chars
        out: list[_Window] = []
        start = 0
        while start < limit:
            end = min(limit, start + size)
            if end < limit:
                cut = text.rfind("\n\n", start + size // 4, end)
                if cut <= start:
                    cut = text.rfind(" ", start + size // 4, end)
                end = cut if cut > start else end
            out.append(_Window(index, start, text[start:end]))
            start = end
        return out or [_Window(index, 0, "")]

    # -- parallel ---------------------------------------------------------------------------

    def _parallel(
        self, articles: Sequence[Article], contexts: Sequence[StoryContext], workers: int
    ) -> list[Annotations]:
        if self._pool is None:
            serial = replace(self.options, n_process=1)
            for name in _THREAD_ENV:  # read by BLAS at import, before any initializer runs
                os.environ.setdefault(name, "1")
            self._pool = ProcessPoolExecutor(
                workers,
                mp_context=get_context("fork"),
                initializer=_init_worker,
                initargs=(serial,),
            )
        # A story's articles go to one worker, so they share what each finds (people, dates).
        order = sorted(range(len(articles)), key=lambda i: (contexts[i].story_id or "", i))
        size = max(1, min(self.options.batch_size, -(-len(articles) // workers)))
        parts = [
            ([articles[i] for i in order[k : k + size]], [contexts[i] for i in order[k : k + size]])
            for k in range(0, len(order), size)
        ]
        by_id: dict[str, Annotations] = {}
        for part in self._pool.map(_annotate_in_worker, parts):
            by_id.update((a.article_id, a) for a in part)
        return [by_id[article.id] for article in articles]


_WORKER: Annotator | None = None


_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _init_worker(options: AnnotateOptions) -> None:
    global _WORKER
    _WORKER = Annotator(options)


def _annotate_in_worker(part: tuple[list[Article], list[StoryContext]]) -> list[Annotations]:
    assert _WORKER is not None
    return _WORKER._serial(*part)


def _share_text_anchors(
    articles: Sequence[Article],
    contexts: Sequence[StoryContext],
    todo: Sequence[int],
    limit: Callable[[str], int],
) -> list[StoryContext]:
    """Contexts that also know the reporting days inferred from the text of the story's other
    undated articles in this batch (the store knows only those annotated before)."""
    inferred: dict[str, list[tuple[int, date]]] = {}
    for i in todo:
        story_id, article = contexts[i].story_id, articles[i]
        if story_id is None or article.published is not None:
            continue
        text = article.text[: limit(article.text)]
        anchor = dates.infer_anchor(text, None, None, None, article.captions)
        if anchor.source == AnchorSource.TEXT and anchor.day and not anchor.year_only:
            inferred.setdefault(story_id, []).append((i, anchor.day))
    out = list(contexts)
    for i in todo:
        context = contexts[i]
        days = [d for j, d in inferred.get(context.story_id or "", ()) if j != i]
        if context.text_anchor:
            days.append(context.text_anchor)
        if days:
            out[i] = replace(context, text_anchor=max(days))
    return out


def _with_people_met(context: StoryContext, met: dict[str, dict[str, str]]) -> StoryContext:
    """The context plus the people the story's earlier articles in this batch named."""
    people = met.get(context.story_id or "")
    if not people:
        return context
    known = dict(context.people)
    extra = tuple((a, c) for a, c in people.items() if a not in known)
    return replace(context, people=context.people + extra) if extra else context


def _shift(quote: Quote, offset: int) -> Quote:
    """A quote found in a window, with offsets into the whole text."""
    if offset == 0:
        return quote

    def at(value: int | None) -> int | None:
        return None if value is None else value + offset

    return replace(
        quote,
        start=quote.start + offset,
        end=quote.end + offset,
        speaker_start=at(quote.speaker_start),
        speaker_end=at(quote.speaker_end),
        cue_start=at(quote.cue_start),
        cue_end=at(quote.cue_end),
        fragments=tuple((s + offset, e + offset) for s, e in quote.fragments),
    )


def _speaker(quote: Quote, resolver: entities.EntityResolver, gazetteer: Gazetteer) -> Quote:
    """The quote with its speaker canonicalised: a name or role phrase resolves as the
    entity inside the span, "he"/"she" as the last person before, an outlet as the outlet."""
    if quote.speaker_start is None or quote.speaker_end is None or not quote.speaker:
        return quote
    mention = resolver.speaker(quote.speaker_start, quote.speaker_end, quote.start)
    if mention is None and quote.speaker.strip().lower() in _PRONOUNS:
        mention = resolver.last_person(min(quote.speaker_start, quote.start))
    elif mention is None:
        mention = resolver.name_in_span(quote.speaker_start, quote.speaker_end, quote.speaker)
    if mention is not None and mention.actor_id:
        kind = mention.kind or "unknown"
        if quote.speaker_kind == "outlet" and kind in {"organisation", "outlet"}:
            kind = "outlet"
        return replace(
            quote,
            speaker_canonical=mention.canonical,
            speaker_id=mention.actor_id,
            speaker_kind=kind,
        )
    if quote.speaker_kind == "outlet":
        name = entities.clean_key(quote.speaker)
        actor = next((a for a in gazetteer.lookup(name) if a.kind == "outlet"), None)
        if actor is not None:
            return replace(quote, speaker_canonical=actor.name, speaker_id=actor.id)
        return replace(quote, speaker_canonical=name, speaker_id=f"outlet:{slug(name)}")
    return quote
