"""Background task for big uploaded import files (django-tasks; ``manage.py db_worker`` runs it)."""

from django_tasks import task

from cafcases.models import ImportJob

from .jobs import import_job_run


@task()
def run_import_job(job_id, dry_run):
    import_job_run(job=ImportJob.objects.get(pk=job_id), dry_run=dry_run)
