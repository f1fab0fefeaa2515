"""Serving benchmark: `newsfuse serve` over a 100,000-article store, loaded with wrk.

    python -m newsfuse.bench.service [--articles 100000] [--db PATH] [--reuse] [--workers 2]
                                     [--threads 2] [--connections 16] [--duration 15]

It builds a synthetic store (`bench.synthetic`; with `--reuse` a store built before for the
same size and seed is kept and used again), starts the service the way `newsfuse serve` does
(`service.app.serve`, uvicorn, in a subprocess on 127.0.0.1 and a free port), and runs wrk
against each endpoint in turn, a Lua script rotating the paths so that no single story or query
is all the server sees:

- the story list, `GET /api/stories?limit=50`;
- a dossier, `GET /api/stories/{id}/dossier`, over 200 stories of typical size (3-8 articles),
  served from the workers' dossier caches (512 each): the paths are requested until a whole
  pass is answered from the caches (`warm_up`), and what that took is printed;
- dossiers that miss: the same over 3,000 stories, more than the caches hold (how long a
  dossier takes to build under load; informational, no target);
- search, `GET /api/search?q=...`, over names, topics, common words and phrases;
- the web UI's story list, `GET /`.

Per endpoint it prints requests/s, p50 and p99 latency, and the errors (responses with status
400 or more, plus socket errors), and the targets with MET or MISSED: story list p99 <= 50 ms
and >= 500 req/s, dossier p99 <= 150 ms. The figures depend on the machine: its cores are
printed, and wrk runs on the same cores as the server. An endpoint the service does not have
yet (its first response is an error) is reported and skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from newsfuse.bench.synthetic import (
    DEFAULT_SEED,
    NOUNS,
    TOPICS,
    BuildReport,
    CorpusOptions,
    Generator,
    build_store,
)
from newsfuse.store import Store, open_store

WRK = "/usr/bin/wrk"
READY_TIMEOUT_S = 120.0
TYPICAL_SIZES = range(3, 9)
_RESULT_TAG = "NEWSFUSE_RESULT"
_SERVER_CODE = (
    "import sys\n"
    "from newsfuse.config import ServeOptions, Settings\n"
    "from newsfuse.service.app import serve\n"
    "serve(Settings(db_url=sys.argv[1], serve=ServeOptions(host='127.0.0.1',"
    " port=int(sys.argv[2]), workers=int(sys.argv[3]))))\n"
)


@dataclass(frozen=True, slots=True)
class Target:
    p99_ms: float | None = None
    min_rps: float | None = None

    def describe(self) -> str:
        parts = []
        if self.p99_ms is not None:
            parts.append(f"p99<={self.p99_ms:g}ms")
        if self.min_rps is not None:
            parts.append(f">={self.min_rps:g} req/s")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Endpoint:
    name: str
    paths: tuple[str, ...]
    target: Target | None = None
    warm_passes: int = 0
    """Requests per path before measuring (fills the workers' dossier caches)."""


@dataclass(frozen=True, slots=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    status_errors: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.status_errors + self.socket_errors

    def verdict(self, target: Target) -> str:
        met = (target.p99_ms is None or self.p99_ms <= target.p99_ms) and (
            target.min_rps is None or self.rps >= target.min_rps
        )
        return "MET" if met and self.errors == 0 else "MISSED"


# -- the store ---------------------------------------------------------------------------------


def default_db(options: CorpusOptions) -> Path:
    """Where `--reuse` keeps a store: keyed by its size and seed."""
    name = f"newsfuse-bench-{options.articles}-{options.seed}.db"
    return Path(tempfile.gettempdir()) / name


def prepare_store(path: Path, options: CorpusOptions, reuse: bool) -> BuildReport | None:
    """Build the store at `path`, or keep the one there (`reuse`, when it has the expected
    number of articles); the build's report, None when reused."""
    url = f"sqlite:///{path}"
    if reuse and path.exists():
        with open_store(url) as store:
            if store.count_articles() == options.articles:
                return None
        print(f"{path} does not hold {options.articles} articles: rebuilding it")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with open_store(url) as store:
        return build_store(store, options, progress=_progress(options.articles))


def _progress(total: int) -> Callable[[int], None]:
    last = [0.0]

    def report(done: int) -> None:
        now = time.perf_counter()
        if now - last[0] >= 10 or done == total:
            last[0] = now
            print(f"  built {done:,} of {total:,} articles", flush=True)

    return report


def typical_story_ids(store: Store, n: int, seed: int) -> list[str]:
    """`n` stories of typical size (3-8 articles), a fixed sample."""
    ids = [s.id for s in store.iter_stories() if s.article_count in TYPICAL_SIZES]
    rng = random.Random(seed)
    return rng.sample(ids, min(n, len(ids)))


def search_queries(options: CorpusOptions) -> list[str]:
    """Queries as a reader would type them: people, countries, cities, topics, common words,
    two-word queries and phrases (rare to very common terms)."""
    world = Generator(options).world
    rng = random.Random(options.seed)
    people = [p.name.split()[-1] for p in rng.sample(world.people, 40)]
    countries = [c.name for c in world.countries]
    cities = [city for c in rng.sample(world.countries, 10) for city in c.cities[:2]]
    topics = [t.removeprefix("a ") for t in TOPICS]
    words = list(NOUNS)
    pairs = [f"{rng.choice(countries)} {rng.choice(words)}" for _ in range(20)]
    phrases = [f'"{t}"' for t in topics[:10]]
    queries = [*people, *countries, *cities, *topics, *words, *pairs, *phrases]
    rng.shuffle(queries)
    return queries


# -- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(db_url: str, workers: int, log: Path) -> Iterator[str]:
    """`newsfuse serve` on a free port, until the block ends; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", _SERVER_CODE, db_url, str(port), str(workers)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_ready(base, process, log)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}):\n{_tail(log)}")
        try:
            with urllib.request.urlopen(base + "/api/openapi.json", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer within {READY_TIMEOUT_S:g}s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def probe(base: str, path: str) -> int:
    """The status of one GET (0 when the connection failed)."""
    try:
        with urllib.request.urlopen(base + path, timeout=120) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0


# -- wrk ---------------------------------------------------------------------------------------

_LUA = """
local paths = {%(paths)s}
local counter = 0
local threads_made = 0

function setup(thread)
  thread:set("tid", threads_made)
  threads_made = threads_made + 1
end

function init(args)
  counter = (tid or 0) * 7919
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("%(tag)s %%d %%d %%d %%d %%d %%d %%d %%d %%d\\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, 0))
end
"""


def lua_script(paths: Sequence[str]) -> str:
    quoted = ", ".join(json.dumps(p) for p in paths)  # JSON strings are valid Lua strings
    return _LUA % {"paths": quoted, "tag": _RESULT_TAG}


def run_wrk(
    wrk: str, base: str, paths: Sequence[str], threads: int, connections: int, duration: int
) -> WrkResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(paths))
    try:
        command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
                   "--timeout", "10s", "-s", script.name, base + paths[0]]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    finally:
        os.unlink(script.name)
    return parse_wrk(done.stdout + done.stderr)


def parse_wrk(output: str) -> WrkResult:
    for line in output.splitlines():
        if line.startswith(_RESULT_TAG):
            n = [int(v) for v in line.split()[1:]]
            return WrkResult(
                requests=n[0], seconds=n[1] / 1e6, status_errors=n[2], socket_errors=n[3] + n[4],
                p50_ms=n[5] / 1e3, p99_ms=n[6] / 1e3, max_ms=n[7] / 1e3,
            )  # fmt: skip
    raise RuntimeError(f"wrk printed no result:\n{output[-2000:]}")


# -- the run -----------------------------------------------------------------------------------


WARM_PASSES = 12
"""At most this many passes over the dossier paths before the `dossier` run (see `warm_up`)."""
WARM_HIT_MS = 40.0
ENDPOINT_NAMES = ("stories", "dossier", "dossier-miss", "search", "ui-stories")


def endpoints(
    warm_ids: Sequence[str], cold_ids: Sequence[str], queries: Sequence[str]
) -> list[Endpoint]:
    def dossiers(ids: Sequence[str]) -> tuple[str, ...]:
        return tuple(f"/api/stories/{i}/dossier" for i in ids)

    return [
        Endpoint("stories", ("/api/stories?limit=50",), Target(p99_ms=50, min_rps=500)),
        Endpoint("dossier", dossiers(warm_ids), Target(p99_ms=150), warm_passes=WARM_PASSES),
        Endpoint("dossier-miss", dossiers(cold_ids)),
        Endpoint(
            "search",
            tuple("/api/search?q=" + urllib.parse.quote(q) for q in queries),
        ),
        Endpoint("ui-stories", ("/",)),
    ]


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = os.cpu_count() or 0
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    return (
        f"{platform.machine()} {model or platform.processor()}, {cores} cores ({affinity} usable)"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m newsfuse.bench.service", description=(__doc__ or "").split("\n")[0]
    )
    add = parser.add_argument
    add("--articles", type=int, default=100_000)
    add("--seed", type=int, default=DEFAULT_SEED)
    add("--db", type=Path, help="the store's SQLite file (default: a temporary file)")
    add("--reuse", action="store_true", help="keep the store, use a kept one of this size")
    add("--workers", type=int, default=2, help="server processes")
    add("--threads", type=int, default=2, help="wrk threads")
    add("--connections", type=int, default=16, help="wrk connections")
    add("--duration", type=int, default=15, help="seconds of load per endpoint")
    add("--dossiers", type=int, default=200, help="stories the dossier run rotates over")
    add("--miss-dossiers", type=int, default=3000, help="stories the dossier-miss run uses")
    add("--only", help="endpoints to run, comma-separated: " + ",".join(ENDPOINT_NAMES))
    add("--wrk", default=shutil.which("wrk") or WRK, help="the wrk binary")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not Path(args.wrk).exists():
        print(f"wrk not found at {args.wrk}: install it (Debian: apt-get install wrk)")
        return 2
    options = CorpusOptions(articles=args.articles, seed=args.seed)
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="newsfuse-bench-") as scratch:
        path = args.db or (default_db(options) if args.reuse else Path(scratch) / "bench.db")
        print(describe_store(path, options, prepare_store(path, options, args.reuse)))
        with open_store(f"sqlite:///{path}") as store:
            warm = typical_story_ids(store, args.dossiers, args.seed)
            cold = typical_story_ids(store, args.miss_dossiers, args.seed + 1)
        chosen = endpoints(warm, cold, search_queries(options))
        if args.only:
            chosen = [e for e in chosen if e.name in set(args.only.split(","))]
        print(f"server: {args.workers} workers; wrk -t{args.threads} -c{args.connections} "
              f"-d{args.duration}s --latency, {len(warm)} dossier stories")  # fmt: skip
        log = Path(scratch) / "server.log"
        with running_server(f"sqlite:///{path}", args.workers, log) as base:
            rows = [measure(base, e, args) for e in chosen]
        print()
        print(format_table(rows))
    return 0


def describe_store(path: Path, options: CorpusOptions, report: BuildReport | None) -> str:
    if report is None:
        return f"store: {path} (reused, {options.articles:,} articles)"
    return (f"store: {path}: {report.articles:,} articles, {report.stories:,} stories, "
            f"{report.copies:,} wire copies, built in {report.seconds:.1f}s "
            f"({report.per_second:,.0f} articles/s)")  # fmt: skip


def warm_up(base: str, endpoint: Endpoint) -> None:
    """Request every path until one whole pass is answered from the caches (each request under
    `WARM_HIT_MS`), at most `endpoint.warm_passes` passes; print what it took."""
    started = time.perf_counter()

    def timed(path: str) -> float:
        t = time.perf_counter()
        probe(base, path)
        return (time.perf_counter() - t) * 1000

    passes, slow = 0, len(endpoint.paths)
    with ThreadPoolExecutor(4) as pool:
        while slow and passes < endpoint.warm_passes:
            slow = sum(ms > WARM_HIT_MS for ms in pool.map(timed, endpoint.paths))
            passes += 1
    print(f"{endpoint.name}: warmed {len(endpoint.paths)} paths in {passes} passes, "
          f"{time.perf_counter() - started:.1f} s; slow in the last pass: {slow}",
          flush=True)  # fmt: skip


def measure(
    base: str, endpoint: Endpoint, args: argparse.Namespace
) -> tuple[Endpoint, WrkResult | None, int]:
    """wrk against one endpoint; skipped (None) when its first request fails."""
    status = probe(base, endpoint.paths[0])
    if not 200 <= status < 300:
        print(f"{endpoint.name}: GET {endpoint.paths[0]} answered {status}: skipped", flush=True)
        return endpoint, None, status
    if endpoint.warm_passes:
        warm_up(base, endpoint)
    result = run_wrk(args.wrk, base, endpoint.paths, args.threads, args.connections, args.duration)
    print(format_row(endpoint, result), flush=True)
    return endpoint, result, status


_HEADER = (
    f"{'endpoint':<14}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}  target"
)


def format_row(endpoint: Endpoint, result: WrkResult) -> str:
    target = ""
    if endpoint.target is not None:
        target = f"{endpoint.target.describe()}: {result.verdict(endpoint.target)}"
    return (f"{endpoint.name:<14}{result.rps:>9.1f}{result.p50_ms:>9.1f}{result.p99_ms:>9.1f}"
            f"{result.max_ms:>9.1f}{result.errors:>8}  {target}")  # fmt: skip


def format_table(rows: Sequence[tuple[Endpoint, WrkResult | None, int]]) -> str:
    lines = [_HEADER]
    for endpoint, result, status in rows:
        if result is None:
            lines.append(f"{endpoint.name:<14}  not measured: the first request answered {status}")
        else:
            lines.append(format_row(endpoint, result))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
