"""RSS and Atom feed files: entries become pages from their content, with the entry's hints."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfuse.config import IngestOptions
from newsfuse.ingest import iter_pages
from newsfuse.model import PageKind, RawPage, Rejection, RejectReason

OPTS = IngestOptions()

RSS_FULL = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Velmora Gazette</title><link>https://velmora.example/</link>
  <description>News</description><language>en-gb</language>
  <item>
    <title>Ferry resumes service</title>
    <link>https://velmora.example/news/ferry</link>
    <pubDate>Tue, 05 Mar 2024 06:00:00 GMT</pubDate>
    <dc:creator>Ana Brel</dc:creator>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>The ferry resumed service on Tuesday, the council said.</p>]]>
    </content:encoded>
  </item>
  <item>
    <title>Harbour vote</title>
    <link>https://velmora.example/news/vote</link>
    <description>&lt;p&gt;Councillors voted 7-2.&lt;/p&gt;</description>
  </item>
  <item><title>Headline only</title></item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
  <title>Nordhafen Bote</title>
  <id>urn:uuid:1</id><updated>2024-03-06T10:00:00Z</updated>
  <entry>
    <title>Bridge reopens</title><id>urn:uuid:2</id>
    <link href="https://nordhafen.example/bridge"/>
    <published>2024-03-06T09:00:00Z</published><updated>2024-03-06T10:00:00Z</updated>
    <author><name>Jo Lind</name></author><author><name>Kai Berg</name></author>
    <content type="html">&lt;p&gt;The bridge reopened after repairs.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Tide tables</title><id>urn:uuid:3</id>
    <link href="https://nordhafen.example/tides"/>
    <updated>2024-03-05T10:00:00Z</updated>
    <summary type="text">High tide at noon.</summary>
  </entry>
</feed>
"""


def test_rss_file_with_and_without_full_content(tmp_path: Path) -> None:
    path = tmp_path / "gazette.rss"
    path.write_bytes(RSS_FULL)
    full, summary_only, headline = iter_pages([str(path)], OPTS)
    assert isinstance(full, RawPage)
    assert full.kind is PageKind.HTML and full.source == f"{path.absolute()}#0"
    assert full.url == "https://velmora.example/news/ferry"
    assert b"resumed service on Tuesday" in full.content  # content:encoded, not the teaser
    assert full.hints.title == "Ferry resumes service"
    assert full.hints.published == "Tue, 05 Mar 2024 06:00:00 GMT"
    assert full.hints.authors == ("Ana Brel",)
    assert full.hints.outlet == "Velmora Gazette" and full.hints.language == "en-gb"
    assert isinstance(summary_only, RawPage)
    assert summary_only.content == b"<p>Councillors voted 7-2.</p>"
    assert isinstance(headline, Rejection) and headline.reason is RejectReason.INVALID_RECORD
    assert "no content" in headline.detail


def test_atom_file(tmp_path: Path) -> None:
    path = tmp_path / "bote.atom"
    path.write_bytes(ATOM)
    bridge, tides = iter_pages([str(path)], OPTS)
    assert isinstance(bridge, RawPage) and isinstance(tides, RawPage)
    assert bridge.hints.authors == ("Jo Lind", "Kai Berg")
    assert bridge.hints.published == "2024-03-06T09:00:00Z"
    assert bridge.hints.language == "de" and bridge.hints.outlet == "Nordhafen Bote"
    assert bridge.content == b"<p>The bridge reopened after repairs.</p>"
    assert tides.kind is PageKind.TEXT and tides.content == b"High tide at noon."
    assert tides.hints.published == "2024-03-05T10:00:00Z"  # updated, when not published


def test_xml_extension_is_sniffed_as_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(ATOM)
    items = list(iter_pages([str(path)], OPTS))
    assert [type(i).__name__ for i in items] == ["RawPage", "RawPage"]


def test_malformed_feed_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_bytes(b"<rss><channel><title>Oops</title><item><title>x</ti")
    *entries, last = iter_pages([str(path)], OPTS)
    # The loose parser salvages the cut entry (it has no content): what parsed, then the break.
    assert [type(e).__name__ for e in entries] == ["Rejection"]
    assert isinstance(last, Rejection)
    assert last.reason is RejectReason.UNREADABLE and "broken.rss" in last.detail
    assert "malformed" in last.detail
    garbage = tmp_path / "garbage.rss"
    garbage.write_bytes(b"<<<>>> not a feed")
    (item,) = iter_pages([str(garbage)], OPTS)
    assert isinstance(item, Rejection) and item.reason is RejectReason.UNREADABLE


def test_feed_without_entries_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "quiet.rss"
    path.write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Q</title>'
        b"<link>https://q.example/</link><description>d</description>"
        b"</channel></rss>"
    )
    (item,) = iter_pages([str(path)], OPTS)
    assert isinstance(item, Rejection) and item.reason is RejectReason.EMPTY


def test_feed_on_stdin(tmp_path: Path) -> None:
    import io

    items = list(iter_pages(["-"], OPTS, stdin=io.BytesIO(RSS_FULL)))
    assert [i.source for i in items] == ["stdin#0", "stdin#1", "stdin#2"]


@pytest.mark.parametrize(
    ("title", "link", "outlet"),
    [
        ("Meridian Wire – Top News", "https://meridianwire.example/", "Meridian Wire"),
        ("World | Kestrel Daily", "https://www.kestreldaily.example/", "Kestrel Daily"),
        ("Valdoria Post", "https://valdoriapost.example/", "Valdoria Post"),
        ("Headlines - The Lantern Review", "https://other.example/", "Headlines"),
    ],
)
def test_feed_outlet_drops_the_section(title: str, link: str, outlet: str) -> None:
    from newsfuse.ingest.feeds import feed_outlet

    assert feed_outlet({"title": title, "link": link}) == outlet
