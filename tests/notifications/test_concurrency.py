"""Never twice under concurrency: the unique key when queueing, the row lock when sending (PostgreSQL, threads)."""

import threading

import pytest
from django.db import connection, transaction

from cafcases.notifications.models import Message, MessageStatus
from cafcases.notifications.services import message_queue, message_send

WORKERS = 8


def run_at_once(target):
    """Run target(index) in WORKERS threads released together; return the errors they raised."""
    barrier = threading.Barrier(WORKERS)
    errors = []

    def work(index):
        try:
            barrier.wait(timeout=10)
            target(index)
        except Exception as error:  # noqa: BLE001 (collected and asserted by the test)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(index,)) for index in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_eight_requests_queueing_the_same_message_send_it_once(settings, sms_outbox):
    settings.SMS_BACKEND = "tests.notifications.fakes.SlowLocmemSmsBackend"
    queued = []

    def queue(index):
        with transaction.atomic():
            message = message_queue(
                channel="sms", to="+33612345678", purpose="rappel", body=f"Texte {index}", dedupe_key="race"
            )
            queued.append(message.pk)

    assert run_at_once(queue) == []
    assert len(set(queued)) == 1 and len(queued) == WORKERS
    message = Message.objects.get()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
    assert len(sms_outbox) == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_eight_workers_running_the_same_send_task_send_once(settings, sms_outbox):
    settings.SMS_BACKEND = "tests.notifications.fakes.SlowLocmemSmsBackend"
    message = Message.objects.create(channel="sms", to="+33612345678", purpose="rappel", body="b", dedupe_key="k")

    assert run_at_once(lambda index: message_send(message_pk=message.pk)) == []
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
    assert [sent.message_id for sent in sms_outbox] == [message.provider_message_id]
