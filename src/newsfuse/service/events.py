"""Events as served: the JSONL export's event records, GDELT 2.0 rows, PLOVER-style JSON, the
lines `newsfuse show` and `newsfuse story` print, and `newsfuse events classify`.

Every event points at its evidence sentence by a span into the article's `text`
(`text[start:end]` is the sentence).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime
from enum import Enum
from itertools import islice
from typing import IO, Any

from newsfuse.model import Annotations, Article, Event, PlaceMention, StoryAssignment
from newsfuse.store.codec import mention_json

Row = tuple[Article, StoryAssignment | None, Annotations | None]
"""An exported article with its story membership and annotations (`export.with_stories`)."""

# -- the JSONL export --------------------------------------------------------------------------

EVENT_FIELDS: tuple[str, ...] = (
    "plover",
    "mode",
    "cameo",
    "quad_class",
    "goldstein",
    "source_actor",
    "target_actor",
    "date",
    "place",
    "start",
    "end",
    "confidence",
    "modality",
    "source_entity",
    "target_entity",
    "text",
)
"""An exported event's keys: the contract's twelve, then the modality, the person or
organisation ids behind the actors, and the evidence sentence itself."""


def event_record(event: Event, text: str | None = None) -> dict[str, Any]:
    """An event as the JSONL export gives it (`EVENT_FIELDS`); `text` is the article's text,
    whose `[start:end]` is the evidence sentence (null without it)."""
    values = mention_json(event)
    record = {name: values.get(name) for name in EVENT_FIELDS}
    record["text"] = text[event.start : event.end] if text is not None else None
    return record


def event_records(annotations: Annotations | None, text: str | None) -> list[dict[str, Any]]:
    if annotations is None:
        return []
    return [event_record(event, text) for event in annotations.events]


# -- GDELT 2.0 ---------------------------------------------------------------------------------

# The 61 columns of the GDELT 2.0 event table, in the order of the GDELT Event Codebook V2.0
# (2015-02-19), "Event Table Fields": event id and dates, Actor1 then Actor2 attributes (10
# each), event action attributes, Actor1/Actor2/Action geography (8 each), data management.
GDELT_COLUMNS: tuple[str, ...] = (
    "GlobalEventID",
    "Day",
    "MonthYear",
    "Year",
    "FractionDate",
    *(
        f"Actor{n}{field}"
        for n in (1, 2)
        for field in (
            "Code",
            "Name",
            "CountryCode",
            "KnownGroupCode",
            "EthnicCode",
            "Religion1Code",
            "Religion2Code",
            "Type1Code",
            "Type2Code",
            "Type3Code",
        )
    ),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(
        f"{who}Geo_{field}"
        for who in ("Actor1", "Actor2", "Action")
        for field in (
            "Type",
            "FullName",
            "CountryCode",
            "ADM1Code",
            "ADM2Code",
            "Lat",
            "Long",
            "FeatureID",
        )
    ),
    "DATEADDED",
    "SOURCEURL",
)

# GDELT's QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
# 4 material conflict. GDELT files CAMEO 01 (statements) and 02 (appeals) under 1.
QUAD_CODES: Mapping[str, int] = {
    "statement": 1,
    "verbal cooperation": 1,
    "material cooperation": 2,
    "verbal conflict": 3,
    "material conflict": 4,
}

# GDELT's geographic resolution: 1 country, 2 US state, 3 US city, 4 world city, 5 world state
# (a region). Our gazetteer's features, mapped; a landmark or area counts as a point.
_GEO_TYPES: Mapping[str, int] = {
    "country": 1,
    "region": 5,
    "capital": 4,
    "city": 4,
    "landmark": 4,
    "area": 4,
}


def gdelt_event_id(article_id: str, idx: int) -> int:
    """A stable positive 63-bit id for the article's `idx`-th event (GDELT's are integers)."""
    digest = hashlib.blake2b(f"{article_id}:{idx}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def event_day(event: Event, published: datetime | None) -> date | None:
    """The day an event row is filed under: the event's own date when it names a day (the
    first day of a range), else the article's publication day."""
    if event.date:
        first = event.date.split("/", 1)[0]
        try:
            return date.fromisoformat(first[:10]) if len(first) >= 10 else _published(published)
        except ValueError:
            pass
    return _published(published)


def _published(published: datetime | None) -> date | None:
    if published is None:
        return None
    return (published.astimezone(UTC) if published.tzinfo else published).date()


def _fraction_date(day: date) -> str:
    # GDELT: YYYY.FFFF with FFFF = (month * 30 + day) / 365.
    return f"{day.year + (day.month * 30 + day.day) / 365:.4f}"


