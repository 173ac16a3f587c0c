"""Admin recipes for the notifications models: {model: (build(rows, related), [changelist filter query strings])}."""

from django.utils import timezone

from cafcases.notifications.models import Message, MessageAttachment, MessageChannel, MessageStatus
from tests.factories import CaseFactory

_keys = iter(range(10**9))


def build_messages(rows, related):
    """`rows` messages about one case, sent, failed or delivered; the first one carries `related` attachments."""
    case = CaseFactory()
    now = timezone.now()
    messages = []
    for index in range(rows):
        status = [MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.DELIVERED][index % 3]
        key = next(_keys)
        messages.append(
            Message.objects.create(
                channel=MessageChannel.SMS if index % 2 else MessageChannel.EMAIL,
                to="+33612345678" if index % 2 else "personne@example.org",
                purpose="confirmation" if index % 2 else "rappel",
                subject="" if index % 2 else "Rappel de rendez-vous",
                body=f"Message {index}",
                dedupe_key=f"admin-recipe:{key}",
                about=case,
                case=case,
                person=case.person,
                status=status,
                failure_reason="Numéro inconnu" if status == MessageStatus.FAILED else "",
                provider_message_id=f"recipe-{key}",
                attempts=1,
                sent_at=None if status == MessageStatus.FAILED else now,
                status_at=now,
            )
        )
    MessageAttachment.objects.bulk_create(
        MessageAttachment(message=messages[0], filename=f"piece-{index}.ics", mimetype="text/calendar", content=b"x")
        for index in range(related)
    )
    return messages[0]


RECIPES = {
    Message: (build_messages, ["status__exact=sent&channel__exact=email", "purpose__exact=rappel", "q=rappel"]),
}
