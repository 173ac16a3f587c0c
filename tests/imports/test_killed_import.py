"""A people import killed with SIGKILL in the middle of its writes, then run again, ends as a clean run does."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from cafcases.countries_data import load_countries
from cafcases.models import Case, CaseEvent, Country, Identifier, Person
from tests.factories import OrganisationFactory

from .conftest import registry_state
from .generate import people_rows, write_people_csv

ROOT = Path(__file__).resolve().parents[2]
ROWS = 20_000
APPLICATION = "import-people-kill-test"


@pytest.fixture(scope="module")
def reference_data_restored(django_db_setup, django_db_blocker):
    """The countries, which a transactional test's flush empties, are put back for the tests that run after."""
    yield
    with django_db_blocker.unblock():
        load_countries(Country)


def database_url():
    settings = connection.settings_dict
    credentials = quote(settings["USER"] or "", safe="")
    if settings["PASSWORD"]:
        credentials += ":" + quote(settings["PASSWORD"], safe="")
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{settings['NAME']}"


def command(path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PGAPPNAME": APPLICATION,  # libpq's application_name: how this test finds the command's session
    }
    return [sys.executable, "manage.py", "import_people", str(path), "--caisse", "CAF-59"], env


def backend():
    """(pid, current query) of the command's database session, or None."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid, query FROM pg_stat_activity WHERE application_name = %s", [APPLICATION])
        return cursor.fetchone()


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    return None


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_killed_then_run_again_gives_the_state_of_a_clean_run(tmp_path, reference_data_restored):
    if not Country.objects.exists():  # emptied by an earlier transactional test's flush
        load_countries(Country)
    OrganisationFactory(department="59")
    OrganisationFactory(cpam=True, department="59")
    path = write_people_csv(tmp_path / "personnes.csv", people_rows(ROWS))
    arguments, env = command(path)

    killed = subprocess.Popen(arguments, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # The writes have begun once the session works on the staging table; a moment later, some chunks are in.
        writing = wait_for(lambda: (row := backend()) and "import_people_staging" in row[1] and row, timeout=120)
        assert writing, "the import never reached its writes"
        time.sleep(0.5)
        assert killed.poll() is None, "the import finished before it could be killed: make the file larger"
        killed.send_signal(signal.SIGKILL)
        assert killed.wait(timeout=30) == -signal.SIGKILL
    finally:
        if killed.poll() is None:
            killed.kill()
    # The server notices the lost client and rolls its transaction back: one transaction, nothing is left.
    assert wait_for(lambda: backend() is None, timeout=120), "the killed session is still there"
    assert Person.objects.count() == Identifier.objects.count() == Case.objects.count() == 0

    rerun = subprocess.run(arguments, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    after_kill = registry_state()
    assert Person.objects.count() == Identifier.objects.count() == Case.objects.count() == ROWS

    CaseEvent.objects.all().delete()
    Case.objects.all().delete()
    Identifier.objects.all().delete()
    Person.objects.all().delete()
    clean = subprocess.run(arguments, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert registry_state() == after_kill
