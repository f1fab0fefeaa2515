"""One ingest run: sources → pages → articles → store, counted and recorded.

    iter_pages(inputs) ─► extract (in worker processes when asked) ─► Store.add_articles
           │                    │
           └── Rejection ───────┴──► Store.record_rejection   (the batch goes on)

Stored articles are then clustered into stories (`newsfuse.cluster.runner`): every
`cluster_every` new articles and at the end of the run, each chunk in publication order.
Right after each clustering step the new articles are annotated (`newsfuse.annotate.runner`),
which can then use their story's dates and people; with clustering off, on the same rhythm.

Exactly-once under interruption comes from the store: an article's id is derived from its
canonical URL or text and inserts ignore existing ids, so re-running a killed ingest stores
each page once. Sources already finished in an earlier run are skipped before extraction,
which makes the resumed run cheap.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import BinaryIO

from newsfuse.annotate.annotator import Annotator
from newsfuse.annotate.runner import AnnotateReport, ArticleAnnotator, annotate_pending
from newsfuse.cluster.embed import Embedder, UseEmbedder
from newsfuse.cluster.runner import ClusterReport, cluster_pending
from newsfuse.config import ExtractOptions, Settings
from newsfuse.errors import ExtractError
from newsfuse.extract import extract
from newsfuse.ingest import Unchanged, iter_pages
from newsfuse.ingest.http import Fetcher, Validators
from newsfuse.model import Article, RawPage, Rejection, RejectReason
from newsfuse.store import RunCounts, SourceMark, Store, StoreValidatorCache


class Outcome:
    """What happened to one input item; passed to the progress callback."""

    INGESTED = "ingested"
    DUPLICATE = "duplicate"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


ProgressCallback = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class RunReport:
    """The result of one ingest run, as recorded in the store."""

    run_id: int
    counts: RunCounts
    rejections: tuple[Rejection, ...] = field(default_factory=tuple)
    clustering: ClusterReport | None = None
    """What the cluster stage did with this run's articles (None when clustering is off)."""
    annotation: AnnotateReport | None = None
    """What the annotate stage did (None when annotation is off)."""

    @property
    def all_accepted(self) -> bool:
        return self.counts.rejected == 0


@dataclass(frozen=True, slots=True)
class _Extracted:
    """A page's extraction result, small enough to send back from a worker process."""

    source_key: str
    content_hash: str
    url: str | None
    article: Article | None
    rejection: Rejection | None


def page_key(page: RawPage) -> str:
    """The identity of an input item for resume: where it came from."""
    return (
        page.source if page.url is None or page.url == page.source else f"{page.source}|{page.url}"
    )


def _content_hash(page: RawPage) -> str:
    return hashlib.sha256(page.content).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class _Todo:
    """A page that needs extracting, with its resume key and content hash computed once."""

    page: RawPage
    source_key: str
    content_hash: str


def _extract_one(todo: _Todo, opts: ExtractOptions) -> _Extracted:
    """Extract in whatever process runs it; every failure becomes a Rejection value."""
    page = todo.page
    try:
        return _Extracted(todo.source_key, todo.content_hash, page.url, extract(page, opts), None)
    except ExtractError as err:
        rejection = Rejection(page.source, err.reason, str(err), url=page.url)
    except Exception as err:  # noqa: BLE001 - one bad page must never stop a batch
        detail = f"{page.source}: extractor crashed ({type(err).__name__}: {err})"
        rejection = Rejection(page.source, RejectReason.NO_CONTENT, detail, url=page.url)
    return _Extracted(todo.source_key, todo.content_hash, page.url, None, rejection)


def _extract_in_order(
    pages: Iterable[_Todo], opts: ExtractOptions, executor: Executor | None, window: int
) -> Iterator[_Extracted]:
    """Map extraction over pages, keeping input order, with at most `window` pages in flight."""
    if executor is None:
        for page in pages:
            yield _extract_one(page, opts)
        return
    pending: list[Future[_Extracted]] = []
    for page in pages:
        pending.append(executor.submit(_extract_one, page, opts))
        if len(pending) >= window:
            yield pending.pop(0).result()
    for future in pending:
        yield future.result()


