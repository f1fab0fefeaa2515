"""Exports of stored articles: JSONL, CSV and Parquet; and of their events: GDELT and PLOVER.

The JSONL record is a contract other scripts and later stages rely on (see README, "Export
contract"): fields are only ever added, never renamed or removed. CSV and Parquet carry the
same article fields, but of the annotations only `annotation_status` and the counts
(`n_entities`, ...): the entity, quote, date, place and event lists are nested, so JSONL only.
GDELT (tab-separated, the GDELT 2.0 event table's columns) and PLOVER (JSON lines) write one
row per event instead of one per article (`service/events.py`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import IO, Any

from newsfuse.errors import ConfigError
from newsfuse.model import Annotations, Article, StoryAssignment
from newsfuse.service.annotations import COUNT_FIELDS, MENTION_LISTS, mention_counts, mention_lists
from newsfuse.service.events import write_gdelt, write_plover

StoryLookup = Callable[[Sequence[str]], Mapping[str, StoryAssignment]]
"""Story memberships of a batch of article ids (`Store.memberships`)."""
AnnotationLookup = Callable[[Sequence[str]], Mapping[str, Annotations]]
"""Annotations of a batch of article ids (`Store.annotations_of`)."""

Row = tuple[Article, StoryAssignment | None, Annotations | None]

ARTICLE_STATUS_OK = "ok"

EXPORT_FIELDS: tuple[str, ...] = (
    "id",
    "url",
    "canonical_url",
    "outlet",
    "title",
    "text",
    "authors",
    "published",
    "published_source",
    "published_confidence",
    "language",
    "captions",
    "source",
    "fetched_at",
    "produced_by",
    "status",
    "story_id",
    "duplicate_of",
)
"""The fields `article_record` gives (what `newsfuse show` and `articles --json` print)."""

JSONL_FIELDS: tuple[str, ...] = (*EXPORT_FIELDS, "annotation_status", *MENTION_LISTS)
"""The JSONL export contract: the article, then its annotations as lists of spans."""

TABLE_FIELDS: tuple[str, ...] = (*EXPORT_FIELDS, "annotation_status", *COUNT_FIELDS)
"""CSV and Parquet columns: nested lists stay in JSONL, counts stand in for them here."""


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"
    PARQUET = "parquet"
    GDELT = "gdelt"
    PLOVER = "plover"


def article_record(article: Article, story: StoryAssignment | None = None) -> dict[str, Any]:
    """The export contract's record for one article (JSON-ready values only).

    `story_id` is null until the article is clustered; `duplicate_of` is null for an
    independent report, else the id of the earliest version of the same text.
    """
    return {
        "id": article.id,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "outlet": article.outlet,
        "title": article.title,
        "text": article.text,
        "authors": list(article.authors),
        "published": article.published.isoformat() if article.published else None,
        "published_source": str(article.published_source) if article.published_source else None,
        "published_confidence": article.published_confidence,
        "language": article.language,
        "captions": list(article.captions),
        "source": article.source,
        "fetched_at": article.fetched_at.isoformat() if article.fetched_at else None,
        "produced_by": article.produced_by,
        "status": ARTICLE_STATUS_OK,
        "story_id": story.story_id if story is not None else None,
        "duplicate_of": story.duplicate_of if story is not None else None,
    }


def jsonl_record(
    article: Article, story: StoryAssignment | None, annotations: Annotations | None
) -> dict[str, Any]:
    """The JSONL export record: `article_record`, `annotation_status`, and the `entities`,
    `quotes`, `dates`, `places` and `events` whose offsets index into `text`."""
    return {**article_record(article, story), **mention_lists(annotations, article.text)}


def table_record(
    article: Article, story: StoryAssignment | None, annotations: Annotations | None
) -> dict[str, Any]:
    """The CSV/Parquet record: `article_record`, `annotation_status` and the mention counts."""
    return {**article_record(article, story), **mention_counts(annotations)}


def with_stories(
    articles: Iterable[Article],
    lookup: StoryLookup | None,
    batch: int = 500,
    annotations: AnnotationLookup | None = None,
) -> Iterator[Row]:
    """Pair each article with its story membership and annotations, a batch at a time."""
    it = iter(articles)
    while chunk := list(islice(it, batch)):
        ids = [a.id for a in chunk]
        found = lookup(ids) if lookup is not None else {}
        notes = annotations(ids) if annotations is not None else {}
        for article in chunk:
            yield article, found.get(article.id), notes.get(article.id)


def write_jsonl(rows: Iterable[Row], out: IO[str]) -> int:
    count = 0
    for article, story, annotated in rows:
        record = jsonl_record(article, story, annotated)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def _csv_value(value: Any) -> Any:
    # Lists become one cell; "; " cannot appear inside an author name or a caption join.
    return "; ".join(value) if isinstance(value, list) else value


def write_csv(rows: Iterable[Row], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=list(TABLE_FIELDS))
    writer.writeheader()
    count = 0
    for article, story, annotated in rows:
        record = table_record(article, story, annotated)
        writer.writerow({k: _csv_value(v) for k, v in record.items()})
        count += 1
    return count


def _batches(records: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_parquet(rows: Iterable[Row], path: Path, batch_size: int = 2000) -> int:
    """Parquet needs a real file; written in row groups so a large store streams."""
    import pyarrow as pa  # heavy; only the parquet export needs it
    import pyarrow.parquet as pq

    types = {
        "authors": pa.list_(pa.string()),
        "captions": pa.list_(pa.string()),
        "published_confidence": pa.float64(),
        **dict.fromkeys(COUNT_FIELDS, pa.int64()),
    }
    schema = pa.schema([(name, types.get(name, pa.string())) for name in TABLE_FIELDS])
    count = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        records = (table_record(a, story, annotated) for a, story, annotated in rows)
        for batch in _batches(records, batch_size):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


def export_articles(
    articles: Iterable[Article],
    fmt: ExportFormat,
    output: Path | None,
    stdout: IO[str],
    *,
    stories: StoryLookup | None = None,
    annotations: AnnotationLookup | None = None,
    header: bool = False,
) -> int:
    """Write `articles` in `fmt` to `output` (or stdout for the text formats); returns the
    number of articles written (for GDELT and PLOVER, read: they write one row per event).
    `header` puts the column names first in a GDELT export (GDELT's own files have none)."""
    rows = with_stories(articles, stories, annotations=annotations)
    if fmt is ExportFormat.PARQUET:
        if output is None:
            raise ConfigError("parquet export needs --output FILE (it is a binary format)")
        return write_parquet(rows, output)
    writers: dict[ExportFormat, Callable[[Iterable[Row], IO[str]], int]] = {
        ExportFormat.JSONL: write_jsonl,
        ExportFormat.CSV: write_csv,
        ExportFormat.GDELT: lambda r, out: write_gdelt(r, out, header=header),
        ExportFormat.PLOVER: write_plover,
    }
    writer = writers[fmt]
    if output is None:
        return writer(rows, stdout)
    with output.open("w", encoding="utf-8", newline="") as handle:
        return writer(rows, handle)
