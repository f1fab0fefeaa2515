"""Runs as served: one JSON shape for a stored run, a finished run's report and a rejection,
for the CLI's `--json`, the HTTP API and its ingest endpoint."""

from __future__ import annotations

from typing import Any

from newsfuse.annotate.runner import AnnotateReport
from newsfuse.cluster.runner import ClusterReport
from newsfuse.model import Rejection
from newsfuse.pipeline import RunReport
from newsfuse.store import RejectionRecord, RunCounts, RunRecord


def counts_record(c: RunCounts) -> dict[str, Any]:
    return {
        "pages_seen": c.pages_seen,
        "ingested": c.ingested,
        "duplicates": c.duplicates,
        "unchanged": c.unchanged,
        "rejected": c.rejected,
        "rejected_by_reason": dict(c.rejected_by_reason),
    }


def run_record(record: RunRecord) -> dict[str, Any]:
    """A stored run: status, times, inputs and counts (rejections are listed separately)."""
    return {
        "id": record.id,
        "status": str(record.status),
        "started_at": record.started_at.isoformat() if record.started_at else None,
        "finished_at": record.finished_at.isoformat() if record.finished_at else None,
        "inputs": list(record.inputs),
        **counts_record(record.counts),
    }


def rejection_record(rejection: Rejection | RejectionRecord) -> dict[str, Any]:
    return {
        "source": rejection.source,
        "url": rejection.url,
        "reason": str(rejection.reason),
        "detail": rejection.detail,
    }


def report_record(report: RunReport) -> dict[str, Any]:
    """What a run just did: its counts, each rejection, and its clustering and annotation."""
    return {
        "run_id": report.run_id,
        **counts_record(report.counts),
        "rejections": [rejection_record(r) for r in report.rejections],
        "clustering": clustering_record(report.clustering) if report.clustering else None,
        "annotation": annotation_record(report.annotation) if report.annotation else None,
    }


def annotation_record(report: AnnotateReport) -> dict[str, Any]:
    return {
        "annotated": report.annotated,
        "not_annotated": report.not_annotated,
        "not_annotated_by_reason": dict(report.not_annotated_by_reason),
        "failed": report.failed,
        "seconds": round(report.seconds, 3),
    }


def clustering_record(report: ClusterReport) -> dict[str, Any]:
    return {
        "assigned": report.assigned,
        "opened": report.opened,
        "copies": report.copies,
        "merges": report.merges,
        "embedded": report.embedded,
        "seconds": round(report.seconds, 3),
    }
