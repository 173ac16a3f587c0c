"""Sent messages and signed reports for the delivery-report tests."""

import time

from django.urls import reverse
from django.utils import timezone

from cafcases.notifications.models import Message, MessageChannel, MessageStatus
from cafcases.notifications.webhooks import SIGNATURE_HEADER, report_body, sign


def sent_message(*, channel=MessageChannel.SMS, case=None, person=None, provider_message_id="prov-1"):
    """A message the provider accepted, as message_send leaves it."""
    return Message.objects.create(
        channel=channel,
        to="+33612345678" if channel == MessageChannel.SMS else "personne@example.org",
        purpose="confirmation",
        subject="" if channel == MessageChannel.SMS else "Votre rendez-vous",
        body="Rendez-vous confirmé.",
        dedupe_key=f"test:{channel}:{provider_message_id}",
        case=case,
        person=person or (case.person if case else None),
        status=MessageStatus.SENT,
        provider_message_id=provider_message_id,
        attempts=1,
        sent_at=timezone.now(),
    )


def post_report(client, provider, *, body=None, signature=None, **fields):
    """POST a report signed like a provider's (unless `signature` says otherwise)."""
    if body is None:
        fields.setdefault("status", "delivered")
        fields.setdefault("timestamp", int(time.time()))
        body = report_body(**{"message_id": "prov-1", **fields})
    return client.post(
        reverse("notifications:delivery_report", kwargs={"provider": provider}),
        data=body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: sign(body) if signature is None else signature},
    )