def _country_code(actor: str | None) -> str:
    """The country part of an actor id: ISO3 ("KOR") as it stands; igo and other ids none."""
    return actor if actor and len(actor) == 3 and actor.isalpha() and actor.isupper() else ""


def _known_group(actor: str | None) -> str:
    """An igo id without its prefix, upper case ("igo:un" -> "UN"): GDELT's KnownGroupCode
    holds such bodies (its own codes differ: UNO, NAT, ...)."""
    return actor.split(":", 1)[1].upper() if actor and actor.startswith("igo:") else ""


def _actor_names(annotations: Annotations | None) -> dict[str, str]:
    names: dict[str, str] = {}
    if annotations is not None:
        for mention in annotations.entities:
            if mention.actor_id and mention.canonical:
                names.setdefault(mention.actor_id, mention.canonical)
    return names


def _actor_cells(actor: str | None, entity: str | None, names: Mapping[str, str]) -> list[str]:
    country = _country_code(actor)
    group = _known_group(actor)
    name = names.get(entity or "") or names.get(actor or "") or ""
    code = country or group
    return [code, name.upper(), country, group, "", "", "", "", "", ""]


def place_of(event: Event, places: Sequence[PlaceMention]) -> PlaceMention | None:
    """The place mention behind `event.place` ("Amur Oblast, RUS"): one inside the evidence
    sentence first, else any of the article's with the same name and country."""
    if not event.place:
        return None
    same = [p for p in places if ", ".join(x for x in (p.canonical, p.country) if x) == event.place]
    inside = [p for p in same if event.start <= p.start and p.end <= event.end]
    return (inside or same or [None])[0]


def _geo_cells(event: Event, places: Sequence[PlaceMention]) -> list[str]:
    if not event.place:
        return [""] * 8
    mention = place_of(event, places)
    country = mention.country if mention is not None else event.place.rsplit(", ", 1)[-1]
    geo_type = _GEO_TYPES.get(mention.feature or "", "") if mention is not None else ""
    lat = f"{mention.lat:.4f}" if mention is not None and mention.lat is not None else ""
    lon = f"{mention.lon:.4f}" if mention is not None and mention.lon is not None else ""
    # CountryCode is ISO 3166 alpha-3 here (GDELT's geography uses FIPS 10-4 codes).
    return [str(geo_type), event.place, _country_code(country), "", "", lat, lon, ""]


def _is_root(event: Event, text: str) -> int:
    """GDELT's IsRootEvent: 1 for an event coded in the article's lead paragraph."""
    lead = text.find("\n\n")
    return 1 if lead < 0 or event.start < lead else 0


def _number(value: float) -> str:
    return f"{value:g}"


def gdelt_row(
    article: Article, annotations: Annotations | None, idx: int, event: Event
) -> list[str]:
    """The `GDELT_COLUMNS` of one event, as strings ("" for what our fields cannot say)."""
    day = event_day(event, article.published)
    names = _actor_names(annotations)
    places = annotations.places if annotations is not None else ()
    added = (annotations.annotated_at if annotations else None) or datetime.now(UTC)
    cameo = event.cameo or ""
    row = [
        str(gdelt_event_id(article.id, idx)),
        day.strftime("%Y%m%d") if day else "",
        day.strftime("%Y%m") if day else "",
        str(day.year) if day else "",
        _fraction_date(day) if day else "",
        *_actor_cells(event.source_actor, event.source_entity, names),
        *_actor_cells(event.target_actor, event.target_entity, names),
        str(_is_root(event, article.text)),
        cameo,
        cameo[:3],
        cameo[:2],
        str(QUAD_CODES.get(event.quad_class, "")),
        _number(event.goldstein),
        "1",  # NumMentions: this article's one mention of the event
        "1",  # NumSources
        "1",  # NumArticles
        "",  # AvgTone: not computed
        *([""] * 8),  # Actor1Geo_*: where each actor is, which we do not code
        *([""] * 8),  # Actor2Geo_*
        *_geo_cells(event, places),
        added.astimezone(UTC).strftime("%Y%m%d%H%M%S"),
        article.url or article.canonical_url or article.source,
    ]
    assert len(row) == len(GDELT_COLUMNS)
    return row


def _cell(value: str) -> str:
    # A tab or newline inside a value would break the row; GDELT files never quote.
    return " ".join(value.split()) if any(c in value for c in "\t\r\n") else value


def write_gdelt(rows: Iterable[Row], out: IO[str], header: bool = False) -> int:
    """Tab-separated events, one line per event, no header unless asked (GDELT has none).
    Returns the number of articles read."""
    if header:
        out.write("\t".join(GDELT_COLUMNS) + "\n")
    count = 0
    for article, _story, notes in rows:
        count += 1
        for idx, event in enumerate(notes.events if notes else ()):
            cells = gdelt_row(article, notes, idx, event)
            out.write("\t".join(_cell(c) for c in cells) + "\n")
    return count


