"""Annotations as served: the export contract's mention records, the full record `show --json`
prints, and the compact text `newsfuse show` prints.

Every span is a pair of character offsets into the article's `text`:
`text[start:end] == mention["text"]` (for quotes, `content`; for events, the evidence sentence).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsfuse.model import (
    Annotations,
    AnnotationStatus,
    DateMention,
    EntityMention,
    PlaceMention,
    Quote,
)
from newsfuse.service.events import event_lines, event_records
from newsfuse.store.codec import Mention, mention_json

MENTION_LISTS: tuple[str, ...] = ("entities", "quotes", "dates", "places", "events")
"""The per-article lists the JSONL export adds (empty until the article is annotated)."""
COUNT_FIELDS: tuple[str, ...] = tuple(f"n_{name}" for name in MENTION_LISTS)
"""Their lengths, which CSV and Parquet carry instead of the lists."""


def mention_record(mention: Mention) -> dict[str, Any]:
    """A mention as exported: every field but `produced_by` (which `show --json` adds)."""
    record = mention_json(mention)
    del record["produced_by"]
    return record


def mention_lists(annotations: Annotations | None, text: str | None = None) -> dict[str, Any]:
    """The export's `entities`, `quotes`, `dates`, `places`, `events` and `annotation_status`
    (empty lists and a null status before the article is annotated). `text`, the article's,
    gives each event its evidence sentence (`service.events.event_record`)."""
    if annotations is None:
        return {"annotation_status": None, **{name: [] for name in MENTION_LISTS}}
    return {
        "annotation_status": annotations.status.value,
        "entities": [mention_record(e) for e in annotations.entities],
        "quotes": [mention_record(q) for q in annotations.quotes],
        "dates": [mention_record(d) for d in annotations.dates],
        "places": [mention_record(p) for p in annotations.places],
        "events": event_records(annotations, text),
    }


def mention_counts(annotations: Annotations | None) -> dict[str, Any]:
    """`annotation_status` and the five list lengths (null before annotation)."""
    if annotations is None:
        return {"annotation_status": None, **dict.fromkeys(COUNT_FIELDS)}
    return {
        "annotation_status": annotations.status.value,
        **{f"n_{name}": len(getattr(annotations, name)) for name in MENTION_LISTS},
    }


def annotations_record(annotations: Annotations, text: str | None = None) -> dict[str, Any]:
    """Everything stored about an article's annotations, each mention with its producer
    (`text`, the article's, gives each event its sentence)."""
    anchor = annotations.anchor
    lists = mention_lists(annotations, text)
    for name in MENTION_LISTS:
        for record, mention in zip(lists[name], getattr(annotations, name), strict=True):
            record["produced_by"] = mention.produced_by
    return {
        "status": annotations.status.value,
        "reason": annotations.reason,
        "language": annotations.language,
        "anchor": {
            "day": anchor.day.isoformat() if anchor.day else None,
            "source": anchor.source.value,
            "year_only": anchor.year_only,
        }
        if anchor is not None
        else None,
        "produced_by": annotations.produced_by,
        "annotated_at": annotations.annotated_at.isoformat() if annotations.annotated_at else None,
        **{name: lists[name] for name in MENTION_LISTS},
    }


# -- text --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActorGroup:
    """An article's mentions of one actor (or of one unresolved name)."""

    actor_id: str | None
    canonical: str
    count: int
    forms: tuple[str, ...]
    """The distinct spellings, in order of first mention."""


def group_entities(entities: Sequence[EntityMention]) -> list[ActorGroup]:
    """Mentions grouped by actor id (unresolved ones by their text), most mentioned first."""
    groups: dict[str, list[EntityMention]] = {}
    for mention in entities:
        key = mention.actor_id or f"text:{mention.text}"
        groups.setdefault(key, []).append(mention)
    found = [
        ActorGroup(
            actor_id=mentions[0].actor_id,
            canonical=next((m.canonical for m in mentions if m.canonical), mentions[0].text),
            count=len(mentions),
            forms=tuple(dict.fromkeys(m.text for m in mentions)),
        )
        for mentions in groups.values()
    ]
    return sorted(found, key=lambda g: (-g.count, g.actor_id is None, g.canonical.casefold()))


def annotation_lines(
    annotations: Annotations | None, width: int = 90, text: str | None = None
) -> list[str]:
    """What `newsfuse show` prints about an article's annotations, one line per item, each
    cut to `width` characters (`text`, the article's, adds each event's sentence)."""
    if annotations is None:
        return ["annotations: none yet (run `newsfuse annotate`)"]
    head = f"annotations: {annotations.status.value}"
    if annotations.language:
        head += f" · {annotations.language}"
    if annotations.anchor is not None and annotations.anchor.day is not None:
        head += f" · dates anchored on {annotations.anchor.day} ({annotations.anchor.source})"
    lines = [head]
    if annotations.status is not AnnotationStatus.ANNOTATED:
        lines.append(f"  reason: {annotations.reason or '—'}")
    lines.extend(_entity_lines(annotations.entities))
    lines.extend(_quote_lines(annotations.quotes))
    lines.extend(_date_lines(annotations.dates))
    lines.extend(_place_lines(annotations.places))
    lines.extend(event_lines(annotations.events, text, width))
    return [_cut(line, width) for line in lines]


def _entity_lines(entities: Sequence[EntityMention]) -> list[str]:
    if not entities:
        return []
    groups = group_entities(entities)
    lines = [f"entities: {len(groups)} actors, {len(entities)} mentions"]
    for g in groups:
        others = [form for form in g.forms if form != g.canonical]
        forms = f"  ({', '.join(others)})" if others else ""
        lines.append(f"  {g.canonical} [{g.actor_id or 'unresolved'}] ×{g.count}{forms}")
    return lines


def _quote_lines(quotes: Sequence[Quote]) -> list[str]:
    if not quotes:
        return []
    lines = [f"quotes: {len(quotes)}"]
    for q in quotes:
        speaker = q.speaker or "?"
        if q.speaker_canonical and q.speaker_canonical != q.speaker:
            speaker += f" → {q.speaker_canonical}"
        cue = f" ({q.cue})" if q.cue else ""
        lines.append(f"  {q.kind.value:<8} {speaker}{cue}: “{_cut(_one_line(q.content), 60)}”")
    return lines


def _date_lines(dates: Sequence[DateMention]) -> list[str]:
    if not dates:
        return []
    lines = [f"  {_one_line(d.text)} → {d.value or '?'} ({d.granularity.value})" for d in dates]
    return [f"dates: {len(dates)}", *_counted(lines)]


def _place_lines(places: Sequence[PlaceMention]) -> list[str]:
    if not places:
        return []
    lines = []
    for p in places:
        where = ", ".join(part for part in (p.canonical, p.country) if part) or "?"
        coords = f" ({p.lat:.2f}, {p.lon:.2f})" if p.lat is not None and p.lon is not None else ""
        lines.append(f"  {_one_line(p.text)} → {where}{coords}")
    return [f"places: {len(places)}", *_counted(lines)]


def _counted(lines: Sequence[str]) -> list[str]:
    """Repeated lines once, in order of first appearance, with ×n when there are several."""
    counts = Counter(lines)
    return [line if counts[line] == 1 else f"{line} ×{counts[line]}" for line in counts]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
