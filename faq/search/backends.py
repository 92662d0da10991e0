"""The database back ends: the parsed query in PostgreSQL's and SQLite's full-text syntax,
run stage by stage (query.plan) over the articles a QuerySet selects.

The QuerySet's own filters (published, language, brand, category, anything a caller
chained) become the WHERE clause of the raw full-text SQL, so ``Article.objects
.published().search(q)`` searches exactly what ``published()`` selects. The index
itself (faq.search.index) holds every article: visibility is checked at query time.
"""

from __future__ import annotations

import time

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import OperationalError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet

from .fields import Row, rank_pool
from .index import FTS_TABLE
from .query import BODY, REST, TITLE, TITLES, TOP_UP_BELOW, Query, Stage, Term, plan, strong_terms
from .rarity import document_frequencies, idf

#: A body pass that takes longer is dropped once an earlier pass found something (run_with_timeout).
BODY_PASS_TIMEOUT_MS = 20

# title, summary, body: PostgreSQL weights A, B, C (ts_rank's weight array is
# {D, C, B, A}); SQLite's bm25 takes one weight per FTS5 column.
PG_WEIGHTS = "{0.1, 0.25, 0.5, 1.0}"
SQLITE_WEIGHTS = "4.0, 2.0, 1.0"

Hits = list[tuple[int, float]]  # (article id, score), best first


def _pg_term(term: Term) -> str:
    alternatives = [" & ".join(alternative) for alternative in term.alternatives]
    if len(alternatives) == 1 and len(term.alternatives[0]) == 1:
        return alternatives[0]
    return "(" + " | ".join(f"({alternative})" for alternative in alternatives) + ")"


def _fts_term(term: Term) -> str:
    alternatives = [" AND ".join(f'"{token}"' for token in alternative) for alternative in term.alternatives]
    return "(" + " OR ".join(f"({alternative})" for alternative in alternatives) + ")"


def match_expression(terms: tuple[Term, ...], *, vendor: str, any_term: bool) -> str:
    """The terms in the database's syntax. Tokens only hold [CJK a-z0-9], so need no escaping."""
    if vendor == "postgresql":
        return (" | " if any_term else " & ").join(_pg_term(term) for term in terms)
    return (" OR " if any_term else " AND ").join(_fts_term(term) for term in terms)


def term_rarity(terms: tuple[Term, ...], articles: QuerySet) -> dict[Term, float]:
    """Each term's IDF in the index: an alternative is as rare as its rarest token, a term as
    common as its alternatives together; a term no article holds gets 0."""
    tokens = [token for term in terms for alternative in term.alternatives for token in alternative]
    frequencies, size = document_frequencies(list(dict.fromkeys(tokens)), articles)
    rarity = {}
    for term in terms:
        frequency = sum(min(frequencies[token] for token in alternative) for alternative in term.alternatives)
        rarity[term] = idf(min(frequency, size), size) if frequency else 0.0
    return rarity


def queryset_condition(articles: QuerySet) -> tuple[str, list] | None:
    """The QuerySet's filters as SQL over the unaliased article table; None if it selects nothing.

    A QuerySet over the article table alone (the usual case: published, language, brand's
    EXISTS) is inlined, so the database combines it with the full-text match freely; one
    with joins, slices or DISTINCT becomes an `id IN (…)` subquery.
    """
    query = articles.query
    if query.is_empty():
        return None
    table = articles.model._meta.db_table
    if len(query.alias_map) <= 1 and not query.is_sliced and not query.distinct:
        compiler = query.get_compiler(using=articles.db)
        try:
            sql, params = compiler.compile(query.where)
        except EmptyResultSet:
            return None
        except FullResultSet:
            return "1 = 1", []
        return sql, list(params)
    try:
        sql, params = articles.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None
    return f"{table}.id IN ({sql})", list(params)


def _pg_score(stage: Stage, rarity: dict[Term, float]) -> tuple[str, list]:
    """PostgreSQL's rank of a candidate `c`: each term's ts_rank (title A, summary B, body C)
    weighted by its IDF, as bm25 does on SQLite; ts_rank alone treats every word alike.

    Only over the small title vectors: a whole article's tsvector is stored out of line, and
    every ts_rank call reads it again, so the passes over bodies rank with one call."""
    if len(stage.terms) == 1 or not rarity or stage.fields in (REST, BODY):
        return f"ts_rank('{PG_WEIGHTS}', c.v, c.q, 1)", []
    parts, params = [], []
    for term in stage.terms:
        parts.append(f"ts_rank('{PG_WEIGHTS}', c.v, to_tsquery('simple', %s), 1) * %s")
        params += [_pg_term(term), max(rarity.get(term, 0.0), 0.01)]
    return " + ".join(parts), params


