"""The `newsfuse` command: parse strings, call one `newsfuse.api` verb, print.

Exit status: 0 all good; 1 the command could not run (the message says why); 2 bad usage;
3 the run finished but some inputs were rejected (each is recorded with its reason).
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from newsfuse.api import ArticleQuery, Newsfuse, open_newsfuse
from newsfuse.config import Settings
from newsfuse.errors import NewsfuseError
from newsfuse.model import Article, Rejection
from newsfuse.pipeline import RunReport
from newsfuse.service.export import ExportFormat, article_record
from newsfuse.store import RejectionRecord, RunRecord, upgrade_database

EXIT_REJECTED = 3

app = typer.Typer(
    help="newsfuse: raw news pages from many outlets in, one sourced record per story out.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")

out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL: sqlite:///file.db (default ./newsfuse.db) or postgresql://..."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _settings(db: str | None, **overrides: object) -> Settings:
    return Settings.from_env(db_url=db, **overrides)


def _open(db: str | None, settings: Settings | None = None) -> Newsfuse:
    resolved = settings or _settings(db)
    try:
        return open_newsfuse(resolved.db_url, resolved)
    except NewsfuseError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc


def _fail(exc: NewsfuseError) -> typer.Exit:
    err.print(f"[red]error:[/red] {exc}")
    return typer.Exit(1)


def _print_report(report: RunReport) -> None:
    c = report.counts
    out.print(
        f"run {report.run_id}: {c.pages_seen} inputs — [green]{c.ingested} ingested[/green], "
        f"{c.duplicates} duplicates skipped, {c.unchanged} unchanged, "
        f"[{'red' if c.rejected else 'green'}]{c.rejected} rejected[/]"
    )
    for reason, n in sorted(c.rejected_by_reason.items()):
        out.print(f"  rejected {reason}: {n}")
    for rejection in report.rejections[:20]:
        out.print(f"  [dim]- {rejection.reason}: {rejection.detail}[/dim]", highlight=False)
    if len(report.rejections) > 20:
        out.print(f"  … {len(report.rejections) - 20} more: `newsfuse run {report.run_id}`")


@app.command()
def ingest(
    inputs: Annotated[
        list[str], typer.Argument(help="Paths, folders, globs, http(s) URLs, or - for stdin.")
    ],
    db: DbOption = None,
    workers: Annotated[int, typer.Option(help="Extraction worker processes.")] = 1,
    rate: Annotated[
        float | None, typer.Option(help="Seconds between requests to one host.")
    ] = None,
    no_robots: Annotated[
        bool, typer.Option("--no-robots", help="Ignore robots.txt (only for your own sites).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Ingest pages, extract articles, store them, and report what happened."""
    settings = _settings(db)
    fetch = settings.fetch
    if rate is not None:
        fetch = replace(fetch, min_interval_s=rate)
    if no_robots:
        fetch = replace(fetch, respect_robots=False)
    settings = replace(settings, fetch=fetch)
    with _open(db, settings) as news:
        try:
            report = _ingest_with_progress(news, inputs, workers, quiet=as_json)
        except NewsfuseError as exc:
            raise _fail(exc) from exc
    if as_json:
        print(json.dumps(_report_json(report), ensure_ascii=False))
    else:
        _print_report(report)
    if not report.all_accepted:
        if not as_json:
            err.print("some inputs were rejected (each is recorded with its reason)")
        raise typer.Exit(EXIT_REJECTED)


def _ingest_with_progress(
    news: Newsfuse, inputs: list[str], workers: int, quiet: bool
) -> RunReport:
    stdin = sys.stdin.buffer if "-" in inputs else None
    columns = (
        SpinnerColumn(),
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[last]}"),
    )
    with Progress(*columns, console=err, transient=True, disable=quiet) as bar:
        task = bar.add_task("ingest", total=None, last="")
        return news.ingest(
            inputs,
            workers=workers,
            stdin=stdin,
            progress=lambda outcome: bar.update(task, advance=1, last=outcome),
        )


def _report_json(report: RunReport) -> dict[str, object]:
    c = report.counts
    return {
        "run_id": report.run_id,
        "pages_seen": c.pages_seen,
        "ingested": c.ingested,
        "duplicates": c.duplicates,
        "unchanged": c.unchanged,
        "rejected": c.rejected,
        "rejected_by_reason": dict(c.rejected_by_reason),
        "rejections": [_rejection_json(r) for r in report.rejections],
    }


def _rejection_json(rejection: Rejection | RejectionRecord) -> dict[str, object]:
    return {
        "source": rejection.source,
        "url": rejection.url,
        "reason": str(rejection.reason),
        "detail": rejection.detail,
    }


def _query(
    outlet: str | None,
    since: datetime | None,
    until: datetime | None,
    language: str | None,
    contains: str | None,
    run_id: int | None = None,
) -> ArticleQuery:
    return ArticleQuery(
        outlet=outlet, since=since, until=until, language=language, contains=contains, run_id=run_id
    )


