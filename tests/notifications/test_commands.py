"""The development command that plays the provider, and the worker that sends queued messages."""

import io
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from cafcases.models import ContactAttempt, ContactOutcome
from cafcases.notifications import views
from cafcases.notifications.models import Message, MessageStatus
from cafcases.notifications.services import message_queue
from tests.factories import CaseFactory
from tests.notifications.helpers import sent_message

pytestmark = pytest.mark.django_db


def simulate(*args):
    out = StringIO()
    call_command("simulate_delivery_report", *args, stdout=out)
    return out.getvalue()


def test_the_command_reports_a_delivery():
    message = sent_message()
    assert simulate(str(message.pk), "--status", "delivered") == (
        f"Rapport accepté (200) : message n°{message.pk} delivered.\n"
    )
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


def test_the_command_reports_a_failure_into_the_contact_log():
    case = CaseFactory()
    message = sent_message(case=case)
    simulate(str(message.pk), "--status", "failed", "--reason", "Absent du réseau")
    message.refresh_from_db()
    assert (message.status, message.failure_reason) == (MessageStatus.FAILED, "Absent du réseau")
    assert ContactAttempt.objects.get(case=case).outcome == ContactOutcome.UNDELIVERED
    case.person.refresh_from_db()
    assert case.person.phone_unreachable


def test_the_command_explains_what_it_cannot_do(settings):
    queued = Message.objects.create(channel="sms", to="+33612345678", purpose="p", body="b", dedupe_key="q")
    with pytest.raises(CommandError, match="Aucun message n°999999"):
        simulate("999999", "--status", "delivered")
    with pytest.raises(CommandError, match="pas encore été envoyé"):
        simulate(str(queued.pk), "--status", "delivered")
    sent = sent_message()
    settings.MESSAGE_WEBHOOK_SECRET = ""
    with pytest.raises(CommandError, match="MESSAGE_WEBHOOK_SECRET"):
        simulate(str(sent.pk), "--status", "delivered")


def test_the_command_shows_a_refusal(settings, monkeypatch):
    message = sent_message()
    # The server and the command disagree on the secret: the server refuses the signature.
    monkeypatch.setattr(views, "signature_valid", lambda raw, header: False)
    with pytest.raises(CommandError, match=r"Rapport refusé \(403\) : Signature absente ou invalide."):
        simulate(str(message.pk), "--status", "delivered")


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_a_queued_message_once(settings, sms_outbox):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with transaction.atomic():
        message = message_queue(channel="sms", to="+33612345678", purpose="rappel", body="Demain", dedupe_key="w")
        assert DBTaskResult.objects.count() == 0  # enqueued after commit only
    [result] = DBTaskResult.objects.all()
    assert result.args_kwargs == {"args": [message.pk], "kwargs": {}}
    assert sms_outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(sms_outbox) == 1

    # The same task run again (a worker crash before it recorded success) sends nothing more.
    result.status = "READY"
    result.save()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert len(sms_outbox) == 1


def test_messages_left_queued_are_enqueued_again_and_sent_once(sms_outbox):
    with time_machine.travel("2026-11-29 10:00 +0000", tick=False):
        stuck = Message.objects.create(channel="sms", to="+33612345678", purpose="p", body="b", dedupe_key="stuck")
    with time_machine.travel("2026-11-29 10:10 +0000", tick=False):
        recent = Message.objects.create(channel="sms", to="+33612345678", purpose="p", body="b", dedupe_key="recent")
    with time_machine.travel("2026-11-29 10:20 +0000", tick=False):
        out = StringIO()
        call_command("send_queued_messages", stdout=out)
        assert out.getvalue() == "1 message(s) remis en file d'envoi.\n"
        call_command("send_queued_messages", "--older-than", "0", stdout=out)
    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert stuck.status == recent.status == MessageStatus.SENT
    assert stuck.attempts == recent.attempts == 1
    assert len(sms_outbox) == 2


def test_the_command_can_post_to_a_running_server(client, monkeypatch):
    """With --url the report goes over HTTP; here the test client stands in for the server."""
    from cafcases.notifications.management.commands import simulate_delivery_report

    message = sent_message()
    posted = []

    def urlopen(request, timeout):
        posted.append(request.full_url)
        response = client.post(
            request.full_url.removeprefix("http://127.0.0.1:8000"),
            data=request.data,
            content_type="application/json",
            headers={"X-Cafcases-Signature": request.get_header("X-cafcases-signature")},
        )
        answer = io.BytesIO(response.content)
        answer.status = response.status_code
        return answer

    monkeypatch.setattr(simulate_delivery_report.urllib.request, "urlopen", urlopen)
    output = simulate(str(message.pk), "--status", "delivered", "--url", "http://127.0.0.1:8000/")
    assert posted == ["http://127.0.0.1:8000/webhooks/messages/sms/"]
    assert output == f"Rapport accepté (200) : message n°{message.pk} delivered.\n"
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
