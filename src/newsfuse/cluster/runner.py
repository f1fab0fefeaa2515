"""The cluster stage: stored articles without a story get one, in publication order.

    store.unclustered_articles ─► order by trusted time ─► features (+ embedding, MinHash)
        ─► DuplicateIndex (a copy joins its original's story) ─► OnlineClusterer.place
        ─► store.save_clustering(assignments, merges, state)   (one transaction per chunk)

The clusterer's whole state is saved with each chunk's assignments, so a stopped process
resumes from exactly where it was: a restart followed by more articles gives the same stories
as one uninterrupted run. `recluster` clears the assignments (features are kept, so nothing is
embedded twice) and runs the same code over everything stored, which is the batch mode.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from newsfuse.cluster.duplicates import Copy, DuplicateIndex, text_signature
from newsfuse.cluster.embed import Embedder, UseEmbedder, embedding_text
from newsfuse.cluster.features import ArticleFeatures, decode_features, encode_features, featurize
from newsfuse.cluster.online import OnlineClusterer
from newsfuse.cluster.outlets import outlet_key
from newsfuse.config import ClusterOptions
from newsfuse.errors import StoreError
from newsfuse.model import Article, StoryAssignment, StoryMerge, as_utc
from newsfuse.store import Store

PRODUCED_BY = "newsfuse.cluster.v1"
CHUNK = 2000
"""Articles read, ordered and saved together; a chunk is sorted by time before placing."""

_STATE_MAGIC = b"NFCS1"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

ClusterProgress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class ClusterReport:
    """What one clustering pass did."""

    assigned: int = 0
    opened: int = 0
    copies: int = 0
    merges: int = 0
    embedded: int = 0
    seconds: float = 0.0

    def __add__(self, other: ClusterReport) -> ClusterReport:
        return ClusterReport(
            self.assigned + other.assigned,
            self.opened + other.opened,
            self.copies + other.copies,
            self.merges + other.merges,
            self.embedded + other.embedded,
            self.seconds + other.seconds,
        )


def trusted_time(article: Article, options: ClusterOptions) -> datetime | None:
    """The publication instant in UTC, or None when absent or not believable.

    A date far past the fetch time, or before `earliest_year`, is a parsing accident or a
    template date; trusting it would move the stream's clock or revive retired stories.
    """
    published = article.published
    if published is None:
        return None
    utc = as_utc(published)
    if utc.year < options.earliest_year:
        return None
    reference = as_utc(article.fetched_at) if article.fetched_at else datetime.now(UTC)
    if utc > reference + timedelta(hours=options.future_skew_hours):
        return None
    return utc


def stream_order(articles: Iterable[Article], options: ClusterOptions) -> list[Article]:
    """The order a chunk is placed in: dated articles by publication time, then the undated.

    An undated article goes after the dated ones of its chunk, when every story the chunk
    touched is known (they retire only between chunks), in id order: its fetch time is no
    evidence of when it was published (for a file it is the file's modification time, which
    a copy or a checkout resets), and the id makes the order the same on every machine.
    """

    def key(article: Article) -> tuple[int, float, str]:
        when = trusted_time(article, options)
        if when is None:
            return (1, 0.0, article.id)
        return (0, (when - _EPOCH).total_seconds(), article.id)

    return sorted(articles, key=key)


def order_key(article: Article, options: ClusterOptions) -> tuple[float, str]:
    """Where an article stands in the whole stream (for recluster's chunks): trusted
    publication time, else arrival."""
    when = trusted_time(article, options) or _arrival(article)
    return ((when - _EPOCH).total_seconds() if when else float("inf"), article.id)


def _arrival(article: Article) -> datetime | None:
    return as_utc(article.fetched_at) if article.fetched_at else None


class StoryStream:
    """The online state (clusterer, duplicate index, position) and one step of it."""

    def __init__(
        self,
        options: ClusterOptions,
        clusterer: OnlineClusterer | None = None,
        duplicates: DuplicateIndex | None = None,
        seq: int = 0,
    ) -> None:
        self.options = options
        self.clusterer = clusterer or OnlineClusterer(options)
        # Retire between chunks, not per article: an undated article (placed at its arrival
        # time, usually after the dated ones of its chunk) can then still join its story.
        self.clusterer.auto_retire = False
        self.duplicates = duplicates or DuplicateIndex(
            options.duplicate_threshold, options.window_days
        )
        self.seq = seq

    @classmethod
    def load(cls, store: Store, options: ClusterOptions) -> StoryStream:
        saved = store.load_cluster_state()
        if saved is None:
            return cls(options)
        data, seq = saved
        clusterer_bytes, duplicate_bytes = _unpack(data)
        return cls(
            options,
            OnlineClusterer.from_bytes(clusterer_bytes, options),
            DuplicateIndex.from_bytes(duplicate_bytes),
            seq,
        )

    def state(self) -> bytes:
        return _pack(self.clusterer.to_bytes(), self.duplicates.to_bytes())

    def place(
        self,
        article: Article,
        features: ArticleFeatures,
        signature: bytes | None,
        story_of: Callable[[str], str | None],
    ) -> tuple[StoryAssignment, list[StoryMerge], bool]:
        """Place one article; returns its assignment, the merges it caused, and whether it
        opened a story."""
        if self.clusterer.clock is not None:
            self.duplicates.advance(self.clusterer.clock)
        copy: Copy | None = None
        if signature is not None:
            copy = self.duplicates.check_and_add(article.id, signature, features.time)
        into = story_of(copy.original_id) if copy is not None else None
        placement = self.clusterer.place(features, into=into)
        seq = self.seq
        self.seq += 1
        assignment = StoryAssignment(
            article_id=article.id,
            story_id=placement.story_id,
            seq=seq,
            score=round(float(placement.score), 6),
            duplicate_of=copy.original_id if copy is not None else None,
            duplicate_similarity=round(copy.similarity, 4) if copy is not None else None,
            outlet_key=outlet_key(
                article.outlet, article.canonical_url or article.url, article.source
            ),
            produced_by=PRODUCED_BY,
        )
        merges = [
            StoryMerge(merged_id, placement.story_id, seq, article.id, round(float(score), 6))
            for merged_id, score in placement.merged
        ]
        return assignment, merges, placement.opened


def cluster_pending(
    store: Store,
    options: ClusterOptions | None = None,
    *,
    embedder: Embedder | None = None,
    progress: ClusterProgress | None = None,
    chunk: int = CHUNK,
) -> ClusterReport:
    """Give every stored article without a story its story; resumable at any point."""
    opts = options or ClusterOptions()
    if embedder is None and opts.embed:
        embedder = UseEmbedder()
    stream = StoryStream.load(store, opts)
    total = ClusterReport()
    for pending in store.iter_unclustered(chunk):
        report = _cluster_chunk(store, stream, stream_order(pending, opts), embedder)
        total = total + report
        if progress is not None:
            progress(report.assigned)
    return total


def recluster(
    store: Store,
    options: ClusterOptions | None = None,
    *,
    embedder: Embedder | None = None,
    progress: ClusterProgress | None = None,
) -> ClusterReport:
    """Forget every story and cluster the whole store again, in publication order.

    The whole store is ordered at once (ids and dates only), so the result does not depend
    on how the articles were split into ingest runs.
    """
    opts = options or ClusterOptions()
    store.reset_clustering()
    if embedder is None and opts.embed:
        embedder = UseEmbedder()
    stream = StoryStream(opts)
    # Keys only: the whole store is ordered without holding its texts.
    keys = sorted(order_key(article, opts) for article in store.iter_articles())
    total = ClusterReport()
    for start in range(0, len(keys), CHUNK):
        ids = [article_id for _, article_id in keys[start : start + CHUNK]]
        found = store.get_articles(ids)
        articles = stream_order([found[i] for i in ids if i in found], opts)
        report = _cluster_chunk(store, stream, articles, embedder)
        total = total + report
        if progress is not None:
            progress(report.assigned)
    return total


def _cluster_chunk(
    store: Store, stream: StoryStream, articles: Sequence[Article], embedder: Embedder | None
) -> ClusterReport:
    started = time.perf_counter()
    features, embedded = _features_for(store, stream.options, articles, embedder)
    known: dict[str, str] = {}

    def story_of(article_id: str) -> str | None:
        if article_id not in known:
            membership = store.memberships([article_id]).get(article_id)
            if membership is None:
                return None
            known[article_id] = membership.story_id
        return known[article_id]

    assignments: list[StoryAssignment] = []
    merges: list[StoryMerge] = []
    opened = 0
    for article in articles:
        feats, signature = features[article.id]
        assignment, merged, is_new = stream.place(article, feats, signature, story_of)
        known[article.id] = assignment.story_id
        assignments.append(assignment)
        merges.extend(merged)
        opened += is_new
    stream.clusterer.retire()
    store.save_clustering(assignments, merges, stream.state(), stream.seq)
    return ClusterReport(
        assigned=len(assignments),
        opened=opened,
        copies=sum(a.duplicate_of is not None for a in assignments),
        merges=len(merges),
        embedded=embedded,
        seconds=time.perf_counter() - started,
    )


def _features_for(
    store: Store,
    options: ClusterOptions,
    articles: Sequence[Article],
    embedder: Embedder | None,
) -> tuple[dict[str, tuple[ArticleFeatures, bytes | None]], int]:
    """Stored features where they exist; the rest computed (one embedding batch) and stored."""
    stored = store.get_features([a.id for a in articles])
    out: dict[str, tuple[ArticleFeatures, bytes | None]] = {}
    missing: list[Article] = []
    for article in articles:
        if article.id in stored:
            blob, signature = stored[article.id]
            out[article.id] = (decode_features(blob), signature)
        else:
            missing.append(article)
    if not missing:
        return out, 0
    vectors = None
    if embedder is not None:
        vectors = embedder.embed([embedding_text(a.title, a.text) for a in missing])
    rows: list[tuple[str, bytes, bytes | None]] = []
    for index, article in enumerate(missing):
        embedding = vectors[index] if vectors is not None else None
        feats = featurize(article, embedding=embedding, time=trusted_time(article, options))
        signature = text_signature(article.text)
        out[article.id] = (feats, signature)
        rows.append((article.id, encode_features(feats), signature))
    store.put_features(rows)
    return out, len(missing)


def _pack(*parts: bytes) -> bytes:
    header = _STATE_MAGIC + struct.pack("<I", len(parts))
    sizes = b"".join(struct.pack("<Q", len(p)) for p in parts)
    return header + sizes + b"".join(parts)


def _unpack(data: bytes) -> list[bytes]:
    if not data.startswith(_STATE_MAGIC):
        raise StoreError(
            "the stored clustering state is not ours or is damaged; "
            "run `newsfuse recluster` to rebuild it"
        )
    offset = len(_STATE_MAGIC)
    (count,) = struct.unpack_from("<I", data, offset)
    offset += 4
    sizes = struct.unpack_from(f"<{count}Q", data, offset)
    offset += 8 * count
    parts = []
    for size in sizes:
        parts.append(data[offset : offset + size])
        offset += size
    return parts
