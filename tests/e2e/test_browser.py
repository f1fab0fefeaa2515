"""The UI in headless Chromium over the demo corpus: story list, search, a dossier's coverage
grid and timeline, an evidence link's highlight, the entity and run pages, keyboard use, a
375 px wide screen, and a hostile page rendered inert. Saves a screenshot of each page under
tests/e2e/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page

from e2e.ui_site import DemoSite

Shoot = Callable[[Page, str], Path]
OpenPage = tuple[Page, object]


def _quake_story(site: DemoSite) -> str:
    return next(s.id for s in site.news.stories(limit=50) if "quake" in (s.title or "").casefold())


def test_story_list_and_search(demo_site: DemoSite, page: OpenPage, shoot: Shoot) -> None:
    tab, _ = page
    tab.goto(demo_site.base_url + "/")
    assert tab.locator("ol.stories > li.story").count() >= 5
    assert tab.get_by_label("Search article text").is_visible()
    shoot(tab, "stories")
    tab.get_by_label("Search article text").fill("aftershocks")
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"q=aftershocks"))
    assert "aftershocks" in tab.locator("#list-heading").inner_text()
    assert tab.locator("ol.hits mark").count() >= 1
    assert tab.locator("ol.stories > li.story").count() >= 1
    shoot(tab, "search")


def test_dossier_grid_and_evidence_highlight(
    demo_site: DemoSite, page: OpenPage, shoot: Shoot
) -> None:
    tab, _ = page
    story_id = _quake_story(demo_site)
    tab.goto(demo_site.base_url + "/")
    tab.locator(f'a[href="/stories/{story_id}"]').first.click()
    tab.wait_for_url(f"**/stories/{story_id}")
    grid = tab.locator("table.coverage")
    outlets = grid.locator("thead th").count() - 1
    assert outlets >= 3
    assert grid.locator("tbody tr").count() >= 3
    labels = set(grid.locator("tbody td").all_inner_texts())
    assert {"shared", "unique"} <= {label.split("\n")[0] for label in labels}
    assert tab.locator("svg.timeline-chart rect").count() >= 1
    assert tab.locator("#quotes li q").count() >= 1
    shoot(tab, "dossier")
    evidence = grid.locator("td.cell-shared a").first
    quoted = tab.locator("th.fact").first.inner_text()
    evidence.click()
    tab.wait_for_url(re.compile(r"/articles/\w+\?hl="))
    mark = tab.locator(".article-text mark#hl-0")
    assert mark.is_visible()
    assert (
        mark.inner_text().strip() and mark.inner_text() in tab.locator(".article-text").inner_text()
    )
    assert quoted  # the fact row the cell belongs to was readable text
    shoot(tab, "article")


def test_entity_and_runs_pages(demo_site: DemoSite, page: OpenPage, shoot: Shoot) -> None:
    tab, _ = page
    actor = next(iter(demo_site.news.store.entity_actor_counts()))
    tab.goto(f"{demo_site.base_url}/entities/{actor}")
    assert tab.locator("h1").inner_text()
    assert tab.locator("ol.stories > li.story").count() >= 1
    assert tab.locator("ul.article-list li").count() >= 1
    shoot(tab, "entity")
    tab.goto(demo_site.base_url + "/runs")
    assert tab.locator("table.runs tbody tr").count() >= 1
    shoot(tab, "runs")
    tab.locator("table.runs tbody a").first.click()
    tab.wait_for_url(re.compile(r"/runs/\d+$"))
    assert "finished" in tab.locator("h1").inner_text()
    assert "too-short.html" in tab.locator("table.rejections").inner_text()
    shoot(tab, "run")


def _tab_to(tab: Page, selector: str, limit: int) -> bool:
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate(f"document.activeElement.matches({selector!r})"):
            return True
    return False


def test_keyboard_reaches_search_box_and_story_link(demo_site: DemoSite, page: OpenPage) -> None:
    tab, _ = page
    tab.goto(demo_site.base_url + "/")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.classList.contains('skip-link')")
    assert _tab_to(tab, "input#q", 10)
    assert _tab_to(tab, ".story-title a", 30)
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/stories/st_"))
    assert tab.locator("table.coverage, #coverage p").count() >= 1


def test_narrow_screen_has_no_page_level_horizontal_scroll(
    demo_site: DemoSite, browser: Browser, shoot: Shoot
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    tab = context.new_page()
    story_id = _quake_story(demo_site)
    article_id = demo_site.news.dossier(story_id).summary[0].article_id
    pages = {
        "stories-375": "/",
        "dossier-375": f"/stories/{story_id}",
        "article-375": f"/articles/{article_id}?hl=0-40",
        "runs-375": "/runs",
    }
    try:
        for name, path in pages.items():
            tab.goto(demo_site.base_url + path)
            overflow = tab.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} is {overflow}px wider than a 375px screen"
            if name in ("stories-375", "dossier-375"):
                shoot(tab, name)
    finally:
        context.close()


def test_hostile_page_is_shown_as_text(demo_site: DemoSite, page: OpenPage, shoot: Shoot) -> None:
    tab, dialogs = page
    tab.goto(demo_site.base_url + "/")
    assert "<script>alert(1)</script>" in tab.locator("ol.stories").inner_text()
    tab.goto(f"{demo_site.base_url}/stories/{demo_site.hostile_story_id}")
    assert "<script>alert(1)</script>" in tab.locator("h1").inner_text()
    tab.goto(f"{demo_site.base_url}/articles/{demo_site.hostile_article_id}")
    body = tab.locator(".article-text").inner_text()
    assert "<script>alert(1)</script>" in body and "<img src=x onerror=alert(1)>" in body
    assert "<script>" in tab.locator("h1").inner_text()
    assert tab.evaluate("document.scripts.length") == 0
    assert tab.locator("main img, main svg[onload]").count() == 0
    tab.wait_for_timeout(200)
    assert dialogs.messages == []  # type: ignore[attr-defined]
    shoot(tab, "hostile")
