"""The UI's pages over HTTP without a browser: status codes and HTML error pages for unknown
ids and bad parameters, security headers, escaping of hostile article text, highlights,
filters and paging; and the pure helpers the pages are built from."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from e2e.ui_site import PAYLOAD_TITLE, DemoSite
from newsfuse.errors import ConfigError
from newsfuse.fuse.timeline import TimelineEntry
from newsfuse.service.web.highlight import Segment, evidence_href, parse_spans, segments
from newsfuse.service.web.timeline_chart import timeline_chart


def _get(site: DemoSite, path: str) -> httpx.Response:
    return httpx.get(site.base_url + path, timeout=30.0)


def _story_id(site: DemoSite, words: str) -> str:
    stories = site.news.stories(limit=50)
    return next(s.id for s in stories if words in (s.title or ""))


@pytest.mark.parametrize(
    "path",
    [
        "/stories/st_0000000000000000",
        "/stories/bad%20id",
        "/articles/ffffffffffffffffffff",
        "/entities/person:nobody-at-all",
        "/runs/999999",
    ],
)
def test_unknown_ids_get_a_404_page(demo_site: DemoSite, path: str) -> None:
    response = _get(demo_site, path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in response.text
    assert 'class="error-message"' in response.text


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/?since=yesterday", "since: "),
        ("/?since=2025-09-10&until=2025-09-01", "until must be later than since"),
        ("/?after=nothing-like-a-story", "after: "),
        ("/?q=%21%21%21", "no word to search for"),
        ("/?entity=%3Cscript%3E", "entity: "),
        ("/?language=english-please", "language: "),
        ("/?q=" + "x" * 600, "q: "),
        ("/runs/abc", "run_id: "),
        ("/entities/a%20b", "is not an actor id"),
    ],
)
def test_bad_parameters_get_a_400_page_with_the_message(
    demo_site: DemoSite, path: str, message: str
) -> None:
    response = _get(demo_site, path)
    assert response.status_code == 400, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    assert message.replace("<", "&lt;") in response.text


def test_bad_highlight_spans_get_a_400_page(demo_site: DemoSite) -> None:
    article = demo_site.news.articles(limit=1)[0]
    for hl in ("5-2", "0-999999", "x-y", "-1-4"):
        response = _get(demo_site, f"/articles/{article.id}?hl={hl}")
        assert response.status_code == 400, hl
        assert "hl: " in response.text


def test_pages_carry_security_headers_and_no_inline_script(demo_site: DemoSite) -> None:
    story_id = _story_id(demo_site, "quake")
    for path in ("/", f"/stories/{story_id}", "/runs", "/stories/unknown"):
        response = _get(demo_site, path)
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "unsafe-inline" not in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "<script" not in response.text


def test_hostile_text_is_escaped_everywhere(demo_site: DemoSite) -> None:
    article = demo_site.news.article(demo_site.hostile_article_id)
    start = article.text.index("<script>")
    paths = (
        "/",
        "/?q=harbour+ferry",
        f"/stories/{demo_site.hostile_story_id}",
        f"/articles/{article.id}?hl={start}-{start + 25}",
    )
    for path in paths:
        response = _get(demo_site, path)
        assert response.status_code == 200, path
        html = response.text
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "<svg onload" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
    assert f'<mark id="hl-0">{"&lt;script&gt;alert(1)&lt;/"}' in html
    assert PAYLOAD_TITLE.split("<")[0] in html


def test_article_page_marks_the_requested_spans(demo_site: DemoSite) -> None:
    article = next(a for a in demo_site.news.articles(limit=50) if len(a.text) > 200)
    response = _get(demo_site, f"/articles/{article.id}?hl=100-120&hl=10-20&hl=15-30")
    assert response.status_code == 200
    assert response.text.count("<mark ") == 2  # 10-20 and 15-30 merge
    assert '<mark id="hl-1">' in response.text


def test_story_list_filters_and_paging(demo_site: DemoSite) -> None:
    everything = demo_site.news.stories(limit=50)
    first = _get(demo_site, "/").text
    assert all(f'href="/stories/{s.id}"' in first for s in everything[:5])
    continued = _get(demo_site, f"/?after={everything[0].id}").text
    assert f'href="/stories/{everything[0].id}"' not in continued
    assert f'href="/stories/{everything[1].id}"' in continued
    german = _get(demo_site, "/?language=de").text
    assert german.count('class="story"') == 1
    assert "water-sharing" in german
    found = _get(demo_site, "/?q=aftershocks").text
    assert "<mark>" in found and "Best matching articles" in found


def test_dossier_and_entity_pages(demo_site: DemoSite) -> None:
    story_id = _story_id(demo_site, "quake")
    html = _get(demo_site, f"/stories/{story_id}").text
    assert 'class="coverage"' in html and "cell-shared" in html and "cell-unique" in html
    assert '<svg class="timeline-chart"' in html
    accord = _get(demo_site, f"/stories/{_story_id(demo_site, 'water-sharing')}").text
    assert "cell-copy" in accord and "copy of Meridian Wire" in accord  # wire pickups
    actor = next(iter(demo_site.news.store.entity_actor_counts()))
    entity = _get(demo_site, f"/entities/{actor}")
    assert entity.status_code == 200 and 'class="story"' in entity.text
    assert _get(demo_site, "/static/app.css").status_code == 200


def test_parse_spans_merges_and_checks_bounds() -> None:
    assert parse_spans(["5-9", "1-3", "2-4"], 10) == [(1, 4), (5, 9)]
    with pytest.raises(ConfigError, match="START-END"):
        parse_spans(["1:3"], 10)
    with pytest.raises(ConfigError, match="not a span"):
        parse_spans(["3-11"], 10)


def test_segments_cut_text_at_the_spans() -> None:
    assert segments("abcdef", [(1, 3)]) == [Segment("a"), Segment("bc", 0), Segment("def")]
    assert segments("ab", []) == [Segment("ab")]
    assert evidence_href("a1", [(3, 4), (0, 2)]) == "/articles/a1?hl=0-2&hl=3-4#hl-0"


def test_timeline_chart_lays_out_dated_entries_only() -> None:
    def entry(day: date | None, label: str) -> TimelineEntry:
        return TimelineEntry(str(day), day, day, "date", label, ())

    chart = timeline_chart(
        [entry(date(2025, 9, 1), "a"), entry(None, "b"), entry(date(2025, 9, 11), "c")]
    )
    assert chart is not None
    assert [b.number for b in chart.bars] == [1, 3]
    assert chart.bars[0].x < chart.bars[1].x <= chart.plot_right
    assert timeline_chart([entry(None, "b")]) is None


def test_quotes_lose_their_own_marks_only_when_wrapped_whole() -> None:
    from newsfuse.service.web.responses import _marked, _unquoted

    assert (
        _unquoted('"We know what they are going through,"') == "We know what they are going through"
    )
    mixed = "“deep sorrow” and said"
    assert _unquoted(mixed) == mixed and _marked(mixed)
