"""The full-text index: the stored search columns and each database's index over them.

``Article.save()`` stores ``search_columns`` (the tokens of title, summary and body,
faq.search.text); the database indexes those space-separated tokens:

- PostgreSQL: generated ``tsvector`` columns (title A, summary B, body C; title + summary;
  and the title alone, for the title-first passes) with GIN indexes;
- SQLite: an external-content FTS5 table kept current by triggers (its column filter
  `{search_title}` gives the title-first passes the title alone).

The model declares neither, so ``makemigrations`` stays clean; migration 0004 and a
``post_migrate`` hook (faq/apps.py) call ``install_index``. The index does not depend on
status or publish time, so the admin's ``queryset.update()`` actions need no reindexing.
"""

from __future__ import annotations

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

from .text import index_text, markdown_text

#: Bump when the tokenizer changes (faq.search.text), then run `rebuild_search_index --outdated`.
SEARCH_VERSION = 2
FTS_TABLE = "faq_article_fts"


def search_columns(*, title: str, summary: str, body: str) -> dict[str, object]:
    """The stored search columns of an article (see Article.save)."""
    return {
        "search_title": index_text(title),
        "search_summary": index_text(summary),
        "search_body": index_text(markdown_text(body)),
        "search_version": SEARCH_VERSION,
    }


PG_INDEX_SQL = [
    """ALTER TABLE faq_article ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, search_title), 'A')
        || setweight(to_tsvector('simple'::regconfig, search_summary), 'B')
        || setweight(to_tsvector('simple'::regconfig, search_body), 'C')) STORED""",
    """ALTER TABLE faq_article ADD COLUMN IF NOT EXISTS search_title_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, search_title), 'A')
        || setweight(to_tsvector('simple'::regconfig, search_summary), 'B')) STORED""",
    # The title alone, for the title-first passes: GIN indexes keep no weights, so matching
    # only the A-weighted lexemes of search_title_vector would recheck every article whose
    # summary holds the words (hundreds at 100,000 articles, each read from the table).
    """ALTER TABLE faq_article ADD COLUMN IF NOT EXISTS search_heading_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, search_title), 'A')) STORED""",
    "CREATE INDEX IF NOT EXISTS faq_article_search_idx ON faq_article USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS faq_article_search_title_idx ON faq_article USING gin (search_title_vector)",
    "CREATE INDEX IF NOT EXISTS faq_article_search_heading_idx ON faq_article USING gin (search_heading_vector)",
]
PG_COLUMNS = ("search_vector", "search_title_vector", "search_heading_vector")
PG_DROP_SQL = [
    "DROP INDEX IF EXISTS faq_article_search_heading_idx",
    "DROP INDEX IF EXISTS faq_article_search_title_idx",
    "ALTER TABLE faq_article DROP COLUMN IF EXISTS search_heading_vector",
    "DROP INDEX IF EXISTS faq_article_search_idx",
    "ALTER TABLE faq_article DROP COLUMN IF EXISTS search_title_vector",
    "ALTER TABLE faq_article DROP COLUMN IF EXISTS search_vector",
]
_COLUMNS = "search_title, search_summary, search_body"
SQLITE_TABLE_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({_COLUMNS},"
    " content='faq_article', content_rowid='id', tokenize='unicode61')"
)
SQLITE_TRIGGER_SQL = [
    f"""CREATE TRIGGER IF NOT EXISTS faq_article_fts_insert AFTER INSERT ON faq_article BEGIN
        INSERT INTO {FTS_TABLE}(rowid, {_COLUMNS}) VALUES (new.id, new.search_title, new.search_summary, new.search_body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS faq_article_fts_delete AFTER DELETE ON faq_article BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLUMNS})
        VALUES ('delete', old.id, old.search_title, old.search_summary, old.search_body);
    END""",
    # Only when the indexed text changes: view counters and publish actions do not touch the index.
    f"""CREATE TRIGGER IF NOT EXISTS faq_article_fts_update
        AFTER UPDATE OF search_title, search_summary, search_body ON faq_article BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLUMNS})
        VALUES ('delete', old.id, old.search_title, old.search_summary, old.search_body);
        INSERT INTO {FTS_TABLE}(rowid, {_COLUMNS}) VALUES (new.id, new.search_title, new.search_summary, new.search_body);
    END""",
]
SQLITE_TRIGGERS = ("faq_article_fts_insert", "faq_article_fts_delete", "faq_article_fts_update")
SQLITE_DROP_SQL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def install_index(connection: BaseDatabaseWrapper) -> bool:
    """Create the full-text index if it is missing; True when something was created.

    Idempotent. Also run after every `migrate` (FaqConfig): SQLite drops a table's
    triggers when Django rebuilds the table for a schema change.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns"
                f" WHERE table_name = 'faq_article' AND column_name IN {PG_COLUMNS!r}"
                " AND table_schema = current_schema()"
            )
            if cursor.fetchone()[0] == len(PG_COLUMNS):
                return False
            for statement in PG_INDEX_SQL:
                cursor.execute(statement)
        return True
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE (type = 'table' AND name = %s)"
                f" OR (type = 'trigger' AND name IN {SQLITE_TRIGGERS!r})",
                [FTS_TABLE],
            )
            if cursor.fetchone()[0] == 1 + len(SQLITE_TRIGGERS):
                return False
            cursor.execute(SQLITE_TABLE_SQL)
            for statement in SQLITE_TRIGGER_SQL:
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        return True
    return False


def drop_index(connection: BaseDatabaseWrapper) -> None:
    statements = {"postgresql": PG_DROP_SQL, "sqlite": SQLITE_DROP_SQL}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def rebuild_database_index(connection: BaseDatabaseWrapper | None = None) -> None:
    """Rebuild the database's index from the stored columns (SQLite; PostgreSQL keeps its own)."""
    connection = connection or default_connection
    if connection.vendor == "sqlite":
        install_index(connection)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
