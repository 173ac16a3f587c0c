"""Backends that fail, for the failure tests."""

from django.core.mail.backends.base import BaseEmailBackend

from cafcases.notifications.sms import BaseSmsBackend, SmsError


class RefusingSmsBackend(BaseSmsBackend):
    def send(self, *, to, body):
        raise SmsError(f"numéro {to} refusé par l'opérateur")


class BrokenEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp down")
