"""Initial schema: runs, articles, rejections, fetch validators, ingested sources.

Revision ID: 0001
Revises:
Create Date: 2025-11-24

A migration is a snapshot: it spells its tables out rather than importing `schema.py`, which
moves on with later revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _instant() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", _instant(), nullable=False),
        sa.Column("finished_at", _instant()),
        sa.Column("inputs", JSON, nullable=False),
        sa.Column("options", JSON, nullable=False),
        sa.Column("counts", JSON),
        sa.Column("pid", sa.Integer),
        sa.Column("host", sa.String(255)),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )
    op.create_index("ix_runs_status", "runs", ["status"])

    op.create_table(
        "articles",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("canonical_url", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("authors", JSON, nullable=False),
        sa.Column("published", sa.String(64)),
        sa.Column("published_utc", _instant()),
        sa.Column("published_source", sa.String(16)),
        sa.Column("published_confidence", sa.Float),
        sa.Column("language", sa.String(35)),
        sa.Column("captions", JSON, nullable=False),
        sa.Column("fetched_at", sa.String(64)),
        sa.Column("produced_by", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="ok"),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("created_at", _instant(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_articles_run_id_runs"),
    )
    op.create_index("ix_articles_outlet", "articles", ["outlet"])
    op.create_index("ix_articles_published_utc_id", "articles", ["published_utc", "id"])
    op.create_index(
        "ix_articles_canonical_url", "articles", ["canonical_url"], postgresql_using="hash"
    )
    op.create_index("ix_articles_run_id", "articles", ["run_id"])

    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("created_at", _instant(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rejections"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name="fk_rejections_run_id_runs", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_rejections_run_id", "rejections", ["run_id"])

    op.create_table(
        "fetch_validators",
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("updated_at", _instant(), nullable=False),
        sa.PrimaryKeyConstraint("url", name="pk_fetch_validators"),
    )

    op.create_table(
        "ingested_sources",
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(128)),
        sa.Column("article_id", sa.String(64)),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("done_at", _instant(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_ingested_sources"),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_ingested_sources_article_id_articles"
        ),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_ingested_sources_run_id_runs"),
    )


def downgrade() -> None:
    for table in ("ingested_sources", "fetch_validators", "rejections", "articles", "runs"):
        op.drop_table(table)
