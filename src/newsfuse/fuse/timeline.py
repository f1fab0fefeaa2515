"""A story's timeline: the dated things its reports mention, and its dated events, in order.

Two kinds of entry:
- "date": a resolved date mention (`DateMention.value` at a granularity in `GRANULARITIES`;
  durations and unresolved mentions are skipped), with its sentence as evidence. Mentions of the
  same value whose sentences say nearly the same thing (Dice overlap of their
  `facts.sentence_features` at least `SAME_SENTENCE`) are one entry with every sentence as
  evidence, across outlets.
- "event": a merged `StoryEvent` with a date, its report sentences as evidence. A date mention
  whose sentence is evidence of an event with the same value adds to that event, not a row of
  its own.

Entries are ordered by the first day they cover, then kind, then value and first evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from newsfuse.fuse.events import StoryEvent, date_interval
from newsfuse.fuse.facts import Evidence, ReportText, sentence_features, split_sentences
from newsfuse.model import Granularity

GRANULARITIES = frozenset(
    {Granularity.TIME, Granularity.DAY, Granularity.RANGE, Granularity.WEEK, Granularity.MONTH}
)
"""Date mentions precise enough for a timeline (a year or a season is background, not a step)."""
SAME_SENTENCE = 0.5
DATE = "date"
EVENT = "event"


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One step of the story."""

    value: str
    """ISO value: 2023-09-13, 2023-09, 2023-09-11/2023-09-15."""
    earliest: date | None
    latest: date | None
    kind: str
    """"date" (a dated mention) | "event" (a coded event with a date)."""
    label: str
    """The first evidence sentence for a date; "PLOVER SRC → TGT" for an event."""
    evidence: tuple[Evidence, ...]
    event: StoryEvent | None = None
    mentions: tuple[str, ...] = ()
    """The date expressions as written ("Sept. 13", "earlier this week")."""


@dataclass(slots=True)
class _Draft:
    value: str
    granularity: str
    evidence: list[Evidence]
    mentions: list[str]
    features: frozenset[str]


def build_timeline(
    reports: Sequence[ReportText],
    story_events: Sequence[StoryEvent],
    copies: Sequence[ReportText] = (),
) -> tuple[TimelineEntry, ...]:
    """The timeline of a story's reports; `copies` only lend event evidence text (an event's
    reports may be sentences of a copy)."""
    texts = {r.article_id: r for r in (*reports, *copies)}
    events = [_event_entry(e, texts) for e in story_events if date_interval(e.date)]
    drafts = _date_drafts(reports)
    entries: list[TimelineEntry] = []
    for draft in drafts:
        host = next((i for i, e in enumerate(events) if _absorbs(e, draft)), None)
        if host is not None:
            known = set(events[host].evidence)
            extra = tuple(ev for ev in draft.evidence if ev not in known)
            events[host] = replace(
                events[host],
                evidence=events[host].evidence + extra,
                mentions=tuple(dict.fromkeys((*events[host].mentions, *draft.mentions))),
            )
            continue
        span = date_interval(draft.value)
        entries.append(
            TimelineEntry(
                value=draft.value,
                earliest=span[0] if span else None,
                latest=span[1] if span else None,
                kind=DATE,
                label=draft.evidence[0].text,
                evidence=tuple(draft.evidence),
                mentions=tuple(dict.fromkeys(draft.mentions)),
            )
        )
    entries.extend(events)
    entries.sort(key=_order)
    return tuple(entries)


def _order(entry: TimelineEntry) -> tuple[object, ...]:
    first = entry.evidence[0] if entry.evidence else None
    return (
        entry.earliest or date.max,
        entry.kind,
        entry.latest or date.max,
        entry.value,
        (first.article_id, first.start) if first else ("", 0),
    )


def _date_drafts(reports: Sequence[ReportText]) -> list[_Draft]:
    drafts: list[_Draft] = []
    for report in reports:
        if report.annotations is None:
            continue
        sentences = split_sentences(report.text)
        for mention in report.annotations.dates:
            if mention.value is None or mention.granularity not in GRANULARITIES:
                continue
            if date_interval(mention.value) is None:
                continue
            sentence = next((s for s in sentences if s.start <= mention.start < s.end), None)
            if sentence is None:
                continue
            evidence = Evidence(
                report.article_id, report.outlet, sentence.start, sentence.end, sentence.text
            )
            features, _ = sentence_features(report.text, sentence, report.annotations)
            _add(drafts, mention.value, str(mention.granularity), evidence, mention.text, features)
    return drafts


def _add(
    drafts: list[_Draft],
    value: str,
    granularity: str,
    evidence: Evidence,
    written: str,
    features: frozenset[str],
) -> None:
    for draft in drafts:
        if draft.value != value:
            continue
        if evidence in draft.evidence or _dice(draft.features, features) >= SAME_SENTENCE:
            if evidence not in draft.evidence:
                draft.evidence.append(evidence)
            draft.mentions.append(written)
            return
    drafts.append(_Draft(value, granularity, [evidence], [written], features))


def _event_entry(event: StoryEvent, texts: dict[str, ReportText]) -> TimelineEntry:
    span = date_interval(event.date)
    evidence = tuple(
        Evidence(
            article_id, texts[article_id].outlet, start, end, texts[article_id].text[start:end]
        )
        for article_id, start, end in event.reports
        if article_id in texts
    )
    actors = " → ".join(a for a in (event.source_actor, event.target_actor) if a)
    return TimelineEntry(
        value=event.date or "",
        earliest=span[0] if span else None,
        latest=span[1] if span else None,
        kind=EVENT,
        label=f"{event.plover} {actors}".strip(),
        evidence=evidence,
        event=event,
    )


def _absorbs(entry: TimelineEntry, draft: _Draft) -> bool:
    """An event takes a date mention of its own value stated in one of its sentences (the
    event coder's sentence spans may differ a little from `split_sentences`: overlap counts)."""
    if entry.value != draft.value:
        return False
    return any(
        mine.article_id == theirs.article_id and mine.start < theirs.end and theirs.start < mine.end
        for mine in draft.evidence
        for theirs in entry.evidence
    )


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0
