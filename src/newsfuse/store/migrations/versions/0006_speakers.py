"""Speakers: which articles quote whom, so a speaker's quotes are found by index.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24

Rows are filled from the stored annotation payloads. A migration is a snapshot, so the payload
format of revisions 0003-0005 is read here directly ("NFA1" + zlib-compressed JSON whose
"quotes" carry "speaker_id") rather than through `store.codec`, which moves on.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_MAGIC = b"NFA1"
_BATCH = 500


def upgrade() -> None:
    op.create_table(
        "article_speakers",
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("speaker_id", sa.Text, nullable=False),
        sa.Column("quotes", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "speaker_id", name="pk_article_speakers"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["annotations.article_id"],
            name="fk_article_speakers_article_id_annotations",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_article_speakers_speaker_id", "article_speakers", ["speaker_id"])
    _backfill(op.get_bind())


def downgrade() -> None:
    op.drop_table("article_speakers")


def _backfill(conn: sa.Connection) -> None:
    annotations = sa.table("annotations", sa.column("article_id"), sa.column("payload"))
    speakers = sa.table(
        "article_speakers", sa.column("article_id"), sa.column("speaker_id"), sa.column("quotes")
    )
    last = ""
    while True:
        batch = conn.execute(
            sa.select(annotations.c.article_id, annotations.c.payload)
            .where(annotations.c.article_id > last)
            .order_by(annotations.c.article_id)
            .limit(_BATCH)
        ).all()
        rows = [row for article_id, payload in batch for row in _rows(article_id, payload)]
        if rows:
            conn.execute(sa.insert(speakers), rows)
        if len(batch) < _BATCH:
            return
        last = batch[-1][0]


def _rows(article_id: str, payload: bytes | None) -> list[dict[str, Any]]:
    data = bytes(payload or b"")
    if not data.startswith(_MAGIC):
        return []  # not ours or damaged: `newsfuse annotate --all` rewrites it and its rows
    try:
        document = json.loads(zlib.decompress(data[len(_MAGIC) :]).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError):
        return []
    counts = Counter(q.get("speaker_id") for q in document.get("quotes", ()) if q.get("speaker_id"))
    return [
        {"article_id": article_id, "speaker_id": speaker, "quotes": n}
        for speaker, n in counts.items()
    ]
