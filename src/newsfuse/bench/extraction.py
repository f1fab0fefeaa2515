"""Extraction benchmark: newsfuse vs plain trafilatura on HTML, and the flattened-text path.

    python -m newsfuse.bench.extraction --data ../shared/data/extraction/dev \
        [--limit N] [--workers 2]

For every dataset folder (pages as ID.html, ID.gold.txt, ID.json, ID.page.txt) it prints
bag-of-token precision/recall/F1 (ScrapingHub definition, per-page mean; see tokens.py) and
pages/s, wall-clock over the worker pool (reading files is not timed), and pages per
CPU-second of the workers, which a busy shared machine does not distort. Datasets without gold
text but with `with`/`without` snippets in ID.json (trafilatura's own set) are scored by
snippet containment instead, as trafilatura's evaluation does; the table marks them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newsfuse.bench.tokens import (
    SnippetCounts,
    TokenScore,
    mean_scores,
    snippet_counts,
    token_scores,
)
from newsfuse.config import ExtractOptions
from newsfuse.errors import ExtractError
from newsfuse.model import Article, PageKind, RawPage

_OPTS = ExtractOptions()
_FETCHED = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class BenchPage:
    """One page of a dataset, read before timing starts."""

    page_id: str
    html: bytes
    url: str | None
    gold: str | None
    with_: tuple[str, ...]
    without: tuple[str, ...]
    flat: str | None


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table."""

    system: str
    score: TokenScore
    pages: int
    seconds: float
    """Wall-clock over the pool."""
    cpu_seconds: float
    """CPU time the workers spent extracting: robust to a busy machine."""
    metric: str


def load_dataset(folder: Path, limit: int | None) -> list[BenchPage]:
    pages = []
    for html_path in sorted(folder.glob("*.html"))[:limit]:
        page_id = html_path.name.removesuffix(".html")
        meta = json.loads((folder / f"{page_id}.json").read_text(encoding="utf-8"))
        gold_path, flat_path = folder / f"{page_id}.gold.txt", folder / f"{page_id}.page.txt"
        url = meta.get("url")
        pages.append(
            BenchPage(
                page_id=page_id,
                html=html_path.read_bytes(),
                url=url if isinstance(url, str) and url.startswith("http") else None,
                gold=gold_path.read_text(encoding="utf-8") if gold_path.exists() else None,
                with_=tuple(meta.get("with") or ()),
                without=tuple(meta.get("without") or ()),
                flat=flat_path.read_text(encoding="utf-8") if flat_path.exists() else None,
            )
        )
    return pages


# Worker functions: module level so they pickle into the pool.
def newsfuse_html(page: BenchPage) -> str:
    raw = RawPage(
        source=page.page_id, content=page.html, kind=PageKind.HTML, fetched_at=_FETCHED,
        url=page.url,
    )  # fmt: skip
    try:
        return extract_fn(raw, _OPTS).text
    except ExtractError:
        return ""


def trafilatura_html(page: BenchPage) -> str:
    import trafilatura  # noqa: PLC0415 - the reference is imported only where it runs

    return trafilatura.extract(page.html) or ""


def newsfuse_flat(page: BenchPage) -> str:
    """The product's TEXT path: extract_flattened plus the shared clean-up, as ingest runs it."""
    raw = RawPage(
        source=page.page_id, content=(page.flat or "").encode("utf-8"), kind=PageKind.TEXT,
        fetched_at=_FETCHED, url=page.url,
    )  # fmt: skip
    try:
        return extract_fn(raw, _OPTS).text
    except ExtractError:
        return ""


def whole_text(page: BenchPage) -> str:
    return page.flat or ""


def _extract_fn() -> Callable[[RawPage, ExtractOptions], Article]:
    from newsfuse.extract import extract  # noqa: PLC0415

    return extract


extract_fn = _extract_fn()


def _warm(_: int) -> None:
    """Import and initialise everything in a worker before the clock starts."""
    sample = BenchPage("warm", b"<html><body><p>" + b"Warm up text. " * 40 + b"</p></body></html>",
                       None, None, (), (), "Title\n\n" + "Warm up text. " * 40)  # fmt: skip
    from newsfuse.extract import dates, metadata  # noqa: PLC0415

    newsfuse_html(sample)
    trafilatura_html(sample)
    # Not one of our own date patterns, so dateparser loads its language data now, not timed.
    dates.parse_date_string("vendredi 15 septembre 2023")
    metadata.detect_language("Warm up text for the language identifier model. " * 3)
    with contextlib.suppress(Exception):  # reported per dataset, not here
        newsfuse_flat(sample)


