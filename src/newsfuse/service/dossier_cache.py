"""Built dossiers, kept for a while per server process.

A dossier reads every article and annotation of its story and aligns their sentences: tens of
milliseconds for a large story, the same result until the story changes. The cache keys an
entry by the story's id, article count and span (one primary-key read tells whether it is
stale) and keeps it at most `ttl_s`, so a re-annotation or a change in related stories shows
within that time. Thread-safe: FastAPI runs sync endpoints in a thread pool. Concurrent requests
for one story share one build, and at most `builders` builds run at once per process.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from newsfuse.errors import NotFoundError

if TYPE_CHECKING:
    from newsfuse.api import Newsfuse
    from newsfuse.fuse.dossier import Dossier

_Key = tuple[str, int, datetime | None, datetime | None]


@dataclass(slots=True)
class _Entry:
    key: _Key
    dossier: Dossier
    built_at: float
    rendered: dict[str, bytes] = field(default_factory=dict)
    """The dossier as served (JSON bytes, say), by rendering name: serialising a large
    dossier costs more than looking it up."""


class DossierCache:
    def __init__(
        self,
        size: int = 512,
        ttl_s: float = 60.0,
        builders: int = 2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.size = size
        self.ttl_s = ttl_s
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[str, threading.Lock] = {}
        self._slots = threading.BoundedSemaphore(builders)

    def get(self, news: Newsfuse, story_id: str) -> Dossier:
        """The dossier of `story_id` (id, prefix or merged id), built or from the cache."""
        resolved = news.store.resolve_story_id(story_id)
        story = news.store.get_story(resolved) if resolved is not None else None
        if story is None:
            raise NotFoundError(f"story {story_id!r}: no such story")
        key: _Key = (story.id, story.article_count, story.first_published, story.last_published)
        found = self._fresh(story.id, key)
        if found is not None:
            return found
        # One build per story at a time: requests for a story being built wait for it.
        with self._lock:
            building = self._building.setdefault(story.id, threading.Lock())
        with building:
            found = self._fresh(story.id, key)
            if found is not None:
                return found
            with self._slots:  # builds are CPU-bound Python: a few at a time, not one per thread
                dossier = news.dossier(story.id)
            with self._lock:
                self._entries[story.id] = _Entry(key, dossier, self._clock())
                self._entries.move_to_end(story.id)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
                self._building.pop(story.id, None)
        return dossier

    def rendered(
        self, news: Newsfuse, story_id: str, name: str, render: Callable[[Dossier], bytes]
    ) -> bytes:
        """`render(dossier)`, built and rendered once per cached dossier."""
        dossier = self.get(news, story_id)
        with self._lock:
            entry = self._entries.get(dossier.story.id)
            kept = entry if entry is not None and entry.dossier is dossier else None
            if kept is not None and name in kept.rendered:
                return kept.rendered[name]
        data = render(dossier)
        if kept is not None:
            with self._lock:
                kept.rendered[name] = data
        return data

    def rendered_if_cached(self, news: Newsfuse, story_id: str, name: str) -> bytes | None:
        """The rendering `rendered` made, when the story's cached dossier is still fresh (one
        primary-key read; never builds): what a server answers without leaving its event loop."""
        resolved = news.store.resolve_story_id(story_id)
        story = news.store.get_story(resolved) if resolved is not None else None
        if story is None:
            return None
        key: _Key = (story.id, story.article_count, story.first_published, story.last_published)
        if self._fresh(story.id, key) is None:
            return None
        with self._lock:
            entry = self._entries.get(story.id)
            return entry.rendered.get(name) if entry is not None else None

    def _fresh(self, story_id: str, key: _Key) -> Dossier | None:
        with self._lock:
            entry = self._entries.get(story_id)
            if entry is None or entry.key != key or self._clock() - entry.built_at >= self.ttl_s:
                return None
            self._entries.move_to_end(story_id)
            return entry.dossier

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
