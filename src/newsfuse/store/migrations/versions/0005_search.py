"""Full-text search over article titles and texts: FTS5 on SQLite, tsvector on PostgreSQL.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24

Each backend gets its own index, outside `schema.py` (Core metadata cannot spell either;
`schema.SEARCH_OBJECTS` names them so the schema comparison leaves them out):

- SQLite: the FTS5 table `article_search(article_id UNINDEXED, title, text)`, kept by triggers
  on `articles`. It holds its own copy of the text rather than pointing at `articles` by rowid:
  `articles` has a text primary key, so its rowids are not stable across a VACUUM.
- PostgreSQL: a stored generated column `articles.search_vector` (title weighted above text,
  text cut at 200,000 characters: a tsvector is at most 1 MB) with a GIN index.

A later migration that rebuilds `articles` on SQLite (batch mode) must recreate the triggers.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_SQLITE_UP = [
    "CREATE VIRTUAL TABLE article_search USING fts5("
    "article_id UNINDEXED, title, text, tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO article_search (article_id, title, text) VALUES (new.id, new.title, new.text); "
    "END",
    "CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN "
    "DELETE FROM article_search WHERE article_id = old.id; END",
    "CREATE TRIGGER articles_search_update AFTER UPDATE OF title, text ON articles BEGIN "
    "UPDATE article_search SET title = new.title, text = new.text WHERE article_id = old.id; "
    "END",
    "INSERT INTO article_search (article_id, title, text) SELECT id, title, text FROM articles",
]
_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS articles_search_update",
    "DROP TRIGGER IF EXISTS articles_search_delete",
    "DROP TRIGGER IF EXISTS articles_search_insert",
    "DROP TABLE IF EXISTS article_search",
]
_POSTGRES_UP = [
    "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, left(text, 200000)), 'B')) STORED",
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
]
_POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_articles_search_vector",
    "ALTER TABLE articles DROP COLUMN IF EXISTS search_vector",
]


def upgrade() -> None:
    for statement in _SQLITE_UP if _is_sqlite() else _POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in _SQLITE_DOWN if _is_sqlite() else _POSTGRES_DOWN:
        op.execute(statement)


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"
