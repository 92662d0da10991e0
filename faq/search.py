"""Article search: normalisation, Chinese segmentation, the database index and ranking.

Everything language-specific happens here, in Python, so that SQLite (FTS5) and
PostgreSQL (tsvector + GIN) index and query the very same tokens:

1. ``normalize``: NFKC, lower case, Traditional → Simplified with zhconv
   (``zh-cn``), and 帐 → 账, the form our articles use.
2. ``tokenize``: jieba's search mode (``cut_for_search``), then every token is
   split into runs of CJK or of ASCII letters and digits, and English words get a
   light plural/suffix stemmer. Punctuation never reaches the database, so both
   databases' own tokenizers only ever split on the spaces we put in.
3. ``save()`` stores the tokens in ``Article.search_title/search_summary/search_body``;
   the database indexes those columns (see ``install_index``). The index does not
   depend on status or publish time: visibility is checked at query time, so the
   admin's ``queryset.update()`` publish/unpublish actions need no reindexing.
4. ``ranked_ids`` runs the query plan (``PLAN``): title first (AND over titles and
   summaries), then AND over the rest with a bounded number of ranked matches, then,
   when fewer than ``TOP_UP_BELOW`` articles were found, OR over titles and over the
   rest. Titles weigh more than summaries, summaries more than bodies; featured
   articles break ties.
5. ``highlight``/``snippet`` mark the matched words on the original text.

Changing the tokenizer (dictionary, stop words, normalisation) changes the stored
tokens: bump ``SEARCH_VERSION`` and run ``manage.py rebuild_search_index``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import unescape

import zhconv
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Case, FloatField, IntegerField, Value, When
from django.utils import timezone
from django.utils.html import conditional_escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from pagecache.schedule import next_scheduled_change
from pagecache.versions import content_changed, current_version

SEARCH_VERSION = 1
MIN_QUERY_CHARS = 2
#: The most articles one search returns (five pages of twenty).
RESULT_LIMIT = 100
#: Below this many AND matches, the OR top-ups run.
TOP_UP_BELOW = 10
#: The passes over body text rank at most this many matching articles (see PLAN).
BODY_CANDIDATE_CAP = 300
OR_CANDIDATE_CAP = 300
#: PostgreSQL only: a body pass that takes longer is dropped (see _run_with_timeout).
BODY_PASS_TIMEOUT_MS = 20
SYNONYMS_CACHE_KEY = "faq:search:synonyms"

FTS_TABLE = "faq_article_fts"
# title, summary, body: PostgreSQL weights A, B, C (ts_rank's weight array is
# {D, C, B, A}); SQLite's bm25 takes one weight per FTS5 column.
PG_WEIGHTS = "{0.1, 0.25, 0.5, 1.0}"
SQLITE_WEIGHTS = "4.0, 2.0, 1.0"

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(f"[{_CJK}]+|[a-z0-9]+")
_NON_TOKEN_RE = re.compile(f"[^{_CJK}a-z0-9]+")
# zhconv's zh-cn leaves the variant 帐 alone; the articles (and mainland usage) write 账.
_VARIANTS = str.maketrans({"帐": "账"})

# Words that carry no topic in a question. Dropped from queries only; the index keeps them.
STOP_WORDS = frozenset(
    """
    的 了 吗 呢 吧 啊 呀 么 嘛 是 在 我 你 您 他 她 它 和 与 或 就 都 也 还 又 把 被 让 给 对 从 到 于 这 那 个 一
    我的 我们 你们 您的 怎么 怎么办 怎样 怎么样 如何 什么 为什么 为何 哪里 哪儿 哪个 请问 一下 可以 能否 能不能
    是否 有没有 要 会 能 想 应该 需要 已经 这个 那个 时候
    a an the to of in on at for and or is are was be do does did can could how what why when where which
    who i my me we our you your it its this that with from by as if please
    """.split()  # noqa: SIM905 - a word list reads better as text
)

_SUFFIXES = (("sses", "ss"), ("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))
_KEEP_S = ("ss", "us", "is")


def normalize(text: str) -> str:
    """Fold width, case and Traditional characters into the form the index stores."""
    text = unicodedata.normalize("NFKC", text).lower()
    return zhconv.convert(text, "zh-cn").translate(_VARIANTS)


def stem(word: str) -> str:
    """A light English stemmer: refunds/refunded/refunding → refund; short words stay."""
    if not word.isascii() or not word.isalpha() or len(word) <= 3:
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(_KEEP_S):
                return word
            if suffix == "es" and not word.endswith(("shes", "ches", "xes", "sses", "zes")):
                continue
            return word[: -len(suffix)] + replacement
    return word


# jieba ------------------------------------------------------------------------------

_tokenizer = None
_tokenizer_lock = threading.Lock()


def segmenter():
    """jieba's tokenizer, loaded once per process (about 0.6 s and 85 MB).

    Servers call ``warm_up()`` at start (helpcenter/wsgi.py) so no request pays for
    it. jieba caches its parsed dictionary in a file; ``JIEBA_CACHE_DIR`` puts that
    file somewhere writable (the system temp directory otherwise).
    """
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                import jieba

                # jieba logs its dictionary loading at DEBUG through a handler of its own.
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                cache_dir = getattr(settings, "JIEBA_CACHE_DIR", "")
                if cache_dir:
                    tokenizer.tmp_dir = str(cache_dir)
                tokenizer.initialize()
                _tokenizer = tokenizer
    return _tokenizer


def warm_up() -> None:
    """Load the segmenter now rather than on the first search."""
    segmenter()


def _tokens(normalized: str) -> list[str]:
    tokens = []
    for chunk in _NON_TOKEN_RE.split(normalized):
        if not chunk:
            continue
        for word in segmenter().cut_for_search(chunk):
            tokens.extend(stem(piece) for piece in _TOKEN_RE.findall(word))
    return tokens


def tokenize(text: str) -> list[str]:
    """The index tokens of `text`, in order (repeats kept)."""
    return _tokens(normalize(text))


def index_text(text: str) -> str:
    """What the database indexes for `text`: its tokens separated by spaces."""
    return " ".join(tokenize(text))


def search_columns(*, title: str, summary: str, body: str) -> dict[str, object]:
    """The stored search columns of an article (see Article.save)."""
    return {
        "search_title": index_text(title),
        "search_summary": index_text(summary),
        "search_body": index_text(markdown_text(body)),
        "search_version": SEARCH_VERSION,
    }


_MARKDOWN_NOISE_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[#>*_`|~]+")


def markdown_text(body: str) -> str:
    """Markdown source reduced to its words: link text kept, URLs and markup dropped."""
    return _MARKDOWN_NOISE_RE.sub(lambda match: match.group(1) or " ", body)


# Queries ------------------------------------------------------------------------------

Alternative = tuple[str, ...]  # tokens that must all match


@dataclass(frozen=True)
class Term:
    """One word of the query and its synonyms: any alternative may match."""

    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class Query:
    text: str
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def words(self) -> list[str]:
        """The strings to highlight, longest first: multi-character words and joined runs."""
        words: set[str] = set()
        for term in self.terms:
            for alternative in term.alternatives:
                joined = "".join(alternative)
                if len(joined) >= 2 or joined.isdigit():
                    words.add(joined)
                words.update(token for token in alternative if len(token) >= 2)
        return sorted(words, key=lambda word: (-len(word), word))


def synonym_groups() -> list[tuple[Alternative, ...]]:
    """Staff-maintained synonym groups, tokenized; cached per content version (a change to a
    group moves the version on every worker, see pagecache/versions.py)."""
    key = f"{SYNONYMS_CACHE_KEY}:{current_version()}"
    groups = cache.get(key)
    if groups is None:
        from .models import Synonym

        groups = []
        for words in Synonym.objects.values_list("words", flat=True):
            alternatives = tuple(dict.fromkeys(tuple(tokenize(word)) for word in split_synonyms(words)))
            alternatives = tuple(alternative for alternative in alternatives if alternative)
            if len(alternatives) >= 2:
                groups.append(alternatives)
        cache.set(key, groups, 60 * 60)
    return groups


def split_synonyms(words: str) -> list[str]:
    return [word.strip() for word in re.split(r"[,，、;；\n]+", words) if word.strip()]


def forget_synonyms() -> None:
    """Read the synonyms again on the next query (a Synonym save or delete already does this)."""
    content_changed()


def parse_query(text: str, *, synonyms: Sequence[tuple[Alternative, ...]] | None = None) -> Query:
    """Segment a user's query, drop question words, and widen words that have synonyms."""
    normalized = normalize(text).strip()
    tokens = [token for token in dict.fromkeys(_tokens(normalized)) if token not in STOP_WORDS]
    if synonyms is None:
        synonyms = synonym_groups()
    by_tokens = {alternative: group for group in synonyms for alternative in group}
    longest = max((len(alternative) for alternative in by_tokens), default=0)
    terms: list[Term] = []
    position = 0
    while position < len(tokens):
        for size in range(min(longest, len(tokens) - position), 0, -1):
            group = by_tokens.get(tuple(tokens[position : position + size]))
            if group is not None:
                terms.append(Term(group))
                position += size
                break
        else:
            terms.append(Term(((tokens[position],),)))
            position += 1
    return Query(text=normalized, terms=tuple(dict.fromkeys(terms)))


