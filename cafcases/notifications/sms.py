"""SMS backends: one small interface, selected by the dotted path in settings.SMS_BACKEND.

- ``ConsoleSmsBackend`` (development, the default): writes the SMS to standard output, never to a network.
- ``LocmemSmsBackend`` (tests): appends to the module-level list ``outbox``.
- ``HttpSmsBackend``: an SMS provider's HTTP API. Settings:

  - ``SMS_PROVIDER_URL``: the URL that accepts ``POST`` of the JSON ``{"to": "+33…", "body": "…", "sender": "…"}``
    and answers ``2xx`` with ``{"message_id": "…"}`` (``"id"`` is accepted too);
  - ``SMS_PROVIDER_API_KEY``: sent in the ``X-API-Key`` header;
  - ``SMS_PROVIDER_SENDER``: the sender name shown on the phone (11 characters at most);
  - ``SMS_PROVIDER_TIMEOUT``: seconds before giving up (the message is then recorded as failed).

  The provider reports delivery later to ``POST /webhooks/messages/sms/`` (see ``cafcases.notifications.views``).
"""

import json
import sys
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The SMS could not be handed to the provider; the message says why (without the phone number)."""


class BaseSmsBackend:
    def send(self, *, to, body):
        """Hand one SMS to the provider and return the provider's message id."""
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, *, to, body):
        message_id = f"console-{uuid.uuid4().hex}"
        self.stream.write(f"SMS {message_id} to {to}\n{body}\n{'-' * 40}\n")
        self.stream.flush()
        return message_id


@dataclass(frozen=True)
class SentSms:
    to: str
    body: str
    message_id: str


outbox = []


class LocmemSmsBackend(BaseSmsBackend):
    def send(self, *, to, body):
        message_id = f"locmem-{uuid.uuid4().hex}"
        outbox.append(SentSms(to=to, body=body, message_id=message_id))
        return message_id


class HttpSmsBackend(BaseSmsBackend):
    """A provider-shaped HTTP API; ``opener`` (anything with ``open(request, timeout=)``) is replaceable in tests."""

    def __init__(self, opener=None):
        self.opener = opener or urllib.request.build_opener()
        self.url = settings.SMS_PROVIDER_URL
        self.api_key = settings.SMS_PROVIDER_API_KEY
        self.sender = settings.SMS_PROVIDER_SENDER
        self.timeout = settings.SMS_PROVIDER_TIMEOUT

    def send(self, *, to, body):
        if not self.url or not self.api_key:
            raise SmsError("SMS_PROVIDER_URL ou SMS_PROVIDER_API_KEY manquant")
        request = urllib.request.Request(
            self.url,
            data=json.dumps({"to": to, "body": body, "sender": self.sender}).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json", "X-API-Key": self.api_key},
            method="POST",
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                payload = response.read(10_000)
        except urllib.error.HTTPError as error:
            detail = error.read(300).decode("utf-8", "replace") if error.fp else ""
            raise SmsError(f"le prestataire a répondu {error.code} {detail}".strip()) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SmsError(f"prestataire injoignable : {reason}") from error
        try:
            answer = json.loads(payload)
            message_id = answer.get("message_id") or answer.get("id")
        except (ValueError, AttributeError) as error:
            raise SmsError("réponse du prestataire illisible") from error
        if not isinstance(message_id, str | int) or not str(message_id).strip():
            raise SmsError("réponse du prestataire sans identifiant de message")
        return str(message_id)[:200]


def get_sms_backend():
    return import_string(settings.SMS_BACKEND)()
