"""Enqueue again the messages still queued after a while: a lost task or a worker that died mid-send."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from cafcases.notifications.models import Message
from cafcases.notifications.tasks import send_message


class Command(BaseCommand):
    help = (
        "Remet en file d'envoi les messages encore en attente après un délai (tâche perdue, worker arrêté). "
        "Sans risque de double envoi : un message déjà envoyé est ignoré par la tâche."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=15, help="Minutes d'attente avant de relancer (15).")
        parser.add_argument("--limit", type=int, default=1000, help="Messages relancés au plus par passage (1000).")

    def handle(self, *args, older_than, limit, **options):
        cutoff = timezone.now() - datetime.timedelta(minutes=older_than)
        pks = list(
            Message.objects.queued()
            .filter(created_at__lt=cutoff)
            .order_by("created_at")
            .values_list("pk", flat=True)[:limit]
        )
        for pk in pks:
            send_message.enqueue(pk)
        self.stdout.write(f"{len(pks)} message(s) remis en file d'envoi.")