class DeferredValidatorCache:
    """Conditional-GET validators that reach the store only once their page is stored.

    Saved at fetch time, a crash before the page is stored would make the next run get a 304
    and never store the page; so `put` waits in memory until `commit(url)`.
    """

    def __init__(self, store: Store) -> None:
        self._stored = StoreValidatorCache(store, make=Validators)
        self._pending: dict[str, Validators] = {}

    def get(self, url: str) -> Validators | None:
        return self._stored.get(url)

    def put(self, url: str, validators: Validators) -> None:
        self._pending[url] = validators

    def commit(self, url: str | None) -> None:
        if url is not None and (validators := self._pending.pop(url, None)) is not None:
            self._stored.put(url, validators)


class _Tally:
    """Counts of one run, turned into the store's RunCounts at the end."""

    def __init__(self, progress: ProgressCallback | None) -> None:
        self.outcomes: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.progress = progress

    def add(self, outcome: str, reason: RejectReason | None = None) -> None:
        self.outcomes[outcome] += 1
        if reason is not None:
            self.reasons[str(reason)] += 1
        if self.progress is not None:
            self.progress(outcome)

    def counts(self) -> RunCounts:
        return RunCounts(
            pages_seen=sum(self.outcomes.values()),
            ingested=self.outcomes[Outcome.INGESTED],
            duplicates=self.outcomes[Outcome.DUPLICATE],
            unchanged=self.outcomes[Outcome.UNCHANGED],
            rejected=self.outcomes[Outcome.REJECTED],
            rejected_by_reason=dict(self.reasons),
        )


