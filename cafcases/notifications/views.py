"""Delivery reports from the email and SMS providers: signed, fresh, applied once."""

import datetime
import logging
import time

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Message, MessageChannel
from .services import message_report
from .webhooks import MAX_BODY_BYTES, SIGNATURE_HEADER, ReportError, parse_report, signature_valid

logger = logging.getLogger(__name__)


def _refuse(status, error):
    # The refusal's own words only: the body may hold a phone number or an address, and is never logged.
    logger.warning("Delivery report refused (%s): %s", status, error)
    return JsonResponse({"error": str(error)}, status=status)


@csrf_exempt  # a provider's server has no CSRF token: the HMAC signature is what authenticates the call
@require_POST
def delivery_report(request, provider):
    if provider not in MessageChannel.values:
        return _refuse(404, _("Prestataire inconnu."))
    too_long = _("Rapport trop long (%(limit)s octets au plus).") % {"limit": MAX_BODY_BYTES}
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not (length.isascii() and length.isdigit()) or int(length) > MAX_BODY_BYTES:
        return _refuse(400, too_long)
    try:
        raw = request.body
    except RequestDataTooBig:
        return _refuse(400, too_long)
    if not signature_valid(raw, request.headers.get(SIGNATURE_HEADER, "")):
        return _refuse(403, _("Signature absente ou invalide."))
    try:
        report = parse_report(raw)
    except ReportError as error:
        return _refuse(400, error)
    # The body is signed with its timestamp: an old report replayed later is refused, a repeated fresh one is harmless.
    if abs(time.time() - report.timestamp) > settings.MESSAGE_WEBHOOK_TOLERANCE_SECONDS:
        return _refuse(403, _("Rapport trop ancien ou daté dans le futur : refusé comme rejeu."))
    message = Message.objects.filter(channel=provider, provider_message_id=report.message_id).first()
    if message is None:
        return _refuse(404, _("Aucun message ne porte cet identifiant."))
    at = datetime.datetime.fromtimestamp(report.timestamp, tz=datetime.UTC)
    message = message_report(message=message, status=report.status, reason=report.reason, at=at)
    return JsonResponse({"status": message.status})
