"""Paths, folders and globs: expand each input to files, and read each file by its format.

Folder walks are recursive, sorted (the same input gives the same order), lazy (a folder of a
million pages streams), and skip dot-prefixed entries. Symlinked folders are followed only
with `IngestOptions.follow_symlinks`, and then each real folder is walked once.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from newsfuse.config import IngestOptions
from newsfuse.ingest.formats import iter_opened
from newsfuse.ingest.http import Fetcher
from newsfuse.ingest.items import Item, Origin
from newsfuse.ingest.streams import open_input
from newsfuse.model import Rejection, RejectReason

_GLOB_CHARS = frozenset("*?[")


def expand(spec: str, opts: IngestOptions) -> Iterator[Path | Rejection]:
    """The files one input names: a file, a folder (walked), or a glob (`**` recurses)."""
    path = Path(spec)
    if os.path.lexists(spec):
        yield from _expand_path(path, opts)
    elif _GLOB_CHARS & set(spec):
        matches = sorted(glob.iglob(spec, recursive=True))
        if not matches:
            yield _missing(spec, "no file matches this pattern")
        for match in matches:
            yield from _expand_path(Path(match), opts)
    else:
        yield _missing(spec, "no such file or folder")


def _expand_path(path: Path, opts: IngestOptions) -> Iterator[Path | Rejection]:
    if path.is_dir():
        yield from _walk(path, opts, seen=set())
    else:
        yield path  # a missing or unreadable file is reported when it is opened


def _walk(folder: Path, opts: IngestOptions, seen: set[str]) -> Iterator[Path | Rejection]:
    real = os.path.realpath(folder)
    if real in seen:
        return  # a symlink loop
    seen.add(real)
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield _missing(str(folder.absolute()), f"cannot list this folder ({exc.strerror})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=opts.follow_symlinks):
            yield from _walk(Path(entry.path), opts, seen)
        elif entry.is_file():
            yield Path(entry.path)


def _missing(spec: str, why: str) -> Rejection:
    return Rejection(spec, RejectReason.UNREADABLE, f"{spec}: {why}")


def iter_file(path: Path, opts: IngestOptions, fetcher: Fetcher | None) -> Iterator[Item]:
    """Every item one file holds; a file that cannot be read is one Rejection."""
    source = str(path.absolute())
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the `with` below, after stat
        stat = os.fstat(handle.fileno())
    except OSError as exc:
        yield Rejection(source, RejectReason.UNREADABLE, f"{source}: cannot open ({exc.strerror})")
        return
    with handle:
        origin = Origin(
            source=source,
            fetched_at=datetime.fromtimestamp(stat.st_mtime, UTC),
            size=stat.st_size,
        )
        if stat.st_size == 0:
            yield origin.reject(RejectReason.EMPTY, "the file is empty")
            return
        opened = open_input(handle, path.name, opts.max_file_bytes)
        if opened.compressed:
            origin = replace(origin, size=None)  # the size on disk says nothing of the content
        yield from iter_opened(opened, origin, opts, fetcher)
