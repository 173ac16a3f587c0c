"""SMS backends: the HTTP one against a fake transport (no test touches the network), the console one."""

import io
import json
import urllib.error

import pytest

from cafcases.notifications import sms
from cafcases.notifications.models import MessageStatus
from cafcases.notifications.services import message_queue
from cafcases.notifications.sms import ConsoleSmsBackend, HttpSmsBackend, LocmemSmsBackend, SmsError, get_sms_backend


class FakeResponse(io.BytesIO):
    status = 200


class FakeOpener:
    """Answers like the provider would, and keeps what it was asked."""

    def __init__(self, answer=b'{"message_id": "prov-42"}', error=None):
        self.answer = answer
        self.error = error
        self.requests = []

    def open(self, request, timeout):
        self.requests.append((request, timeout))
        if self.error:
            raise self.error
        return FakeResponse(self.answer)


@pytest.fixture
def provider(settings):
    settings.SMS_PROVIDER_URL = "https://sms.example.invalid/v1/messages"
    settings.SMS_PROVIDER_API_KEY = "test-key"
    settings.SMS_PROVIDER_SENDER = "CAF"
    settings.SMS_PROVIDER_TIMEOUT = 7


def test_the_http_backend_posts_json_with_the_api_key_and_returns_the_id(provider):
    opener = FakeOpener()
    assert HttpSmsBackend(opener=opener).send(to="+33612345678", body="Bonjour") == "prov-42"
    [(request, timeout)] = opener.requests
    assert (request.full_url, request.get_method(), timeout) == ("https://sms.example.invalid/v1/messages", "POST", 7)
    assert request.get_header("X-api-key") == "test-key"
    assert request.get_header("Content-type") == "application/json"
    assert json.loads(request.data) == {"to": "+33612345678", "body": "Bonjour", "sender": "CAF"}


def test_the_http_backend_accepts_a_numeric_id(provider):
    assert HttpSmsBackend(opener=FakeOpener(b'{"id": 7}')).send(to="+33612345678", body="x") == "7"


def http_error(code, body):
    return urllib.error.HTTPError("https://sms.example.invalid", code, "Bad Request", {}, io.BytesIO(body))


@pytest.mark.parametrize(
    ("opener", "reason"),
    [
        (
            FakeOpener(error=http_error(400, b'{"error": "invalid"}')),
            'le prestataire a répondu 400 {"error": "invalid"}',
        ),
        (FakeOpener(error=urllib.error.URLError("connection refused")), "prestataire injoignable : connection refused"),
        (FakeOpener(error=TimeoutError("timed out")), "prestataire injoignable : timed out"),
        (FakeOpener(answer=b"<html>"), "réponse du prestataire illisible"),
        (FakeOpener(answer=b"[]"), "réponse du prestataire illisible"),
        (FakeOpener(answer=b'{"status": "ok"}'), "réponse du prestataire sans identifiant de message"),
    ],
    ids=["http-400", "refused", "timeout", "not-json", "not-an-object", "no-id"],
)
def test_the_http_backend_turns_provider_errors_into_sms_errors(provider, opener, reason):
    with pytest.raises(SmsError) as error:
        HttpSmsBackend(opener=opener).send(to="+33612345678", body="x")
    assert str(error.value) == reason


def test_the_http_backend_refuses_to_run_unconfigured(settings):
    settings.SMS_PROVIDER_URL = ""
    opener = FakeOpener()
    with pytest.raises(SmsError, match="SMS_PROVIDER_URL"):
        HttpSmsBackend(opener=opener).send(to="+33612345678", body="x")
    assert opener.requests == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("opener", "status", "provider_id", "reason"),
    [
        (FakeOpener(), MessageStatus.SENT, "prov-42", ""),
        (
            FakeOpener(error=http_error(422, b'{"error": "+33612345678 is not a mobile number"}')),
            MessageStatus.FAILED,
            "",
            'SmsError: le prestataire a répondu 422 {"error": "[numéro] is not a mobile number"}',
        ),
    ],
    ids=["accepted", "refused"],
)
def test_a_message_sent_through_the_http_backend(
    provider, settings, monkeypatch, django_capture_on_commit_callbacks, opener, status, provider_id, reason
):
    settings.SMS_BACKEND = "cafcases.notifications.sms.HttpSmsBackend"
    monkeypatch.setattr(sms.urllib.request, "build_opener", lambda: opener)
    with django_capture_on_commit_callbacks(execute=True):
        message = message_queue(
            channel="sms", to="+33612345678", purpose="rappel", body="Demain 9 h", dedupe_key="http-test"
        )
    message.refresh_from_db()
    assert (message.status, message.provider_message_id, message.failure_reason) == (status, provider_id, reason)
    assert len(opener.requests) == 1


def test_the_console_backend_writes_and_returns_an_id():
    stream = io.StringIO()
    message_id = ConsoleSmsBackend(stream=stream).send(to="+33612345678", body="Bonjour")
    assert message_id.startswith("console-")
    assert stream.getvalue().startswith(f"SMS {message_id} to +33612345678\nBonjour\n")


def test_the_settings_choose_the_backend(settings, sms_outbox):
    assert isinstance(get_sms_backend(), LocmemSmsBackend)
    settings.SMS_BACKEND = "cafcases.notifications.sms.ConsoleSmsBackend"
    assert isinstance(get_sms_backend(), ConsoleSmsBackend)
