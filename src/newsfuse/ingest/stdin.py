"""Standard input (`-`): sniffed, then read like a file of that format.

The head is peeked to classify and the rest streams, so a WARC piped in never sits in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import BinaryIO

from newsfuse.config import IngestOptions
from newsfuse.ingest.formats import iter_opened
from newsfuse.ingest.http import Fetcher
from newsfuse.ingest.items import Item, Origin
from newsfuse.ingest.streams import open_input

STDIN_SOURCE = "stdin"


def iter_stdin(stream: BinaryIO, opts: IngestOptions, fetcher: Fetcher | None) -> Iterator[Item]:
    """Items from a binary stream given as `-`; fetched_at is when reading began."""
    origin = Origin(source=STDIN_SOURCE, fetched_at=datetime.now(UTC))
    opened = open_input(stream, "", opts.max_file_bytes)
    yield from iter_opened(opened, origin, opts, fetcher)
