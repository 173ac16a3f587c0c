"""Development: send a signed delivery report for a message, as the SMS or email provider would."""

import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import RequestFactory
from django.urls import resolve, reverse

from cafcases.notifications.models import Message
from cafcases.notifications.webhooks import REPORTED_STATUSES, SIGNATURE_HEADER, report_body, sign


class Command(BaseCommand):
    help = "Envoie un rapport de remise signé pour un message, comme le ferait le prestataire (développement)."

    def add_arguments(self, parser):
        parser.add_argument("message_pk", type=int)
        parser.add_argument("--status", choices=REPORTED_STATUSES, required=True)
        parser.add_argument("--reason", default="", help="Motif d'un échec, tel que le prestataire l'écrirait.")
        parser.add_argument(
            "--url",
            default="",
            help="Adresse d'un serveur lancé (http://127.0.0.1:8000) ; sinon la vue est appelée ici même.",
        )

    def handle(self, *args, message_pk, status, reason, url, **options):
        message = Message.objects.filter(pk=message_pk).first()
        if message is None:
            raise CommandError(f"Aucun message n°{message_pk}.")
        if not message.provider_message_id:
            raise CommandError(
                f"Le message n°{message_pk} n'a pas encore été envoyé : aucun identifiant de prestataire."
            )
        if not settings.MESSAGE_WEBHOOK_SECRET:
            raise CommandError("MESSAGE_WEBHOOK_SECRET n'est pas réglé : le serveur refuserait tout rapport.")
        body = report_body(
            message_id=message.provider_message_id, status=status, reason=reason, timestamp=int(time.time())
        )
        signature = sign(body)
        path = reverse("notifications:delivery_report", kwargs={"provider": message.channel})
        code, answer = (
            self._post_http(url.rstrip("/") + path, body, signature) if url else self._call(path, body, signature)
        )
        if code >= 400:
            raise CommandError(f"Rapport refusé ({code}) : {answer.get('error', answer)}")
        self.stdout.write(f"Rapport accepté ({code}) : message n°{message.pk} {answer.get('status')}.")

    def _call(self, path, body, signature):
        request = RequestFactory().post(
            path, data=body, content_type="application/json", headers={SIGNATURE_HEADER: signature}
        )
        match = resolve(path)
        response = match.func(request, *match.args, **match.kwargs)
        return response.status_code, json.loads(response.content)

    def _post_http(self, url, body, signature):
        request = urllib.request.Request(
            url, data=body, method="POST", headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            try:
                return error.code, json.loads(error.read(2000))
            except ValueError:
                return error.code, {"error": error.reason}
        except urllib.error.URLError as error:
            raise CommandError(f"Serveur injoignable : {error.reason}") from error
