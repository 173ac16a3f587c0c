"""Background task for big letter batches (django-tasks; ``manage.py db_worker`` runs it)."""

from django_tasks import task

from cafcases.models import LetterBatch

from .services import letter_batch_run


@task()
def run_letter_batch(batch_id):
    letter_batch_run(batch=LetterBatch.objects.get(pk=batch_id))
