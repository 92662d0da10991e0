from __future__ import annotations

import factory
from django.utils import timezone

from brands.models import Brand
from contact.models import Channel, ChannelException, ContactMessage, OpeningHours
from faq.models import Article, ArticleFeedback, Category, Tag


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Wallet {n}")
    slug = factory.Sequence(lambda n: f"wallet-{n}")
    description = factory.Faker("sentence", locale="zh_CN")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"分类{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    icon = "📁"


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"标签{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Faker("sentence", nb_words=4, locale="zh_CN")
    slug = factory.Sequence(lambda n: f"article-{n}")
    language = "zh-hans"
    summary = factory.Faker("sentence", locale="zh_CN")
    body = factory.Faker("paragraph", nb_sentences=5, locale="zh_CN")
    category = factory.SubFactory(CategoryFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))

    @factory.post_generation
    def brands(self, create, extracted, **kwargs):
        if create and extracted:
            self.brands.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class ArticleFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleFeedback

    article = factory.SubFactory(ArticleFactory)
    visitor_id = factory.Faker("uuid4")
    is_helpful = True


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    brand = factory.SubFactory(BrandFactory)
    kind = Channel.Kind.EMAIL
    label = factory.Sequence(lambda n: f"Support email {n}")
    value = factory.Sequence(lambda n: f"help{n}@wallet.example")
    reply_time = "48 小时内"


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    channel = factory.SubFactory(ChannelFactory)
    weekday = 0
    opens_at = "09:00"
    closes_at = "18:00"


class ChannelExceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChannelException

    channel = factory.SubFactory(ChannelFactory)
    label = "春节"
    is_closed = True


class ContactMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMessage

    reference = factory.Sequence(lambda n: f"WA-{n:04d}-TEST")
    brand = factory.SubFactory(BrandFactory)
    name = factory.Faker("name", locale="zh_CN")
    email = factory.Sequence(lambda n: f"user{n}@mail.example")
    subject = "退款没有到账"
    message = "我在三天前申请了退款，还没有到账。"


def make_article(**fields) -> Article:
    """A published article whose text is only what the test gives: Faker's summary and body could
    hold the very words a search test queries for."""
    return ArticleFactory(**{"summary": "", "body": "正文。", **fields})
