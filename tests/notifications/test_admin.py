"""The messages in the admin: listed, filtered and searched, never written there."""

import re

import pytest

from cafcases.notifications.models import Message, MessageAttachment
from tests.admin.helpers import admin_url
from tests.admin.recipes_notifications import build_messages
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def listed(client, **params):
    response = client.get(admin_url(Message, "changelist"), params)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_the_changelist_filters_by_status_channel_and_purpose_and_searches_the_purpose(admin_client):
    build_messages(6, 0)
    messages = Message.objects.all()
    assert listed(admin_client) == set(messages)
    assert listed(admin_client, status__exact="failed") == set(messages.filter(status="failed"))
    assert listed(admin_client, channel__exact="sms") == set(messages.filter(channel="sms"))
    assert listed(admin_client, purpose__exact="rappel") == set(messages.filter(purpose="rappel"))
    assert listed(admin_client, q="confirm") == set(messages.filter(purpose="confirmation"))
    assert len(listed(admin_client, q="confirm")) == 3


def test_the_change_page_is_read_only_and_shows_the_attachments_without_their_content(admin_client):
    message = build_messages(1, 2)
    MessageAttachment.objects.filter(message=message).update(content=b"BEGIN:VCALENDAR")
    response = admin_client.get(admin_url(Message, "change", message.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    page = response.content.decode()
    assert "piece-0.ics" in page and "piece-1.ics" in page
    assert "BEGIN:VCALENDAR" not in page
    assert len(re.findall(r'class="field-size">\s*<p>15</p>', page)) == 2

    assert admin_client.post(admin_url(Message, "change", message.pk), {"purpose": "changed"}).status_code == 403
    assert admin_client.get(admin_url(Message, "add")).status_code == 403
    assert admin_client.post(admin_url(Message, "delete", message.pk), {"post": "yes"}).status_code == 403
    message.refresh_from_db()
    assert message.purpose == "rappel"


def test_caisse_staff_do_not_see_the_messages(client):
    build_messages(2, 0)
    client.force_login(UserFactory(supervisor=True))
    assert client.get(admin_url(Message, "changelist")).status_code == 403


def test_another_caisses_message_answers_like_a_missing_one(client):
    own, other = build_messages(1, 0), build_messages(1, 0)
    client.force_login(UserFactory(organisation=own.case.caf))
    history = admin_url(Message, "history", own.pk)
    assert client.get(history).status_code == 403  # reachable, but not allowed
    foreign = client.get(admin_url(Message, "history", other.pk))
    missing = client.get(admin_url(Message, "history", 10**9))
    assert (foreign.status_code, foreign["Location"]) == (missing.status_code, missing["Location"]) == (302, "/admin/")
