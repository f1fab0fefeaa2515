"""Annotations: each article's entities, quotes, dates and places, and the actors it names.

Revision ID: 0003
Revises: 0002
Create Date: 2025-12-15

A migration is a snapshot: it spells its tables out rather than importing `schema.py`, which
moves on with later revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _instant() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "annotations",
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("language", sa.String(35)),
        sa.Column("anchor_day", sa.Date),
        sa.Column("anchor_source", sa.String(16)),
        sa.Column("anchor_year_only", sa.Boolean),
        sa.Column("produced_by", sa.Text, nullable=False),
        sa.Column("annotated_at", _instant(), nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("n_entities", sa.Integer, nullable=False),
        sa.Column("n_quotes", sa.Integer, nullable=False),
        sa.Column("n_dates", sa.Integer, nullable=False),
        sa.Column("n_places", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("article_id", name="pk_annotations"),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_annotations_article_id_articles"
        ),
    )
    op.create_index("ix_annotations_status", "annotations", ["status"])

    op.create_table(
        "article_entities",
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("actor_id", sa.Text, nullable=False),
        sa.Column("canonical", sa.Text),
        sa.Column("kind", sa.String(32)),
        sa.Column("country", sa.String(8)),
        sa.Column("label", sa.String(16)),
        sa.Column("mentions", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "actor_id", name="pk_article_entities"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["annotations.article_id"],
            name="fk_article_entities_article_id_annotations",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_article_entities_actor_id", "article_entities", ["actor_id"])


def downgrade() -> None:
    op.drop_table("article_entities")
    op.drop_table("annotations")