# Database ------------------------------------------------------------------------------


def _pg_term(term: Term) -> str:
    alternatives = [" & ".join(alternative) for alternative in term.alternatives]
    if len(alternatives) == 1 and len(term.alternatives[0]) == 1:
        return alternatives[0]
    return "(" + " | ".join(f"({alternative})" for alternative in alternatives) + ")"


def _fts_term(term: Term) -> str:
    alternatives = [" AND ".join(f'"{token}"' for token in alternative) for alternative in term.alternatives]
    return "(" + " OR ".join(f"({alternative})" for alternative in alternatives) + ")"


#: A single character more frequent than this in jieba's dictionary (不, 到, 人, 中…) says too
#: little on its own to be an OR term, and matches a large share of all articles.
COMMON_CHARACTER_FREQUENCY = 20_000


def _is_weak(term: Term) -> bool:
    def weak(alternative: Alternative) -> bool:
        if len(alternative) != 1 or len(alternative[0]) != 1:
            return False
        token = alternative[0]
        return token.isascii() or segmenter().FREQ.get(token, 0) > COMMON_CHARACTER_FREQUENCY

    return all(weak(alternative) for alternative in term.alternatives)


def _strong_terms(query: Query) -> tuple[Term, ...]:
    """The words worth matching: all but common single characters, unless that is all there is.

    Dropping them loses little (the other words carry the topic) and saves reading their huge
    posting lists, for AND as well as OR."""
    strong = tuple(term for term in query.terms if not _is_weak(term))
    return strong or query.terms


