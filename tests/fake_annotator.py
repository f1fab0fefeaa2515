"""A deterministic stand-in for `Annotator`, for tests of what surrounds annotation.

It finds a fixed vocabulary of fictional names, places and ISO dates by string search, and
every “curly-quoted” passage as a direct quote, so each span is exact and known in advance.
A sentence in which a known actor does one of a few verbs (`VERBS`: "met", "opened",
"threatened") is an event: the first actor its source, the next other actor its target, the
sentence's first date and place its date and place, "would"/"may" its modality.
It raises for an article whose text contains `BOOM`, and records the contexts it was given.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime

from newsfuse.model import (
    AnchorSource,
    Annotations,
    AnnotationStatus,
    Article,
    DateAnchor,
    DateMention,
    EntityMention,
    Event,
    Granularity,
    MentionForm,
    Modality,
    PlaceMention,
    Quote,
    QuoteKind,
    StoryContext,
)

PRODUCED_BY = "tests.fake_annotator.v1"
# text -> (actor_id, canonical, kind, country, label, form)
Actor = tuple[str, str, str, str | None, str, MentionForm]
_REYES = ("person:tamsin-reyes", "Tamsin Reyes", "person", "VAL", "PERSON")
ACTORS: dict[str, Actor] = {
    "Tamsin Reyes": (*_REYES, MentionForm.NAME),
    "Reyes": (*_REYES, MentionForm.SHORT),
    "Orrin Vale": ("person:orrin-vale", "Orrin Vale", "person", "MRL", "PERSON", MentionForm.NAME),
    "Valdoria": ("VAL", "Valdoria", "country", "VAL", "GPE", MentionForm.NAME),
    "Harbour Council": (
        "org:harbour-council", "Harbour Council", "organisation", None, "ORG", MentionForm.NAME
    ),
}  # fmt: skip
PLACES: dict[str, tuple[str, str, float, float]] = {
    "Port Aldane": ("Port Aldane", "VAL", 44.25, 12.5),
}
_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_QUOTE = re.compile(r"“([^”]+)”")
_SAID = re.compile(r"\s*(said|says)\s+(Tamsin Reyes|Reyes|Orrin Vale)")


class FakeAnnotator:
    """Implements `Annotator.annotate` on string search alone."""

    def __init__(self, fail_on: str = "BOOM") -> None:
        self.fail_on = fail_on
        self.calls: list[list[str]] = []
        self.contexts: dict[str, StoryContext] = {}

    def annotate(
        self, articles: Sequence[Article], contexts: Sequence[StoryContext] | None = None
    ) -> list[Annotations]:
        self.calls.append([a.id for a in articles])
        given = list(contexts) if contexts is not None else [StoryContext()] * len(articles)
        out = []
        for article, context in zip(articles, given, strict=True):
            if self.fail_on in article.text:
                raise RuntimeError(f"cannot read {article.id}")
            self.contexts[article.id] = context
            out.append(annotate_text(article))
        return out


def annotate_text(article: Article) -> Annotations:
    text = article.text
    anchor_day = article.published.date() if article.published else None
    return Annotations(
        article_id=article.id,
        status=AnnotationStatus.ANNOTATED,
        language=article.language,
        anchor=DateAnchor(anchor_day, AnchorSource.PUBLISHED if anchor_day else AnchorSource.NONE),
        entities=_entities(text),
        quotes=_quotes(text),
        dates=_dates(text),
        places=_places(text),
        events=_events(text),
        produced_by=PRODUCED_BY,
        annotated_at=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
    )


def _entities(text: str) -> tuple[EntityMention, ...]:
    found: list[EntityMention] = []
    taken: set[int] = set()
    for name in sorted(ACTORS, key=len, reverse=True):  # longest first: "Reyes" in "Tamsin Reyes"
        actor_id, canonical, kind, country, label, form = ACTORS[name]
        for match in re.finditer(rf"\b{re.escape(name)}\b", text):
            if match.start() in taken or any(i in taken for i in range(*match.span())):
                continue
            taken.update(range(*match.span()))
            found.append(
                EntityMention(
                    match.start(),
                    match.end(),
                    name,
                    label,
                    actor_id,
                    canonical,
                    kind,
                    country,
                    role="mayor" if kind == "person" else None,
                    form=form,
                    produced_by=PRODUCED_BY,
                )  # fmt: skip
            )
    return tuple(sorted(found, key=lambda e: e.start))


def _quotes(text: str) -> tuple[Quote, ...]:
    quotes = []
    for match in _QUOTE.finditer(text):
        start, end = match.span(1)
        said = _SAID.match(text, match.end())
        speaker = cue = None
        speaker_span: tuple[int | None, int | None] = (None, None)
        cue_span: tuple[int | None, int | None] = (None, None)
        canonical = speaker_id = None
        if said is not None:
            cue, speaker = said.group(1), said.group(2)
            cue_span, speaker_span = said.span(1), said.span(2)
            speaker_id, canonical = ACTORS[speaker][0], ACTORS[speaker][1]
        quotes.append(
            Quote(
                start,
                end,
                text[start:end],
                QuoteKind.DIRECT,
                speaker,
                *speaker_span,
                speaker_canonical=canonical,
                speaker_id=speaker_id,
                speaker_kind="person" if speaker else None,
                cue=cue,
                cue_start=cue_span[0],
                cue_end=cue_span[1],
                fragments=((start, end),),
                produced_by=PRODUCED_BY,
            )  # fmt: skip
        )
    return tuple(quotes)


def _dates(text: str) -> tuple[DateMention, ...]:
    out = []
    for match in _ISO_DAY.finditer(text):
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        out.append(
            DateMention(
                match.start(),
                match.end(),
                match.group(0),
                day.isoformat(),
                Granularity.DAY,
                earliest=day,
                latest=day,
                anchor=AnchorSource.PUBLISHED,
                produced_by=PRODUCED_BY,
            )  # fmt: skip
        )
    return tuple(out)


def _places(text: str) -> tuple[PlaceMention, ...]:
    out = []
    for name, (canonical, country, lat, lon) in PLACES.items():
        for match in re.finditer(re.escape(name), text):
            out.append(
                PlaceMention(
                    match.start(),
                    match.end(),
                    name,
                    canonical,
                    country,
                    lat,
                    lon,
                    place_id="place:port-aldane",
                    feature="city",
                    produced_by=PRODUCED_BY,
                )  # fmt: skip
            )
    return tuple(out)


# verb -> (plover, cameo, quad class, goldstein)
VERBS: dict[str, tuple[str, str, str, float]] = {
    "met": ("CONSULT", "040", "verbal cooperation", 1.0),
    "opened": ("AID", "070", "material cooperation", 7.0),
    "threatened": ("THREATEN", "130", "verbal conflict", -4.4),
}
_SENTENCE = re.compile(r"[^.!?]+[.!?]?")
_MODALITY = {"would": Modality.FUTURE, "may": Modality.POSSIBLE, "not": Modality.NEGATED}


def _events(text: str) -> tuple[Event, ...]:
    entities, dates, places = _entities(text), _dates(text), _places(text)
    out = []
    for match in _SENTENCE.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        sentence = text[start:end]
        verb = next((v for v in VERBS if re.search(rf"\b{v}\b", sentence)), None)
        actors = [e for e in entities if start <= e.start < end and e.actor_id]
        if verb is None or not actors:
            continue
        source = actors[0]
        target = next((e for e in actors if e.actor_id != source.actor_id), None)
        plover, cameo, quad, goldstein = VERBS[verb]
        words = set(re.findall(r"\w+", sentence.lower()))
        modality = next((m for w, m in _MODALITY.items() if w in words), Modality.ASSERTED)
        day = next((d.value for d in dates if start <= d.start < end), None)
        place = next((p for p in places if start <= p.start < end), None)
        out.append(
            Event(
                start,
                end,
                plover,
                cameo,
                quad,
                goldstein,
                mode=None,
                modality=modality,
                source_actor=source.country,
                source_entity=source.actor_id if source.kind != "country" else None,
                target_actor=target.country if target else None,
                target_entity=target.actor_id if target and target.kind != "country" else None,
                date=day,
                place=f"{place.canonical}, {place.country}" if place else None,
                confidence=0.9,
                produced_by=PRODUCED_BY,
            )  # fmt: skip
        )
    return tuple(out)
