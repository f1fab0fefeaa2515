"""A story's dossier as a file an analyst can send: JSON, Markdown or one HTML page.

JSON is `dossier_record` as is (the same shape the API serves). Markdown and HTML are reports
for people: headline, span and outlets, the cited summary, shared facts with their outlets,
unique facts by outlet, conflicts with each value's outlets, quotes by speaker, events, the
timeline, related stories and the numbered sources the citations point to.

The HTML page is self-contained: its style is inline, it loads nothing and runs no script, so
it reads the same offline, in a mail client or from a USB stick. Every article-derived string
is untrusted and goes through Jinja2's autoescape; the only links to other hosts are the
articles' own URLs, and only when they are http(s). Markdown escapes the characters that would
turn article text into markup (links, emphasis, inline HTML).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING

import jinja2
from markupsafe import Markup

from newsfuse.fuse.dossier import Dossier, dossier_record
from newsfuse.fuse.facts import SHARED, Evidence, Fact
from newsfuse.store import StoryMember

if TYPE_CHECKING:
    from newsfuse.api import Newsfuse


class DossierFormat(StrEnum):
    JSON = "json"
    MD = "md"
    HTML = "html"


class ExportTarget(StrEnum):
    """What `newsfuse export --format` accepts: the article exports (`ExportFormat`) and the
    dossier formats, which need `--story`."""

    JSONL = "jsonl"
    CSV = "csv"
    PARQUET = "parquet"
    GDELT = "gdelt"
    PLOVER = "plover"
    JSON = "json"
    MD = "md"
    HTML = "html"

    @property
    def dossier_format(self) -> DossierFormat | None:
        dossier = {f.value: f for f in DossierFormat}
        return dossier.get(self.value)


SHARED_CELL = "shared"
UNIQUE_CELL = "unique"
CONFLICT_CELL = "conflicting"


@dataclass(frozen=True, slots=True)
class Source:
    """A numbered article the report cites: `[n]` in the text."""

    number: int
    member: StoryMember
    copy_of: int | None
    """The number of the report this one copies, if it is a copy."""
    url: str | None = None
    """Where to read it: the fetched URL, else the page's canonical URL; http(s) only."""

    @property
    def safe_url(self) -> str | None:
        url = self.url or ""
        return url if re.match(r"https?://", url, re.IGNORECASE) else None


@dataclass(frozen=True, slots=True)
class CoverageRow:
    fact: Fact
    cells: tuple[str, ...]
    """One per outlet column: shared | unique | conflicting | "" (not reported)."""


def export_dossier(
    news: Newsfuse, story_id: str, fmt: DossierFormat, output: Path | None, stdout: IO[str]
) -> Dossier:
    """Build the story's dossier (id, prefix or merged id) and write it in `fmt` to `output`
    (or `stdout`); returns the dossier written."""
    built = news.dossier(story_id)
    text = render_dossier(built, fmt, article_urls(news, built))
    if output is None:
        stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    return built


def render_dossier(d: Dossier, fmt: DossierFormat, urls: Mapping[str, str] | None = None) -> str:
    """The dossier as the text of a file in `fmt`; `urls` (article id -> URL, see
    `article_urls`) fills in the links of articles read from files or feeds without one."""
    if fmt is DossierFormat.JSON:
        return json.dumps(dossier_record(d), ensure_ascii=False, indent=1) + "\n"
    if fmt is DossierFormat.MD:
        return dossier_markdown(d, urls)
    return dossier_html(d, urls)


def article_urls(news: Newsfuse, d: Dossier) -> dict[str, str]:
    """Article id -> its URL, else its canonical URL, for every article of the dossier."""
    ids = [m.article_id for r in d.reports for m in (r.original, *r.copies)]
    found = news.store.get_articles(ids)
    return {i: url for i, a in found.items() if (url := a.url or a.canonical_url)}


# --- shared views ----------------------------------------------------------------------------


def sources(d: Dossier, urls: Mapping[str, str] | None = None) -> tuple[Source, ...]:
    """Every article of the story, originals in report order each followed by its copies."""
    urls = urls or {}
    found: list[Source] = []
    for report in d.reports:
        number = len(found) + 1
        original = report.original
        found.append(Source(number, original, None, original.url or urls.get(original.article_id)))
        for c in report.copies:
            found.append(Source(len(found) + 1, c, number, c.url or urls.get(c.article_id)))
    return tuple(found)


