"""Realistic fictional pages generated for tests that need many of them."""

from __future__ import annotations

from pathlib import Path

_TOWNS = ("Port Aldane", "Versk", "Lowmarsh", "Caldera Bay", "Thessin", "Oréval", "Brightwater")
_TOPICS = ("harbour dredging", "rail strike", "flood defences", "school budget", "wind farm")


def news_html(
    i: int, outlet: str = "The Harbour Ledger", domain: str = "harbourledger.example"
) -> str:
    """A full news page with nav, cookie banner, article, related links and comments."""
    town = _TOWNS[i % len(_TOWNS)]
    topic = _TOPICS[i % len(_TOPICS)]
    day = 1 + i % 28
    slug = topic.replace(" ", "-")
    paras = "\n".join(
        f"<p>Paragraph {k} of report {i}: council members in {town} argued for hours about the "
        f"{topic} plan, and residents said the vote on item {i * 7 + k} would shape the coming "
        f"decade for the district, according to minutes seen by this newspaper.</p>"
        for k in range(1, 6)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{town} council splits over {topic} (report {i}) | {outlet}</title>
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="2025-04-{day:02d}T08:30:00+02:00">
<meta name="author" content="Ines Varga">
<link rel="canonical" href="https://{domain}/local/{i}-council-{slug}">
</head><body>
<div class="cookie-banner">We use cookies to improve your experience.
<button>Accept all</button></div>
<nav><a href="/">Home</a> <a href="/local">Local</a> <a href="/sport">Sport</a></nav>
<article><h1>{town} council splits over {topic} (report {i})</h1>
<p class="byline">By Ines Varga</p>
{paras}
</article>
<aside><h3>Related</h3><ul><li><a href="/x">Ferry fares to rise again</a></li>
<li><a href="/y">Lowmarsh bakery wins prize</a></li></ul></aside>
<section class="comments"><p>Comment by dockhand77: typical council, all talk.</p></section>
<footer>© 2025 {outlet}. All rights reserved.</footer>
</body></html>
"""


def write_pages(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        path = folder / f"page-{i:05d}.html"
        path.write_text(news_html(i), encoding="utf-8")
        paths.append(path)
    return paths
