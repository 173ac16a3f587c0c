"""Eight agents make the same move on the same case at the same instant: one wins, the others are told why."""

import threading

import pytest
from django.apps import apps
from django.db import connection

from cafcases.countries_data import load_countries
from cafcases.models import Case, CaseStatus, Country, EventKind
from cafcases.roles import sync_role_groups
from cafcases.services import StaleCaseError, case_request_documents
from cafcases.workflow import CaseTransitionError
from tests.factories import UserFactory, case_in_status

WORKERS = 8


@pytest.fixture(scope="module")
def reference_data_restored(django_db_setup, django_db_blocker):
    """Refill what the data migrations loaded once the transactional test's flush has emptied every table.

    Module-scoped, so that it tears down after the flush: transactional tests that run later (they all run after
    the others) still find the countries and the role groups.
    """
    yield
    with django_db_blocker.unblock():
        load_countries(Country)
        sync_role_groups(apps)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_same_move_by_eight_agents_at_once_succeeds_once(reference_data_restored):
    # Born in France: this test must not depend on the country table, which a transactional test's flush empties.
    case = case_in_status(CaseStatus.WAITING_NUMBER_ISSUED, person__born_in_france=True)
    agents = [UserFactory(organisation=case.cpam) for _ in range(WORKERS)]
    barrier = threading.Barrier(WORKERS)
    successes, errors = [], []

    def move(index, agent):
        try:
            loaded = Case.objects.get(pk=case.pk)  # what each agent's page showed
            barrier.wait(timeout=10)
            # Half of them send the version they saw (a form would), half do not.
            expected = loaded.version if index % 2 else None
            case_request_documents(case=loaded, by=agent, expected_version=expected)
            successes.append(agent)
        except Exception as error:  # noqa: BLE001 (collected and asserted below)
            errors.append((index, error))
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=pair) for pair in enumerate(agents)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(successes) == 1
    assert len(errors) == WORKERS - 1
    for index, error in errors:
        # Without a version the move is re-checked against the stage the winner left; with one, it is stale.
        assert isinstance(error, StaleCaseError if index % 2 else CaseTransitionError), (index, error)
    row = Case.objects.get(pk=case.pk)
    assert (row.status, row.version) == (CaseStatus.DOCUMENTS_REQUESTED, case.version + 1)
    transitions = row.events.filter(kind=EventKind.TRANSITION, move="request_documents")
    assert transitions.count() == 1
    assert transitions.get().by == successes[0]
    assert row.documents.count() == 3  # one checklist (no translation for a birth in France), not eight
