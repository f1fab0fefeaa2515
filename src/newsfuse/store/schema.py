"""The store's tables, as SQLAlchemy Core metadata: the shape the migrations must produce.

A test compares a freshly migrated database against this metadata, so a table added here
without a migration under `migrations/versions/` (or the other way round) fails loudly.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.dialects.postgresql import JSONB

# Named constraints, so later migrations (SQLite batch mode included) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# JSONB on PostgreSQL (indexable, compact); JSON text on SQLite.
Json = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored in UTC, returned timezone-aware.

    PostgreSQL keeps it as `timestamptz`; SQLite as a naive UTC string, which sorts correctly
    as text. A naive value given to the store is taken to be UTC already.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        # SQLite's driver would silently drop the offset; drop it ourselves, after converting.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("status", String(16), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("inputs", Json, nullable=False),
    Column("options", Json, nullable=False),
    Column("counts", Json),
    Column("pid", Integer),
    Column("host", String(255)),
    Index(None, "status"),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("canonical_url", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("authors", Json, nullable=False),
    # The datetime exactly as the Article had it (ISO 8601, offset when known) ...
    Column("published", String(64)),
    # ... and the same instant in UTC for ordering and filtering (naive taken as UTC).
    Column("published_utc", UTCDateTime),
    Column("published_source", String(16)),
    Column("published_confidence", Float),
    Column("language", String(35)),
    Column("captions", Json, nullable=False),
    Column("fetched_at", String(64)),
    Column("produced_by", Text, nullable=False),
    Column("status", String(16), nullable=False, server_default="ok"),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "outlet"),
    # With id, so ordered listing and keyset paging read the index alone.
    Index(None, "published_utc", "id"),
    # A hash index on PostgreSQL: only equality is asked, and btree rejects keys over ~2.7 kB.
    Index(None, "canonical_url", postgresql_using="hash"),
    Index(None, "run_id"),
    # Arrival order: what the clusterer reads its pending articles in (since 0002).
    Index(None, "created_at", "id"),
)

rejections = Table(
    "rejections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("reason", String(32), nullable=False),
    Column("detail", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "run_id"),
)

fetch_validators = Table(
    "fetch_validators",
    metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("updated_at", UTCDateTime, nullable=False),
)

ingested_sources = Table(
    "ingested_sources",
    metadata,
    Column("key", Text, primary_key=True),
    Column("content_hash", String(128)),
    Column("article_id", String(64), ForeignKey("articles.id")),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("done_at", UTCDateTime, nullable=False),
)


# -- stories (since 0002) ----------------------------------------------------------------------
# Story ids are `story_id_for(article_id)`: "st_" and 16 hex digits.

cluster_features = Table(
    "cluster_features",
    metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    # An article's clustering features and text signature, kept across a recluster: they
    # depend on the article alone, and computing them (the embedding) is the slow part.
    Column("features", LargeBinary, nullable=False),
    Column("minhash", LargeBinary),
    Column("produced_by", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

story_members = Table(
    "story_members",
    metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    # Always a live story: a merge moves the merged story's members to the survivor.
    Column("story_id", String(32), nullable=False),
    # The article's position in the clustering order; one article per position.
    Column("seq", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("duplicate_of", String(64), ForeignKey("articles.id")),
    Column("duplicate_similarity", Float),
    Column("outlet_key", Text, nullable=False),
    Column("produced_by", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # With seq, so a story's members come in order and its founder is the first entry.
    Index(None, "story_id", "seq"),
    Index(None, "seq", unique=True),
    Index(None, "duplicate_of"),
)

stories = Table(
    "stories",
    metadata,
    # Summary rows of live stories only, recomputed from story_members whenever one changes.
    Column("id", String(32), primary_key=True),
    Column("title", Text),
    Column("first_published", UTCDateTime),
    Column("last_published", UTCDateTime),
    Column("article_count", Integer, nullable=False),
    Column("outlet_count", Integer, nullable=False),
    Column("independent_origin_count", Integer, nullable=False),
    Column("outlets", Json, nullable=False),
    Column("languages", Json, nullable=False),
    Column("founder_article_id", String(64), ForeignKey("articles.id"), nullable=False),
    Column("opened_seq", Integer, nullable=False),
    Column("updated_seq", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index(None, "last_published", "id"),
)

story_merges = Table(
    "story_merges",
    metadata,
    # History, never rewritten: `into_id` is the survivor at the time; a later merge of that
    # survivor adds its own row, and resolution follows the chain.
    Column("merged_id", String(32), primary_key=True),
    Column("into_id", String(32), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("article_id", String(64), ForeignKey("articles.id"), nullable=False),
    Column("score", Float, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "into_id"),
)

cluster_state = Table(
    "cluster_state",
    metadata,
    # The online clusterer's serialised state, saved with the assignments it produced.
    Column("name", String(32), primary_key=True),
    Column("data", LargeBinary, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)


# -- annotations (since 0003) ------------------------------------------------------------------

# Not named `annotations` in Python: `from __future__ import annotations` binds that name.
annotations_table = Table(
    "annotations",
    metadata,
    # One row per annotated article: what the annotate stage found, re-annotation replaces it.
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("reason", Text),
    Column("language", String(35)),
    # The date anchor relative expressions were resolved against (no anchor: all three null).
    Column("anchor_day", Date),
    Column("anchor_source", String(16)),
    Column("anchor_year_only", Boolean),
    Column("produced_by", Text, nullable=False),
    Column("annotated_at", UTCDateTime, nullable=False),
    # Entities, quotes, dates, places and events as compressed JSON (`codec.encode_mentions`):
    # read a whole article at a time (events are also rows of `article_events`, for queries).
    Column("payload", LargeBinary, nullable=False),
    Column("n_entities", Integer, nullable=False),
    Column("n_quotes", Integer, nullable=False),
    Column("n_dates", Integer, nullable=False),
    Column("n_places", Integer, nullable=False),
    # Since 0004: rows annotated before it have no events (and 0 here).
    Column("n_events", Integer, nullable=False, server_default="0"),
    Index(None, "status"),
)

article_entities = Table(
    "article_entities",
    metadata,
    # Each distinct actor an article mentions, written with its annotations row: which stories
    # and articles name an actor, and the people a story already knows.
    Column(
        "article_id",
        String(64),
        ForeignKey("annotations.article_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("actor_id", Text, primary_key=True),
    Column("canonical", Text),
    Column("kind", String(32)),
    Column("country", String(8)),
    Column("label", String(16)),
    Column("mentions", Integer, nullable=False),
    Index(None, "actor_id"),
)


# -- events (since 0004) -----------------------------------------------------------------------

article_events = Table(
    "article_events",
    metadata,
    # Each event of an article (also in its annotations payload), written with its annotations
    # row: events by type and by actor, and a story's events in story order. Every field of
    # `model.Event` is a column, so a row reads back as the event it was.
    Column(
        "article_id",
        String(64),
        ForeignKey("annotations.article_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("idx", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("plover", String(32), nullable=False),
    Column("cameo", String(8), nullable=False),
    Column("quad_class", String(32), nullable=False),
    Column("goldstein", Float, nullable=False),
    Column("mode", String(64)),
    Column("modality", String(16), nullable=False),
    Column("source_actor", Text),
    Column("source_entity", Text),
    Column("target_actor", Text),
    Column("target_entity", Text),
    Column("date", String(64)),
    Column("place", Text),
    Column("confidence", Float, nullable=False),
    Column("produced_by", Text, nullable=False),
    Index(None, "plover"),
    Index(None, "source_actor"),
    Index(None, "target_actor"),
)


# -- full-text search (since 0005) -------------------------------------------------------------
# Backend-specific, created by migration 0005 and absent from this metadata: the FTS5 table
# `article_search` (with its shadow tables) on SQLite; the generated column
# `articles.search_vector` and its GIN index on PostgreSQL. `store/search.py` queries them.

SEARCH_OBJECTS = frozenset({"article_search", "search_vector", "ix_articles_search_vector"})


def is_search_object(name: str | None) -> bool:
    """Whether a database object belongs to the full-text index (for schema comparisons)."""
    return name is not None and (
        name in SEARCH_OBJECTS or name.startswith("article_search_") or name == "article_search"
    )


# -- speakers (since 0006) ---------------------------------------------------------------------

article_speakers = Table(
    "article_speakers",
    metadata,
    # Each resolved speaker an article quotes, written with its annotations row: the articles
    # carrying a speaker's quotes, found by index instead of by decoding payloads.
    Column(
        "article_id",
        String(64),
        ForeignKey("annotations.article_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("speaker_id", Text, primary_key=True),
    Column("quotes", Integer, nullable=False),
    Index(None, "speaker_id"),
)