def match_expression(query: Query, *, vendor: str, any_term: bool) -> str:
    """The query in the database's syntax. Tokens only hold [CJK a-z0-9], so need no escaping."""
    terms = _strong_terms(query)
    if vendor == "postgresql":
        return (" | " if any_term else " & ").join(_pg_term(term) for term in terms)
    return (" OR " if any_term else " AND ").join(_fts_term(term) for term in terms)


@dataclass(frozen=True)
class Filters:
    language: str
    brand_id: int | None = None
    category_id: int | None = None
    now: datetime | None = None


def _visible_sql(filters: Filters, connection: BaseDatabaseWrapper) -> tuple[str, list]:
    from .models import Article

    through = Article.brands.through._meta.db_table
    sql = ["a.status = %s", "a.published_at <= %s", "a.language = %s"]
    now = connection.ops.adapt_datetimefield_value(filters.now or timezone.now())
    params: list = [str(Article.Status.PUBLISHED), now, filters.language]
    if filters.brand_id is not None:
        # An article naming no brand applies to every brand (ArticleQuerySet.for_brand).
        sql.append(
            f"(EXISTS (SELECT 1 FROM {through} ab WHERE ab.article_id = a.id AND ab.brand_id = %s)"
            f" OR NOT EXISTS (SELECT 1 FROM {through} ab WHERE ab.article_id = a.id))"
        )
        params.append(filters.brand_id)
    if filters.category_id is not None:
        sql.append("a.category_id = %s")
        params.append(filters.category_id)
    return " AND ".join(sql), params


