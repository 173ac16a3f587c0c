"""import_certifications: a file of certified NIRs (nia;nir;date_certification) recorded on people and their cases."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from cafcases.imports.certifications import REPORT_HEADER, CertificationImport
from cafcases.imports.files import (
    EXIT_REJECTED,
    EXIT_UNREADABLE,
    FileError,
    Problem,
    Progress,
    check_report_path,
    problem_lines,
    write_report,
)


class Command(BaseCommand):
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
        try:
            check_report_path(report)
        except FileError as error:
            raise CommandError(error.message, returncode=EXIT_UNREADABLE) from error
        importer = CertificationImport(
            file,
            dry_run=dry_run,
            progress=lambda total: Progress.for_stdout(self.stdout, total, label=_("Certifications")),
        )
        try:
            summary = importer.run()
        except FileError as error:
            if report:
                write_report(report, REPORT_HEADER, [Problem(error.line, "", error.column, error.message)])
            raise CommandError(error.message, returncode=EXIT_UNREADABLE) from error
        except DatabaseError as error:
            raise CommandError(
                _("Erreur de la base de données : %(error)s") % {"error": error}, returncode=EXIT_UNREADABLE
            ) from error
        if report:
            write_report(report, REPORT_HEADER, summary.problems)
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
        for line in problem_lines(summary.problems):
            write(line)
        if report:
            write(_("Rapport : %(path)s") % {"path": report})
        elif summary.problems:
            write(_("Relancez avec --report RAPPORT.csv pour obtenir la liste complète."))
