"""Ingest: every source (paths, folders, globs, stdin, URLs, feeds, WARC) to `RawPage`s.

    iter_pages(inputs) ─► RawPage | Rejection | Unchanged   (lazy, in input order)

    input ──► files.expand ──► files.iter_file ─┐
    "-"   ──► stdin.iter_stdin ─────────────────┼─► streams.open_input ─► formats.iter_opened
    URL   ──► urls.iter_url (http.Fetcher) ─────┘     (gunzip, cap,        ├ pages     HTML/text
                                                       classify)           ├ records   JSON/JSONL
                                                                           ├ warc      WARC
                                                                           └ feeds     RSS/Atom

A bad input is one `Rejection` whose detail names it; the iteration goes on.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from newsfuse.config import IngestOptions
from newsfuse.ingest.files import expand, iter_file
from newsfuse.ingest.http import (
    Fetcher,
    FetchResult,
    MemoryValidatorCache,
    ValidatorCache,
    Validators,
)
from newsfuse.ingest.items import Item, Unchanged
from newsfuse.ingest.stdin import iter_stdin
from newsfuse.ingest.urls import iter_url
from newsfuse.ingest.web import is_url
from newsfuse.model import Rejection

STDIN = "-"


def iter_pages(
    inputs: Sequence[str],
    opts: IngestOptions,
    *,
    fetcher: Fetcher | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[Item]:
    """Every page the inputs hold, lazily and in order; URLs need `fetcher`."""
    for spec in inputs:
        if spec == STDIN:
            yield from iter_stdin(stdin if stdin is not None else sys.stdin.buffer, opts, fetcher)
        elif is_url(spec):
            yield from iter_url(spec, opts, fetcher)
        else:
            for found in expand(spec, opts):
                if isinstance(found, Rejection):
                    yield found
                else:
                    yield from iter_file(found, opts, fetcher)


__all__ = [
    "Fetcher",
    "FetchResult",
    "Item",
    "MemoryValidatorCache",
    "Unchanged",
    "ValidatorCache",
    "Validators",
    "iter_pages",
]
