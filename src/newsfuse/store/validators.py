"""The store as the HTTP fetcher's validator cache (`get(url)` / `put(url, validators)`).

Duck-typed on purpose: the store does not import `newsfuse.ingest`. Anything with `.etag`
and `.last_modified` can be put; `get` builds the caller's own type when given `make`:

    StoreValidatorCache(store, make=newsfuse.ingest.http.Validators)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, Protocol, TypeVar, overload

from newsfuse.store.records import Validators
from newsfuse.store.store import Store

V = TypeVar("V")


class _HasValidators(Protocol):
    @property
    def etag(self) -> str | None: ...

    @property
    def last_modified(self) -> str | None: ...


class StoreValidatorCache(Generic[V]):
    """Conditional-GET validators kept in the store, so they outlive the process."""

    @overload
    def __init__(self: StoreValidatorCache[Validators], store: Store) -> None: ...

    @overload
    def __init__(self, store: Store, make: Callable[[str | None, str | None], V]) -> None: ...

    def __init__(self, store: Store, make: Callable[[str | None, str | None], V] | None = None):
        self._store = store
        self._make = make

    def get(self, url: str) -> V | None:
        found = self._store.get_validators(url)
        if found is None or self._make is None:
            return found  # type: ignore[return-value]  # V is Validators without `make`
        return self._make(found.etag, found.last_modified)

    def put(self, url: str, validators: _HasValidators) -> None:
        self._store.put_validators(url, validators.etag, validators.last_modified)
