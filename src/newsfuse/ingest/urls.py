"""URL inputs: a page, a feed (its entries fetched in turn), or any other format over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

from newsfuse.config import IngestOptions
from newsfuse.ingest.formats import iter_opened
from newsfuse.ingest.http import Fetcher, FetchResult
from newsfuse.ingest.items import Item
from newsfuse.ingest.web import fetch, open_result


def iter_url(url: str, opts: IngestOptions, fetcher: Fetcher | None) -> Iterator[Item]:
    """Items from one http(s) URL; a failed fetch is one Rejection, a 304 one Unchanged."""
    got = fetch(url, fetcher)
    if not isinstance(got, FetchResult):
        yield got
        return
    opened, origin = open_result(url, got, opts.max_file_bytes)
    yield from iter_opened(opened, origin, opts, fetcher)
