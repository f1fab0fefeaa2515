"""Persistence behind one interface: a SQLite file by default, PostgreSQL for teams.

    store = open_store("sqlite:///newsfuse.db")     # migrates the schema to the newest
    run_id = store.start_run(inputs, options)
    store.add_articles(articles, run_id)            # insert-or-ignore by article id
    store.finish_run(run_id, counts)
    store.save_clustering(assignments, merges, state, seq)   # stories, one transaction
    store.list_stories(StoryFilter(min_articles=2))
    store.put_annotations(items)                    # upsert: re-annotation replaces

Tables are SQLAlchemy Core (`schema.py`), migrated by Alembic from code (`migrate.py`).
"""

from __future__ import annotations

from newsfuse.store.engine import DEFAULT_URL
from newsfuse.store.migrate import head_revision, upgrade_database
from newsfuse.store.records import (
    AddResult,
    ArticleFilter,
    EntityFilter,
    EntitySummary,
    EventFilter,
    RejectionRecord,
    RunCounts,
    RunRecord,
    RunStatus,
    SchemaVersion,
    SearchHit,
    SourceMark,
    SourceRecord,
    StoryFilter,
    StoryMember,
    Validators,
)
from newsfuse.store.store import Store, open_store
from newsfuse.store.validators import StoreValidatorCache

__all__ = [
    "DEFAULT_URL",
    "AddResult",
    "ArticleFilter",
    "EntityFilter",
    "EntitySummary",
    "EventFilter",
    "RejectionRecord",
    "RunCounts",
    "RunRecord",
    "RunStatus",
    "SchemaVersion",
    "SearchHit",
    "SourceMark",
    "SourceRecord",
    "Store",
    "StoryFilter",
    "StoryMember",
    "StoreValidatorCache",
    "Validators",
    "head_revision",
    "open_store",
    "upgrade_database",
]
