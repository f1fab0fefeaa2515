"""The dossier's coverage grid: one row per fact, one column per outlet, each cell saying
whether that outlet reports the fact and how: shared (more than one independent origin reports
it), unique (only this outlet does), conflicting (its wording of it carries a value another
outlet contradicts) or through a copy (the outlet reprinted another's report).

Every cell carries a text label, so the grid does not rely on colour, and a link to its
evidence spans in the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsfuse.fuse.conflicts import Conflict
from newsfuse.fuse.dossier import Dossier
from newsfuse.fuse.facts import SHARED, Evidence, Fact
from newsfuse.service.web.highlight import evidence_href

ABSENT = "absent"
CONFLICTING = "conflicting"
COPY = "copy"


@dataclass(frozen=True, slots=True)
class Cell:
    kind: str
    """"shared" | "unique" | "conflicting" | "copy" | "absent"."""
    label: str
    """What the cell says in words ("shared", "copy of Meridian Wire", ...)."""
    href: str | None = None
    """The evidence in its article, highlighted."""
    note: str | None = None
    """Why it is conflicting: the disputed slot ("number: magnitude")."""


@dataclass(frozen=True, slots=True)
class Row:
    fact: Fact
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class CoverageGrid:
    outlets: tuple[str, ...]
    rows: tuple[Row, ...]


def coverage_grid(dossier: Dossier) -> CoverageGrid:
    outlets = tuple(o.outlet for o in dossier.outlets)
    copies = _copies_by_outlet(dossier)
    disputed = _disputed_spans(dossier.conflicts)
    facts = sorted(dossier.facts, key=lambda f: (f.kind != SHARED, -f.origins, f.id))
    rows = tuple(
        Row(
            fact, tuple(_cell(fact, outlet, copies.get(outlet, {}), disputed) for outlet in outlets)
        )
        for fact in facts
    )
    return CoverageGrid(outlets, rows)


def _cell(
    fact: Fact,
    outlet: str,
    copied: dict[str, str],
    disputed: dict[str, list[tuple[int, int, str]]],
) -> Cell:
    own = [e for e in fact.support if e.outlet == outlet]
    if own:
        href = _href(own)
        slot = _conflict_slot(own, disputed)
        if slot is not None:
            return Cell(CONFLICTING, CONFLICTING, href, slot)
        return Cell(fact.kind, fact.kind, href)
    for evidence in fact.support:
        if evidence.article_id in copied:
            return Cell(COPY, f"copy of {evidence.outlet}", _href([evidence]))
    return Cell(ABSENT, "not reported")


def _href(evidence: Sequence[Evidence]) -> str:
    article_id = evidence[0].article_id
    return evidence_href(
        article_id, ((e.start, e.end) for e in evidence if e.article_id == article_id)
    )


def _copies_by_outlet(dossier: Dossier) -> dict[str, dict[str, str]]:
    """`outlet -> {original article id -> its copy's id}` for outlets that reprinted a report."""
    found: dict[str, dict[str, str]] = {}
    for report in dossier.reports:
        for copy in report.copies:
            found.setdefault(copy.outlet_name, {})[report.original.article_id] = copy.article_id
    return found


def _disputed_spans(conflicts: Sequence[Conflict]) -> dict[str, list[tuple[int, int, str]]]:
    """`article id -> [(start, end, slot)]` of every span carrying a conflicting value."""
    found: dict[str, list[tuple[int, int, str]]] = {}
    for conflict in conflicts:
        for _, evidence in conflict.values:
            for e in evidence:
                found.setdefault(e.article_id, []).append((e.start, e.end, conflict.slot))
    return found


def _conflict_slot(
    evidence: Sequence[Evidence], disputed: dict[str, list[tuple[int, int, str]]]
) -> str | None:
    for e in evidence:
        for start, end, slot in disputed.get(e.article_id, ()):
            if start < e.end and e.start < end:
                return slot
    return None
