"""A dossier as `newsfuse dossier` prints it: what happened, who reports what, where outlets
disagree, who said what, and when. Each line is cut to the terminal width."""

from __future__ import annotations

from collections.abc import Iterator

from newsfuse.fuse.dossier import Dossier

_FACTS_SHOWN = 8
_PER_OUTLET = 3


def dossier_lines(d: Dossier, width: int = 90) -> list[str]:
    return [_cut(line, width) for line in _lines(d)]


def _lines(d: Dossier) -> Iterator[str]:
    span = " – ".join(
        t.date().isoformat() if t else "undated" for t in (d.first_published, d.last_published)
    )
    yield d.headline or "(untitled)"
    yield (
        f"{d.story.id} · {span} · {d.story.article_count} articles, "
        f"{len(d.outlets)} outlets, {d.story.independent_origin_count} independent"
    )
    yield ""
    yield "summary:"
    for s in d.summary:
        yield f"  {_one_line(s.text)} [{s.outlet}]"
    shared, unique = d.shared_facts, d.unique_facts
    yield f"shared facts: {len(shared)}"
    for fact in shared[:_FACTS_SHOWN]:
        yield f"  {_one_line(fact.text)} [{', '.join(fact.outlets)}]"
    yield f"unique facts: {len(unique)}"
    by_outlet: dict[str, list[str]] = {}
    for fact in unique:
        by_outlet.setdefault(fact.outlets[0] if fact.outlets else "?", []).append(fact.text)
    for outlet, texts in by_outlet.items():
        yield f"  {outlet}: {len(texts)}"
        for text in texts[:_PER_OUTLET]:
            yield f"    {_one_line(text)}"
    yield f"conflicts: {len(d.conflicts)}"
    for conflict in d.conflicts:
        values = " | ".join(f"{value} ({len(evidence)})" for value, evidence in conflict.values)
        yield f"  {conflict.slot}: {values}"
    yield f"quotes by speaker: {len(d.quotes)}"
    for speaker in d.quotes:
        outlets = sorted({o for q in speaker.quotes for o in q.outlets})
        yield f"  {speaker.speaker} ×{len(speaker.quotes)} [{', '.join(outlets)}]"
    yield f"timeline: {len(d.timeline)}"
    for entry in d.timeline:
        yield f"  {entry.value}  {_one_line(entry.label)}"
    if d.related:
        yield f"related stories: {len(d.related)}"
        for related in d.related:
            yield f"  {related.relation:<11} {related.story.id}  {related.story.title or ''}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
