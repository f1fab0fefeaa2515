"""The annotate stage over the store: stored articles without annotations get them.

    store.iter_unannotated ─► store.story_contexts (story span, people already known)
        ─► Annotator.annotate (a batch) ─► store.put_annotations   (one transaction per batch)

Each batch is stored before the next is read, so an interrupted pass loses at most the batch
in hand and the next call carries on with what is left. One bad article never loses its
batch: when `annotate` raises, the batch is annotated again one article at a time and the
culprit is stored as FAILED with the error. `reannotate` forgets every annotation and runs
the same code over everything stored.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Protocol

from newsfuse.annotate.annotator import PRODUCED_BY, Annotator, StoryContext
from newsfuse.config import AnnotateOptions
from newsfuse.model import Annotations, AnnotationStatus, Article
from newsfuse.store import Store

BATCHES_PER_READ = 4
"""Articles read (and stored) together: this many of the annotator's batches."""

AnnotateProgress = Callable[[int], None]
"""Called with the number of articles each stored batch held."""


class ArticleAnnotator(Protocol):
    """What the runner needs of an annotator: `Annotator`, or a test double."""

    def annotate(
        self, articles: Sequence[Article], contexts: Sequence[StoryContext] | None = None
    ) -> list[Annotations]: ...


def _no_reasons() -> Mapping[str, int]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class AnnotateReport:
    """What one annotation pass did."""

    annotated: int = 0
    not_annotated: int = 0
    """Deliberately skipped (a language we do not annotate, no text)."""
    not_annotated_by_reason: Mapping[str, int] = field(default_factory=_no_reasons)
    """Skips per reason, the reason cut before its details ("language de is not annotated")."""
    failed: int = 0
    """Articles whose annotator raised; each is stored as FAILED with the error."""
    seconds: float = 0.0

    def __post_init__(self) -> None:
        frozen = MappingProxyType(dict(self.not_annotated_by_reason))
        object.__setattr__(self, "not_annotated_by_reason", frozen)

    @property
    def total(self) -> int:
        return self.annotated + self.not_annotated + self.failed

    def __add__(self, other: AnnotateReport) -> AnnotateReport:
        reasons = Counter(self.not_annotated_by_reason)
        reasons.update(other.not_annotated_by_reason)
        return AnnotateReport(
            annotated=self.annotated + other.annotated,
            not_annotated=self.not_annotated + other.not_annotated,
            not_annotated_by_reason=dict(reasons),
            failed=self.failed + other.failed,
            seconds=self.seconds + other.seconds,
        )


def reason_key(reason: str | None) -> str:
    """A reason without its details, for counting: "language de is not annotated (only en)"
    → "language de is not annotated"."""
    if not reason:
        return "unknown"
    return reason.split(" (", 1)[0].split(": ", 1)[0].strip() or "unknown"


def annotate_pending(
    store: Store,
    options: AnnotateOptions | None = None,
    annotator: ArticleAnnotator | None = None,
    *,
    progress: AnnotateProgress | None = None,
) -> AnnotateReport:
    """Annotate every stored article that has no annotations yet; resumable at any point.

    The annotator (its models load in about a second) is created only when there is
    something to annotate, unless one is given; one given is left open for the caller.
    """
    opts = options or AnnotateOptions()
    total = AnnotateReport()
    own: Annotator | None = None  # made here, so closed here
    try:
        for batch in store.iter_unannotated(max(1, opts.batch_size) * BATCHES_PER_READ):
            if annotator is None:
                annotator = own = Annotator(opts)
            total = total + _annotate_batch(store, annotator, batch)
            if progress is not None:
                progress(len(batch))
    finally:
        if own is not None:
            own.close()
    return total


def reannotate(
    store: Store,
    options: AnnotateOptions | None = None,
    annotator: ArticleAnnotator | None = None,
    *,
    progress: AnnotateProgress | None = None,
) -> AnnotateReport:
    """Forget every annotation and annotate everything stored again (new models, new rules)."""
    store.reset_annotations()
    return annotate_pending(store, options, annotator, progress=progress)


def _annotate_batch(
    store: Store, annotator: ArticleAnnotator, batch: Sequence[Article]
) -> AnnotateReport:
    started = time.perf_counter()
    found = store.story_contexts([a.id for a in batch])
    contexts = [found.get(a.id, StoryContext()) for a in batch]
    results = annotate_safely(annotator, batch, contexts)
    store.put_annotations(results)
    return _report(results, time.perf_counter() - started)


def annotate_safely(
    annotator: ArticleAnnotator, articles: Sequence[Article], contexts: Sequence[StoryContext]
) -> list[Annotations]:
    """`annotator.annotate`, except that an error costs only the article that caused it.

    When the batch raises (or answers for other articles than it was given), each article is
    annotated alone; one that still fails becomes a FAILED `Annotations` with the error.
    """
    try:
        return _checked(annotator.annotate(articles, contexts), articles)
    except Exception as exc:  # noqa: BLE001 - one bad article must never stop a batch
        if len(articles) == 1:
            return [_failure(articles[0], exc)]
    results: list[Annotations] = []
    for article, context in zip(articles, contexts, strict=True):
        try:
            results.extend(_checked(annotator.annotate([article], [context]), [article]))
        except Exception as exc:  # noqa: BLE001 - recorded as FAILED, the batch goes on
            results.append(_failure(article, exc))
    return results


class _MismatchError(Exception):
    """The annotator answered for other articles than it was given."""


def _checked(results: Sequence[Annotations], articles: Sequence[Article]) -> list[Annotations]:
    given = [a.id for a in articles]
    answered = [r.article_id for r in results]
    if answered != given:
        raise _MismatchError(
            f"the annotator returned {len(answered)} results for {len(given)} articles"
            " (or in another order)"
        )
    return list(results)


def _failure(article: Article, exc: Exception) -> Annotations:
    message = str(exc).strip()
    error = type(exc).__name__
    if message:
        error += ": " + message.splitlines()[0][:300]
    return Annotations(
        article.id,
        AnnotationStatus.FAILED,
        reason=f"annotator failed ({error})",
        language=article.language,
        produced_by=PRODUCED_BY,
        annotated_at=datetime.now(UTC),
    )


def _report(results: Sequence[Annotations], seconds: float) -> AnnotateReport:
    statuses = Counter(r.status for r in results)
    reasons = Counter(
        reason_key(r.reason) for r in results if r.status is AnnotationStatus.NOT_ANNOTATED
    )
    return AnnotateReport(
        annotated=statuses[AnnotationStatus.ANNOTATED],
        not_annotated=statuses[AnnotationStatus.NOT_ANNOTATED],
        not_annotated_by_reason=dict(reasons),
        failed=statuses[AnnotationStatus.FAILED],
        seconds=seconds,
    )
