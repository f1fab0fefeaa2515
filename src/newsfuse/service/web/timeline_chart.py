"""The dossier timeline as chart geometry, for an inline SVG the template draws.

No JavaScript library: the server lays the chart out (one row per dated entry, a bar from its
earliest to its latest day on a shared time axis, the entry's number and label beside it) and
the template prints numbers and autoescaped text into `<svg>`. Entries without a date are left
out of the chart; the list under it has every entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from newsfuse.fuse.timeline import TimelineEntry

WIDTH = 760
LABEL_WIDTH = 300
"""Room on the left for each row's number and label."""
ROW_HEIGHT = 24
AXIS_HEIGHT = 34
MARGIN = 12
TICKS = 5
LABEL_CHARS = 42


@dataclass(frozen=True, slots=True)
class Bar:
    number: int
    """The entry's number in the timeline list (from 1)."""
    x: float
    y: float
    width: float
    kind: str
    """"date" | "event"."""
    label: str
    """The entry's label, shortened to fit."""
    title: str
    """Its full label and dates, for the tooltip."""


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class TimelineChart:
    width: int
    height: int
    axis_y: float
    plot_left: float
    plot_right: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]


def timeline_chart(entries: Sequence[TimelineEntry]) -> TimelineChart | None:
    """The chart of the dated `entries`, or None when none is dated."""
    dated = [
        (n, e, e.earliest, e.latest or e.earliest) for n, e in enumerate(entries, 1) if e.earliest
    ]
    if not dated:
        return None
    first = min(d[2] for d in dated if d[2] is not None)
    last = max(d[3] for d in dated if d[3] is not None) + timedelta(days=1)
    left, right = float(LABEL_WIDTH), float(WIDTH - MARGIN)
    days = max((last - first).days, 1)

    def x(day: date) -> float:
        return round(left + (right - left) * (day - first).days / days, 1)

    bars = []
    for row, (number, entry, earliest, latest) in enumerate(dated):
        assert earliest is not None and latest is not None
        start, end = x(earliest), x(latest + timedelta(days=1))
        bars.append(
            Bar(
                number=number,
                x=start,
                y=AXIS_HEIGHT + row * ROW_HEIGHT,
                width=max(end - start, 4.0),
                kind=entry.kind,
                label=_shorten(entry.label),
                title=f"{entry.label} ({_span(earliest, latest)})",
            )
        )
    ticks = tuple(
        Tick(x(first + timedelta(days=round(days * i / (TICKS - 1)))), _tick(first, days, i))
        for i in range(TICKS)
    )
    height = AXIS_HEIGHT + len(bars) * ROW_HEIGHT + MARGIN
    return TimelineChart(WIDTH, height, AXIS_HEIGHT - 8, left, right, tuple(bars), ticks)


def _tick(first: date, days: int, i: int) -> str:
    return (first + timedelta(days=round(days * i / (TICKS - 1)))).isoformat()


def _span(earliest: date, latest: date) -> str:
    return earliest.isoformat() if earliest == latest else f"{earliest} to {latest}"


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= LABEL_CHARS else flat[: LABEL_CHARS - 1].rstrip() + "…"