# -- PLOVER ------------------------------------------------------------------------------------


def _actor(actor: str | None, entity: str | None, names: Mapping[str, str]) -> dict[str, Any]:
    return {
        "name": names.get(entity or "") or names.get(actor or ""),
        "country": _country_code(actor) or None,
        "actor_id": actor,
        "entity": entity,
    }


def plover_record(
    article: Article,
    story: StoryAssignment | None,
    annotations: Annotations | None,
    idx: int,
    event: Event,
) -> dict[str, Any]:
    """One event in the shape of a PLOVER record: id, date, event type and mode, the two
    actors, location, the evidence text, and the article it came from."""
    names = _actor_names(annotations)
    day = event_day(event, article.published)
    mention = place_of(event, annotations.places if annotations else ())
    location = None
    if event.place:
        location = {
            "name": event.place,
            "country": mention.country if mention else event.place.rsplit(", ", 1)[-1],
            "lat": mention.lat if mention else None,
            "lon": mention.lon if mention else None,
            "feature": mention.feature if mention else None,
        }
    return {
        "id": f"{article.id}-{idx}",
        "date": event.date or (day.isoformat() if day else None),
        "event_type": event.plover,
        "mode": event.mode,
        "modality": str(event.modality),
        "cameo": event.cameo,
        "quad_class": event.quad_class,
        "goldstein": event.goldstein,
        "confidence": event.confidence,
        "actor1": _actor(event.source_actor, event.source_entity, names),
        "actor2": _actor(event.target_actor, event.target_entity, names),
        "location": location,
        "event_text": article.text[event.start : event.end],
        "span": [event.start, event.end],
        "article": {
            "id": article.id,
            "url": article.url or article.canonical_url,
            "outlet": article.outlet,
            "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "language": article.language,
            "story_id": story.story_id if story is not None else None,
        },
        "produced_by": event.produced_by,
    }


def write_plover(rows: Iterable[Row], out: IO[str]) -> int:
    """One PLOVER-style JSON object per event per line. Returns the number of articles read."""
    count = 0
    for article, story, notes in rows:
        count += 1
        for idx, event in enumerate(notes.events if notes else ()):
            record = plover_record(article, story, notes, idx, event)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return count


# -- text --------------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def event_summary(event: Any) -> tuple[str, str]:
    """Two lines about an `Event` or a merged story event: who did what to whom
    ("CONSULT (visit): PRK (person:kim-jong-un) → RUS"), then how it is coded
    ("CAMEO 036 verbal cooperation · 2023-09-13 · Amur Oblast, RUS · asserted")."""
    head = event.plover + (f" ({event.mode})" if getattr(event, "mode", None) else "")
    who = f"{_who(event.source_actor, event.source_entity)} → "
    who += _who(event.target_actor, event.target_entity)
    parts = [f"CAMEO {event.cameo} {event.quad_class}"]
    parts += [value for value in (event.date, event.place) if value]
    modality = getattr(event, "modality", None)
    if modality is not None:
        parts.append(str(modality))
    return f"{head}: {who}", " · ".join(parts)


def _who(actor: str | None, entity: str | None) -> str:
    if entity and actor and entity != actor:
        return f"{actor} ({entity})"
    return entity or actor or "?"


def event_lines(events: Sequence[Event], text: str | None, width: int = 90) -> list[str]:
    """What `newsfuse show` prints about an article's events: two lines each, then its
    sentence, each cut to `width`."""
    if not events:
        return []
    lines = [f"events: {len(events)}"]
    for event in events:
        who, how = event_summary(event)
        lines += [_cut(f"  {who}", width), _cut(f"    {how} · {event.confidence:.2f}", width)]
        if text is not None:
            lines.append(_cut(f"    “{_one_line(text[event.start : event.end])}”", width))
    return lines


def _reports(event: Any) -> list[tuple[str, int | None, int | None]]:
    found = []
    for report in getattr(event, "reports", ()) or ():
        if isinstance(report, tuple):
            article_id, start, end = (*report, None, None)[:3]
        else:
            article_id = report.article_id
            start, end = getattr(report, "start", None), getattr(report, "end", None)
        found.append((article_id, start, end))
    return found


def story_event_lines(
    events: Sequence[Any], texts: Mapping[str, str] | None = None, width: int = 90
) -> list[str]:
    """What `newsfuse story` prints about a story's merged events: each with its number of
    reports and the first report's sentence (when `texts` has that article's text)."""
    if not events:
        return []
    lines = [f"events: {len(events)}"]
    for event in events:
        reports = _reports(event)
        n = len(reports)
        who, how = event_summary(event)
        lines += [_cut(f"  {who}", width), _cut(f"    {n} report{'s' * (n != 1)} · {how}", width)]
        if reports and texts:
            article_id, start, end = reports[0]
            text = texts.get(article_id)
            if text is not None and start is not None and end is not None:
                lines.append(_cut(f"    “{_one_line(text[start:end])}”", width))
    return lines