OutletOpt = Annotated[str | None, typer.Option(help="Only this outlet.")]
SinceOpt = Annotated[datetime | None, typer.Option(help="Published at or after (ISO date).")]
UntilOpt = Annotated[datetime | None, typer.Option(help="Published before (ISO date).")]
LangOpt = Annotated[str | None, typer.Option(help="Language code, e.g. en.")]
ContainsOpt = Annotated[str | None, typer.Option(help="Title or text contains this.")]


@app.command()
def articles(
    db: DbOption = None,
    outlet: OutletOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    language: LangOpt = None,
    contains: ContainsOpt = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """List stored articles, oldest first."""
    query = _query(outlet, since, until, language, contains)
    with _open(db) as news:
        rows = news.articles(query, limit=limit)
        total = news.count(query)
    if as_json:
        print(json.dumps([_summary(a) for a in rows], ensure_ascii=False, indent=1))
        return
    table = Table(
        "id", "published", "outlet", "title", "words", title=f"{len(rows)} of {total} articles"
    )
    for a in rows:
        table.add_row(
            a.id[:12],
            a.published.date().isoformat() if a.published else "—",
            a.outlet or "—",
            (a.title or "(untitled)")[:70],
            str(len(a.text.split())),
        )
    out.print(table)


def _summary(article: Article) -> dict[str, object]:
    record = article_record(article)
    record.pop("text")
    return record


@app.command()
def show(
    article_id: Annotated[
        str, typer.Argument(help="Article id (or a unique prefix of 6+ characters).")
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one article with its metadata."""
    with _open(db) as news:
        try:
            article = news.article(article_id)
        except NewsfuseError as exc:
            raise _fail(exc) from exc
    if as_json:
        print(json.dumps(article_record(article), ensure_ascii=False, indent=1))
        return
    record = article_record(article)
    text = record.pop("text")
    for key, value in record.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        out.print(
            f"[bold]{key:>20}[/bold]  {shown if shown not in (None, '') else '—'}", highlight=False
        )
    out.print()
    out.print(text, highlight=False, markup=False)


@app.command()
def export(
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="jsonl, csv or parquet.")
    ] = ExportFormat.JSONL,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default stdout).")
    ] = None,
    db: DbOption = None,
    outlet: OutletOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    language: LangOpt = None,
    contains: ContainsOpt = None,
) -> None:
    """Export stored articles; the JSONL record is the documented export contract."""
    with _open(db) as news:
        try:
            n = news.export(
                fmt, output, sys.stdout, _query(outlet, since, until, language, contains)
            )
        except NewsfuseError as exc:
            raise _fail(exc) from exc
    if output is not None:
        err.print(f"wrote {n} articles to {output}")


@app.command()
def runs(db: DbOption = None, limit: int = 20, as_json: JsonOption = False) -> None:
    """List ingest runs, newest first."""
    with _open(db) as news:
        records = news.runs(limit)
    if as_json:
        print(json.dumps([_run_json(r) for r in records], ensure_ascii=False, indent=1))
        return
    table = Table("run", "status", "started", "finished", "seen", "ingested", "dup", "rejected")
    for r in records:
        c = r.counts
        table.add_row(
            str(r.id),
            r.status,
            _ts(r.started_at),
            _ts(r.finished_at),
            *(str(v) for v in (c.pages_seen, c.ingested, c.duplicates, c.rejected)),
        )
    out.print(table)


@app.command()
def run(run_id: int, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Show one ingest run with every rejected input and its reason."""
    with _open(db) as news:
        try:
            record = news.run(run_id)
        except NewsfuseError as exc:
            raise _fail(exc) from exc
        rejected = news.store.rejections(run_id)
    data = _run_json(record)
    data["rejections"] = [_rejection_json(r) for r in rejected]
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return
    for key, value in data.items():
        if key != "rejections":
            out.print(f"[bold]{key:>12}[/bold]  {value}", highlight=False)
    for r in rejected:
        out.print(f"  - {r.reason}: {r.detail}", highlight=False, markup=False)


def _ts(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "—"


def _run_json(record: RunRecord) -> dict[str, object]:
    c = record.counts
    return {
        "id": record.id,
        "status": record.status,
        "started_at": record.started_at.isoformat() if record.started_at else None,
        "finished_at": record.finished_at.isoformat() if record.finished_at else None,
        "inputs": list(record.inputs),
        "pages_seen": c.pages_seen,
        "ingested": c.ingested,
        "duplicates": c.duplicates,
        "unchanged": c.unchanged,
        "rejected": c.rejected,
        "rejected_by_reason": dict(c.rejected_by_reason),
    }


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the database to the newest schema."""
    try:
        version = upgrade_database(_settings(db).db_url)
    except NewsfuseError as exc:
        raise _fail(exc) from exc
    out.print(f"database schema: {version.before or 'empty'} → {version.after}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
