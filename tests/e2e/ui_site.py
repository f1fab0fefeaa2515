"""What the UI tests share besides fixtures: the demo site's handle and the hostile page."""

from __future__ import annotations

from dataclasses import dataclass

from newsfuse.api import Newsfuse

PAYLOAD_TITLE = "Harbour notice <script>alert(1)</script> <img src=x onerror=alert(1)>"
PAYLOAD_BODY = (
    "A reader sent this text: <script>alert(1)</script> and <img src=x onerror=alert(1)> and "
    '"><svg onload=alert(1)>.'
)
HOSTILE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{title}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Lowtide Gazette">
<meta property="article:published_time" content="2025-10-02T09:00:00+00:00">
</head><body><article><h1>{title}</h1>
<p>{body}</p>
<p>The harbour office of Lowtide said on Thursday that the night ferry to the outer islands
would not sail this week because of repairs to the landing stage, and that passengers with
tickets could travel on the morning boat instead.</p>
<p>{body}</p>
</article></body></html>
"""
TOO_SHORT_PAGE = """<!doctype html><html><head><title>Stub &lt;b&gt;</title></head>
<body><p>Too short &lt;script&gt;alert(2)&lt;/script&gt;.</p></body></html>
"""
"""A page the extractor rejects, so the run page has a rejection to show."""


@dataclass(frozen=True, slots=True)
class DemoSite:
    base_url: str
    news: Newsfuse
    hostile_article_id: str
    hostile_story_id: str


def escape_html(text: str) -> str:
    # Escaped in the page's HTML, so the extracted article text carries the payload literally.
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
