"""Options, one object per stage, resolved once at the edge (CLI, tests) and passed down.

Nothing in newsfuse reads the environment at import time; `Settings.from_env` is called by
the CLI only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

USER_AGENT = "newsfuse/0.1 (+https://github.com/newsfuse/newsfuse; news event intelligence)"


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How newsfuse talks HTTP."""

    user_agent: str = USER_AGENT
    """Sent on every request, robots.txt included; names newsfuse so sites can tell."""
    timeout_s: float = 20.0
    """Connect/read/write/pool timeout of one request."""
    max_bytes: int = 10 * 1024 * 1024
    """Larger bodies are cut off and rejected as too large."""
    max_redirects: int = 5
    """Redirect hops followed before giving up."""
    min_interval_s: float = 1.0
    """Least time between two requests to the same host (a per-host rate limit)."""
    respect_robots: bool = True
    """Honour robots.txt for our user agent."""
    retries: int = 1
    """Extra tries for connection errors and 5xx responses."""
    block_private: bool = False
    """Refuse hosts that resolve to private, loopback, link-local, reserved, multicast or
    unspecified addresses, on every redirect hop (the HTTP ingest endpoint sets this unless
    the server is started with --allow-private)."""


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """What counts as an input and how large it may be."""

    max_file_bytes: int = 100 * 1024 * 1024
    """A page, record file or feed larger than this is read only up to this many bytes and
    rejected as too large; WARC archives stream record by record and are exempt."""
    max_page_bytes: int = 10 * 1024 * 1024
    """One page larger than this is rejected as too large; its neighbours go on."""
    follow_symlinks: bool = False
    """Whether folder walks follow symbolic links."""


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """How a page becomes an article."""

    html_extractors: tuple[str, ...] = ("trafilatura", "trafilatura-recall", "lxml-paragraphs")
    """The HTML fallback cascade: each is tried in order until one yields a body."""
    comments: Literal["never", "auto", "always"] = "auto"
    """Reader comments in the body: "auto" keeps them only on pages that do not declare
    themselves articles and whose comment region is most of the page's text (threads,
    guestbooks); a news article's comments are never its body."""
    min_body_chars: int = 80
    """A body shorter than this is not an article (rejected as no_content)."""
    infer_dates: bool = True
    """Infer a publication date from page text when metadata has none."""
    detect_language: bool = True
    """Identify the body's language when the page does not declare it."""


@dataclass(frozen=True, slots=True)
class ClusterOptions:
    """How articles become stories (`newsfuse.cluster`)."""

    enabled: bool = True
    """Cluster as articles are ingested; `newsfuse recluster` does it over the whole store."""
    embed: bool = True
    """Use the dense sentence embedding; off gives lexical + entity + time features only."""
    window_days: float = 14.0
    """A story with no article for this long leaves the active set (it stays stored and
    listed; a later article on it opens a new story)."""
    future_skew_hours: float = 36.0
    """A publication date this far past the page's fetch time is not trusted."""
    earliest_year: int = 1990
    """A publication date before this year is not trusted."""
    duplicate_threshold: float = 0.7
    """Estimated Jaccard similarity of word shingles at which a text is a copy of another."""
    lexical_threshold: float = 0.2
    """TF-IDF cosine at which, on its own, a full-length article belongs to a story. Each
    feature has its own bar; an article joins the best story when its weighted mean score
    reaches the same weighted mean of the bars of the features both sides have, so a missing
    feature (no embedding, no names) takes its share of the bar with it."""
    names_threshold: float = 0.4
    """Names cosine at which, on its own, an article belongs to a story."""
    embedding_threshold: float = 0.72
    """Embedding cosine at which, on its own, a full-length article belongs to a story."""
    short_text_terms: float = 60.0
    """A text of n distinct terms is held to the lexical and names bars times
    sqrt(n / (n + short_text_terms)): two short texts on one story share few words even
    when they agree (headlines vs. articles)."""
    short_text_terms_embedding: float = 12.0
    """The same for the embedding bar; short texts' embeddings are noisier, but less so."""
    weight_lexical: float = 1.0
    """Weight of the TF-IDF cosine (title and body, online document frequencies)."""
    weight_names: float = 0.25
    """Weight of the cosine over capitalised names; drops out when either side has none."""
    weight_embedding: float = 2.0
    """Weight of the sentence-embedding cosine; drops out when either side has none."""
    title_weight: float = 3.0
    """A title word counts this many times a body word."""
    name_boost: float = 3.0
    """Lexical weight multiplier of a word that is part of a name (who and where)."""
    number_boost: float = 3.0
    """Lexical weight multiplier of a number (tolls, ages, amounts, years)."""
    year_penalty: float = 0.2
    """How much disagreeing years mentioned in the texts lower a score (0 = ignore years)."""
    time_close_hours: float = 48.0
    """An article this close in trusted time to a story's span meets a lower bar..."""
    time_close_bonus: float = 0.15
    """...lower by this share: two reports the same days are likelier one story."""
    time_grace_hours: float = 336.0
    """An article further than this from a story's span in trusted time (a late, backfilled
    report of an older event) has its score divided by 1 + excess / time_scale_days. As long
    as the default equals the 14-day window, a story still active is never penalised."""
    time_scale_days: float = 7.0
    merge_ratio: float = 1.2
    """An article bridges two stories, and merges them, when it scores at least
    merge_ratio x its bar against both, the two margins over the bars are within
    `merge_gap`, and the two stories compared with each other reach the full bar."""
    merge_gap: float = 0.05
    """See `merge_ratio`."""


