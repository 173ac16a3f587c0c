"""Queueing and sending: after commit only, once, with the status recorded."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from cafcases.notifications.models import Message, MessageChannel, MessageStatus
from cafcases.notifications.services import message_queue, message_send, redact
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def queue_sms(**kwargs):
    return message_queue(
        **{
            "channel": MessageChannel.SMS,
            "to": "06 12 34 56 78",
            "purpose": "confirmation",
            "body": "Rendez-vous confirmé le 3 décembre à 9 h 30.",
            "dedupe_key": "test:1:confirmation:sms",
            **kwargs,
        }
    )


def test_an_sms_is_sent_after_commit_with_its_status_recorded(django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = queue_sms()
        assert sms_outbox == []
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.to == "+33612345678"
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None and message.status_at == message.sent_at
    assert [(sent.to, sent.body, sent.message_id) for sent in sms_outbox] == [
        ("+33612345678", message.body, message.provider_message_id)
    ]


def test_the_same_dedupe_key_twice_gives_one_message_sent_once(django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_sms()
        second = queue_sms(body="Un autre texte")
    with django_capture_on_commit_callbacks(execute=True):
        third = queue_sms()
    assert first.pk == second.pk == third.pk
    assert Message.objects.count() == 1
    assert len(sms_outbox) == 1


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        queue_sms()
        raise RuntimeError("the booking failed")
    assert Message.objects.count() == 0
    assert sms_outbox == []


def test_a_sent_message_is_not_sent_again_by_a_retried_task(django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_sms()
    again = message_send(message_pk=message.pk)
    assert again.status == MessageStatus.SENT and again.attempts == 1
    assert len(sms_outbox) == 1


def test_an_email_carries_its_attachment(django_capture_on_commit_callbacks):
    case = CaseFactory()
    with django_capture_on_commit_callbacks(execute=True):
        message = message_queue(
            channel=MessageChannel.EMAIL,
            to="personne@example.org",
            purpose="confirmation",
            subject="Votre rendez-vous",
            body="Bonjour,\nvotre rendez-vous est confirmé.",
            dedupe_key="test:1:confirmation:email",
            about=case,
            case=case,
            person=case.person,
            attachments=[("rendez-vous.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
        )
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    [email] = mail.outbox
    assert email.to == ["personne@example.org"]
    assert email.subject == "Votre rendez-vous"
    assert email.extra_headers["Message-ID"] == message.provider_message_id
    assert email.attachments == [("rendez-vous.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")]
    assert list(Message.objects.about(case)) == [message]
    assert message.about == case


def test_a_backend_failure_is_recorded_with_its_reason_without_the_number(
    django_capture_on_commit_callbacks, settings, sms_outbox
):
    settings.SMS_BACKEND = "tests.notifications.fakes.RefusingSmsBackend"
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_sms()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.failure_reason == "SmsError: numéro [numéro] refusé par l'opérateur"
    assert message.sent_at is None and message.attempts == 1
    assert sms_outbox == []


def test_a_failed_email_is_recorded_too(django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "tests.notifications.fakes.BrokenEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        message = message_queue(
            channel="email", to="a@example.org", purpose="rappel", subject="Rappel", body="Demain", dedupe_key="k"
        )
    message.refresh_from_db()
    assert (message.status, message.failure_reason) == (MessageStatus.FAILED, "ConnectionRefusedError: smtp down")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"channel": "fax"}, "channel"),
        ({"channel": "email", "to": "a@example.org"}, "subject"),
        ({"attachments": [("a.ics", b"", "text/calendar")]}, "attachments"),
        ({"body": ""}, "incomplete"),
        ({"dedupe_key": ""}, "incomplete"),
    ],
)
def test_the_callers_mistakes_are_refused(kwargs, code):
    with pytest.raises(ValidationError) as error:
        queue_sms(**kwargs)
    assert error.value.code == code
    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"to": "not a number"}, "Numéro de téléphone illisible pour un SMS."),
        ({"to": "+33 6 12 34 56 78 90"}, "Numéro de téléphone invalide pour un SMS."),
        ({"channel": "email", "to": "nobody", "subject": "s"}, "Saisissez une adresse de courriel valide."),
    ],
)
def test_an_unusable_recipient_gives_a_failed_message_and_sends_nothing(
    django_capture_on_commit_callbacks, sms_outbox, kwargs, reason
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = queue_sms(**kwargs)
    assert callbacks == []
    message.refresh_from_db()
    assert (message.status, message.failure_reason, message.attempts) == (MessageStatus.FAILED, reason, 0)
    assert sms_outbox == [] and mail.outbox == []


def test_redact_removes_numbers_and_addresses():
    assert redact("Échec +33 6 12 34 56 78, NIR 1 85 03 33 063 123 10, to a.b@example.org\x00 code 550") == (
        "Échec [numéro], NIR [numéro], to [adresse] code 550"
    )
