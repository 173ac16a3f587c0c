"""Admin recipe for the background task results of django-tasks-db (read-only in the admin)."""

import datetime

from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def build_task_results(rows, related):
    """`rows` finished task results; `related` is meaningless for a row without children."""
    now = timezone.now()
    results = [
        DBTaskResult.objects.create(
            status="SUCCESSFUL" if index % 2 else "FAILED",
            args_kwargs={"args": [], "kwargs": {}},
            task_path="booking.tasks.send_message",
            backend_name="default",
            queue_name="default",
            run_after=now,
            started_at=now,
            finished_at=now + datetime.timedelta(seconds=1),
            exception_class_path="" if index % 2 else "builtins.RuntimeError",
            traceback="",
        )
        for index in range(rows)
    ]
    return results[0]


RECIPES = {DBTaskResult: (build_task_results, ["status__exact=FAILED", "queue_name__exact=default"])}
