"""Pages of one small fictional story (a Tumen rail deal) for the dossier tests: a news page
layout with Open Graph metadata, and the first outlet's paragraphs."""

from __future__ import annotations

from pathlib import Path

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title>
<meta property="og:site_name" content="{outlet}">
<meta property="og:title" content="{title}">
<link rel="canonical" href="https://{site}.example/{slug}">
<meta property="article:published_time" content="{published}">
</head><body><article><h1>{title}</h1>
{body}
</article></body></html>
"""
LEDGER = [
    "North Korean leader Kim Jong Un arrived in Vladivostok on May 12, 2024 for a two-day summit "
    "with Russian President Vladimir Putin on a new cargo rail line across the Tumen river.",
    "The two leaders signed an agreement to double freight traffic on the line by 2033, the "
    "Kremlin said in a statement after the talks.",
    "“We will stand with our friends in every season and on every track,” Kim Jong Un said at "
    "the signing ceremony in the port city.",
    "Local officials in the Primorye region said the upgraded bridge would carry 40 trains a "
    "week once the works are finished next year.",
]


def write_page(path: Path, title: str, outlet: str, published: str, paragraphs: list[str]) -> None:
    """A page at `path`; the title is HTML-escaped as a site would (it may carry markup)."""
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    site = outlet.lower().replace(" ", "")
    page = PAGE.format(title=escaped.replace('"', "&quot;"), outlet=outlet, published=published,
                       body=body, site=site, slug=path.stem)  # fmt: skip
    path.write_text(page, encoding="utf-8")
