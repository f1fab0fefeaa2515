"""A real HTTP server for tests: uvicorn serving the newsfuse app in a thread, on a free port
of 127.0.0.1, and an httpx client pointed at it."""

from __future__ import annotations

import threading
import time

import httpx
import uvicorn

from newsfuse.config import Settings
from newsfuse.service.app import create_app


class LiveServer:
    """uvicorn serving an app in a thread, on a free port of 127.0.0.1."""

    def __init__(self, settings: Settings) -> None:
        config = uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=0, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> httpx.Client:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
        return self.client

    def __exit__(self, *exc_info: object) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(timeout=10)