@dataclass(frozen=True)
class Stage:
    """One step of the query plan."""

    any_term: bool  # OR instead of AND
    titles: bool  # match titles and summaries only (a small index), or everything but those matches
    cap: int | None = None  # rank at most this many matching articles


# Title-first: articles whose title or summary holds every word rank above those where the
# words are only in the body, and the title index is small, so its matches are cheap to rank.
# The body passes rank a bounded sample, so a query of common words costs about the same on
# 100 or 100,000 articles. The OR passes run only when the AND passes found too little.
PLAN = (
    Stage(any_term=False, titles=True),
    Stage(any_term=False, titles=False, cap=BODY_CANDIDATE_CAP),
    Stage(any_term=True, titles=True, cap=OR_CANDIDATE_CAP),
    Stage(any_term=True, titles=False, cap=OR_CANDIDATE_CAP),
)


def _run(
    query: Query, filters: Filters, stage: Stage, *, limit: int, connection: BaseDatabaseWrapper
) -> list[tuple[int, float]]:
    from .models import Article

    table = Article._meta.db_table
    visible, visible_params = _visible_sql(filters, connection)
    expression = match_expression(query, vendor=connection.vendor, any_term=stage.any_term)
    limit_sql, cap_params = (" LIMIT %s", [stage.cap]) if stage.cap else ("", [])
    if connection.vendor == "postgresql":
        if stage.titles:
            vector, where = "search_title_vector", "a.search_title_vector @@ q.q"
        else:
            vector = "search_vector"
            where = "a.search_vector @@ q.q AND NOT a.search_title_vector @@ q.q"
        sql = (
            f"SELECT c.id, round(ts_rank('{PG_WEIGHTS}', c.v, c.q, 1)::numeric, 5) AS score FROM ("
            f"SELECT a.id, a.is_featured, a.{vector} AS v, q.q FROM {table} a,"
            f" to_tsquery('simple', %s) AS q(q) WHERE {where} AND {visible}{limit_sql}"
            ") c ORDER BY score DESC, c.is_featured DESC, c.id LIMIT %s"
        )
    else:
        titles = "{search_title search_summary} : (" + expression + ")"
        expression = titles if stage.titles else f"({expression}) NOT {titles}"
        sql = (
            f"SELECT c.id, c.score FROM ("
            f"SELECT a.id, a.is_featured, round(-bm25({FTS_TABLE}, {SQLITE_WEIGHTS}), 5) AS score"
            # CROSS JOIN makes SQLite run the MATCH once and look articles up by id, rather
            # than scan articles and run the MATCH for each (which it may pick otherwise).
            f" FROM {FTS_TABLE} CROSS JOIN {table} a ON a.id = {FTS_TABLE}.rowid"
            f" WHERE {FTS_TABLE} MATCH %s AND {visible}{limit_sql}"
            ") c ORDER BY c.score DESC, c.is_featured DESC, c.id LIMIT %s"
        )
    params = [expression, *visible_params, *cap_params, limit]
    if connection.vendor == "postgresql" and not stage.titles:
        return _run_with_timeout(sql, params, connection=connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row_id, float(score)) for row_id, score in cursor.fetchall()]


def _run_with_timeout(sql: str, params: list, *, connection: BaseDatabaseWrapper) -> list[tuple[int, float]]:
    """Run a body pass on PostgreSQL, giving up (no rows) after BODY_PASS_TIMEOUT_MS.

    ts_rank reads every candidate's whole tsvector, and on 100,000 articles a query of
    common words can match tens of thousands: the title passes have already found the
    best answers by then, so a late body pass is dropped rather than waited for. Help
    centers of a few thousand articles never reach the limit. SQLite's FTS5 ranks in C
    from its posting lists and needs no limit.
    """
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, true)",
                [f"{BODY_PASS_TIMEOUT_MS}ms"],
            )
            previous = cursor.fetchone()[0]
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != "57014":  # query_canceled
            raise
        return []
    return [(row_id, float(score)) for row_id, score in rows]


