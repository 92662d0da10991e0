"""The full-text index over the stored search columns, in each database's own way.

PostgreSQL: generated tsvector columns (title A, summary B, body C; and title +
summary alone for the title-first pass) with GIN indexes. SQLite: an
external-content FTS5 table kept current by triggers. The model declares
neither, so `makemigrations` stays clean on both databases.
"""

from __future__ import annotations

from django.db import migrations


def fill_and_index(apps, schema_editor):
    from faq.search import install_index, search_columns

    Article = apps.get_model("faq", "Article")
    for article in Article.objects.all().iterator():
        for name, value in search_columns(
            title=article.title, summary=article.summary, body=article.body
        ).items():
            setattr(article, name, value)
        article.save(update_fields=["search_title", "search_summary", "search_body", "search_version"])
    install_index(schema_editor.connection)


def drop_index(apps, schema_editor):
    from faq.search import drop_index

    drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("faq", "0003_search")]

    operations = [migrations.RunPython(fill_and_index, drop_index, elidable=False)]
