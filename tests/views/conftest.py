import pytest
from django.db import connection, transaction

from cafcases.models import User
from tests.views.helpers import ensure_reference_data, make_world


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    # WhiteNoise warns (an error under filterwarnings=error) when STATIC_ROOT does not exist, as in a fresh checkout.
    settings.STATIC_ROOT = tmp_path


@pytest.fixture(scope="module")
def module_atomic(django_db_setup, django_db_blocker):
    """A transaction around a whole module (as TestCase.setUpTestData does): each test's own one nests inside it,
    so module-scoped data is built once and every test's writes are still rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def module_world(module_atomic):
    return make_world()


@pytest.fixture
def world(module_world, db):
    return module_world


@pytest.fixture
def login(client):
    """login(user) → the test client, signed in as that user (read afresh: module data outlives a test)."""

    def log_in(user):
        client.force_login(User.objects.get(pk=user.pk))
        return client

    return log_in


@pytest.fixture(scope="module")
def _reference_data_restored(django_db_setup, django_db_blocker):
    """Module-scoped, so that it tears down after a transactional test's flush: later tests find the data again."""
    yield
    with django_db_blocker.unblock():
        ensure_reference_data()


@pytest.fixture
def reference_data(_reference_data_restored, transactional_db):
    """For transactional tests: the countries and role groups, even after an earlier test's flush."""
    assert not connection.in_atomic_block, "a module-wide transaction is open: move this test to its own module"
    ensure_reference_data()
