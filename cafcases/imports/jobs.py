"""People files uploaded in the admin: checked (dry run) when uploaded, imported once someone confirms.

A file of more than ``settings.IMPORT_INLINE_MAX_ROWS`` rows is checked and imported by the background worker
(django-tasks), the page showing its progress; a smaller one right away, in the request.

Progress: the import runs in one transaction (a killed run leaves nothing), so its own writes are invisible to the
page until the end. On PostgreSQL the row counts go through a second connection, in autocommit, a few times a second;
elsewhere (SQLite allows one writer at a time) the page sees the counts when the run ends.
"""

import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cafcases.models import ImportJob, ImportJobStatus, Organisation

from .files import FileError, report_bytes
from .people import PeopleImport
from .rows import REPORT_HEADER

logger = logging.getLogger(__name__)
# Problems kept on the job for the page (the full list is in the report file).
PROBLEMS_SHOWN = 200


def count_rows(file):
    """Data rows of an uploaded file, roughly (lines after the header): enough to choose request or background."""
    file.seek(0)
    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b""))
    file.seek(0)
    return max(lines - 1, 0)


@transaction.atomic
def import_job_create(*, file, caisse, by) -> ImportJob:
    """Keep the uploaded file and check it: at once for a small file, in the background for a big one."""
    rows = count_rows(file)
    job = ImportJob(
        caisse=caisse,
        created_by=by,
        file_name=getattr(file, "name", "")[:255],
        rows_total=rows,
        in_background=rows > settings.IMPORT_INLINE_MAX_ROWS,
    )
    job.file.save(job.file_name or "import.csv", file, save=False)
    job.save()
    _start(job, dry_run=True)
    return job


@transaction.atomic
def import_job_confirm(*, job, by) -> ImportJob:
    """Import a checked file (its valid rows, as the command does)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJobStatus.CHECKED:
        raise ValueError("Only a checked file can be imported.")
    job.status = ImportJobStatus.IMPORT_QUEUED
    job.confirmed_by = by
    job.rows_processed = 0
    job.save(update_fields=["status", "confirmed_by", "rows_processed"])
    _start(job, dry_run=False)
    return job


def _start(job, *, dry_run):
    if job.in_background:
        from .tasks import run_import_job

        transaction.on_commit(lambda: run_import_job.enqueue(job.pk, dry_run))
    else:
        import_job_run(job=job, dry_run=dry_run)


class JobProgress:
    """``PeopleImport``'s progress bar, written on the job row through a side connection (PostgreSQL only)."""

    INTERVAL = 0.5

    def __init__(self, job, total):
        self.job_id, self.total, self.written_at = job.pk, total, 0.0
        self.side = connections.create_connection("default") if connection.vendor == "postgresql" else None
        self._write(0)

    def _write(self, done):
        if self.side is None:
            return
        table = ImportJob._meta.db_table
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET rows_processed = %s, rows_total = %s WHERE id = %s",
                [done, self.total, self.job_id],
            )
        self.written_at = time.monotonic()

    def update(self, done):
        if time.monotonic() - self.written_at >= self.INTERVAL:
            self._write(done)

    def finish(self, done):
        if self.side is not None:
            self._write(done)
            self.side.close()
            self.side = None


def import_job_run(*, job, dry_run) -> ImportJob:
    """Check (dry run) or import the job's file and keep the summary, the first problems and the full report."""
    waiting = ImportJobStatus.CHECK_QUEUED if dry_run else ImportJobStatus.IMPORT_QUEUED
    running = ImportJobStatus.CHECKING if dry_run else ImportJobStatus.IMPORTING
    claimed = ImportJob.objects.filter(pk=job.pk, status=waiting).update(status=running, started_at=timezone.now())
    if not claimed:  # already run (a retried task, a double click): nothing is imported twice
        job.refresh_from_db()
        return job
    job.refresh_from_db()
    caisse = Organisation.objects.get(pk=job.caisse_id)
    cpam = Organisation.objects.cpam_for_department(caisse.department)
    progress = None

    def make_progress(total):
        nonlocal progress
        progress = JobProgress(job, total)
        return progress

    try:
        if cpam is None:
            raise FileError(
                _("Aucune CPAM n'est enregistrée pour le département %(department)s.")
                % {"department": caisse.department}
            )
        with job.file.open("rb") as file:
            summary = PeopleImport(
                file, caisse=caisse, cpam=cpam, dry_run=dry_run, progress=make_progress, name=job.file_name
            ).run()
    except (FileError, DatabaseError) as error:
        if progress is not None:
            progress.finish(0)
        if isinstance(error, DatabaseError):
            logger.exception("Import job %s failed", job.pk)
        job.status = ImportJobStatus.FAILED
        job.message = (
            error.message
            if isinstance(error, FileError)
            else _("Erreur de la base de données, rien n'a été importé : relancez le dépôt du fichier.")
        )
        job.finished_at = timezone.now()
        job.save()
        return job
    job.rows_total = job.rows_processed = summary.rows
    job.rows_imported = summary.created
    job.rows_present = summary.present
    job.rows_rejected = summary.rejected
    job.numbers_attached = summary.numbers_attached
    job.cases_opened = summary.cases_opened
    job.problems_count = len(summary.problems)
    job.problems = [[p.line, p.key, p.column, p.reason] for p in summary.problems[:PROBLEMS_SHOWN]]
    kind = "verification" if dry_run else "import"
    job.report.save(
        f"rapport-{kind}-{job.pk}.csv", ContentFile(report_bytes(REPORT_HEADER, summary.problems)), save=False
    )
    job.status = ImportJobStatus.CHECKED if dry_run else ImportJobStatus.DONE
    job.finished_at = timezone.now()
    job.save()
    return job