def ranked_ids(
    query: Query,
    filters: Filters,
    *,
    limit: int = RESULT_LIMIT,
    connection: BaseDatabaseWrapper | None = None,
) -> list[tuple[int, float]]:
    """(article id, score) pairs, best first, by the stages of PLAN."""
    if not query:
        return []
    connection = connection or default_connection
    hits: list[tuple[int, float]] = []
    for stage in PLAN:
        if stage.any_term and (len(_strong_terms(query)) == 1 or len(hits) >= min(TOP_UP_BELOW, limit)):
            break
        if len(hits) >= limit:
            break
        seen = {row_id for row_id, _ in hits}
        found = _run(query, filters, stage, limit=limit, connection=connection)
        hits += [(row_id, score) for row_id, score in found if row_id not in seen][: limit - len(hits)]
    return hits


def search_articles(
    query: str | Query,
    *,
    language: str,
    brand=None,
    category=None,
    limit: int = RESULT_LIMIT,
    now: datetime | None = None,
):
    """Published articles in `language` (and brand, category) matching `query`, best first.

    Returns a QuerySet (so it paginates) annotated with `search_score`.
    """
    from .models import Article

    if not isinstance(query, Query):
        query = parse_query(query)
    filters = Filters(
        language=language,
        brand_id=brand.pk if brand is not None else None,
        category_id=category.pk if category is not None else None,
        now=now,
    )
    hits = (
        ranked_ids(query, filters, limit=limit)
        if now is not None
        else _cached_ranked_ids(query, filters, limit)
    )
    if not hits:
        return Article.objects.none()
    positions = [When(pk=row_id, then=Value(position)) for position, (row_id, _) in enumerate(hits)]
    scores = [When(pk=row_id, then=Value(score)) for row_id, score in hits]
    return (
        Article.objects.filter(pk__in=[row_id for row_id, _ in hits])
        .defer("body", "toc_html", "search_title", "search_summary", "search_body")
        .select_related("category")
        .prefetch_related("brands")
        .annotate(
            search_position=Case(*positions, output_field=IntegerField()),
            search_score=Case(*scores, output_field=FloatField()),
        )
        .order_by("search_position")
    )


RESULTS_CACHE_SECONDS = 300


def _cached_ranked_ids(query: Query, filters: Filters, limit: int) -> list[tuple[int, float]]:
    """`ranked_ids`, remembered per parsed query, filters and content version.

    The parsed query is already normalised (case, width, Traditional forms, stop words), so
    "忘记密码", "忘記密碼" and "忘记密码？" share an entry. A change to any article or synonym
    moves the content version; a scheduled article becoming visible caps the lifetime.
    """
    version = current_version()
    described = repr((query.terms, filters.language, filters.brand_id, filters.category_id, limit))
    key = f"faq:search:ids:{version}:{hashlib.sha256(described.encode()).hexdigest()}"
    hits = cache.get(key)
    if hits is None:
        hits = ranked_ids(query, filters, limit=limit)
        lifetime = RESULTS_CACHE_SECONDS
        scheduled = next_scheduled_change(version)
        if scheduled is not None:
            lifetime = min(lifetime, int((scheduled - timezone.now()).total_seconds()))
        if lifetime > 0:
            cache.set(key, hits, lifetime)
    return hits


# Index -------------------------------------------------------------------------------