def _score(pages: Sequence[BenchPage], outputs: Sequence[str]) -> tuple[TokenScore, str]:
    if all(p.gold is not None for p in pages):
        return mean_scores(
            token_scores(o, p.gold or "") for p, o in zip(pages, outputs, strict=True)
        ), "tokens"
    counts = SnippetCounts()
    for page, out in zip(pages, outputs, strict=True):
        counts = counts + snippet_counts(out, page.with_, page.without)
    return counts.score(), "snippets"


def _timed(job: tuple[Callable[[BenchPage], str], BenchPage]) -> tuple[str, float]:
    fn, page = job
    start = time.process_time()
    out = fn(page)
    return out, time.process_time() - start


def run_system(
    name: str, fn: Callable[[BenchPage], str], pages: Sequence[BenchPage], pool: ProcessPoolExecutor
) -> Row:
    start = time.perf_counter()
    results = list(pool.map(_timed, [(fn, p) for p in pages], chunksize=4))
    seconds = time.perf_counter() - start
    score, metric = _score(pages, [out for out, _ in results])
    return Row(name, score, len(pages), seconds, sum(cpu for _, cpu in results), metric)


def bench_dataset(folder: Path, limit: int | None, pool: ProcessPoolExecutor) -> list[Row]:
    pages = load_dataset(folder, limit)
    rows = [
        run_system("html: newsfuse extract()", newsfuse_html, pages, pool),
        run_system("html: trafilatura.extract (ref)", trafilatura_html, pages, pool),
    ]
    flat = [p for p in pages if p.flat is not None and (p.gold is not None or p.with_)]
    if flat:
        try:
            rows.append(run_system("text: newsfuse extract()", newsfuse_flat, flat, pool))
        except Exception as err:  # noqa: BLE001 - another team's stage; report and go on
            print(f"  (text path skipped: extract_flattened failed: {type(err).__name__}: {err})")
        rows.append(run_system("text: whole page.txt (baseline)", whole_text, flat, pool))
    return rows


def format_rows(dataset: str, rows: Sequence[Row]) -> str:
    lines = [f"\n## {dataset}", f"{'system':34} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} "
             f"{'pages/s':>8} {'/cpu-s':>7}  metric"]  # fmt: skip
    for r in rows:
        rate = r.pages / r.seconds if r.seconds else float("inf")
        cpu_rate = r.pages / r.cpu_seconds if r.cpu_seconds else float("inf")
        lines.append(
            f"{r.system:34} {r.pages:5d} {r.score.precision:6.3f} {r.score.recall:6.3f} "
            f"{r.score.f1:6.3f} {rate:8.1f} {cpu_rate:7.1f}  {r.metric}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/extraction/dev"))
    parser.add_argument("--limit", type=int, default=None, help="pages per dataset")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    args = parser.parse_args(argv)
    folders = sorted(p for p in args.data.iterdir() if p.is_dir() and any(p.glob("*.html")))
    if not folders:
        parser.error(f"no dataset folders with .html pages under {args.data}")
    print(f"extraction benchmark: {args.data} ({args.workers} worker processes)")
    totals: dict[str, tuple[int, float, float]] = {}
    with ProcessPoolExecutor(args.workers) as pool:
        list(pool.map(_warm, range(args.workers * 2)))
        for folder in folders:
            rows = bench_dataset(folder, args.limit, pool)
            print(format_rows(folder.name, rows), flush=True)
            for r in rows:
                pages, secs, cpu = totals.get(r.system, (0, 0.0, 0.0))
                totals[r.system] = (pages + r.pages, secs + r.seconds, cpu + r.cpu_seconds)
    print("\n## all datasets: throughput (pages/s wall-clock; pages per CPU-second)")
    for system, (pages, secs, cpu) in totals.items():
        print(f"{system:34} {pages:5d} pages {pages / secs:8.1f} /s {pages / cpu:8.1f} /cpu-s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