def _citations(d: Dossier) -> dict[str, int]:
    return {s.member.article_id: s.number for s in sources(d)}


def coverage_outlets(d: Dossier) -> tuple[str, ...]:
    """The outlet columns of the coverage table, in the order the facts name them."""
    return tuple(dict.fromkeys(e.outlet for f in d.facts for e in f.support))


def coverage(d: Dossier) -> tuple[CoverageRow, ...]:
    """Facts × outlets: how each outlet stands on each fact. A fact an outlet reports is
    "conflicting" for it when one of the dossier's conflicts has evidence inside its sentence."""
    outlets = coverage_outlets(d)
    disputed = [e for c in d.conflicts for _, evidence in c.values for e in evidence]
    rows = []
    for fact in d.facts:
        cells = []
        for outlet in outlets:
            support = [e for e in fact.support if e.outlet == outlet]
            if not support:
                cells.append("")
            elif any(_inside(x, s) for x in disputed for s in support):
                cells.append(CONFLICT_CELL)
            else:
                cells.append(SHARED_CELL if fact.kind == SHARED else UNIQUE_CELL)
        rows.append(CoverageRow(fact, tuple(cells)))
    return tuple(rows)


def _inside(inner: Evidence, outer: Evidence) -> bool:
    return (
        inner.article_id == outer.article_id and inner.start < outer.end and outer.start < inner.end
    )


def unique_by_outlet(d: Dossier) -> dict[str, list[Fact]]:
    by_outlet: dict[str, list[Fact]] = {}
    for fact in d.unique_facts:
        by_outlet.setdefault(fact.outlets[0] if fact.outlets else "unknown", []).append(fact)
    return by_outlet