PG_INDEX_SQL = [
    """ALTER TABLE faq_article ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, search_title), 'A')
        || setweight(to_tsvector('simple'::regconfig, search_summary), 'B')
        || setweight(to_tsvector('simple'::regconfig, search_body), 'C')) STORED""",
    """ALTER TABLE faq_article ADD COLUMN IF NOT EXISTS search_title_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, search_title), 'A')
        || setweight(to_tsvector('simple'::regconfig, search_summary), 'B')) STORED""",
    "CREATE INDEX IF NOT EXISTS faq_article_search_idx ON faq_article USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS faq_article_search_title_idx ON faq_article USING gin (search_title_vector)",
]
PG_DROP_SQL = [
    "DROP INDEX IF EXISTS faq_article_search_title_idx",
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
                " WHERE table_name = 'faq_article' AND column_name IN ('search_vector', 'search_title_vector')"
                " AND table_schema = current_schema()"
            )
            if cursor.fetchone()[0] == 2:
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


# Highlighting -------------------------------------------------------------------------

SNIPPET_CHARS = 110


_shadow_table: dict[int, str] | None = None


def _shadow_characters() -> dict[int, str]:
    """One-to-one character folding for highlighting: full width → ASCII, zhconv's
    single-character Traditional → Simplified mappings, 帐 → 账. `str.translate` with it
    is ~100 times faster than zhconv's phrase converter, and never changes the length."""
    global _shadow_table
    if _shadow_table is None:
        from zhconv.zhconv import getdict

        table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
        table.update(
            {
                ord(k): v.translate(_VARIANTS)
                for k, v in getdict("zh-cn").items()
                if len(k) == 1 and len(v) == 1
            }
        )
        table.update(_VARIANTS)
        _shadow_table = table
    return _shadow_table


def _shadow(text: str) -> str:
    """`text` folded character by character (same length), to find query words in it."""
    folded = text.translate(_shadow_characters())
    lowered = folded.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower()[:1] for char in folded)


def _match_spans(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    words = [word for word in words if word]
    if not words or not text:
        return []
    shadow = _shadow(text)
    pattern = re.compile("|".join(re.escape(word) for word in words))
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(shadow):
        start, end = match.span()
        word = match.group()
        # Latin words match whole words (and their stems' endings: refund → refunds).
        if word.isascii() and (start > 0 and shadow[start - 1].isascii() and shadow[start - 1].isalnum()):
            continue
        if word.isascii():
            while end < len(shadow) and shadow[end].isascii() and shadow[end].isalpha():
                end += 1
        spans.append((start, end))
    return spans


def _marked(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    parts, position = [], start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(conditional_escape(text[position:span_start]))
        parts.append(f"<mark>{conditional_escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(conditional_escape(text[position:end]))
    return "".join(parts)


def highlight(text: str, words: Iterable[str]) -> SafeString:
    """`text` HTML-escaped, with every query word wrapped in <mark>."""
    return mark_safe(_marked(text, _match_spans(text, words)))  # noqa: S308 - every piece is escaped


# The "#" permalink faq.markdown adds to every heading is not part of the text.
_HEADING_ANCHOR = re.compile(r'<a\b[^>]*\bclass="heading-anchor"[^>]*>.*?</a>', re.S)


def plain_text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(strip_tags(_HEADING_ANCHOR.sub("", html)))).strip()


def snippet(text: str, words: Iterable[str], *, length: int = SNIPPET_CHARS) -> SafeString:
    """About `length` characters of `text` around the first matched word, escaped and marked."""
    spans = _match_spans(text, words)
    if not spans:
        cut = text[:length]
        return mark_safe(conditional_escape(cut) + ("…" if len(text) > length else ""))  # noqa: S308
    first = spans[0][0]
    start = max(0, first - length // 4)
    end = min(len(text), start + length)
    start = max(0, min(start, end - length))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + _marked(text, spans, start, end) + suffix)  # noqa: S308


def with_snippets(articles: Iterable, query: Query) -> list:
    """Set `highlighted_title` and `snippet` on each article (for one page of results)."""
    words = query.words
    articles = list(articles)
    for article in articles:
        article.highlighted_title = highlight(article.title, words)
        body = plain_text(article.body_html)
        body_spans = _match_spans(body, words)
        summary_spans = _match_spans(article.summary, words) if article.summary else []
        if summary_spans and not body_spans:
            article.snippet = snippet(article.summary, words)
        else:
            article.snippet = snippet(body or article.summary, words)
    return articles
