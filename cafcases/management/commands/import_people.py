"""import_people: the CAF's list of people locked out with an NIA → people, their NIA and an open case each."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cafcases.imports.command import ImportCommand
from cafcases.imports.files import (
    EXIT_REJECTED,
    EXIT_UNREADABLE,
    Progress,
)
from cafcases.imports.people import PeopleImport
from cafcases.imports.rows import REPORT_HEADER
from cafcases.models import Organisation, OrganisationKind


class Command(ImportCommand):
    help = _(
        "Importe un fichier CSV (UTF-8, séparateur « ; » ou « , ») de personnes titulaires d'un NIA : crée chaque "
        "personne, son NIA et un dossier ouvert à la CAF indiquée. Les lignes invalides ou en conflit sont rejetées "
        "et listées dans le rapport. Code de sortie : 0 tout est importé, 1 des lignes sont rejetées (les autres sont "
        "importées), 2 fichier illisible (rien n'est importé). Relancer le même fichier ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FICHIER.csv")
        parser.add_argument("--caisse", required=True, metavar="CODE", help=_("Code de la CAF, par exemple CAF-59."))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Valide le fichier et produit le rapport sans rien enregistrer.")
        )
        parser.add_argument(
            "--report",
            metavar="RAPPORT.csv",
            help=_("Écrit les lignes rejetées et leurs motifs (colonnes ligne;numero_allocataire;colonne;motif)."),
        )

    def handle(self, *args, file, caisse, dry_run, report, **options):
        self.check_report(report)
        caf = Organisation.objects.filter(code=caisse.strip().upper(), kind=OrganisationKind.CAF).first()
        if caf is None:
            raise CommandError(_("Aucune CAF n'a le code « %(code)s ».") % {"code": caisse}, returncode=EXIT_UNREADABLE)
        cpam = Organisation.objects.cpam_for_department(caf.department)
        if cpam is None:
            raise CommandError(
                _("Aucune CPAM n'est enregistrée pour le département %(department)s.") % {"department": caf.department},
                returncode=EXIT_UNREADABLE,
            )
        importer = PeopleImport(
            file,
            caisse=caf,
            cpam=cpam,
            dry_run=dry_run,
            progress=lambda total: Progress.for_stdout(self.stdout, total, label=_("Import")),
        )
        summary = self.run_importer(
            importer,
            report=report,
            report_header=REPORT_HEADER,
            database_message=_("Erreur de la base de données, rien n'a été importé : %(error)s"),
        )
        self.print_summary(summary, caf, report)
        if summary.exit_code:
            raise CommandError(
                _("%(count)s ligne(s) rejetée(s) ; les autres sont importées.") % {"count": summary.rejected}
                if not dry_run
                else _("%(count)s ligne(s) seraient rejetées.") % {"count": summary.rejected},
                returncode=EXIT_REJECTED,
            )

    def print_summary(self, summary, caf, report):
        write = self.stdout.write
        if summary.dry_run:
            write(self.style.WARNING(_("Simulation (--dry-run) : rien n'a été enregistré.")))
        write(
            _("%(rows)s ligne(s) lue(s) pour %(caf)s (séparateur « %(sep)s ») en %(seconds).1f s (%(rate)s lignes/s).")
            % {
                "rows": summary.rows,
                "caf": caf.code,
                "sep": summary.delimiter,
                "seconds": summary.seconds,
                "rate": int(summary.rows / summary.seconds) if summary.seconds else summary.rows,
            }
        )
        write(_("  Personnes créées (avec leur NIA et un dossier) : %(n)s") % {"n": summary.created})
        write(_("  Déjà présentes : %(n)s") % {"n": summary.present})
        write(_("  NIA ajoutés à des personnes existantes : %(n)s") % {"n": summary.numbers_attached})
        write(_("  Dossiers ouverts pour des personnes existantes : %(n)s") % {"n": summary.cases_opened})
        write(_("  Lignes rejetées : %(n)s") % {"n": summary.rejected})
        self.write_problems(
            summary, report, more=_("Relancez avec --report RAPPORT.csv pour obtenir la liste complète des motifs.")
        )
        if not summary.problems:
            write(self.style.SUCCESS(_("Toutes les lignes sont valides.")))
