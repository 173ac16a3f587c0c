"""Delivery reports: signed, fresh, applied once; hostile input answers 4xx, never 500."""

import logging
import time

import pytest
from django.urls import reverse

from cafcases.models import ContactAttempt, ContactChannel, ContactOutcome, EventKind
from cafcases.notifications.models import MessageChannel, MessageStatus
from cafcases.notifications.webhooks import SIGNATURE_HEADER, sign
from tests.factories import CaseFactory, PersonFactory
from tests.notifications.helpers import post_report, sent_message

pytestmark = pytest.mark.django_db


def test_a_delivered_report_marks_the_message_delivered(client):
    message = sent_message()
    timestamp = int(time.time()) - 10
    response = post_report(client, "sms", status="delivered", timestamp=timestamp)
    assert (response.status_code, response.json()) == (200, {"status": "delivered"})
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.status_at.timestamp() == timestamp
    assert ContactAttempt.objects.count() == 0


def test_a_failed_sms_goes_to_the_contact_log_and_flags_the_phone(client):
    case = CaseFactory(person__phone="+33612345678")
    message = sent_message(case=case)
    priority_before = case.priority

    response = post_report(client, "sms", status="failed", reason="Numéro +33 6 12 34 56 78 inconnu de l'opérateur")

    assert (response.status_code, response.json()) == (200, {"status": "failed"})
    message.refresh_from_db()
    assert (message.status, message.failure_reason) == (MessageStatus.FAILED, "Numéro [numéro] inconnu de l'opérateur")
    [attempt] = ContactAttempt.objects.filter(case=case)
    assert (attempt.channel, attempt.outcome, attempt.by) == (ContactChannel.SMS, ContactOutcome.UNDELIVERED, None)
    assert attempt.note == "SMS « confirmation » non remis : Numéro [numéro] inconnu de l'opérateur"
    case.refresh_from_db()
    case.person.refresh_from_db()
    assert case.person.phone_unreachable
    summaries = list(case.events.filter(kind=EventKind.CONTACT).values_list("summary", flat=True))
    assert "Téléphone signalé injoignable : écrire plutôt qu'appeler" in summaries
    assert case.priority >= priority_before


def test_the_same_failure_reported_twice_is_logged_once(client):
    case = CaseFactory()
    sent_message(case=case)
    for _ in range(2):
        assert post_report(client, "sms", status="failed", reason="Inconnu").status_code == 200
    assert ContactAttempt.objects.filter(case=case).count() == 1


def test_a_bounced_email_goes_to_the_contact_log_without_flagging_the_phone(client):
    case = CaseFactory()
    message = sent_message(channel=MessageChannel.EMAIL, case=case, provider_message_id="<abc@cafcases.invalid>")

    response = post_report(
        client, "email", message_id="<abc@cafcases.invalid>", status="failed", reason="550 mailbox unavailable"
    )

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    [attempt] = ContactAttempt.objects.filter(case=case)
    assert (attempt.channel, attempt.outcome) == (ContactChannel.EMAIL, ContactOutcome.UNDELIVERED)
    assert attempt.note == "Courriel « confirmation » non remis : 550 mailbox unavailable"
    case.person.refresh_from_db()
    assert not case.person.phone_unreachable


def test_a_failed_sms_without_a_case_still_flags_the_person_and_tells_their_open_case(client):
    case = CaseFactory()
    sent_message(person=case.person)
    assert post_report(client, "sms", status="failed").status_code == 200
    case.person.refresh_from_db()
    assert case.person.phone_unreachable
    assert ContactAttempt.objects.count() == 0
    event = case.events.get(kind=EventKind.CONTACT)
    assert event.summary == "Téléphone signalé injoignable (SMS non remis) : écrire plutôt qu'appeler"
    assert event.by is None


def test_a_failed_sms_of_a_person_without_any_case(client):
    person = PersonFactory()
    message = sent_message(person=person)
    assert post_report(client, "sms", status="failed").status_code == 200
    person.refresh_from_db()
    message.refresh_from_db()
    assert person.phone_unreachable and message.status == MessageStatus.FAILED
    assert message.failure_reason == "Non remis (sans motif donné par le prestataire)"


def test_a_late_delivered_report_does_not_undo_a_failure(client):
    message = sent_message()
    post_report(client, "sms", status="failed", reason="Inconnu")
    response = post_report(client, "sms", status="delivered")
    assert (response.status_code, response.json()) == (200, {"status": "failed"})
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


@pytest.mark.parametrize(
    "signature",
    ["", "sha256=" + "0" * 64, "sha1=abc", "sha256=é", sign(b"another body"), sign(b"x", secret="wrong")],
    ids=["missing", "zeros", "other-scheme", "non-ascii", "other-body", "other-secret"],
)
def test_a_badly_signed_report_is_refused(client, signature):
    message = sent_message()
    response = post_report(client, "sms", status="failed", signature=signature)
    assert response.status_code == 403
    assert response.json() == {"error": "Signature absente ou invalide."}
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_tampered_body_is_refused(client):
    sent_message()
    signed = b'{"message_id": "prov-1", "status": "delivered", "timestamp": %d}' % int(time.time())
    tampered = signed.replace(b"delivered", b"failed")
    response = post_report(client, "sms", body=tampered, signature=sign(signed))
    assert response.status_code == 403