def span_text(d: Dossier) -> str:
    first, last = d.first_published, d.last_published
    if first is None and last is None:
        return "undated"
    shown = [t.date().isoformat() if t else "undated" for t in (first, last)]
    return shown[0] if shown[0] == shown[1] else f"{shown[0]} – {shown[1]}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- Markdown --------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def md(text: str | None) -> str:
    """Article text made inert in Markdown: one line, markup characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", _one_line(text or ""))


def _cite(evidence: Sequence[Evidence], numbers: dict[str, int]) -> str:
    cited = sorted({numbers[e.article_id] for e in evidence if e.article_id in numbers})
    return "".join(f"[{n}]" for n in cited)


def dossier_markdown(d: Dossier, urls: Mapping[str, str] | None = None) -> str:
    numbers = _citations(d)
    lines = [f"# {md(d.headline) or '(untitled)'}", ""]
    lines += [
        f"- **Story:** `{d.story.id}`",
        f"- **Span:** {span_text(d)}",
        f"- **Articles:** {d.story.article_count} from {len(d.outlets)} outlets, "
        f"{d.story.independent_origin_count} independent origins",
        f"- **Outlets:** {', '.join(md(o.outlet) for o in d.outlets)}",
        "",
        "## Summary",
        "",
    ]
    lines += [f"- {md(s.text)} [{numbers.get(s.article_id, '?')}]" for s in d.summary]
    lines += ["", f"## Shared facts ({len(d.shared_facts)})", ""]
    lines += [
        f"- {md(f.text)} — *{', '.join(md(o) for o in f.outlets)}* {_cite(f.support, numbers)}"
        for f in d.shared_facts
    ]
    lines += ["", f"## Unique facts ({len(d.unique_facts)})", ""]
    for outlet, facts in unique_by_outlet(d).items():
        lines += [f"### {md(outlet)}", ""]
        lines += [f"- {md(f.text)} {_cite(f.support, numbers)}" for f in facts]
        lines.append("")
    lines += [f"## Conflicts ({len(d.conflicts)})", ""]
    for conflict in d.conflicts:
        lines.append(f"- **{md(conflict.slot)}**")
        for value, evidence in conflict.values:
            outlets = ", ".join(md(o) for o in dict.fromkeys(e.outlet for e in evidence))
            lines.append(f"  - {md(value)} — *{outlets}* {_cite(evidence, numbers)}")
    lines += ["", f"## Quotes by speaker ({len(d.quotes)})", ""]
    for speaker in d.quotes:
        lines += [f"### {md(speaker.speaker)}", ""]
        for quote in speaker.quotes:
            outlets = ", ".join(md(o) for o in quote.outlets)
            lines.append(f"- “{md(quote.content)}” — *{outlets}* {_cite(quote.carriers, numbers)}")
        lines.append("")
    lines += [f"## Events ({len(d.events)})", ""]
    for event in d.events:
        actors = f"{md(event.source_actor or '?')} → {md(event.target_actor or '?')}"
        cited = "".join(f"[{numbers[a]}]" for a in dict.fromkeys(r[0] for r in event.reports)
                        if a in numbers)  # fmt: skip
        lines.append(
            f"- **{md(event.plover)}** {actors}, {md(event.date or 'undated')}"
            f"{', ' + md(event.place) if event.place else ''} {cited}"
        )
    lines += ["", f"## Timeline ({len(d.timeline)})", ""]
    lines += [f"- **{md(t.value)}** {md(t.label)} {_cite(t.evidence, numbers)}" for t in d.timeline]
    lines += ["", f"## Related stories ({len(d.related)})", ""]
    lines += [
        f"- {r.relation}: {md(r.story.title or '(untitled)')} (`{r.story.id}`; shares "
        f"{', '.join(md(a) for a in r.shared_actors)})"
        for r in d.related
    ]
    lines += ["", "## Sources", ""]
    lines += [_md_source(source) for source in sources(d, urls)]
    return "\n".join(lines).rstrip() + "\n"


def _md_source(source: Source) -> str:
    m = source.member
    when = m.published.date().isoformat() if m.published else "undated"
    copy = f" (copy of [{source.copy_of}])" if source.copy_of else ""
    title = md(m.title) or "(untitled)"
    url = source.safe_url
    shown = f"[{title}](<{url.replace('>', '%3E')}>)" if url else title
    return f"{source.number}. {shown} — {md(m.outlet_name)}, {when}{copy}"


# --- HTML ------------------------------------------------------------------------------------

_STYLE = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;margin:0 auto;
max-width:60rem;padding:1rem 1.25rem 3rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid #d6dae3;padding-bottom:.2rem}h3{font-size:1rem;margin-bottom:.3rem}
.meta{color:#4d5566;font-size:.95rem}.outlets{color:#4d5566}
sup{font-size:.75em}sup a{text-decoration:none}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #d6dae3;
padding:.3rem .45rem;vertical-align:top;text-align:left}th{background:#f2f4f8}
td.cell{text-align:center;white-space:nowrap;font-weight:600}
.shared{background:#dff3e4;color:#17602c}.unique{background:#e3ecfb;color:#1f4f9a}
.conflicting{background:#fde5e1;color:#9a2a17}
.scroll{overflow-x:auto}blockquote{margin:.3rem 0 .6rem;padding-left:.8rem;
border-left:3px solid #c3c9d6}ol.sources li{margin-bottom:.3rem}
.legend span{display:inline-block;padding:0 .4rem;margin-right:.4rem;border-radius:3px}
"""

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{ d.headline or "(untitled)" }} · dossier</title>
<style>{{ style }}</style></head>
<body><main>
<h1>{{ d.headline or "(untitled)" }}</h1>
<p class="meta">Story <code>{{ d.story.id }}</code> · {{ span }} ·
{{ d.story.article_count }} articles from {{ d.outlets|length }} outlets ·
{{ d.story.independent_origin_count }} independent origins</p>
<p class="outlets">Outlets: {{ d.outlets|map(attribute="outlet")|join(", ") }}</p>

<h2 id="summary">Summary</h2>
<ul>{% for s in d.summary %}<li>{{ s.text }} {{ cite([s.article_id]) }}</li>{% endfor %}</ul>

