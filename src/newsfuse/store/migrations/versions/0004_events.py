"""Events: each article's political events (who did what to whom), and their count.

Revision ID: 0004
Revises: 0003
Create Date: 2026-01-10

A migration is a snapshot: it spells its tables out rather than importing `schema.py`, which
moves on with later revisions. Articles annotated before this revision keep their payloads
(which have no events) and get `n_events = 0`; `newsfuse annotate --all` codes them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("annotations") as batch:
        batch.add_column(sa.Column("n_events", sa.Integer, nullable=False, server_default="0"))

    op.create_table(
        "article_events",
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("plover", sa.String(32), nullable=False),
        sa.Column("cameo", sa.String(8), nullable=False),
        sa.Column("quad_class", sa.String(32), nullable=False),
        sa.Column("goldstein", sa.Float, nullable=False),
        sa.Column("mode", sa.String(64)),
        sa.Column("modality", sa.String(16), nullable=False),
        sa.Column("source_actor", sa.Text),
        sa.Column("source_entity", sa.Text),
        sa.Column("target_actor", sa.Text),
        sa.Column("target_entity", sa.Text),
        sa.Column("date", sa.String(64)),
        sa.Column("place", sa.Text),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("produced_by", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "idx", name="pk_article_events"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["annotations.article_id"],
            name="fk_article_events_article_id_annotations",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_article_events_plover", "article_events", ["plover"])
    op.create_index("ix_article_events_source_actor", "article_events", ["source_actor"])
    op.create_index("ix_article_events_target_actor", "article_events", ["target_actor"])


def downgrade() -> None:
    op.drop_table("article_events")
    with op.batch_alter_table("annotations") as batch:
        batch.drop_column("n_events")
