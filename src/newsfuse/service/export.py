"""Exports of stored articles: JSONL, CSV and Parquet, one record shape for all three.

The JSONL record is a contract other scripts and later stages rely on (see README, "Export
contract"): fields are only ever added, never renamed or removed.
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
from newsfuse.model import Article, StoryAssignment

StoryLookup = Callable[[Sequence[str]], Mapping[str, StoryAssignment]]
"""Story memberships of a batch of article ids (`Store.memberships`)."""

Row = tuple[Article, StoryAssignment | None]

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


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"
    PARQUET = "parquet"


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


def with_stories(
    articles: Iterable[Article], lookup: StoryLookup | None, batch: int = 500
) -> Iterator[Row]:
    """Pair each article with its story membership, looked up a batch at a time."""
    it = iter(articles)
    while chunk := list(islice(it, batch)):
        found = lookup([a.id for a in chunk]) if lookup is not None else {}
        for article in chunk:
            yield article, found.get(article.id)


def write_jsonl(rows: Iterable[Row], out: IO[str]) -> int:
    count = 0
    for article, story in rows:
        out.write(json.dumps(article_record(article, story), ensure_ascii=False) + "\n")
        count += 1
    return count


def _csv_value(value: Any) -> Any:
    # Lists become one cell; "; " cannot appear inside an author name or a caption join.
    return "; ".join(value) if isinstance(value, list) else value


def write_csv(rows: Iterable[Row], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=list(EXPORT_FIELDS))
    writer.writeheader()
    count = 0
    for article, story in rows:
        writer.writerow({k: _csv_value(v) for k, v in article_record(article, story).items()})
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
    }
    schema = pa.schema([(name, types.get(name, pa.string())) for name in EXPORT_FIELDS])
    count = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        records = (article_record(a, story) for a, story in rows)
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
) -> int:
    """Write `articles` in `fmt` to `output` (or stdout for the text formats)."""
    rows = with_stories(articles, stories)
    if fmt is ExportFormat.PARQUET:
        if output is None:
            raise ConfigError("parquet export needs --output FILE (it is a binary format)")
        return write_parquet(rows, output)
    writer = write_jsonl if fmt is ExportFormat.JSONL else write_csv
    if output is None:
        return writer(rows, stdout)
    with output.open("w", encoding="utf-8", newline="") as handle:
        return writer(rows, handle)
