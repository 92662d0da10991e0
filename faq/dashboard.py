"""The search dashboard's numbers: searches that found nothing, searches whose results nobody
opened, and searches per day, for a period and brand (helpcenter/dashboards.py) and a language
("" for both).

Four queries whatever the log holds (searches per day reads the days already counted, then the
log for the others). Queries are grouped as logged: the log stores each query
already normalised (faq/search_log.py: width, case, Traditional to Simplified, spaces), so one
GROUP BY on the column groups 退款, 退款 and ＲＥＦＵＮＤ with their plain forms on both databases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from helpcenter.dashboards import Period
from helpcenter.day_counts import uncounted

from .models import SearchQueryLog
from .search_days import counted_days

TOP_ROWS = 20


@dataclass
class QueryRow:
    """One query as typed (normalised) in one language, with how often and when it was last searched."""

    query: str
    language: str
    searches: int
    last_seen: datetime
    brand_id: int | None = None  # the one brand every search came from, if there is one
    average_results: float | None = None


@dataclass
class DayRow:
    day: date
    total: int = 0
    no_result: int = 0
    opened: int = 0


@dataclass
class SearchSummary:
    period: Period
    language: str
    no_result: list[QueryRow]
    unopened: list[QueryRow]
    per_day: list[DayRow] = field(default_factory=list)


def searches_for(period: Period, language: str = "") -> QuerySet[SearchQueryLog]:
    """The log rows of the period, brand and language (all brands or languages when not chosen)."""
    logs = period.filter(SearchQueryLog.objects.all(), "created_at")
    return logs.filter(language=language) if language else logs


def _grouped(logs: QuerySet[SearchQueryLog]) -> QuerySet:
    """Searches per (query, language), most searched first, the latest first among equals.

    `brand_low`/`brand_high`/`unbranded` tell whether every search came from one brand (then an
    article written for it can name that brand) without a second query.
    """
    return (
        logs.values("query", "language")
        .annotate(
            searches=Count("pk"),
            last_seen=Max("created_at"),
            brand_low=Min("brand"),
            brand_high=Max("brand"),
            unbranded=Count("pk", filter=Q(brand__isnull=True)),
        )
        .order_by("-searches", "-last_seen", "query", "language")
    )


def _query_row(values: dict) -> QueryRow:
    single_brand = values["brand_low"] == values["brand_high"] and not values["unbranded"]
    return QueryRow(
        query=values["query"],
        language=values["language"],
        searches=values["searches"],
        last_seen=values["last_seen"],
        brand_id=values["brand_low"] if single_brand else None,
        average_results=values.get("average_results"),
    )


def no_result_queries(period: Period, language: str = "", limit: int = TOP_ROWS) -> list[QueryRow]:
    """The most frequent searches that found nothing: articles people looked for and we lack."""
    rows = _grouped(searches_for(period, language).filter(result_count=0))[:limit]
    return [_query_row(values) for values in rows]


def unopened_queries(period: Period, language: str = "", limit: int = TOP_ROWS) -> list[QueryRow]:
    """The most frequent searches that found something of which, in the period, no result was ever
    opened: the results did not look like answers (or the answer showed on the results page)."""
    rows = (
        _grouped(searches_for(period, language).filter(result_count__gt=0))
        .annotate(opened=Count("pk", filter=Q(clicked=True)), average_results=Avg("result_count"))
        .filter(opened=0)[:limit]
    )
    return [_query_row(values) for values in rows]


def searches_per_day(period: Period, language: str = "") -> list[DayRow]:
    """Every day of the period (empty days too) with its searches, those that found nothing and
    those whose results someone opened. Two queries: the days already counted
    (faq/search_days.py) and the log's rows of the others (today, at least)."""
    counted = counted_days(period, language)
    zone = timezone.get_current_timezone()
    live = (
        searches_for(period, language)
        .filter(uncounted(period.days, counted))
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day")
        .annotate(
            total=Count("pk"),
            no_result=Count("pk", filter=Q(result_count=0)),
            opened=Count("pk", filter=Q(clicked=True)),
        )
        .order_by()
    )
    by_day = {**counted, **{row.pop("day"): row for row in live}}
    rows = []
    for day in period.days:
        found = by_day.get(day, {})
        rows.append(DayRow(day, found.get("total", 0), found.get("no_result", 0), found.get("opened", 0)))
    return rows


def search_summary(period: Period, language: str = "") -> SearchSummary:
    return SearchSummary(
        period=period,
        language=language,
        no_result=no_result_queries(period, language),
        unopened=unopened_queries(period, language),
        per_day=searches_per_day(period, language),
    )