class _IngestRun:
    """The state of one run: the store, the run id, what is buffered and counted."""

    def __init__(
        self,
        store: Store,
        run_id: int,
        batch_size: int,
        tally: _Tally,
        validators: DeferredValidatorCache,
    ) -> None:
        self.store, self.run_id, self.batch_size, self.tally = store, run_id, batch_size, tally
        self.validators = validators
        self.buffer: list[_Extracted] = []
        self.seen_ids: set[str] = set()
        self.rejections: list[Rejection] = []
        self.unclustered = 0
        self.unannotated = 0

    def reject(self, rejection: Rejection) -> None:
        self.store.record_rejection(self.run_id, rejection)
        self.rejections.append(rejection)
        self.tally.add(Outcome.REJECTED, rejection.reason)

    def accept(self, item: _Extracted) -> None:
        if item.rejection is not None:
            self.store.mark_source_done(item.source_key, item.content_hash, None, self.run_id)
            self.validators.commit(item.url)
            self.reject(item.rejection)
            return
        self.buffer.append(item)
        if len(self.buffer) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Store buffered articles; an id already stored or seen in this run is a duplicate."""
        if not self.buffer:
            return
        fresh: list[Article] = []
        for item in self.buffer:
            assert item.article is not None
            if item.article.id in self.seen_ids:
                self.tally.add(Outcome.DUPLICATE)
                continue
            self.seen_ids.add(item.article.id)
            fresh.append(item.article)
        marks = [
            SourceMark(i.source_key, i.content_hash, i.article.id if i.article else None)
            for i in self.buffer
        ]
        # Articles and their sources' done-marks commit together: a kill -9 loses neither alone.
        result = self.store.add_articles(fresh, self.run_id, done=marks)
        self.unclustered += len(result.inserted)
        self.unannotated += len(result.inserted)
        for _ in result.inserted:
            self.tally.add(Outcome.INGESTED)
        for _ in result.duplicates:
            self.tally.add(Outcome.DUPLICATE)
        for item in self.buffer:
            self.validators.commit(item.url)
        self.buffer.clear()


class _Clustering:
    """The cluster stage riding along an ingest: runs every `every` new articles and at the end."""

    def __init__(self, settings: Settings, every: int, embedder: Embedder | None) -> None:
        self.options = settings.cluster
        self.every = every
        self.embedder = embedder
        self.report: ClusterReport | None = ClusterReport() if self.options.enabled else None

    def maybe_run(self, run: _IngestRun, *, final: bool = False) -> None:
        # The final pass always looks: a killed earlier run may have left articles unclustered.
        if self.report is None or (not final and run.unclustered < self.every):
            return
        if self.embedder is None and self.options.embed:
            self.embedder = UseEmbedder()  # loaded once a run needs it
        self.report = self.report + cluster_pending(run.store, self.options, embedder=self.embedder)
        run.unclustered = 0


class _Annotating:
    """The annotate stage riding along an ingest: right after each clustering step (same
    rhythm when clustering is off) and at the end. The annotator, whose models take a second
    to load, is made once, when there first is something to annotate."""

    def __init__(self, settings: Settings, every: int, annotator: ArticleAnnotator | None) -> None:
        self.options = settings.annotate
        self.every = every
        self.annotator = annotator
        self.own: Annotator | None = None  # made here, so closed by `close`
        self.report: AnnotateReport | None = AnnotateReport() if self.options.enabled else None

    def maybe_run(self, run: _IngestRun, *, final: bool = False) -> None:
        # The final pass always looks: a killed earlier run may have left articles unannotated.
        if self.report is None or (not final and run.unannotated < self.every):
            return
        if self.annotator is None and run.store.count_unannotated() == 0:
            run.unannotated = 0
            return
        if self.annotator is None:
            self.annotator = self.own = Annotator(self.options)
        self.report = self.report + annotate_pending(run.store, self.options, self.annotator)
        run.unannotated = 0

    def close(self) -> None:
        if self.own is not None:
            self.own.close()
            self.own = None


def _pages_to_extract(
    items: Iterable[RawPage | Rejection | Unchanged], run: _IngestRun
) -> Iterator[_Todo]:
    """Pass on the pages that need extracting; settle everything else on the way."""
    for item in items:
        if isinstance(item, Rejection):
            run.reject(item)
        elif isinstance(item, Unchanged):
            run.tally.add(Outcome.UNCHANGED)
        else:
            todo = _Todo(item, page_key(item), _content_hash(item))
            if run.store.source_done(todo.source_key, todo.content_hash):
                run.tally.add(Outcome.DUPLICATE)  # finished by an earlier (maybe killed) run
            else:
                yield todo


def run_ingest(
    inputs: Sequence[str],
    store: Store,
    settings: Settings,
    *,
    workers: int = 1,
    stdin: BinaryIO | None = None,
    fetcher: Fetcher | None = None,
    progress: ProgressCallback | None = None,
    batch_size: int = 50,
    cluster_every: int = 1000,
    embedder: Embedder | None = None,
    annotator: ArticleAnnotator | None = None,
) -> RunReport:
    """Ingest `inputs` into `store`, cluster and annotate what is new, and record the run.

    Never raises for a bad page. Articles stored by a run that was killed before clustering
    or annotation are clustered and annotated by the next run (or `newsfuse recluster`,
    `newsfuse annotate`).
    """
    store.mark_stale_runs()
    options = {
        "workers": workers,
        "fetch": asdict(settings.fetch),
        "ingest": asdict(settings.ingest),
        "extract": asdict(settings.extract),
    }
    run_id = store.start_run(list(inputs), options)
    validators = DeferredValidatorCache(store)
    run = _IngestRun(store, run_id, batch_size, _Tally(progress), validators)
    clustering = _Clustering(settings, cluster_every, embedder)
    annotating = _Annotating(settings, cluster_every, annotator)
    own_fetcher = fetcher is None and any(i.startswith(("http://", "https://")) for i in inputs)
    if own_fetcher:
        fetcher = Fetcher(settings.fetch, validators=validators)
    executor = ProcessPoolExecutor(max_workers=workers) if workers > 1 else None
    status = "failed"
    try:
        items = iter_pages(inputs, settings.ingest, fetcher=fetcher, stdin=stdin)
        pages = _pages_to_extract(items, run)
        for extracted in _extract_in_order(pages, settings.extract, executor, 4 * workers):
            run.accept(extracted)
            clustering.maybe_run(run)
            annotating.maybe_run(run)  # after clustering: annotation reads the story context
        run.flush()
        clustering.maybe_run(run, final=True)
        annotating.maybe_run(run, final=True)
        status = "finished"
    except KeyboardInterrupt:
        run.flush()  # keep what was already extracted; a re-run resumes after it
        status = "interrupted"
        raise
    finally:
        annotating.close()
        if executor is not None:
            executor.shutdown(cancel_futures=True)
        if own_fetcher and fetcher is not None:
            fetcher.close()
        store.finish_run(run_id, run.tally.counts(), status)
    return RunReport(
        run_id, run.tally.counts(), tuple(run.rejections), clustering.report, annotating.report
    )
