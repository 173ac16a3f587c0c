"""The fixes the benchmarks called for (docs/PERFORMANCE.md): capped tab counts, take-next without a clock refresh."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cafcases.models import Case, CaseEvent, EventKind
from cafcases.services import case_assign
from cafcases.services.queue import case_take_next
from cafcases.views import queue as queue_views
from tests.factories import CaseFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_with_three_cases(client):
    """The test client signed in as an agent of a CAF with three cases to take."""
    caf = OrganisationFactory()
    agent = UserFactory(organisation=caf)
    for _ in range(3):
        CaseFactory(caf=caf)
    client.force_login(agent)
    return client


def test_tab_counts_are_exact_below_the_limit_and_capped_from_it(agent_with_three_cases, monkeypatch):
    client = agent_with_three_cases
    monkeypatch.setattr(queue_views, "TAB_COUNT_LIMIT", 5)
    counts = {tab["slug"]: tab["count"] for tab in client.get("/dossiers/").context["tabs"]}
    assert counts["a-prendre"] == 3 and counts["tous"] == 3
    monkeypatch.setattr(queue_views, "TAB_COUNT_LIMIT", 3)
    response = client.get("/dossiers/")
    counts = {tab["slug"]: tab["count"] for tab in response.context["tabs"]}
    assert counts["a-prendre"] == "3+" and counts["termines"] == 0
    assert response.context["count"] == 3  # the open tab's own total stays exact
    assert '<span class="count">3+</span>' in response.content.decode()


def test_the_caption_counts_exactly_up_to_its_limit_then_says_more_than(agent_with_three_cases, monkeypatch):
    client = agent_with_three_cases
    monkeypatch.setattr(queue_views, "CAPTION_COUNT_LIMIT", 3)
    response = client.get("/dossiers/")
    assert response.context["count"] == 3 and not response.context["count_is_capped"]
    assert "À prendre : 3 dossiers" in response.content.decode()
    monkeypatch.setattr(queue_views, "CAPTION_COUNT_LIMIT", 2)
    response = client.get("/dossiers/")
    assert response.context["count_is_capped"]
    assert "À prendre : plus de 2 dossiers" in response.content.decode()


def test_every_tab_is_counted_in_one_statement_with_the_tab_s_own_count():
    caf = OrganisationFactory()
    agent = UserFactory(organisation=caf)
    for _ in range(4):
        CaseFactory(caf=caf)
    case_assign(case=CaseFactory(caf=caf), agent=agent, by=None)
    today = timezone.localdate()
    querysets = [queue_views.tab_queryset(slug, user=agent, organisation=caf, today=today) for slug in queue_views.TABS]
    with CaptureQueriesContext(connection) as captured:
        counts = queue_views.capped_counts([*querysets, Case.objects.none()])
    assert len(captured.captured_queries) == 1
    assert counts == [queryset.count() for queryset in querysets] + [0]
    assert counts[list(queue_views.TABS).index("tous")] == 5


def test_take_next_assigns_and_records_without_touching_the_clocks():
    caf = OrganisationFactory()
    agent = UserFactory(organisation=caf)
    case = CaseFactory(caf=caf)
    before = Case.objects.get(pk=case.pk)
    with CaptureQueriesContext(connection) as captured:
        taken = case_take_next(agent=agent)
    # The clock refresh reads the requests (country statistics) and the numbers: a cost that grew with the volume.
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "cafcases_certificationrequest" not in tables and "cafcases_identifier" not in tables
    after = Case.objects.get(pk=case.pk)
    assert taken.pk == case.pk and after.assigned_to == agent and after.version == before.version + 1
    assert (after.next_deadline, after.priority, after.nia_valid_until) == (
        before.next_deadline,
        before.priority,
        before.nia_valid_until,
    )
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ASSIGNMENT, by=agent).count() == 1
    assert case_take_next(agent=agent) is None
