"""Stories: clustering features, story members, story summaries, merges, clusterer state.

Revision ID: 0002
Revises: 0001
Create Date: 2025-12-01

A migration is a snapshot: it spells its tables out rather than importing `schema.py`, which
moves on with later revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _instant() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    # Arrival order, in which the clusterer reads pending articles.
    op.create_index("ix_articles_created_at_id", "articles", ["created_at", "id"])

    op.create_table(
        "cluster_features",
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("features", sa.LargeBinary, nullable=False),
        sa.Column("minhash", sa.LargeBinary),
        sa.Column("produced_by", sa.Text, nullable=False),
        sa.Column("created_at", _instant(), nullable=False),
        sa.PrimaryKeyConstraint("article_id", name="pk_cluster_features"),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_cluster_features_article_id_articles"
        ),
    )

    op.create_table(
        "story_members",
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("story_id", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("duplicate_of", sa.String(64)),
        sa.Column("duplicate_similarity", sa.Float),
        sa.Column("outlet_key", sa.Text, nullable=False),
        sa.Column("produced_by", sa.Text, nullable=False),
        sa.Column("created_at", _instant(), nullable=False),
        sa.PrimaryKeyConstraint("article_id", name="pk_story_members"),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_story_members_article_id_articles"
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of"], ["articles.id"], name="fk_story_members_duplicate_of_articles"
        ),
    )
    op.create_index("ix_story_members_story_id_seq", "story_members", ["story_id", "seq"])
    op.create_index("ix_story_members_seq", "story_members", ["seq"], unique=True)
    op.create_index("ix_story_members_duplicate_of", "story_members", ["duplicate_of"])

    op.create_table(
        "stories",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("first_published", _instant()),
        sa.Column("last_published", _instant()),
        sa.Column("article_count", sa.Integer, nullable=False),
        sa.Column("outlet_count", sa.Integer, nullable=False),
        sa.Column("independent_origin_count", sa.Integer, nullable=False),
        sa.Column("outlets", JSON, nullable=False),
        sa.Column("languages", JSON, nullable=False),
        sa.Column("founder_article_id", sa.String(64), nullable=False),
        sa.Column("opened_seq", sa.Integer, nullable=False),
        sa.Column("updated_seq", sa.Integer, nullable=False),
        sa.Column("updated_at", _instant(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
        sa.ForeignKeyConstraint(
            ["founder_article_id"], ["articles.id"], name="fk_stories_founder_article_id_articles"
        ),
    )
    op.create_index("ix_stories_last_published_id", "stories", ["last_published", "id"])

    op.create_table(
        "story_merges",
        sa.Column("merged_id", sa.String(32), nullable=False),
        sa.Column("into_id", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("created_at", _instant(), nullable=False),
        sa.PrimaryKeyConstraint("merged_id", name="pk_story_merges"),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_story_merges_article_id_articles"
        ),
    )
    op.create_index("ix_story_merges_into_id", "story_merges", ["into_id"])

    op.create_table(
        "cluster_state",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("updated_at", _instant(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_cluster_state"),
    )


def downgrade() -> None:
    for table in ("cluster_state", "story_merges", "stories", "story_members", "cluster_features"):
        op.drop_table(table)
    op.drop_index("ix_articles_created_at_id", table_name="articles")