def _json_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    return value


def story_event_record(event: Any) -> dict[str, Any]:
    """A merged story event as JSON: its fields, and `reports` as {article_id, start, end}."""
    if is_dataclass(event):
        record = {
            f.name: _json_value(getattr(event, f.name))
            for f in fields(event)
            if f.name != "reports"
        }
    else:
        record = {
            k: _json_value(v) for k, v in vars(event).items() if k != "reports"
        }  # pragma: no cover
    record["reports"] = [
        {"article_id": article_id, "start": start, "end": end}
        for article_id, start, end in _reports(event)
    ]
    record["n_reports"] = len(record["reports"])
    return record


# -- classifying sentences ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SentenceEvent:
    """What `events classify` adds to a sentence."""

    plover: str
    plover_score: float
    cameo: str
    quad_class: str
    quad_score: float
    goldstein: float | None


def classify_sentences(
    texts: Sequence[str],
    sources: Sequence[str | None] | None = None,
    targets: Sequence[str | None] | None = None,
) -> list[SentenceEvent]:
    """Code single sentences with the shipped model: the PLOVER type, a representative CAMEO
    code for it, and the quad class the model gives."""
    from newsfuse.annotate.event_model import EventModel
    from newsfuse.annotate.event_ontology import Ontology

    if not texts:
        return []
    ontology = Ontology.default()
    predictions = EventModel.default().predict(list(texts), sources, targets)
    found = []
    for prediction in predictions:
        cameo = ontology.cameo_for(prediction.plover)
        code = ontology.cameo(cameo)
        found.append(
            SentenceEvent(
                plover=prediction.plover,
                plover_score=float(prediction.plover_score),
                cameo=cameo,
                quad_class=prediction.quad_class,
                quad_score=float(prediction.quad_score),
                goldstein=float(code.goldstein) if code is not None else None,
            )
        )
    return found


Classify = Callable[
    [Sequence[str], Sequence[str | None] | None, Sequence[str | None] | None],
    list[SentenceEvent],
]


@dataclass(frozen=True, slots=True)
class ClassifyReport:
    lines: int
    coded: int
    bad: int


def _parse(line: str) -> tuple[dict[str, Any] | None, str | None]:
    """A JSONL line as (record, None), or (None, why not)."""
    try:
        record = json.loads(line)
    except ValueError as exc:
        return None, f"not JSON ({exc.args[0] if exc.args else exc})"
    if not isinstance(record, dict):
        return None, "not a JSON object"
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return None, "no text"
    for key in ("source", "target"):
        if record.get(key) is not None and not isinstance(record[key], str):
            return None, f"{key} is not a string"
    return record, None


def classify_jsonl(
    lines: Iterable[str],
    out: IO[str],
    errors: Callable[[int, str], None],
    classify: Classify = classify_sentences,
    batch: int = 256,
) -> ClassifyReport:
    """Read JSONL sentences (`text`, optional `source`, `target`) and write each line back
    with `plover`, `cameo`, `quad_class` (and their scores, `goldstein`) added, in order. A bad
    line is reported to `errors(line_number, why)` and written back with an `error` field
    (as `{"line": ..., "error": ...}` when it is not a JSON object)."""
    total = coded = bad = 0
    numbered = ((n, line) for n, line in enumerate(lines, 1) if line.strip())
    while chunk := list(islice(numbered, batch)):
        parsed = [(n, line, *_parse(line)) for n, line in chunk]
        good = [record for _n, _line, record, _why in parsed if record is not None]
        results: Iterator[SentenceEvent] = iter(
            classify(
                [r["text"] for r in good], [r.get("source") for r in good],
                [r.get("target") for r in good],
            )
            if good
            else []
        )  # fmt: skip
        for n, line, record, why in parsed:
            total += 1
            if record is None:
                bad += 1
                errors(n, why or "bad line")
                try:
                    kept = json.loads(line)
                except ValueError:
                    kept = None
                shown = kept if isinstance(kept, dict) else {"line": line.rstrip("\r\n")}
                shown["error"] = why
                out.write(json.dumps(shown, ensure_ascii=False) + "\n")
                continue
            result = next(results)
            coded += 1
            record.update(
                plover=result.plover,
                cameo=result.cameo,
                quad_class=result.quad_class,
                plover_score=round(result.plover_score, 4),
                quad_score=round(result.quad_score, 4),
                goldstein=result.goldstein,
            )
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return ClassifyReport(total, coded, bad)
