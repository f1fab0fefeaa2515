"""Polite HTTP: robots.txt, a per-host rate limit, size caps, redirects, conditional GET.

`Fetcher.fetch(url)` returns a `FetchResult` or raises `FetchError` with the reason that gets
recorded. Every side effect sits behind a seam: the httpx transport, the validator cache, the
clock and the sleep are all injectable, so tests run against a local server or a
`httpx.MockTransport` without waiting real seconds.

robots.txt (RFC 9309): fetched once per scheme and host, with our User-Agent and through the
rate limit. 2xx is parsed with protego; 4xx means no rules (allow all); 5xx (after retries)
means "unavailable", which RFC 9309 §2.3.1.4 says to treat as disallow-all, and that answer is
cached for the Fetcher's life. When robots.txt cannot be fetched at all (no connection, a
timeout), the page is not fetched either: the page's fetch fails with that network error, and
robots.txt is tried again next time.

Private addresses: with `FetchOptions.block_private` (what the HTTP ingest endpoint uses), a
URL whose host is, or resolves to, a private, loopback, link-local, reserved, multicast or
unspecified address is refused before any request, on every redirect hop and for robots.txt
too, so a client of the server cannot make it reach the server's own network. The resolver is
a seam; the check resolves the name itself, so a DNS answer that changes between the check
and httpx's own lookup (rebinding) is not covered.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Protocol, Self
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from newsfuse.config import FetchOptions
from newsfuse.errors import FetchError
from newsfuse.model import RejectReason

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ROBOTS_MAX_BYTES = 512 * 1024
"""RFC 9309 asks crawlers to read at least 500 KiB of robots.txt; the rest is ignored."""
_ROBOTS_MAX_REDIRECTS = 5
_MAX_CRAWL_DELAY_S = 60.0
"""A robots.txt Crawl-delay above this is clamped, so one host cannot stall a run."""


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said identifies its copy of a page, to ask "changed since?" next time."""

    etag: str | None = None
    last_modified: str | None = None


class ValidatorCache(Protocol):
    """Where validators live between runs (memory here; the store implements it on the DB)."""

    def get(self, url: str) -> Validators | None: ...

    def put(self, url: str, validators: Validators) -> None: ...