def _stage_sql(stage: Stage, condition: str, table: str, vendor: str, score: str) -> tuple[str, str]:
    """(SQL, match expression) of one stage; parameters: the score's, expression, condition's,
    [cap], limit. A pooled stage's rows also carry the title's and summary's tokens."""
    expression = match_expression(stage.terms, vendor=vendor, any_term=stage.any_term)
    limit_sql = " LIMIT %s" if stage.cap else ""
    fields, inner = (
        (", c.search_title, c.search_summary", f", {table}.search_title, {table}.search_summary")
        if stage.pool is not None
        else ("", "")
    )
    if vendor == "postgresql":
        vector, excluded = {
            TITLE: ("search_heading_vector", None),
            TITLES: ("search_title_vector", None),
            REST: ("search_vector", "search_heading_vector"),
            BODY: ("search_vector", "search_title_vector"),
        }[stage.fields]
        where = f"{table}.{vector} @@ q.q" + (f" AND NOT {table}.{excluded} @@ q.q" if excluded else "")
        # Which matches a capped pass ranks: those whose title and summary (a small vector kept
        # in the row) hold the words first, not the first in the table's order (an article
        # rewritten since the bulk load sits at the end of the table, past the cap).
        first = (
            f" ORDER BY ts_rank({table}.search_title_vector, q.q) DESC"
            if stage.cap and stage.fields != BODY
            else ""
        )
        sql = (
            f"SELECT c.id, round(({score})::numeric, 5) AS score{fields} FROM ("
            f"SELECT {table}.id, {table}.is_featured, {table}.{vector} AS v, q.q{inner} FROM {table},"
            f" to_tsquery('simple', %s) AS q(q) WHERE {where} AND {condition}{first}{limit_sql}"
            ") c ORDER BY score DESC, c.is_featured DESC, c.id LIMIT %s"
        )
        return sql, expression
    titles = "{search_title search_summary} : (" + expression + ")"
    expression = {
        TITLE: "{search_title} : (" + expression + ")",
        TITLES: titles,
        BODY: f"({expression}) NOT {titles}",
        REST: "(" + expression + ") NOT {search_title} : (" + expression + ")",
    }[stage.fields]
    sql = (
        f"SELECT c.id, c.score{fields} FROM ("
        f"SELECT {table}.id, {table}.is_featured, round(-bm25({FTS_TABLE}, {SQLITE_WEIGHTS}), 5) AS score{inner}"
        # CROSS JOIN makes SQLite run the MATCH once and look articles up by id, rather
        # than scan articles and run the MATCH for each (which it may pick otherwise).
        f" FROM {FTS_TABLE} CROSS JOIN {table} ON {table}.id = {FTS_TABLE}.rowid"
        f" WHERE {FTS_TABLE} MATCH %s AND {condition}{limit_sql}"
        ") c ORDER BY c.score DESC, c.is_featured DESC, c.id LIMIT %s"
    )
    return sql, expression


def _run(
    stage: Stage,
    condition: tuple[str, list],
    rarity: dict[Term, float],
    *,
    table: str,
    limit: int,
    connection,
    time_limited: bool = True,
) -> list:
    """The stage's hits, or its rows (faq.search.fields.Row) when it is pooled."""
    score, score_params = _pg_score(stage, rarity) if connection.vendor == "postgresql" else ("", [])
    sql, expression = _stage_sql(stage, condition[0], table, connection.vendor, score)
    params = [*score_params, expression, *condition[1], *([stage.cap] if stage.cap else []), limit]
    if stage.fields in (BODY, REST) and time_limited:
        return run_with_timeout(sql, params, connection=connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row_id, float(score), *fields) for row_id, score, *fields in cursor.fetchall()]