<h2 id="coverage">Coverage</h2>
<p class="legend"><span class="shared">shared</span><span class="unique">unique</span>
<span class="conflicting">conflicting</span></p>
<div class="scroll"><table><thead><tr><th scope="col">fact</th>
{% for o in outlets %}<th scope="col">{{ o }}</th>{% endfor %}</tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.fact.text }}</td>
{% for cell in row.cells %}<td class="cell {{ cell }}">{{ cell or "—" }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table></div>

<h2 id="shared">Shared facts ({{ d.shared_facts|length }})</h2>
<ul>{% for f in d.shared_facts %}<li>{{ f.text }} <em>{{ f.outlets|join(", ") }}</em>
{{ cite(f.support) }}</li>{% endfor %}</ul>

<h2 id="unique">Unique facts ({{ d.unique_facts|length }})</h2>
{% for outlet, facts in unique.items() %}<h3>{{ outlet }}</h3>
<ul>{% for f in facts %}<li>{{ f.text }} {{ cite(f.support) }}</li>{% endfor %}</ul>{% endfor %}

<h2 id="conflicts">Conflicts ({{ d.conflicts|length }})</h2>
<ul>{% for c in d.conflicts %}<li><strong>{{ c.slot }}</strong><ul>
{% for value, evidence in c.values %}<li>{{ value }} —
<em>{{ evidence|map(attribute="outlet")|unique|join(", ") }}</em> {{ cite(evidence) }}</li>
{% endfor %}</ul></li>{% endfor %}</ul>

<h2 id="quotes">Quotes by speaker ({{ d.quotes|length }})</h2>
{% for s in d.quotes %}<h3>{{ s.speaker }}</h3>
{% for q in s.quotes %}<blockquote>“{{ q.content }}”<br>
<em>{{ q.outlets|join(", ") }}</em> {{ cite(q.carriers) }}</blockquote>{% endfor %}{% endfor %}

<h2 id="events">Events ({{ d.events|length }})</h2>
<ul>{% for e in d.events %}<li><strong>{{ e.plover }}</strong>
{{ e.source_actor or "?" }} → {{ e.target_actor or "?" }}, {{ e.date or "undated" }}
{%- if e.place %}, {{ e.place }}{% endif %} {{ cite(e.reports) }}</li>{% endfor %}</ul>

<h2 id="timeline">Timeline ({{ d.timeline|length }})</h2>
<table><thead><tr><th scope="col">when</th><th scope="col">what</th><th scope="col">sources</th>
</tr></thead><tbody>{% for t in d.timeline %}<tr><td>{{ t.value }}</td><td>{{ t.label }}</td>
<td>{{ cite(t.evidence) }}</td></tr>{% endfor %}</tbody></table>

<h2 id="related">Related stories ({{ d.related|length }})</h2>
<ul>{% for r in d.related %}<li>{{ r.relation }}: {{ r.story.title or "(untitled)" }}
(<code>{{ r.story.id }}</code>; shares {{ r.shared_actors|join(", ") }})</li>{% endfor %}</ul>

<h2 id="sources">Sources</h2>
<ol class="sources">{% for s in sources %}<li id="src-{{ s.number }}">
{% if s.safe_url %}<a href="{{ s.safe_url }}" rel="noopener noreferrer">
{{- s.member.title or "(untitled)" }}</a>
{% else %}{{ s.member.title or "(untitled)" }}{% endif %} — {{ s.member.outlet_name }},
{{ s.member.published.date().isoformat() if s.member.published else "undated" }}
{%- if s.copy_of %} (copy of [{{ s.copy_of }}]){% endif %}</li>{% endfor %}</ol>
</main></body></html>
"""


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_PAGE)


def dossier_html(d: Dossier, urls: Mapping[str, str] | None = None) -> str:
    """One self-contained HTML page (inline CSS, no script, no external asset)."""
    numbers = _citations(d)

    def cite(items: Sequence[Evidence | str | tuple[str, int, int]]) -> Markup:
        ids = [_article_id(i) for i in items]
        cited = sorted({numbers[a] for a in ids if a in numbers})
        return Markup("").join(
            Markup('<sup><a href="#src-{0}">[{0}]</a></sup>').format(n) for n in cited
        )

    return _template().render(
        d=d,
        style=Markup(_STYLE),
        span=span_text(d),
        outlets=coverage_outlets(d),
        rows=coverage(d),
        unique=unique_by_outlet(d),
        sources=sources(d, urls),
        cite=cite,
    )


def _article_id(item: Evidence | str | tuple[str, int, int]) -> str:
    if isinstance(item, Evidence):
        return item.article_id
    return item if isinstance(item, str) else item[0]
