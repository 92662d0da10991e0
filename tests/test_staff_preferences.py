"""Each staff member reads the admin in their own time zone and language ("My preferences");
public pages are not affected."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from contact.models import Reply
from helpcenter.models import StaffPreferences
from tests.factories import ContactMessageFactory

pytestmark = pytest.mark.django_db

PREFERENCES_URL = reverse("admin:staff_preferences")
RECEIVED = datetime(2026, 12, 1, 14, 2, tzinfo=UTC)


def agent_client(django_user_model, username: str) -> Client:
    user = django_user_model.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Support agents"))
    client = Client()
    client.force_login(user)
    return client


def choose(client: Client, *, time_zone: str = "", language: str = ""):
    return client.post(PREFERENCES_URL, {"time_zone": time_zone, "language": language}, follow=True)


def message_page(client: Client, message) -> str:
    return client.get(reverse("admin:contact_contactmessage_change", args=[message.pk])).content.decode()


@pytest.fixture
def replied(kdpay):
    message = ContactMessageFactory(brand=kdpay, created_at=RECEIVED)
    Reply.objects.create(contact_message=message, kind=Reply.Kind.STAFF, body="您好", created_at=RECEIVED)
    return message


def test_two_agents_see_the_same_reply_at_their_own_local_times(django_user_model, replied):
    shanghai = agent_client(django_user_model, "agent-shanghai")
    london = agent_client(django_user_model, "agent-london")
    choose(london, time_zone="Europe/London")

    assert "<time>2026-12-01 22:02 Asia/Shanghai UTC+08:00</time>" in message_page(shanghai, replied)
    london_page = message_page(london, replied)
    assert "<time>2026-12-01 14:02 Europe/London UTC+00:00</time>" in london_page
    assert "22:02" not in london_page


def test_the_header_names_the_zone_and_links_to_the_preferences(django_user_model):
    agent = agent_client(django_user_model, "agent")
    choose(agent, time_zone="Asia/Manila")
    page = agent.get(reverse("admin:index")).content.decode()
    assert (
        f'<a href="{PREFERENCES_URL}" class="staff-zone">我的偏好设置（时区：Asia/Manila UTC+08:00）</a>'
        in page
    )


def test_the_inbox_list_groups_days_in_the_staff_members_zone(django_user_model, kdpay):
    # 20:00 UTC on 1 December is 2 December in Shanghai and still 1 December in Los Angeles.
    message = ContactMessageFactory(brand=kdpay, created_at=datetime(2026, 12, 1, 20, 0, tzinfo=UTC))
    shanghai = agent_client(django_user_model, "agent-shanghai")
    los_angeles = agent_client(django_user_model, "agent-la")
    choose(los_angeles, time_zone="America/Los_Angeles")
    day = {"created_at__year": "2026", "created_at__month": "12", "created_at__day": "1"}

    def listed(client: Client) -> list[int]:
        response = client.get(reverse("admin:contact_contactmessage_changelist"), day)
        return [m.pk for m in response.context["cl"].result_list]

    assert listed(los_angeles) == [message.pk]
    assert listed(shanghai) == []


def test_preferences_are_read_again_at_login(django_user_model, replied):
    user = django_user_model.objects.create_user("agent", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Support agents"))
    StaffPreferences.objects.create(user=user, time_zone="Asia/Taipei")
    client = Client()
    client.post(reverse("admin:login"), {"username": "agent", "password": "x"})
    assert "<time>2026-12-01 22:02 Asia/Taipei UTC+08:00</time>" in message_page(client, replied)


def test_without_preferences_the_site_zone_is_used(django_user_model, replied):
    assert "Asia/Shanghai UTC+08:00" in message_page(agent_client(django_user_model, "agent"), replied)


def test_an_unknown_zone_is_refused_in_the_staff_members_language(django_user_model):
    agent = agent_client(django_user_model, "agent")
    response = choose(agent, time_zone="Mars/Olympus_Mons")
    assert response.status_code == 200
    assert "Mars/Olympus_Mons" in response.content.decode()
    assert "不在可用的选项中" in str(response.context["form"].errors["time_zone"])
    assert not StaffPreferences.objects.exists()


def test_the_zone_list_offers_common_zones_by_name_and_every_other(django_user_model):
    page = agent_client(django_user_model, "agent").get(PREFERENCES_URL).content.decode()
    assert '<option value="Asia/Hong_Kong">香港 · Asia/Hong_Kong</option>' in page
    assert '<option value="America/Argentina/Buenos_Aires">America/Argentina/Buenos_Aires</option>' in page
    assert '<option value="" selected>与网站相同（Asia/Shanghai）</option>' in page


def test_an_agent_who_reads_english_gets_the_admin_in_english(django_user_model, replied):
    agent = agent_client(django_user_model, "agent")
    response = choose(agent, language="en")
    assert "Your preferences are saved." in response.content.decode()
    page = message_page(agent, replied)
    assert '<html lang="en"' in page
    assert "Conversation" in page and "Wallet Help Center" in page


def test_public_pages_keep_the_visitors_language(django_user_model, client):
    agent = agent_client(django_user_model, "agent")
    choose(agent, language="en", time_zone="Europe/London")
    assert '<html lang="zh-Hans"' in agent.get("/").content.decode()