def run_with_timeout(
    sql: str, params: list, *, connection: BaseDatabaseWrapper, timeout_ms: int | None = None
) -> list:
    """Run a body pass, giving up (no rows) after `timeout_ms` (BODY_PASS_TIMEOUT_MS).

    On 100,000 articles a query of common words can match tens of thousands: PostgreSQL's
    ts_rank reads every candidate's whole tsvector, and SQLite's FTS5 reads every match when
    the query's other filters (an English query among Chinese articles) keep rejecting them.
    The earlier passes have already found the best answers by then, so a late body pass is
    dropped rather than waited for (only when they have found something: ranked_ids). A quiet
    server with a few thousand articles never reaches the limit.
    """
    timeout_ms = BODY_PASS_TIMEOUT_MS if timeout_ms is None else timeout_ms
    if connection.vendor == "sqlite":
        return _sqlite_with_timeout(sql, params, connection=connection, timeout_ms=timeout_ms)
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, true)",
                [f"{timeout_ms}ms"],
            )
            previous = cursor.fetchone()[0]
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != "57014":  # query_canceled
            raise
        return []
    return [(row_id, float(score), *fields) for row_id, score, *fields in rows]


#: SQLite calls the progress handler every this many virtual machine instructions (tens of µs).
SQLITE_PROGRESS_STEPS = 1000


def _sqlite_with_timeout(sql: str, params: list, *, connection: BaseDatabaseWrapper, timeout_ms: int) -> list:
    """SQLite has no statement timeout: a progress handler that answers true past the deadline
    interrupts the statement (a SELECT: nothing to roll back)."""
    if connection.allow_thread_sharing:
        # One connection used by several threads (Django's live server over an in-memory test
        # database): setting the handler takes the connection's mutex while holding the GIL,
        # and the handler of a statement running in another thread needs the GIL to answer,
        # so the two threads would wait for each other forever. No limit then.
        return _scored_rows(sql, params, connection=connection)
    deadline = time.perf_counter() + timeout_ms / 1000
    connection.ensure_connection()
    raw = connection.connection
    raw.set_progress_handler(lambda: time.perf_counter() > deadline, SQLITE_PROGRESS_STEPS)
    try:
        return _scored_rows(sql, params, connection=connection)
    except OperationalError as error:
        if "interrupted" not in str(error):
            raise
        return []
    finally:
        raw.set_progress_handler(None, 0)


def _scored_rows(sql: str, params: list, *, connection: BaseDatabaseWrapper) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [(row_id, float(score), *fields) for row_id, score, *fields in rows]


def present_terms(terms: tuple[Term, ...], rarity: dict[Term, float]) -> tuple[Term, ...]:
    """The terms some article holds, unless none does: a word no article holds (怎样才能, a
    phrase jieba kept whole) would make every pass over all the words find nothing."""
    present = tuple(term for term in terms if rarity.get(term, 0.0) > 0)
    return present if rarity and present else terms


def ranked_ids(query: Query, articles: QuerySet, *, limit: int) -> Hits:
    """(article id, score) pairs of `articles` matching `query`, best first, by its plan."""
    condition = queryset_condition(articles) if query else None
    if condition is None:
        return []
    connection = connections[articles.db]
    table = articles.model._meta.db_table
    terms = strong_terms(query)
    rarity = term_rarity(terms, articles) if len(terms) > 1 else {}
    terms = present_terms(terms, rarity)
    hits: Hits = []
    pool: list[tuple[list[Row], bool]] = []
    stages = plan(terms, rarity)
    for number, stage in enumerate(stages):
        if len(hits) >= limit or (
            stage.any_term and stage.pool is None and len(hits) >= min(TOP_UP_BELOW, limit)
        ):
            break
        # A body pass is dropped when slow only if something was found already: dropped when
        # nothing was, it left the page empty (a loaded server, an answer whose title words
        # differ from the query's: 重复扣款 for "同一笔订单被扣了两次钱").
        found = _run(
            stage,
            condition,
            rarity,
            table=table,
            limit=limit,
            connection=connection,
            time_limited=bool(hits or any(pooled_hits for pooled_hits, _ in pool)),
        )
        if stage.pool is not None:
            pool.append((found, not stage.any_term and stage.fields == REST))
            if number + 1 < len(stages) and stages[number + 1].pool == stage.pool:
                continue
            found, pool = rank_pool(pool, terms, rarity), []
        seen = {row_id for row_id, _ in hits}
        hits += [(row_id, score) for row_id, score in found if row_id not in seen][: limit - len(hits)]
    return hits
