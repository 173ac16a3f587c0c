"""Signed delivery reports: the signature scheme and the parsing of a report, shared by the view and the command.

A provider POSTs JSON ``{"message_id": "…", "status": "delivered" | "failed", "reason": "…", "timestamp": 1764441600}``
(the timestamp in Unix seconds) with the header ``X-Cafcases-Signature: sha256=<hex>``, the HMAC-SHA256 of the raw
body under settings.MESSAGE_WEBHOOK_SECRET.
"""

import hashlib
import hmac
import json
import math
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

SIGNATURE_HEADER = "X-Cafcases-Signature"
MAX_BODY_BYTES = 10_000
MAX_ID_CHARS = 200
MAX_REASON_CHARS = 1000
REPORTED_STATUSES = ("delivered", "failed")


class ReportError(ValueError):
    """The report is malformed; the message says what is wrong, for the provider's logs."""


@dataclass(frozen=True)
class Report:
    message_id: str
    status: str
    reason: str
    timestamp: float


def sign(raw, secret=None):
    secret = settings.MESSAGE_WEBHOOK_SECRET if secret is None else secret
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def signature_valid(raw, header):
    """True when the header carries the body's signature; always False while no secret is configured."""
    if not settings.MESSAGE_WEBHOOK_SECRET or not header or not header.isascii():
        return False
    return hmac.compare_digest(sign(raw).encode(), header.strip().encode())


def _refuse_constant(name):
    raise ReportError(_("Valeur JSON non acceptée : %(name)s.") % {"name": name})


def _text(payload, key, limit, required):
    value = payload.get(key, "")
    if not isinstance(value, str):
        raise ReportError(_("« %(key)s » doit être une chaîne de caractères.") % {"key": key})
    if required and not value.strip():
        raise ReportError(_("« %(key)s » est obligatoire.") % {"key": key})
    if len(value) > limit:
        raise ReportError(_("« %(key)s » dépasse %(limit)s caractères.") % {"key": key, "limit": limit})
    if "\x00" in value or (key == "message_id" and not value.isprintable()):
        raise ReportError(_("« %(key)s » contient des caractères interdits.") % {"key": key})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ReportError(_("« %(key)s » n'est pas de l'UTF-8 valide.") % {"key": key}) from error
    return value.strip()


def parse_report(raw):
    """The report in the raw body, or ReportError saying what is wrong."""
    if len(raw) > MAX_BODY_BYTES:
        raise ReportError(_("Rapport trop long (%(limit)s octets au plus).") % {"limit": MAX_BODY_BYTES})
    try:
        payload = json.loads(raw, parse_constant=_refuse_constant)
    except ReportError:
        raise
    except (ValueError, RecursionError) as error:
        raise ReportError(_("Le corps n'est pas un JSON valide en UTF-8.")) from error
    if not isinstance(payload, dict):
        raise ReportError(_("Le corps doit être un objet JSON."))
    status = payload.get("status")
    if status not in REPORTED_STATUSES:
        raise ReportError(_("« status » vaut « delivered » ou « failed »."))
    timestamp = payload.get("timestamp")
    if isinstance(timestamp, bool) or not isinstance(timestamp, int | float):
        raise ReportError(_("« timestamp » est un nombre de secondes depuis 1970 (UTC)."))
    if not (0 < timestamp < 10**11) or not math.isfinite(timestamp):
        raise ReportError(_("« timestamp » est hors des dates possibles."))
    return Report(
        message_id=_text(payload, "message_id", MAX_ID_CHARS, required=True),
        status=status,
        reason=_text(payload, "reason", MAX_REASON_CHARS, required=False),
        timestamp=float(timestamp),
    )


def report_body(*, message_id, status, reason="", timestamp):
    """The raw body of a report, as a provider would send it (for the command and the tests)."""
    return json.dumps(
        {"message_id": message_id, "status": status, "reason": reason, "timestamp": timestamp}, ensure_ascii=False
    ).encode()
