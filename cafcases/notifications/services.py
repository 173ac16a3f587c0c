"""Queue a message, send it once after commit, record what the provider reports back."""

import re
from email.utils import make_msgid

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cafcases.clocks import CLOCK_FIELDS, refresh_clocks
from cafcases.models import Case, ContactChannel, ContactOutcome, EventKind, Person

from .models import Message, MessageAttachment, MessageChannel, MessageStatus
from .sms import get_sms_backend

# Six digits or more, possibly split by spaces, dots, dashes or slashes: phone numbers, NIR/NIA, account numbers.
_NUMBER_RE = re.compile(r"\+?\d(?:[\s./-]?\d){5,}")
_EMAIL_RE = re.compile(r"[^\s@<>\"']+@[^\s@<>\"']+")


def redact(text, limit=500):
    """The text without any phone or social-security number nor email address, on one line, cut to `limit`."""
    text = " ".join(str(text).replace("\x00", " ").split())
    text = _EMAIL_RE.sub("[adresse]", _NUMBER_RE.sub("[numéro]", text))
    return text[:limit]


def _normalise_recipient(channel, to):
    to = str(to).strip()
    if channel == MessageChannel.EMAIL:
        validate_email(to)
        return to
    try:
        number = phonenumbers.parse(to, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(_("Numéro de téléphone illisible pour un SMS."), code="phone") from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Numéro de téléphone invalide pour un SMS."), code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@transaction.atomic
def message_queue(
    *, channel, to, purpose, body, dedupe_key, subject="", about=None, case=None, person=None, attachments=()
):
    """Record a message to send after commit; the same dedupe_key again returns the first message, sent once.

    A recipient that cannot be used (an invalid phone number or address) gives a message already failed, with the
    reason; a wrong channel, a missing subject or body raise ValidationError (those are the caller's mistakes).
    """
    existing = Message.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    if channel not in MessageChannel.values:
        raise ValidationError(_("Canal de message inconnu."), code="channel")
    if not dedupe_key or not purpose or not body:
        raise ValidationError(_("Un message a une clé d'unicité, un objet et un texte."), code="incomplete")
    if channel == MessageChannel.EMAIL and not subject:
        raise ValidationError(_("Un courriel a un sujet."), code="subject")
    if channel == MessageChannel.SMS and attachments:
        raise ValidationError(_("Un SMS ne porte pas de pièce jointe."), code="attachments")
    # An address that cannot be used is recorded as a failed message rather than raised: the caller's booking or
    # letter must not be lost because its message cannot leave, and the failure stays visible with its reason.
    try:
        recipient, failure = _normalise_recipient(channel, to), ""
    except ValidationError as error:
        recipient, failure = str(to)[:254], error.messages[0]
    message = Message(
        channel=channel,
        to=recipient,
        status=MessageStatus.FAILED if failure else MessageStatus.QUEUED,
        failure_reason=failure,
        purpose=purpose,
        subject=subject,
        body=body,
        dedupe_key=dedupe_key,
        about=about,
        case=case,
        person=person,
    )
    try:
        # A savepoint: when a concurrent transaction queued the same key first, the unique constraint refuses this
        # row and the caller's transaction goes on with the existing message.
        with transaction.atomic():
            message.save()
            MessageAttachment.objects.bulk_create(
                MessageAttachment(message=message, filename=filename, content=bytes(content), mimetype=mimetype)
                for filename, content, mimetype in attachments
            )
    except IntegrityError:
        existing = Message.objects.filter(dedupe_key=dedupe_key).first()
        if existing is None:
            raise
        return existing
    if not failure:
        transaction.on_commit(lambda: _enqueue_send(message.pk))
    return message


def _enqueue_send(message_pk):
    from .tasks import send_message

    send_message.enqueue(message_pk)


def _deliver(message):
    """Hand the message to the email or SMS backend; return the provider's message id."""
    if message.channel == MessageChannel.SMS:
        return get_sms_backend().send(to=message.to, body=message.body)
    # Django's email backends return no id: our own Message-ID is what bounce reports quote back.
    message_id = make_msgid(domain=settings.MESSAGE_ID_DOMAIN)
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": message_id},
    )
    for attachment in message.attachments.all():
        email.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    email.send(fail_silently=False)
    return message_id


@transaction.atomic
def message_send(*, message_pk):
    """Send a queued message once: the row stays locked while the provider is called, so two workers cannot both send.

    A message already sent, delivered or failed is left alone. A backend error marks the message failed with its
    reason (numbers and addresses removed); it is not retried, the sender queues a new message if needed.
    """
    message = Message.objects.select_for_update().filter(pk=message_pk).first()
    if message is None or message.status != MessageStatus.QUEUED:
        return message
    message.attempts += 1
    now = timezone.now()
    try:
        provider_id = _deliver(message)
    except Exception as error:  # noqa: BLE001  any backend failure is recorded, never lost in a worker log
        message.status = MessageStatus.FAILED
        message.failure_reason = redact(f"{type(error).__name__}: {error}") or type(error).__name__
    else:
        message.status = MessageStatus.SENT
        message.provider_message_id = provider_id
        message.sent_at = now
    message.status_at = now
    message.save(update_fields=["attempts", "status", "failure_reason", "provider_message_id", "sent_at", "status_at"])
    return message


def _flag_unreachable_without_case(person):
    """An SMS about no case: flag the person's phone, say so on their open cases' timelines, refresh their priority."""
    from cafcases.services.events import event_record

    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.phone_unreachable:
        return
    locked.phone_unreachable = True
    locked.save(update_fields=["phone_unreachable", "updated_at"])
    cases = refresh_clocks(Case.objects.open().filter(person=locked).select_related("person"), timezone.localdate())
    for case in cases:
        event_record(
            case=case,
            kind=EventKind.CONTACT,
            by=None,
            summary=_("Téléphone signalé injoignable (SMS non remis) : écrire plutôt qu'appeler"),
        )
        case.save(update_fields=["last_event_at", *CLOCK_FIELDS])


@transaction.atomic
def message_report(*, message, status, reason="", at=None):
    """Record a provider's delivery report; a failure goes to the case's contact log (and flags an SMS number).

    Reports are idempotent: a failed message stays failed, and the same report twice records one contact attempt.
    """
    from cafcases.services.casework import contact_record

    if status not in (MessageStatus.DELIVERED, MessageStatus.FAILED):
        raise ValidationError(_("État de remise inconnu."), code="status")
    message = Message.objects.select_for_update(of=("self",)).select_related("case", "person").get(pk=message.pk)
    if message.status == MessageStatus.FAILED or message.status == status:
        return message
    message.status = status
    message.status_at = at or timezone.now()
    if status == MessageStatus.DELIVERED:
        message.save(update_fields=["status", "status_at"])
        return message
    message.failure_reason = redact(reason) or _("Non remis (sans motif donné par le prestataire)")
    message.save(update_fields=["status", "status_at", "failure_reason"])
    channel = ContactChannel.SMS if message.channel == MessageChannel.SMS else ContactChannel.EMAIL
    note = redact(
        _("%(channel)s « %(purpose)s » non remis : %(reason)s")
        % {"channel": message.get_channel_display(), "purpose": message.purpose, "reason": message.failure_reason}
    )
    if message.case is not None:
        contact_record(case=message.case, channel=channel, outcome=ContactOutcome.UNDELIVERED, by=None, note=note)
    elif message.person is not None and channel == ContactChannel.SMS:
        _flag_unreachable_without_case(message.person)
    return message
