"""Full-text search over article titles and texts, on either backend (migration 0005).

A query is words and "quoted phrases"; every one must match (AND), stemmed English on both
backends. The user's text never becomes query syntax: `parse_query` keeps word characters
only and re-quotes them, so FTS5 operators, tsquery punctuation and SQL in a query are just
words, and the result goes to the database as a bound parameter.

- SQLite: `article_search MATCH :q`, ranked by bm25 with the title weighted 5 to the text's 1.
- PostgreSQL: `articles.search_vector @@ websearch_to_tsquery('english', :q)`, ranked by
  `ts_rank_cd` (title weight A, text B).

Snippets are cut in Python from the stored text, the same way for both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)

from newsfuse.errors import ConfigError
from newsfuse.store.schema import articles

MAX_TERMS = 16
SNIPPET_CHARS = 240
_PHRASE_OR_WORD = re.compile(r'"([^"]*)"|(\w+)')
_WORD = re.compile(r"\w+")

_article_search = table("article_search", column("article_id"))


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A parsed query: its phrases (a one-word phrase is a word), in the order given."""

    phrases: tuple[tuple[str, ...], ...]

    def fts5(self) -> str:
        return " ".join('"' + " ".join(words) + '"' for words in self.phrases)

    def websearch(self) -> str:
        return " ".join(
            '"' + " ".join(words) + '"' if len(words) > 1 else words[0] for words in self.phrases
        )

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for words in self.phrases for w in words)


def parse_query(raw: str) -> SearchQuery:
    """Words and quoted phrases of `raw`, lower-cased, at most `MAX_TERMS` words in all."""
    phrases: list[tuple[str, ...]] = []
    budget = MAX_TERMS
    for match in _PHRASE_OR_WORD.finditer(raw):
        quoted, word = match.groups()
        words = tuple(_WORD.findall((quoted if word is None else word).lower()))[:budget]
        if words:
            phrases.append(words)
            budget -= len(words)
        if budget <= 0:
            break
    if not phrases:
        raise ConfigError(f"search {raw[:80]!r}: no word to search for")
    return SearchQuery(tuple(phrases))


def matching_ids(dialect: str, query: SearchQuery) -> Select[tuple[str]]:
    """The ids of the articles matching `query` (a subquery for filters)."""
    if dialect == "sqlite":
        return select(_article_search.c.article_id).where(
            text("article_search MATCH :fts_query").bindparams(fts_query=query.fts5())
        )
    return select(articles.c.id).where(_pg_match(query))


def ranked(
    dialect: str, query: SearchQuery, conditions: Sequence[ColumnElement[bool]] = ()
) -> Select[tuple[str, float]]:
    """`(article_id, score)` of the matching articles that meet `conditions` (on `articles`),
    best first (higher score is better)."""
    if dialect == "sqlite":
        score = (-literal_column("bm25(article_search, 0.0, 5.0, 1.0)")).label("score")
        stmt = select(_article_search.c.article_id.label("id"), score).where(
            text("article_search MATCH :fts_query").bindparams(fts_query=query.fts5())
        )
        if conditions:
            joined = _article_search.join(articles, articles.c.id == _article_search.c.article_id)
            stmt = stmt.select_from(joined).where(*conditions)
        return stmt.order_by(score.desc(), _article_search.c.article_id)
    score = _pg_rank(query).label("score")
    return (
        select(articles.c.id.label("id"), score)
        .where(_pg_match(query), *conditions)
        .order_by(score.desc(), articles.c.id)
    )


def _pg_tsquery(query: SearchQuery) -> ColumnElement[object]:
    return func.websearch_to_tsquery(
        literal_column("'english'::regconfig"), bindparam("pg_query", query.websearch())
    )


def _pg_match(query: SearchQuery) -> ColumnElement[bool]:
    return literal_column("articles.search_vector").op("@@")(_pg_tsquery(query))


def _pg_rank(query: SearchQuery) -> ColumnElement[float]:
    return func.ts_rank_cd(
        literal_column("articles.search_vector"), _pg_tsquery(query), type_=Float
    )


def snippet(body: str, query: SearchQuery) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About `SNIPPET_CHARS` of `body` around the first query word, and where the query's
    words (or words they start, for stems) are in it."""
    stems = tuple(_stem(w) for w in query.words)
    first = next(
        (m.start() for m in _WORD.finditer(body) if m.group().lower().startswith(stems)), 0
    )
    start = max(0, first - SNIPPET_CHARS // 3)
    if start:
        space = body.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(body), start + SNIPPET_CHARS)
    if end < len(body):
        space = body.rfind(" ", start, end)
        end = space if space > first else end
    cut = " ".join(body[start:end].split())
    prefix = "… " if start else ""
    text_ = prefix + cut + (" …" if end < len(body) else "")
    marks = tuple(
        (m.start(), m.end()) for m in _WORD.finditer(text_) if m.group().lower().startswith(stems)
    )
    return text_, marks


def _stem(word: str) -> str:
    """A crude prefix for highlighting stemmed matches ("talks" → "talk")."""
    return word[: max(3, len(word) - 2)] if len(word) > 4 else word
