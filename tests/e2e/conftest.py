"""The web UI over the demo corpus, served for real: a session store built by ingesting
`examples/corpus` (real extractor, annotator and clusterer, about 5 s) plus one hostile page
whose title and body carry script and `onerror=` payloads, served by uvicorn on a free port of
127.0.0.1 in a background thread. Browser tests drive it with Debian's chromium through
Playwright and are skipped, with the reason, where /usr/bin/chromium is absent.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import uvicorn

from e2e.ui_site import (
    HOSTILE_PAGE,
    PAYLOAD_BODY,
    PAYLOAD_TITLE,
    TOO_SHORT_PAGE,
    DemoSite,
    escape_html,
)
from newsfuse.api import Newsfuse, open_newsfuse
from newsfuse.service.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture(scope="session")
def demo_news(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Newsfuse]:
    root = tmp_path_factory.mktemp("webui")
    hostile = root / "hostile" / "lowtide-notice.html"
    hostile.parent.mkdir()
    page = HOSTILE_PAGE.format(title=escape_html(PAYLOAD_TITLE), body=escape_html(PAYLOAD_BODY))
    hostile.write_text(page, encoding="utf-8")
    too_short = root / "hostile" / "too-short.html"
    too_short.write_text(TOO_SHORT_PAGE, encoding="utf-8")
    news = open_newsfuse(f"sqlite:///{root / 'demo.db'}")
    report = news.ingest([str(corpus_dir), str(hostile), str(too_short)])
    assert report.counts.rejected == 1, report.rejections
    yield news
    news.close()


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture(scope="session")
def demo_site(demo_news: Newsfuse) -> Iterator[DemoSite]:
    hostile = [a for a in demo_news.articles(limit=100) if "onerror" in (a.title or "")]
    assert len(hostile) == 1, "the hostile page did not become one article"
    membership = demo_news.store.memberships([hostile[0].id])[hostile[0].id]
    sock = _free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(news=demo_news), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    _wait_until_up(base_url, server)
    yield DemoSite(base_url, demo_news, hostile[0].id, membership.story_id)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def _wait_until_up(base_url: str, server: uvicorn.Server, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.started:
            try:
                if httpx.get(base_url + "/runs", timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
        time.sleep(0.05)
    raise RuntimeError(f"the UI server at {base_url} did not answer within {timeout_s} s")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass(slots=True)
class Dialogs:
    """Every JavaScript dialog a page opened (there must be none)."""

    messages: list[str]


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, Dialogs]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    dialogs = Dialogs([])

    def record(dialog: object) -> None:
        dialogs.messages.append(str(getattr(dialog, "message", "")))
        dialog.dismiss()  # type: ignore[attr-defined]

    opened.on("dialog", record)
    yield opened, dialogs
    context.close()


@pytest.fixture(scope="session")
def shoot() -> Callable[[Page, str], Path]:
    """Saves a full-page screenshot as tests/e2e/screenshots/NAME.png (ignored by git)."""

    def save(page: Page, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
