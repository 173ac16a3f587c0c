import pytest

from cafcases.notifications import sms


@pytest.fixture(autouse=True)
def sms_outbox():
    """The locmem SMS outbox, emptied around each test."""
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
