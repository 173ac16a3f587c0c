"""send_letters: letters to a CAF's cases (how to get a waiting number, how to book) → one PDF and a CSV."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cafcases.imports.files import Progress
from cafcases.letters.batch import contact_note, mailing_order, record_letters, write_letters
from cafcases.models import Case, CaseStatus, Organisation, OrganisationKind


class Command(BaseCommand):
    help = _(
        "Produit les courriers « numéro d'attente CAF et prise de rendez-vous » des dossiers d'une CAF : un PDF "
        "(une page par personne, adresse pour enveloppe à fenêtre) et un CSV des envois dans le dossier indiqué, "
        "et inscrit chaque courrier dans l'historique des contacts du dossier. Par défaut : les dossiers au stade "
        "« NIA seul » ayant une adresse postale."
    )

    def add_arguments(self, parser):
        parser.add_argument("--caisse", required=True, metavar="CODE", help=_("Code de la CAF, par exemple CAF-59."))
        parser.add_argument(
            "--status",
            action="append",
            choices=CaseStatus.values,
            help=_("Étape des dossiers (répétable) ; par défaut nia_only."),
        )
        parser.add_argument("--limit", type=int, metavar="N", help=_("Au plus N courriers."))
        parser.add_argument("--out", required=True, metavar="DOSSIER", help=_("Dossier où écrire le PDF et le CSV."))

    def handle(self, *args, caisse, status, limit, out, **options):
        caf = Organisation.objects.filter(code=caisse.strip().upper(), kind=OrganisationKind.CAF).first()
        if caf is None:
            raise CommandError(_("Aucune CAF n'a le code « %(code)s ».") % {"code": caisse})
        folder = Path(out)
        if not folder.is_dir():
            raise CommandError(_("Le dossier « %(path)s » n'existe pas.") % {"path": folder})
        if limit is not None and limit < 1:
            raise CommandError(_("--limit doit être au moins 1."))
        started = time.monotonic()
        cases = Case.objects.filter(caf=caf, status__in=status or [CaseStatus.NIA_ONLY])
        case_ids = mailing_order(cases)[:limit]
        today = timezone.localdate()
        name = f"courriers-{caf.code}-{today:%Y%m%d}-{timezone.now():%H%M%S}"
        pdf_path, csv_path = folder / f"{name}.pdf", folder / f"{name}.csv"
        progress = Progress.for_stdout(self.stdout, len(case_ids), label=_("Courriers"))
        with open(pdf_path, "wb") as pdf, open(csv_path, "w", encoding="utf-8-sig", newline="") as csv:
            written = write_letters(
                case_ids,
                scope=Case.objects.filter(caf=caf),
                caisse=caf,
                pdf_stream=pdf,
                csv_stream=csv,
                today=today,
                progress=progress.update,
            )
        progress.finish(len(written))
        with transaction.atomic():
            record_letters(written, by=None, note=contact_note(pdf_path.name))
        self.stdout.write(
            _("%(count)s courrier(s) en %(seconds).1f s : %(pdf)s, %(csv)s")
            % {"count": len(written), "seconds": time.monotonic() - started, "pdf": pdf_path, "csv": csv_path}
        )
