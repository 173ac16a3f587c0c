"""Queue the reminders of appointments starting within 48 hours; run it periodically (every 15 minutes, say).

Running it twice queues nothing new: each reminder has a dedupe key per appointment, start time and channel,
and the appointment remembers the start time its reminder announced.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from cafcases.booking.notify import reminders_due, send_reminder


class Command(BaseCommand):
    help = "Met en file les rappels des rendez-vous des 48 prochaines heures (sans jamais les envoyer deux fois)."

    def handle(self, *args, **options):
        now = timezone.now()
        appointments = 0
        messages = 0
        for appointment in reminders_due(now).iterator(chunk_size=500):
            messages += len(send_reminder(appointment))
            appointments += 1
        self.stdout.write(f"Rappels : {appointments} rendez-vous, {messages} messages mis en file.")
