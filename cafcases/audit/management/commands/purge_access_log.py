"""Periodic purge of the access log past its retention period (settings.ACCESS_LOG_RETENTION_DAYS)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from cafcases.audit.services import access_log_purge


class Command(BaseCommand):
    help = (
        "Efface du journal des accès les lignes plus anciennes que ACCESS_LOG_RETENTION_DAYS jours (365 par défaut). "
        "À lancer chaque nuit (cron). Seule cette commande peut effacer des lignes : la base refuse toute autre "
        "suppression ou modification."
    )

    def handle(self, *args, **options):
        deleted = access_log_purge()
        self.stdout.write(
            f"Journal des accès : {deleted} ligne(s) de plus de {settings.ACCESS_LOG_RETENTION_DAYS} jours effacée(s)."
        )
