import os

import pytest
import time_machine
from django.db import transaction

from cafcases.models import User
from tests.dashboard.story import FROZEN_AT, build_story

# Playwright's sync API runs an event loop in the test's thread; the live server's database access there is safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    # WhiteNoise warns (an error under filterwarnings=error) when STATIC_ROOT does not exist, as in a fresh checkout.
    settings.STATIC_ROOT = tmp_path


@pytest.fixture
def frozen():
    """Today is Monday 10 March 2025, 09:30 in Paris, for the figures as for the story's dates."""
    with time_machine.travel(FROZEN_AT, tick=False):
        yield FROZEN_AT


@pytest.fixture(scope="module")
def module_story(django_db_setup, django_db_blocker):
    """The hand-computed story (tests/dashboard/story.py), built once per module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_story()
        transaction.set_rollback(True)


@pytest.fixture
def story(module_story, db, frozen):
    return module_story


@pytest.fixture
def login(client):
    def log_in(user):
        client.force_login(User.objects.get(pk=user.pk))
        return client

    return log_in
