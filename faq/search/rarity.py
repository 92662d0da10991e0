"""How informative each word of a query is: its rarity in the index (inverse document frequency).

The plan (faq.search.query) relaxes a query that finds too little by dropping its least
informative word first, and ranks articles whose title holds the rarest (core) words first.
Counts come from the full-text index itself (capped: past RARITY_CAP articles a word is
common, and how common no longer matters), cached for an hour (see document_frequencies).
"""

from __future__ import annotations

import math

from django.core.cache import cache
from django.db import connections
from django.db.models import QuerySet

from pagecache.versions import current_version

from .index import FTS_TABLE

#: Words in more articles than this all count as this common.
RARITY_CAP = 2000
RARITY_CACHE_SECONDS = 60 * 60


def _count_sql(vendor: str, table: str) -> str:
    if vendor == "postgresql":
        return (
            f"SELECT count(*) FROM (SELECT 1 FROM {table}"
            " WHERE search_vector @@ to_tsquery('simple', %s) LIMIT %s) s"
        )
    return f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s) s"


def _counted(tokens: list[str], articles: QuerySet) -> dict[str, int]:
    """Articles per token (whatever their status or language: the index holds all of them),
    and under "" the number of articles."""
    connection = connections[articles.db]
    table = articles.model._meta.db_table
    one = _count_sql(connection.vendor, table)
    quote = (lambda token: token) if connection.vendor == "postgresql" else (lambda token: f'"{token}"')
    # The number of articles: PostgreSQL's own estimate once the table has been analysed (a
    # count would read 100,000 rows), else a count; SQLite's highest id is near enough.
    size = (
        f"SELECT CASE WHEN reltuples > 0 THEN reltuples::bigint ELSE (SELECT count(*) FROM {table}) END"
        f" FROM pg_class WHERE oid = '{table}'::regclass"
        if connection.vendor == "postgresql"
        else f"SELECT coalesce(max(id), 0) FROM {table}"
    )
    sql = [f"SELECT -1, ({size})"]
    sql += [f"SELECT {position}, ({one})" for position in range(len(tokens))]
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(sql), [value for token in tokens for value in (quote(token), RARITY_CAP)]
        )
        counts = dict(cursor.fetchall())
    return {"": counts[-1]} | {token: counts[position] for position, token in enumerate(tokens)}


def document_frequencies(tokens: list[str], articles: QuerySet) -> tuple[dict[str, int], int]:
    """(articles holding each token, articles in all), from the cache or counted now.

    Kept across content versions (for RARITY_CACHE_SECONDS): one saved article moves a word's
    count by one at most, which changes nothing in the plan, and counting again after every
    save made the first search after it pay for every word anew. A word no article held is
    the exception, counted again on the next content version: the article just saved may be
    the first to use it.
    """
    version = current_version()
    keys = {token: f"faq:search:df:{token}" for token in dict.fromkeys([*tokens, ""])}
    keys[""] = f"faq:search:df:{version}:"  # the number of articles: cheap, and counted per version
    absent = {token: f"faq:search:df0:{version}:{token}" for token in keys}
    known = _remembered([*keys.values(), *absent.values()], version)
    found = {token: known.get(keys[token], known.get(absent[token])) for token in keys}
    missing = [token for token, count in found.items() if count is None]
    if missing:
        counted = _counted([token for token in missing if token], articles)
        _remember(
            {
                (keys[token] if count or not token else absent[token]): count
                for token, count in counted.items()
            },
            version,
        )
        found.update(counted)
    return {token: found[token] for token in tokens}, found[""]


#: This process's copy of the counts of one content version, in front of the shared cache.
_local: tuple[str, dict[str, int]] = ("", {})
#: Past this many counts the process's copy starts again (a few MB at most).
LOCAL_COUNTS = 50_000


def _local_counts(version: str) -> dict[str, int]:
    global _local
    if _local[0] != version:
        _local = (version, {})
    return _local[1]


def _remembered(keys: list[str], version: str) -> dict[str, int]:
    """The counts of `keys` this process (for this content version) or the shared cache holds.

    A search asks for every word of its query, and a query's words are mostly words asked
    before: from the process's copy they cost no round trip, and they survive an in-process
    cache's culling (LocMemCache keeps 300 entries, fewer than the words of a few hundred
    queries: culled counts were counted again on the next search). A new content version
    starts the copy again from the shared cache, so a cleared cache is never outlived."""
    local = _local_counts(version)
    found = {key: local[key] for key in keys if key in local}
    rest = [key for key in keys if key not in found]
    if rest:
        shared = cache.get_many(rest)
        _keep(local, shared)
        found.update(shared)
    return found


def _remember(counts: dict[str, int], version: str) -> None:
    cache.set_many(counts, RARITY_CACHE_SECONDS)
    _keep(_local_counts(version), counts)


def _keep(local: dict[str, int], counts: dict[str, int]) -> None:
    if len(local) + len(counts) > LOCAL_COUNTS:
        local.clear()
    local.update(counts)


def idf(frequency: int, size: int) -> float:
    """bm25's inverse document frequency: near 0 for a word in most articles, high for a rare one."""
    return math.log(1 + (size - frequency + 0.5) / (frequency + 0.5))
