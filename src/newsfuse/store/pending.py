"""Articles a stage has not handled yet, read in arrival order with keyset paging.

A stage names its pending articles by a condition (no story membership, no annotations row);
the reads here are the same for every stage.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, and_, func, or_, select

from newsfuse.store.schema import articles


def pending_rows(
    conn: Connection,
    pending: ColumnElement[bool],
    limit: int,
    after: tuple[datetime, str] | None,
) -> list[Row[Any]]:
    """Article rows (with `created_at`) matching `pending`, in arrival order then by id,
    starting after the (created_at, id) of the previous batch's last row."""
    a = articles.c
    stmt = select(articles).where(pending)
    if after is not None:
        created, last_id = after
        stmt = stmt.where(
            or_(a.created_at > created, and_(a.created_at == created, a.id > last_id))
        )
    stmt = stmt.order_by(a.created_at, a.id).limit(limit)
    return list(conn.execute(stmt))


def count_pending(conn: Connection, pending: ColumnElement[bool]) -> int:
    stmt = select(func.count()).select_from(articles).where(pending)
    return int(conn.execute(stmt).scalar_one())
