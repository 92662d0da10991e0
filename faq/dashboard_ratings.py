"""The article ratings dashboard's numbers: the articles readers find least helpful, those with
the most "not helpful" comments and the votes per day, from the feedback of a period, brand and
language.

Four queries whatever the feedback table holds; the ranking is computed by the database so only
the top rows leave it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, F, FloatField, Max, Q, QuerySet, Value, Window
from django.db.models.functions import Cast, RowNumber, Sqrt, TruncDate
from django.urls import reverse
from django.utils import timezone, translation

from helpcenter.dashboards import Period

from .dashboard import TOP_ROWS
from .models import Article, ArticleFeedback

#: Fewer votes than this and an article is not ranked: one "no" is not a verdict.
MIN_VOTES = 5
#: Comments shown under each article in the comments table (the CSV has them all counted).
LATEST_COMMENTS = 3
#: 95% confidence for the Wilson bound.
Z = 1.96


@dataclass
class RatedArticle:
    """An article with the votes it got in the period."""

    article_id: int
    title: str
    language: str
    slug: str
    votes: int = 0
    helpful: int = 0
    not_helpful: int = 0
    not_helpful_bound: float = 0.0
    comments: int = 0
    last_comment_at: datetime | None = None
    latest_comments: list[str] = field(default_factory=list)

    @property
    def helpful_ratio(self) -> float | None:
        return self.helpful / self.votes if self.votes else None

    @property
    def change_url(self) -> str:
        return reverse("admin:faq_article_change", args=[self.article_id])

    @property
    def public_url(self) -> str:
        with translation.override(self.language):
            return reverse("faq:article_detail", kwargs={"slug": self.slug})


def wilson_lower_bound(successes: int, trials: int, z: float = Z) -> float:
    """The lower end of the Wilson score interval for successes/trials (0 with no trials).

    Ranking by the lower bound of the "not helpful" share puts first the articles we are surest
    are unhelpful: 8 "no" of 10 votes outranks 1 "no" of 1.
    """
    if not trials:
        return 0.0
    share = successes / trials
    spread = z * ((share * (1 - share) + z * z / (4 * trials)) / trials) ** 0.5
    return (share + z * z / (2 * trials) - spread) / (1 + z * z / trials)


def _wilson_expression(successes: str, trials: str):
    """wilson_lower_bound as a database expression over two annotations (same formula)."""
    n = Cast(F(trials), FloatField())
    share = Cast(F(successes), FloatField()) / n
    z2 = Value(Z * Z, output_field=FloatField())
    spread = Value(Z, output_field=FloatField()) * Sqrt(
        (share * (Value(1.0) - share) + z2 / (Value(4.0) * n)) / n
    )
    return (share + z2 / (Value(2.0) * n) - spread) / (Value(1.0) + z2 / n)


def feedback_for(period: Period, language: str = "") -> QuerySet[ArticleFeedback]:
    """Votes of the period on articles of the language and brand (an article naming no brand
    applies to every brand, as on the site)."""
    feedback = ArticleFeedback.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    if language:
        feedback = feedback.filter(article__language=language)
    if period.brand is not None:
        feedback = feedback.filter(article__in=Article.objects.for_brand(period.brand).values("pk"))
    return feedback


_ARTICLE_FIELDS = ("article", "article__title", "article__language", "article__slug")


def _rated(values: dict) -> RatedArticle:
    return RatedArticle(
        article_id=values["article"],
        title=values["article__title"],
        language=values["article__language"],
        slug=values["article__slug"],
        votes=values.get("votes", 0),
        helpful=values.get("helpful", 0),
        not_helpful=values.get("not_helpful", 0),
        not_helpful_bound=values.get("bound") or 0.0,
        comments=values.get("comments", 0),
        last_comment_at=values.get("last_comment_at"),
    )


def least_helpful_articles(
    period: Period, language: str = "", *, min_votes: int = MIN_VOTES, limit: int = TOP_ROWS
) -> list[RatedArticle]:
    """Articles with at least `min_votes` votes, surest-unhelpful first (Wilson lower bound of the
    "not helpful" share), more votes first among equals."""
    rows = (
        feedback_for(period, language)
        .values(*_ARTICLE_FIELDS)
        .annotate(
            votes=Count("pk"),
            helpful=Count("pk", filter=Q(is_helpful=True)),
            not_helpful=Count("pk", filter=Q(is_helpful=False)),
        )
        .filter(votes__gte=min_votes)
        .annotate(bound=_wilson_expression("not_helpful", "votes"))
        .order_by("-bound", "-votes", "article")[:limit]
    )
    return [_rated(values) for values in rows]


def _unhelpful_comments(period: Period, language: str) -> QuerySet[ArticleFeedback]:
    return feedback_for(period, language).filter(is_helpful=False).exclude(comment="")


def most_commented_articles(
    period: Period, language: str = "", *, limit: int = TOP_ROWS
) -> list[RatedArticle]:
    """Articles with the most "not helpful" votes that came with a comment, each with its latest
    comments (two queries: the counts, then the newest few comments of those articles)."""
    comments = _unhelpful_comments(period, language)
    rows = (
        comments.values(*_ARTICLE_FIELDS)
        .annotate(comments=Count("pk"), last_comment_at=Max("created_at"))
        .order_by("-comments", "-last_comment_at", "article")[:limit]
    )
    articles = [_rated(values) for values in rows]
    latest = (
        comments.filter(article__in=[article.article_id for article in articles])
        .annotate(
            position=Window(
                RowNumber(), partition_by=F("article"), order_by=[F("created_at").desc(), F("pk").desc()]
            )
        )
        .filter(position__lte=LATEST_COMMENTS)
        .order_by("article", "position")
        .values_list("article", "comment")
    )
    by_article: dict[int, list[str]] = defaultdict(list)
    for article_id, comment in latest:  # no query when there are no articles
        by_article[article_id].append(comment)
    for article in articles:
        article.latest_comments = by_article[article.article_id]
    return articles


@dataclass
class VoteDay:
    day: date
    helpful: int = 0
    not_helpful: int = 0


def votes_per_day(period: Period, language: str = "") -> list[VoteDay]:
    """Every day of the period (empty days too) with its helpful and not helpful votes."""
    zone = timezone.get_current_timezone()
    counts = (
        feedback_for(period, language)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day")
        .annotate(
            helpful=Count("pk", filter=Q(is_helpful=True)),
            not_helpful=Count("pk", filter=Q(is_helpful=False)),
        )
        .order_by()
    )
    by_day = {row["day"]: row for row in counts}
    return [
        VoteDay(day, by_day.get(day, {}).get("helpful", 0), by_day.get(day, {}).get("not_helpful", 0))
        for day in period.days
    ]


@dataclass
class RatingsSummary:
    period: Period
    language: str
    least_helpful: list[RatedArticle]
    most_commented: list[RatedArticle]
    per_day: list[VoteDay]
    min_votes: int = MIN_VOTES


def ratings_summary(period: Period, language: str = "") -> RatingsSummary:
    return RatingsSummary(
        period=period,
        language=language,
        least_helpful=least_helpful_articles(period, language),
        most_commented=most_commented_articles(period, language),
        per_day=votes_per_day(period, language),
    )