class MemoryValidatorCache:
    """A `ValidatorCache` in a dict: re-fetches within one process are conditional."""

    def __init__(self) -> None:
        self._items: dict[str, Validators] = {}

    def get(self, url: str) -> Validators | None:
        return self._items.get(url)

    def put(self, url: str, validators: Validators) -> None:
        self._items[url] = validators


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One fetched URL."""

    url: str
    """The final URL, after redirects."""
    status: int
    headers: Mapping[str, str]
    """Response headers, lower-cased names."""
    content: bytes
    """The body, content-encoding undone; empty when `not_modified`."""
    fetched_at: datetime
    not_modified: bool = False
    """The server answered 304 to our validators: the stored copy is current."""


@dataclass(frozen=True, slots=True)
class _Robots:
    parser: Protego | None = None
    """None with `unavailable` None: no robots.txt, so no rules."""
    unavailable: str | None = None
    """Why robots.txt could not be read (then everything is disallowed)."""


@dataclass(frozen=True, slots=True)
class _Response:
    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    fetched_at: datetime


def _utc_now() -> datetime:
    return datetime.now(UTC)


Resolver = Callable[[str], Sequence[str]]
"""A host name to the IP addresses it resolves to (raises OSError when it resolves to none)."""


def resolve_host(host: str) -> list[str]:
    """Every address `host` resolves to, through the system resolver."""
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})


class Fetcher:
    """An HTTP client for pages and feeds that the user asked for. Use it as a context manager."""

    def __init__(
        self,
        opts: FetchOptions,
        *,
        transport: httpx.BaseTransport | None = None,
        validators: ValidatorCache | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = _utc_now,
        resolve: Resolver = resolve_host,
    ) -> None:
        self._opts = opts
        self._resolve = resolve
        self._validators: ValidatorCache = validators or MemoryValidatorCache()
        self._clock = clock
        self._sleep = sleep
        self._now = now
        self._last_request: dict[str, float] = {}
        self._interval: dict[str, float] = {}
        self._robots: dict[str, _Robots] = {}
        # Redirects are followed by hand so that every hop is checked against robots.txt,
        # rate-limited and counted. trust_env=False: no proxy or netrc from the environment.
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(opts.timeout_s),
            follow_redirects=False,
            headers={"User-Agent": opts.user_agent},
            trust_env=False,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str) -> FetchResult:
        """GET `url` politely; raises FetchError (the reason says which rule or failure)."""
        current = url
        for _hop in range(self._opts.max_redirects + 1):
            _check_scheme(current, url)
            self._check_address(current, url)
            self._check_robots(current)
            response = self._get(current, conditional=True, max_bytes=self._opts.max_bytes)
            if response.status in _REDIRECTS:
                current = _location(response, url)
                continue
            return self._result(url, response)
        raise FetchError(
            f"{url}: too many redirects (more than {self._opts.max_redirects}; max_redirects)",
            RejectReason.FETCH_FAILED,
        )

    def _result(self, asked: str, response: _Response) -> FetchResult:
        if response.status == 304:
            return FetchResult(
                response.url, 304, response.headers, b"", response.fetched_at, not_modified=True
            )
        if not 200 <= response.status < 300:
            where = "" if response.url == asked else f" (redirected to {response.url})"
            raise FetchError(
                f"{asked}: HTTP {response.status}{where}",
                RejectReason.HTTP_ERROR,
                status=response.status,
            )
        etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
        if etag or modified:
            self._validators.put(response.url, Validators(etag=etag, last_modified=modified))
        return FetchResult(
            response.url, response.status, response.headers, response.content, response.fetched_at
        )

    # -- one request, with retries, the rate limit and the size cap --------------------------

    def _get(
        self, url: str, *, conditional: bool, max_bytes: int, truncate: bool = False
    ) -> _Response:
        headers = self._conditional_headers(url) if conditional else {}
        for attempt in range(self._opts.retries + 1):
            last_try = attempt == self._opts.retries
            self._wait_turn(url)
            try:
                response = self._send(url, headers, max_bytes, truncate)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if last_try:
                    raise FetchError(
                        f"{url}: cannot connect ({exc or type(exc).__name__})"
                    ) from exc
                continue
            if response.status >= 500 and not last_try:
                continue
            return response
        raise AssertionError("unreachable: the last try returns or raises")  # pragma: no cover

    def _send(self, url: str, headers: dict[str, str], max_bytes: int, truncate: bool) -> _Response:
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                fetched_at = self._now()
                content = b""
                if 200 <= response.status_code < 300:
                    content = _read_capped(url, response, max_bytes, truncate)
                return _Response(
                    url=url,
                    status=response.status_code,
                    headers=_lower_headers(response.headers),
                    content=content,
                    fetched_at=fetched_at,
                )
        except (httpx.ConnectError, httpx.ConnectTimeout):
            raise  # retried by the caller
        except httpx.TimeoutException as exc:
            raise FetchError(f"{url}: timed out after {self._opts.timeout_s}s (timeout_s)") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from exc

    def _conditional_headers(self, url: str) -> dict[str, str]:
        found = self._validators.get(url)
        headers: dict[str, str] = {}
        if found and found.etag:
            headers["If-None-Match"] = found.etag
        if found and found.last_modified:
            headers["If-Modified-Since"] = found.last_modified
        return headers

    def _wait_turn(self, url: str) -> None:
        """Sleep until this host's interval since our last request to it has passed."""
        host = (urlsplit(url).hostname or "").lower()
        interval = self._interval.get(host, self._opts.min_interval_s)
        last = self._last_request.get(host)
        if last is not None and (wait := last + interval - self._clock()) > 0:
            self._sleep(wait)
        self._last_request[host] = self._clock()

    # -- private addresses -----------------------------------------------------------------

    def _check_address(self, url: str, asked: str) -> None:
        """Refuse `url` when `block_private` is on and its host is not a public address."""
        if not self._opts.block_private:
            return
        host = (urlsplit(url).hostname or "").rstrip(".")
        try:
            addresses = [host] if _is_ip(host) else list(self._resolve(host))
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"{asked}: cannot resolve host {host!r} ({exc})") from exc
        for address in addresses:
            if why := non_public(address):
                where = "" if url == asked else f" (redirected to {url})"
                raise FetchError(
                    f"{asked}{where}: host {host!r} is {address}, a {why} address; refused "
                    "(block_private: the server fetches only public addresses unless started "
                    "with --allow-private)"
                )

    # -- robots.txt ----------------------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        if not self._opts.respect_robots:
            return
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        if key not in self._robots:
            try:
                self._robots[key] = self._load_robots(f"{key}/robots.txt")
            except FetchError as exc:
                raise FetchError(f"{url}: robots.txt could not be fetched first ({exc})") from exc
            self._apply_crawl_delay(parts.hostname or "", self._robots[key])
        robots = self._robots[key]
        if robots.unavailable:
            raise FetchError(
                f"{url}: robots.txt is unavailable ({robots.unavailable}); "
                "treated as disallowing everything (RFC 9309)",
                RejectReason.ROBOTS_DISALLOWED,
            )
        if robots.parser and not robots.parser.can_fetch(url, self._opts.user_agent):
            raise FetchError(
                f"{url}: disallowed by {key}/robots.txt for our user agent",
                RejectReason.ROBOTS_DISALLOWED,
            )

    def _load_robots(self, robots_url: str) -> _Robots:
        current = robots_url
        for _hop in range(_ROBOTS_MAX_REDIRECTS + 1):
            try:
                _check_scheme(current, robots_url)
                self._check_address(current, robots_url)
                response = self._get(
                    current, conditional=False, max_bytes=_ROBOTS_MAX_BYTES, truncate=True
                )
            except FetchError as exc:
                if exc.reason is RejectReason.FETCH_FAILED:
                    raise  # a network failure: not cached, the page fails with it
                return _Robots(unavailable=str(exc))
            if response.status in _REDIRECTS and response.headers.get("location"):
                current = urljoin(current, response.headers["location"])
                continue
            if 200 <= response.status < 300:
                text = response.content.decode("utf-8", errors="replace")
                return _Robots(parser=Protego.parse(text))
            if 400 <= response.status < 500:
                return _Robots()  # no robots.txt: no rules
            return _Robots(unavailable=f"HTTP {response.status}")
        return _Robots(unavailable="too many redirects")

    def _apply_crawl_delay(self, host: str, robots: _Robots) -> None:
        delay = robots.parser.crawl_delay(self._opts.user_agent) if robots.parser else None
        if delay:
            clamped = min(float(delay), _MAX_CRAWL_DELAY_S)
            self._interval[host.lower()] = max(self._opts.min_interval_s, clamped)


