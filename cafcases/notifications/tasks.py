"""Background tasks of the messages, run by `manage.py db_worker` (the immediate backend in tests)."""

from django_tasks import task

from .services import message_send


@task()
def send_message(message_pk):
    """Send one queued message; a message already sent is left alone, so a retried task never sends twice."""
    message = message_send(message_pk=message_pk)
    return message.status if message is not None else None
