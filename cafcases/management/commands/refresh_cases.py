"""Periodic recomputation of the time-based clocks and priorities of every open case (idempotent)."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cafcases.clocks import CLOCK_FIELDS, observed_median_delays, refresh_clocks
from cafcases.models import Case, Country


class Command(BaseCommand):
    help = (
        "Recalcule les échéances, la prévision de certification et la priorité de tous les dossiers ouverts. "
        "À lancer chaque nuit (cron) : sans cela, les dossiers qui n'évoluent pas gardent une priorité d'hier. "
        "Idempotent : le relancer le même jour ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000, help="Dossiers traités par transaction.")

    def handle(self, *args, batch_size, **options):
        started = time.monotonic()
        today = timezone.localdate()
        observed = observed_median_delays(Country.objects.values_list("code", flat=True), today)
        last_id, seen, changed = 0, 0, 0
        while True:
            with transaction.atomic():
                batch = list(
                    Case.objects.open().filter(pk__gt=last_id).select_related("person").order_by("pk")[:batch_size]
                )
                if not batch:
                    break
                before = {case.pk: tuple(getattr(case, field) for field in CLOCK_FIELDS) for case in batch}
                refresh_clocks(batch, today, observed=observed)
                dirty = [case for case in batch if tuple(getattr(case, f) for f in CLOCK_FIELDS) != before[case.pk]]
                # Only what changed is written: a second run the same day writes nothing.
                Case.objects.bulk_update(dirty, CLOCK_FIELDS)
            seen += len(batch)
            changed += len(dirty)
            last_id = batch[-1].pk
        self.stdout.write(
            self.style.SUCCESS(
                f"{seen} dossiers ouverts relus, {changed} mis à jour en {time.monotonic() - started:.1f} s."
            )
        )
