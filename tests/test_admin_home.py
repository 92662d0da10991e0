"""The admin home starts with each staff member's own work; technical sections are for
superusers; every label an Editor or agent reads is in their language."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import translation

from faq.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


def _staff(client, group: str) -> None:
    user = User.objects.create_user(group.lower().replace(" ", "-"), is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)


def _app_order(client) -> list[str]:
    return [app["app_label"] for app in client.get(reverse("admin:index")).context["app_list"]]


def test_editors_start_with_articles(client):
    ArticleFactory(status=Article.Status.IN_REVIEW)
    _staff(client, "Editors")
    response = client.get(reverse("admin:index"))
    assert [app["app_label"] for app in response.context["app_list"]][0] == "faq"
    assert response.context["app_list"][0]["models"][0]["object_name"] == "Article"
    page = response.content.decode()
    assert "1 篇文章等待审核" in page
    assert reverse("admin:faq_article_add") in page


def test_agents_start_with_the_inbox(client):
    _staff(client, "Support agents")
    response = client.get(reverse("admin:index"))
    assert response.context["app_list"][0]["models"][0]["object_name"] == "ContactMessage"
    assert reverse("admin:contact_contactmessage_changelist") in response.content.decode()


def test_agents_find_the_dashboards_after_the_inbox(client):
    _staff(client, "Support agents")
    page = client.get(reverse("admin:index")).content.decode()
    assert page.index(reverse("admin:contact_contactmessage_changelist")) < page.index(
        reverse("admin:dashboards")
    )


def test_no_dashboards_link_for_staff_who_may_open_none(client):
    client.force_login(User.objects.create_user("no-dashboards", is_staff=True))
    assert reverse("admin:dashboards") not in client.get(reverse("admin:index")).content.decode()


def test_technical_sections_are_for_superusers_only(client, admin_client):
    user = User.objects.create_user("tech-curious", is_staff=True)
    user.user_permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(content_type__app_label="axes")
    )
    client.force_login(user)
    assert "axes" not in _app_order(client)
    assert {"axes", "django_tasks_database"} <= set(_app_order(admin_client))


def test_the_brand_picker_speaks_chinese(client):
    _staff(client, "Editors")
    catalogue = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '"Choose all %s": "\\u5168\\u9009%s"' in catalogue  # 全选%s


# What Editors and agents work on; the technical apps are for superusers (English there is fine).
STAFF_APPS = ["brands", "faq", "contact", "trust"]


@pytest.mark.parametrize("app_label", STAFF_APPS)
def test_every_label_staff_read_is_chinese(app_label):
    untranslated = []
    with translation.override("zh-hans"):
        for model in apps.get_app_config(app_label).get_models():
            labels = [("", model._meta.verbose_name), ("", model._meta.verbose_name_plural)]
            labels += [
                (field.name, field.verbose_name)
                for field in model._meta.get_fields()
                if getattr(field, "editable", False) and hasattr(field, "verbose_name") and field.name != "id"
            ]
            untranslated += [
                (app_label, model._meta.model_name, name)
                for name, label in labels
                if not CJK.search(str(label))
            ]
    assert untranslated == []


def test_editors_find_the_dashboards_among_their_first_links(client):
    _staff(client, "Editors")
    page = client.get(reverse("admin:index")).content.decode()
    # "Start here" comes before the app list; the editor's links and the dashboards are in it.
    start_here = page[page.index('id="staff-start-title"') : page.index("</section>")]
    assert reverse("admin:faq_article_add") in start_here and reverse("admin:dashboards") in start_here
