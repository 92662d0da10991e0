"""import_articles and export_articles: error reporting, dry runs and a lossless round trip."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from faq.management.commands import import_articles
from faq.models import Article
from tests.factories import ArticleFactory, BrandFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    CategoryFactory(slug="refunds")
    BrandFactory(slug="kdpay", name="KDPAY")


def line(**overrides) -> str:
    data = {"slug": "refund-time", "title": "退款多久到账", "body": "一般 **3** 个工作日。", "category": "refunds",
            "language": "zh-hans", "brands": ["kdpay"], "tags": ["退款"]}  # fmt: skip
    data.update(overrides)
    return json.dumps({key: value for key, value in data.items() if value is not None}, ensure_ascii=False)


def write(tmp_path, *lines: str):
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_creates_published_searchable_articles(setup, tmp_path, capsys):
    call_command("import_articles", str(write(tmp_path, line(), line(slug="other", brands=[], tags=[]))))
    article = Article.objects.get(slug="refund-time")
    assert article.status == Article.Status.PUBLISHED and article.is_visible
    assert [b.slug for b in article.brands.all()] == ["kdpay"] and [t.name for t in article.tags.all()] == [
        "退款"
    ]
    assert "<strong>3</strong>" in article.body_html
    assert [a.slug for a in Article.objects.published().search("退款到账")][0] == "refund-time"
    assert "Created 2, updated 0" in capsys.readouterr().out


def test_import_updates_by_slug_and_language(setup, tmp_path):
    call_command("import_articles", str(write(tmp_path, line())))
    call_command(
        "import_articles", str(write(tmp_path, line(title="新标题", status="draft"), line(language="en")))
    )
    assert Article.objects.count() == 2
    article = Article.objects.get(slug="refund-time", language="zh-hans")
    assert article.title == "新标题" and article.status == Article.Status.DRAFT


def test_every_bad_line_is_reported_and_nothing_is_imported(setup, tmp_path, capsys):
    path = write(
        tmp_path,
        line(),
        "{not json",
        line(slug="x", category="nope"),
        line(slug="y", language="fr"),
        line(slug="z", brands=["ghost"]),
        line(slug="has space"),
        line(slug="w", title=None),
        line(slug="v", status="archived"),
        line(),
    )
    with pytest.raises(CommandError, match="8 of 9 lines have errors; nothing was imported"):
        call_command("import_articles", str(path))
    errors = capsys.readouterr().err
    for expected in [
        "line 2: not valid JSON",
        "line 3: unknown category 'nope'",
        "line 4: “language” must be one of",
        "line 5: unknown brand 'ghost'",
        "line 6: “slug”",
        "line 7: missing “title”",
        "line 8: “status” must be one of",
        "line 9: same slug and language as line 1",
    ]:
        assert expected in errors
    assert not Article.objects.exists()


def test_skip_invalid_imports_the_valid_lines(setup, tmp_path, capsys):
    call_command("import_articles", str(write(tmp_path, line(), "[]")), "--skip-invalid")
    assert Article.objects.count() == 1
    assert "line 2: not a JSON object" in capsys.readouterr().err


def test_dry_run_changes_nothing(setup, tmp_path, capsys):
    call_command("import_articles", str(write(tmp_path, line())), "--dry-run")
    assert not Article.objects.exists()
    assert "Dry run: would have created 1" in capsys.readouterr().out


def test_large_files_show_progress(setup, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(import_articles, "PROGRESS_EVERY", 10)
    lines = [line(slug=f"a{number}", brands=[], tags=[]) for number in range(21)]
    call_command("import_articles", str(write(tmp_path, *lines)))
    out = capsys.readouterr().out
    assert "10/21" in out and "20/21" in out


def test_unreadable_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_articles", str(tmp_path / "missing.jsonl"))


def test_export_then_import_is_lossless(tmp_path):
    kdpay, okpay = BrandFactory(slug="kdpay", name="KDPAY"), BrandFactory(slug="okpay", name="OKPay")
    category = CategoryFactory(slug="refunds")
    ArticleFactory(
        slug="a",
        title='退款 "引号"\n',
        summary="摘要",
        body="# 标题\n\n正文 <b>",
        category=category,
        brands=[kdpay, okpay],
        tags=[TagFactory(name="退款"), TagFactory(name="到账")],
    )
    ArticleFactory(slug="a", language="en", title="Refund", summary="", category=category, status="draft")
    ArticleFactory(slug="b", title="通用", category=category)
    first = tmp_path / "first.jsonl"
    call_command("export_articles", "--output", str(first))
    before = first.read_text(encoding="utf-8")
    Article.objects.all().delete()
    call_command("import_articles", str(first))
    second = tmp_path / "second.jsonl"
    call_command("export_articles", "--output", str(second))
    assert second.read_text(encoding="utf-8") == before
    assert len(before.splitlines()) == 3
    record = json.loads(before.splitlines()[1])
    assert record["brands"] == ["kdpay", "okpay"] and record["tags"] == ["到账", "退款"]
    assert record["body"] == "# 标题\n\n正文 <b>"