def test_reports_are_refused_without_a_configured_secret(client, settings):
    sent_message()
    settings.MESSAGE_WEBHOOK_SECRET = ""
    body = b'{"message_id": "prov-1", "status": "delivered", "timestamp": %d}' % int(time.time())
    assert post_report(client, "sms", body=body, signature=sign(body, secret="")).status_code == 403


@pytest.mark.parametrize("age", [3600, -3600, 301])
def test_an_old_or_future_report_is_refused_as_a_replay(client, age):
    message = sent_message()
    response = post_report(client, "sms", status="failed", timestamp=int(time.time()) - age)
    assert response.status_code == 403
    assert "rejeu" in response.json()["error"]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_an_unknown_message_is_404(client):
    sent_message()
    response = post_report(client, "sms", message_id="nobody")
    assert (response.status_code, response.json()) == (404, {"error": "Aucun message ne porte cet identifiant."})
    # The id is looked up on the report's channel only.
    assert post_report(client, "email").status_code == 404


def test_an_unknown_provider_is_404_and_get_is_405(client):
    assert post_report(client, "fax").status_code == 404
    assert client.get(reverse("notifications:delivery_report", kwargs={"provider": "sms"})).status_code == 405


NOW = int(time.time())
MALFORMED = {
    "not-json": (b"status=delivered", "JSON valide"),
    "invalid-utf8": (b'{"message_id": "\xff\xfe"}', "JSON valide"),
    "nul-byte-raw": (b'{"message_id": "a\x00b"}', "JSON valide"),
    "array": (b"[1, 2]", "objet JSON"),
    "deeply-nested": (b"[" * 5000 + b"]" * 5000, "JSON valide"),
    "no-status": (b'{"message_id": "prov-1", "timestamp": %d}' % NOW, "status"),
    "bad-status": (b'{"message_id": "prov-1", "status": "read", "timestamp": %d}' % NOW, "status"),
    "no-timestamp": (b'{"message_id": "prov-1", "status": "failed"}', "timestamp"),
    "bool-timestamp": (b'{"message_id": "prov-1", "status": "failed", "timestamp": true}', "timestamp"),
    "string-timestamp": (b'{"message_id": "prov-1", "status": "failed", "timestamp": "2026-11-29"}', "timestamp"),
    "huge-timestamp": (b'{"message_id": "prov-1", "status": "failed", "timestamp": 1%s}' % (b"0" * 400), "dates"),
    "nan-timestamp": (b'{"message_id": "prov-1", "status": "failed", "timestamp": NaN}', "NaN"),
    "infinite-timestamp": (b'{"message_id": "prov-1", "status": "failed", "timestamp": 1e999}', "dates"),
    "no-id": (b'{"status": "failed", "timestamp": %d}' % NOW, "message_id"),
    "numeric-id": (b'{"message_id": 12, "status": "failed", "timestamp": %d}' % NOW, "message_id"),
    "nul-in-id": (b'{"message_id": "prov-1\\u0000", "status": "failed", "timestamp": %d}' % NOW, "interdits"),
    "surrogate-in-id": (b'{"message_id": "\\ud800", "status": "failed", "timestamp": %d}' % NOW, "message_id"),
    "overlong-id": (b'{"message_id": "%s", "status": "failed", "timestamp": %d}' % (b"x" * 201, NOW), "200"),
    "overlong-reason": (
        b'{"message_id": "prov-1", "status": "failed", "reason": "%s", "timestamp": %d}' % (b"x" * 1001, NOW),
        "1000",
    ),
    "list-reason": (b'{"message_id": "prov-1", "status": "failed", "reason": [], "timestamp": %d}' % NOW, "reason"),
    "nul-in-reason": (
        b'{"message_id": "prov-1", "status": "failed", "reason": "a\\u0000b", "timestamp": %d}' % NOW,
        "interdits",
    ),
    "too-long-body": (b'{"message_id": "prov-1", "pad": "%s"}' % (b"x" * 20_000), "trop long"),
}


@pytest.mark.parametrize(("body", "expected"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_reports_are_400_with_a_clear_message(client, body, expected):
    message = sent_message()
    response = post_report(client, "sms", body=body)
    assert response.status_code == 400
    assert expected in response.json()["error"]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_garbage_content_length_is_400(client):
    body = b'{"message_id": "prov-1"}'
    response = client.generic(
        "POST",
        reverse("notifications:delivery_report", kwargs={"provider": "sms"}),
        body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: sign(body)},
        CONTENT_LENGTH="12x",
    )
    assert response.status_code == 400


def test_the_webhook_needs_no_csrf_token(client):
    from django.test import Client

    sent_message()
    csrf_client = Client(enforce_csrf_checks=True)
    assert post_report(csrf_client, "sms").status_code == 200


def test_a_refusal_is_logged_without_the_body(client, caplog):
    sent_message()
    body = b'{"message_id": "prov-1", "status": "lost", "reason": "+33612345678 personne@example.org", "timestamp": 1}'
    with caplog.at_level(logging.WARNING, logger="cafcases.notifications.views"):
        assert post_report(client, "sms", body=body).status_code == 400
    assert "Delivery report refused (400)" in caplog.text
    assert "33612345678" not in caplog.text and "personne@" not in caplog.text
