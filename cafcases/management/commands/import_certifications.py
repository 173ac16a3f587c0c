"""import_certifications: a file of certified NIRs (nia;nir;date_certification) recorded on people and their cases."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cafcases.imports.certifications import REPORT_HEADER, CertificationImport
from cafcases.imports.command import ImportCommand
from cafcases.imports.files import (
    EXIT_REJECTED,
    Progress,
)


class Command(ImportCommand):
    help = _(
        "Enregistre les NIR certifiés d'un fichier CSV (colonnes nia, nir, date_certification au format JJ/MM/AAAA) : "
        "la personne est retrouvée par n'importe quel numéro qu'elle détient ou a détenu, le NIR est enregistré sur "
        "son dossier ouvert (ou sur la personne, et noté sur son dossier clos). Les lignes invalides, non trouvées, en "
        "conflit ou déjà faites sont listées dans le rapport. Code de sortie : 0 toutes les lignes sont valides, 1 des "
        "lignes sont rejetées, 2 fichier illisible. Relancer le même fichier ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FICHIER.csv")
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Passe chaque ligne par les services puis annule tout.")
        )
        parser.add_argument(
            "--report",
            metavar="RAPPORT.csv",
            help=_("Écrit les lignes à examiner et leurs motifs (colonnes ligne;statut;colonne;motif)."),
        )

    def handle(self, *args, file, dry_run, report, **options):
        self.check_report(report)
        importer = CertificationImport(
            file,
            dry_run=dry_run,
            progress=lambda total: Progress.for_stdout(self.stdout, total, label=_("Certifications")),
        )
        summary = self.run_importer(
            importer,
            report=report,
            report_header=REPORT_HEADER,
            database_message=_("Erreur de la base de données : %(error)s"),
        )
        self.print_summary(summary, report)
        if summary.exit_code:
            raise CommandError(
                _("%(count)s ligne(s) rejetée(s) ; les autres sont enregistrées.") % {"count": summary.rejected},
                returncode=EXIT_REJECTED,
            )

    def print_summary(self, summary, report):
        write = self.stdout.write
        if summary.dry_run:
            write(self.style.WARNING(_("Simulation (--dry-run) : rien n'a été enregistré.")))
        write(
            _("%(rows)s ligne(s) lue(s) (séparateur « %(sep)s ») en %(seconds).1f s.")
            % {"rows": summary.rows, "sep": summary.delimiter, "seconds": summary.seconds}
        )
        write(_("  NIR enregistrés sur un dossier ouvert : %(n)s") % {"n": summary.recorded})
        write(_("  NIR enregistrés et notés sur un dossier clos : %(n)s") % {"n": summary.on_closed_case})
        write(_("  NIR enregistrés sur une personne sans dossier : %(n)s") % {"n": summary.without_case})
        write(_("  Déjà faits : %(n)s") % {"n": summary.already_done})
        write(_("  Lignes rejetées : %(n)s") % {"n": summary.rejected})
        self.write_problems(
            summary, report, more=_("Relancez avec --report RAPPORT.csv pour obtenir la liste complète.")
        )
