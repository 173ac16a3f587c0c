"""Backends that fail or take their time, for the failure and concurrency tests."""

import time

from django.core.mail.backends.base import BaseEmailBackend

from cafcases.notifications.sms import BaseSmsBackend, LocmemSmsBackend, SmsError


class RefusingSmsBackend(BaseSmsBackend):
    def send(self, *, to, body):
        raise SmsError(f"numéro {to} refusé par l'opérateur")


class BrokenEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp down")


class SlowLocmemSmsBackend(LocmemSmsBackend):
    """Takes its time, so that concurrent senders really overlap."""

    def send(self, *, to, body):
        time.sleep(0.2)
        return super().send(to=to, body=body)
