"""N agents press "Prendre le suivant" at the same instant: SKIP LOCKED gives each a different case.

Kept apart from the other take-next tests: their module-wide transaction must not be open around this one.
"""

import threading

import pytest
from django.db import connection

from cafcases.models import Case, EventKind
from cafcases.services.queue import case_take_next
from tests.factories import OrganisationFactory, UserFactory
from tests.views.helpers import fresh, open_case

WORKERS = 8


@pytest.fixture
def eight_agents_and_ten_cases(reference_data):
    caf = OrganisationFactory()
    OrganisationFactory(cpam=True, department=caf.department)
    cases = [open_case(caf) for _ in range(WORKERS + 2)]
    agents = [UserFactory(organisation=caf) for _ in range(WORKERS)]
    return agents, cases


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_eight_agents_pressing_at_once_get_eight_different_cases(eight_agents_and_ten_cases):
    agents, cases = eight_agents_and_ten_cases
    barrier = threading.Barrier(WORKERS)
    taken, errors = {}, []

    def press(agent):
        try:
            barrier.wait(timeout=10)
            taken[agent.pk] = case_take_next(agent=agent)
        except Exception as error:  # noqa: BLE001 (collected and asserted below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert None not in taken.values() and len(taken) == WORKERS
    assert len({case.pk for case in taken.values()}) == WORKERS
    for agent_pk, case in taken.items():
        assert fresh(case).assigned_to_id == agent_pk
    assert Case.objects.filter(pk__in=[case.pk for case in cases], assigned_to__isnull=True).count() == 2
    assert Case.objects.filter(events__kind=EventKind.ASSIGNMENT).distinct().count() == WORKERS