def _read_capped(url: str, response: httpx.Response, max_bytes: int, truncate: bool) -> bytes:
    declared = response.headers.get("content-length", "")
    if not truncate and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            f"{url}: {declared} bytes declared, over the {max_bytes}-byte cap (max_bytes)",
            RejectReason.TOO_LARGE,
        )
    parts: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        parts.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            if truncate:
                break
            raise FetchError(
                f"{url}: body over the {max_bytes}-byte cap (max_bytes); stopped reading",
                RejectReason.TOO_LARGE,
            )
    return b"".join(parts)[:max_bytes]


def _lower_headers(headers: httpx.Headers) -> Mapping[str, str]:
    merged: dict[str, str] = {}
    for name, value in headers.multi_items():
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return MappingProxyType(merged)


def _location(response: _Response, asked: str) -> str:
    location = response.headers.get("location")
    if not location:
        raise FetchError(
            f"{asked}: HTTP {response.status} redirect without a Location header",
            RejectReason.HTTP_ERROR,
            status=response.status,
        )
    return urljoin(response.url, location)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def non_public(address: str) -> str | None:
    """What makes an IP address one the server must not fetch from ("private", "loopback",
    ...), or None for a public address. An IPv4-mapped IPv6 address is judged as its IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("unspecified", ip.is_unspecified),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("non-global", not ip.is_global),  # shared address space (100.64/10), and the like
    )
    return next((name for name, hit in checks if hit), None)


def _check_scheme(url: str, asked: str) -> None:
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise FetchError(f"{asked}: only http(s) URLs can be fetched, not {url!r}")