@dataclass(frozen=True, slots=True)
class AnnotateOptions:
    """How an article becomes annotations (`newsfuse.annotate`)."""

    enabled: bool = True
    """Annotate as articles are ingested; `newsfuse annotate` does it over the store."""
    languages: tuple[str, ...] = ("en",)
    """Languages we have models for; other articles are stored as not annotated."""
    max_chars: int = 300_000
    """Longer texts are annotated only up to here (at a paragraph break); the reason says so."""
    window_chars: int = 20_000
    """Texts are fed to spaCy in windows of about this size, split at paragraph breaks."""
    batch_size: int = 8
    """Articles per spaCy batch: small batches are faster on CPU (9.4 against 7.7 articles/s
    at 32 for 950-word articles, one process)."""
    events: bool = True
    """Code political events (PLOVER/CAMEO) in sentences that name an actor."""
    n_process: int = 0
    """Worker processes that annotate whole articles; 0 = one per CPU (at most 4). Batches
    smaller than batch_size × workers run in this process."""


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """`newsfuse serve`: the HTTP API and web UI."""

    host: str = "127.0.0.1"
    port: int = 8765
    workers: int = 1
    """Server processes (uvicorn workers); each opens its own store connection pool."""
    ingest_token: str | None = None
    """The ingest endpoint (POST /api/ingest) is on only when a token is set, and every request
    must carry it (`Authorization: Bearer <token>`)."""
    allow_private: bool = False
    """Let the ingest endpoint fetch URLs on private, loopback and link-local addresses."""
    default_page_size: int = 50
    max_page_size: int = 200
    dossier_cache_size: int = 512
    """Built dossiers kept per server process."""
    dossier_ttl_s: float = 300.0
    """How long a built dossier is served before it is rebuilt, when its story has not changed
    (a change of the story's articles rebuilds it at once; this bounds how stale its related
    stories and re-annotated facts may be)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a command needs, resolved once."""

    db_url: str = "sqlite:///newsfuse.db"
    """SQLAlchemy URL; `postgresql://...` for a team server."""
    fetch: FetchOptions = field(default_factory=FetchOptions)
    ingest: IngestOptions = field(default_factory=IngestOptions)
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    cluster: ClusterOptions = field(default_factory=ClusterOptions)
    annotate: AnnotateOptions = field(default_factory=AnnotateOptions)
    serve: ServeOptions = field(default_factory=ServeOptions)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from `NEWSFUSE_DB`, then explicit overrides (CLI flags win)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        if env.get("NEWSFUSE_DB"):
            values["db_url"] = env["NEWSFUSE_DB"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
