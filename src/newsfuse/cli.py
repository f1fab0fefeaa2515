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

from newsfuse.annotate.runner import AnnotateReport
from newsfuse.api import ArticleQuery, Newsfuse, StoryQuery, classify_events, open_newsfuse
from newsfuse.cluster.runner import ClusterReport
from newsfuse.config import Settings
from newsfuse.errors import NewsfuseError
from newsfuse.model import Article, Story, StoryAssignment
from newsfuse.pipeline import RunReport
from newsfuse.service.annotations import annotation_lines, annotations_record
from newsfuse.service.dossier_export import DossierFormat, ExportTarget
from newsfuse.service.events import classify_jsonl, story_event_lines, story_event_record
from newsfuse.service.export import ExportFormat, article_record
from newsfuse.service.runs import (
    annotation_record,
    clustering_record,
    rejection_record,
    report_record,
    run_record,
)
from newsfuse.service.stories import StoryDetail, detail_record, member_record, story_record
from newsfuse.store import upgrade_database

EXIT_REJECTED = 3

app = typer.Typer(
    help="newsfuse: raw news pages from many outlets in, one sourced record per story out.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
events_app = typer.Typer(help="Political events: code sentences.", no_args_is_help=True)
app.add_typer(events_app, name="events")

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
    if report.clustering is not None:
        _print_clustering(report.clustering)
    if report.annotation is not None:
        _print_annotation(report.annotation)


def _print_clustering(report: ClusterReport) -> None:
    out.print(
        f"stories: {report.assigned} articles clustered — {report.opened} new stories, "
        f"{report.copies} copies linked, {report.merges} merges ({report.seconds:.1f} s)"
    )


def _print_annotation(report: AnnotateReport) -> None:
    failed = f"[{'red' if report.failed else 'green'}]{report.failed} failed[/]"
    out.print(
        f"annotations: {report.annotated} articles annotated, {report.not_annotated} skipped, "
        f"{failed} ({report.seconds:.1f} s)"
    )
    for reason, n in sorted(report.not_annotated_by_reason.items()):
        out.print(f"  skipped, {reason}: {n}", highlight=False)
    if report.failed:
        out.print("  failed articles show why: `newsfuse show ID`", highlight=False)


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
    no_cluster: Annotated[
        bool,
        typer.Option("--no-cluster", help="Store only; cluster later with `newsfuse recluster`."),
    ] = False,
    no_annotate: Annotated[
        bool,
        typer.Option("--no-annotate", help="Store only; annotate later with `newsfuse annotate`."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Ingest pages, extract articles, store them, cluster them into stories, annotate them,
    and report."""
    settings = _settings(db)
    if no_cluster:
        settings = replace(settings, cluster=replace(settings.cluster, enabled=False))
    if no_annotate:
        settings = replace(settings, annotate=replace(settings.annotate, enabled=False))
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
        print(json.dumps(report_record(report), ensure_ascii=False))
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
        stories_of = news.store.memberships([a.id for a in rows])
    if as_json:
        summaries = [_summary(a, stories_of.get(a.id)) for a in rows]
        print(json.dumps(summaries, ensure_ascii=False, indent=1))
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


def _summary(article: Article, story: StoryAssignment | None) -> dict[str, object]:
    record = article_record(article, story)
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
    """Show one article with its metadata, its text, and what annotation found in it."""
    with _open(db) as news:
        try:
            article = news.article(article_id)
            annotations = news.annotations(article.id)
        except NewsfuseError as exc:
            raise _fail(exc) from exc
        membership = news.store.memberships([article.id]).get(article.id)
    record = article_record(article, membership)
    if as_json:
        record["annotation_status"] = annotations.status.value if annotations else None
        record["annotations"] = (
            annotations_record(annotations, article.text) if annotations else None
        )
        print(json.dumps(record, ensure_ascii=False, indent=1))
        return
    text = record.pop("text")
    for key, value in record.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        out.print(
            f"[bold]{key:>20}[/bold]  {shown if shown not in (None, '') else '—'}", highlight=False
        )
    out.print()
    out.print(text, highlight=False, markup=False)
    out.print()
    for line in annotation_lines(annotations, width=90, text=article.text):
        out.print(line, highlight=False, markup=False, no_wrap=True, overflow="ellipsis")


@app.command()
def export(
    fmt: Annotated[
        ExportTarget,
        typer.Option(
            "--format",
            help="jsonl, csv, parquet, gdelt or plover. Entities, quotes, dates, places and"
            " events (lists of spans) are in jsonl only; csv and parquet give"
            " annotation_status and their counts; gdelt (GDELT 2.0 event table, tab-separated)"
            " and plover (JSON lines) write one row per event. json, md and html write the"
            " dossier of the --story (html: one self-contained page to send).",
        ),
    ] = ExportTarget.JSONL,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default stdout).")
    ] = None,
    db: DbOption = None,
    outlet: OutletOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    language: LangOpt = None,
    contains: ContainsOpt = None,
    story_id: Annotated[
        str | None,
        typer.Option("--story", help="Only this story's articles, in story order."),
    ] = None,
    header: Annotated[
        bool,
        typer.Option("--header", help="gdelt: a first row with the column names (GDELT has none)."),
    ] = False,
) -> None:
    """Export stored articles (or their events); the JSONL record is the documented export
    contract. --format json|md|html exports the dossier of one --story instead."""
    if fmt.dossier_format is not None:
        _export_dossier(fmt.dossier_format, story_id, output, db)
        return
    article_format = ExportFormat(fmt.value)
    with _open(db) as news:
        try:
            n = news.export(
                article_format,
                output,
                sys.stdout,
                _query(outlet, since, until, language, contains),
                story_id=story_id,
                header=header,
            )
        except NewsfuseError as exc:
            raise _fail(exc) from exc
    if output is not None:
        events = (ExportFormat.GDELT, ExportFormat.PLOVER)
        what = "the events of " if article_format in events else ""
        err.print(f"wrote {what}{n} articles to {output}")


def _export_dossier(
    fmt: DossierFormat, story_id: str | None, output: Path | None, db: str | None
) -> None:
    """`export --format json|md|html`: one story's dossier as a file."""
    from newsfuse.service.dossier_export import export_dossier

    if not story_id:
        err.print(f"[red]error:[/red] --format {fmt} exports a story's dossier: give --story ID")
        raise typer.Exit(2)
    with _open(db) as news:
        try:
            built = export_dossier(news, story_id, fmt, output, sys.stdout)
        except NewsfuseError as exc:
            raise _fail(exc) from exc
    if output is not None:
        err.print(f"wrote the {fmt} dossier of {built.story.id} to {output}")


@app.command()
def stories(
    db: DbOption = None,
    since: Annotated[
        datetime | None, typer.Option(help="Stories active at or after (ISO date).")
    ] = None,
    until: Annotated[datetime | None, typer.Option(help="Stories begun before (ISO date).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only stories this outlet covers.")] = None,
    min_articles: Annotated[
        int | None, typer.Option("--min-articles", help="At least this many articles.")
    ] = None,
    search: Annotated[str | None, typer.Option(help="Title contains this.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """List stories, most recently active first, with their span, outlets and counts."""
    query = StoryQuery(
        since=since, until=until, outlet=outlet, min_articles=min_articles, search=search
    )
    with _open(db) as news:
        rows = news.stories(query, limit=limit)
        total = news.count_stories(query)
    if as_json:
        print(json.dumps([story_record(s) for s in rows], ensure_ascii=False, indent=1))
        return
    table = Table(
        title=f"{len(rows)} of {total} stories",
        caption="a/o/i: articles / outlets / independent origins",
    )
    table.add_column("story", no_wrap=True, min_width=19)
    table.add_column("span", no_wrap=True, min_width=16)
    table.add_column("title", overflow="ellipsis", no_wrap=True, max_width=40)
    table.add_column("a/o/i", justify="right", no_wrap=True)
    for story in rows:
        counts = f"{story.article_count}/{story.outlet_count}/{story.independent_origin_count}"
        table.add_row(story.id, _span(story), story.title or "(untitled)", counts)
    out.print(table)


def _span(story: Story) -> str:
    first, last = story.first_published, story.last_published
    if first is None or last is None:
        return "undated"
    if first.date() == last.date():
        return first.date().isoformat()
    return f"{first.date().isoformat()}–{last.strftime('%m-%d')}"


@app.command()
def story(
    story_id: Annotated[
        str, typer.Argument(help="Story id, a unique prefix, or the id of a merged story.")
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one story: its articles grouped into independent reports and their copies, and
    the events they report, merged across articles."""
    with _open(db) as news:
        try:
            detail = news.story(story_id)
            events = news.story_events(detail.story.id)
        except NewsfuseError as exc:
            raise _fail(exc) from exc
        texts = _report_texts(news, events)
    if as_json:
        record = detail_record(detail)
        record["events"] = [story_event_record(e) for e in events]
        print(json.dumps(record, ensure_ascii=False, indent=1))
        return
    _print_story(detail)
    for line in story_event_lines(events, texts, width=90):
        out.print(line, highlight=False, markup=False, no_wrap=True, overflow="ellipsis")


@app.command()
def dossier(
    story_id: Annotated[
        str, typer.Argument(help="Story id, a unique prefix, or the id of a merged story.")
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """A story's dossier: headline, cited summary, facts shared by outlets and unique to one,
    conflicts, quotes by speaker, timeline and related stories."""
    from newsfuse.fuse.dossier import dossier_record
    from newsfuse.service.dossier import dossier_lines

    with _open(db) as news:
        try:
            built = news.dossier(story_id)
        except NewsfuseError as exc:
            raise _fail(exc) from exc
    if as_json:
        print(json.dumps(dossier_record(built), ensure_ascii=False, indent=1))
        return
    for line in dossier_lines(built, width=90):
        out.print(line, highlight=False, markup=False, no_wrap=True, overflow="ellipsis")


def _report_texts(news: Newsfuse, events: list[object]) -> dict[str, str]:
    """The texts of the articles whose sentences `newsfuse story` quotes (each event's first
    report)."""
    ids = set()
    for event in events:
        reports = getattr(event, "reports", ()) or ()
        if reports:
            first = reports[0]
            ids.add(first[0] if isinstance(first, tuple) else first.article_id)
    return {i: a.text for i, a in news.store.get_articles(ids).items()}


def _print_story(detail: StoryDetail) -> None:
    s = detail.story
    out.print(f"[bold]{s.title or '(untitled)'}[/bold]", highlight=False)
    out.print(
        f"{s.id} · {_span(s)} · {s.article_count} articles, {s.outlet_count} outlets, "
        f"{s.independent_origin_count} independent origins",
        highlight=False,
    )
    if detail.aliases:
        out.print(f"merged from: {', '.join(detail.aliases)}", highlight=False)
    for number, report in enumerate(detail.reports, 1):
        _print_member(f"{number:>3}.", member_record(report.original))
        for copy in report.copies:
            _print_member("      copy:", member_record(copy))


def _print_member(prefix: str, record: dict[str, object]) -> None:
    published = str(record["published"] or "undated")[:10]
    line = f"{prefix} {record['id']}  {published}  {record['outlet'] or '—'}: {record['title']}"
    out.print(line, highlight=False, markup=False)


@app.command()
def recluster(
    db: DbOption = None,
    no_embed: Annotated[
        bool, typer.Option("--no-embed", help="Lexical, entity and time features only.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Forget all stories and cluster everything stored again, in publication order."""
    settings = _settings(db)
    if no_embed:
        settings = replace(settings, cluster=replace(settings.cluster, embed=False))
    with _open(db, settings) as news:
        try:
            report = news.recluster()
        except NewsfuseError as exc:
            raise _fail(exc) from exc
    if as_json:
        print(json.dumps(clustering_record(report), ensure_ascii=False))
    else:
        _print_clustering(report)


@app.command()
def annotate(
    db: DbOption = None,
    all_: Annotated[
        bool,
        typer.Option("--all", help="Forget every annotation and annotate everything again."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Annotate stored articles that have no annotations yet: entities and actors, quotes,
    dates and places (ingest does this as it goes)."""
    with _open(db) as news:
        try:
            report = _annotate_with_progress(news, all_, quiet=as_json)
        except NewsfuseError as exc:
            raise _fail(exc) from exc
    if as_json:
        print(json.dumps(annotation_record(report), ensure_ascii=False))
    else:
        _print_annotation(report)


def _annotate_with_progress(news: Newsfuse, all_: bool, quiet: bool) -> AnnotateReport:
    columns = (SpinnerColumn(), TextColumn("annotating"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True, disable=quiet) as bar:
        total = news.count() if all_ else news.store.count_unannotated()
        task = bar.add_task("annotate", total=total)
        return news.annotate(all=all_, progress=lambda n: bar.update(task, advance=n))


@app.command()
def runs(db: DbOption = None, limit: int = 20, as_json: JsonOption = False) -> None:
    """List ingest runs, newest first."""
    with _open(db) as news:
        records = news.runs(limit)
    if as_json:
        print(json.dumps([run_record(r) for r in records], ensure_ascii=False, indent=1))
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
    data = run_record(record)
    data["rejections"] = [rejection_record(r) for r in rejected]
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return
    for key, value in data.items():
        if key != "rejections":
            out.print(f"[bold]{key:>12}[/bold]  {value}", highlight=False)
    for r in rejected:
        out.print(f"  - {r.reason}: {r.detail}", highlight=False, markup=False)


@app.command()
def serve(
    db: DbOption = None,
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8765,
    host: Annotated[
        str, typer.Option(help="Address to listen on; keep 127.0.0.1 unless behind a proxy.")
    ] = "127.0.0.1",
    workers: Annotated[int, typer.Option(help="Server processes.", min=1, max=64)] = 1,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="Let URL ingest fetch private, loopback and link-local addresses.",
        ),
    ] = False,
    ingest_token: Annotated[
        str | None,
        typer.Option(
            envvar="NEWSFUSE_INGEST_TOKEN",
            help="Turn on POST /api/ingest, for requests carrying `Authorization: Bearer TOKEN`.",
        ),
    ] = None,
) -> None:
    """Serve the web UI and the JSON API (docs at /api/docs) over the store, until Ctrl-C."""
    from newsfuse.config import ServeOptions
    from newsfuse.service.app import serve as run_server

    options = ServeOptions(
        host=host,
        port=port,
        workers=workers,
        ingest_token=ingest_token or None,
        allow_private=allow_private,
    )
    settings = replace(_settings(db), serve=options)
    _open(db, settings).close()  # a bad URL or an old schema fails here, with a message
    shown = f"[{host}]" if ":" in host else host
    out.print(f"newsfuse UI:  http://{shown}:{port}/", highlight=False)
    out.print(f"API docs:     http://{shown}:{port}/api/docs", highlight=False)
    if ingest_token:
        out.print("ingest:       POST /api/ingest is on (token required)", highlight=False)
    try:
        run_server(settings)
    except NewsfuseError as exc:
        raise _fail(exc) from exc


def _ts(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "—"


@events_app.command("classify")
def events_classify(
    file: Annotated[
        str,
        typer.Argument(
            help="JSONL file of sentences (`text`, optional `source`, `target`), or - for stdin."
        ),
    ] = "-",
    batch: Annotated[int, typer.Option(help="Sentences per model call.", min=1)] = 256,
) -> None:
    """Code single sentences: each JSONL line comes back with `plover`, `cameo` and
    `quad_class` added. A bad line (not JSON, no `text`) is reported on stderr and passed
    through with an `error` field; the exit status is then 3."""

    def report(line: int, why: str) -> None:
        err.print(f"line {line}: {why}", highlight=False, markup=False)

    try:
        if file == "-":
            result = classify_jsonl(sys.stdin, sys.stdout, report, classify_events, batch)
        else:
            path = Path(file)
            if not path.is_file():
                err.print(f"[red]error:[/red] no such file: {file}")
                raise typer.Exit(1)
            with path.open(encoding="utf-8") as lines:
                result = classify_jsonl(lines, sys.stdout, report, classify_events, batch)
    except NewsfuseError as exc:
        raise _fail(exc) from exc
    if result.bad:
        err.print(f"{result.bad} of {result.lines} lines were bad (passed through with `error`)")
        raise typer.Exit(EXIT_REJECTED)


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
