"""Recompute the dashboard's snapshots: every caisse's and the national one (idempotent)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from cafcases.models import Organisation
from cafcases.stats import snapshots
from cafcases.stats.figures import Scope


class Command(BaseCommand):
    help = (
        "Recalcule les chiffres du pilotage de chaque caisse et de l'ensemble des caisses, et les enregistre. "
        "À lancer régulièrement (cron, toutes les 15 minutes ou chaque nuit) : la page lit ces chiffres tant qu'ils "
        "ont moins de DASHBOARD_SNAPSHOT_MAX_AGE_MINUTES minutes, et les recalcule elle-même sinon. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--caisse", action="append", default=[], help="Seulement cette caisse (répétable).")
        parser.add_argument("--sans-national", action="store_true", help="Sans les chiffres de toutes les caisses.")

    def handle(self, *args, caisse, sans_national, **options):
        started = time.perf_counter()
        today = timezone.localdate()
        organisations = list(Organisation.objects.order_by("code"))
        if caisse:
            organisations = [organisation for organisation in organisations if organisation.code in caisse]
            missing = set(caisse) - {organisation.code for organisation in organisations}
            if missing:
                raise CommandError(f"Caisse inconnue : {', '.join(sorted(missing))}")
        scopes = [Scope(organisation, today) for organisation in organisations]
        if not sans_national and not caisse:
            scopes.append(Scope(None, today))
        with translation.override(settings.LANGUAGE_CODE):  # the stored labels are in the site's language
            for scope in scopes:
                snapshot = snapshots.refresh(scope)
                self.stdout.write(f"{snapshot.scope}: {snapshot.duration_ms} ms")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"{len(scopes)} instantané(s) du pilotage recalculé(s) en {elapsed:.1f} s.")
        )
