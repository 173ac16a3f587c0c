"""What the import commands share: running an importer, its report file and the exit codes."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from .files import EXIT_UNREADABLE, FileError, Problem, check_report_path, problem_lines, write_report


class ImportCommand(BaseCommand):
    """An import command: an unreadable file or report path ends with code 2, before anything is written."""

    def check_report(self, report):
        try:
            check_report_path(report)
        except FileError as error:
            raise CommandError(error.message, returncode=EXIT_UNREADABLE) from error

    def run_importer(self, importer, *, report, report_header, database_message):
        """Run the importer and write the report; a file or database error ends with code 2."""
        try:
            summary = importer.run()
        except FileError as error:
            if report:
                write_report(report, report_header, [Problem(error.line, "", error.column, error.message)])
            raise CommandError(error.message, returncode=EXIT_UNREADABLE) from error
        except DatabaseError as error:
            raise CommandError(database_message % {"error": error}, returncode=EXIT_UNREADABLE) from error
        if report:
            write_report(report, report_header, summary.problems)
        return summary

    def write_problems(self, summary, report, *, more):
        """The first problems on screen, then where the full list is (or how to get it)."""
        for line in problem_lines(summary.problems):
            self.stdout.write(line)
        if report:
            self.stdout.write(_("Rapport : %(path)s") % {"path": report})
        elif summary.problems:
            self.stdout.write(more)
