"""Query-count guards: the dashboard and the exports run as many queries for 50 cases as for 5."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cafcases import services
from cafcases.models import CaseStatus, DashboardSnapshot, User
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, case_in_status

pytestmark = pytest.mark.django_db

SHAPES = [
    CaseStatus.NIA_ONLY,
    CaseStatus.DOCUMENTS_REQUESTED,
    CaseStatus.AWAITING_COUNTRY,
    CaseStatus.CERTIFIED,
    CaseStatus.CLOSED,
]


@pytest.fixture
def caisse(db, frozen):
    caf = OrganisationFactory()
    OrganisationFactory(cpam=True, department=caf.department)
    agents = [UserFactory(organisation=caf) for _ in range(3)]
    return caf, agents, UserFactory(organisation=caf, supervisor=True), UserFactory(national_admin=True)


def add_cases(caf, agents, count):
    for index in range(count):
        status = SHAPES[index % len(SHAPES)]
        case = case_in_status(status, caf=caf) if status != CaseStatus.NIA_ONLY else CaseFactory(caf=caf)
        if status in (CaseStatus.NIA_ONLY, CaseStatus.CERTIFIED):  # the CAF's stages: its agents take them
            services.case_assign(case=case, agent=agents[index % len(agents)], by=None)


def count_queries(client, url, data=None):
    DashboardSnapshot.objects.all().delete()  # the dashboard computes its figures live, as on a first visit
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("who", "url", "data"),
    [
        ("supervisor", reverse("dashboard"), None),
        ("national_admin", reverse("dashboard"), "caisse"),
        ("national_admin", reverse("dashboard"), None),
        ("supervisor", reverse("queue_export", kwargs={"fmt": "csv"}), {"onglet": "tous"}),
        ("supervisor", reverse("queue_export", kwargs={"fmt": "xlsx"}), {"onglet": "tous"}),
        ("supervisor", reverse("dashboard_export", kwargs={"table": "charge", "fmt": "csv"}), None),
    ],
)
def test_the_number_of_queries_does_not_grow_with_cases(caisse, client, who, url, data):
    caf, agents, supervisor, national_admin = caisse
    user = supervisor if who == "supervisor" else national_admin
    client.force_login(User.objects.get(pk=user.pk))
    data = {"caisse": caf.code} if data == "caisse" else data
    add_cases(caf, agents, 5)
    with_five = count_queries(client, url, data)
    add_cases(caf, agents, 45)
    assert count_queries(client, url, data) == with_five
    if url == reverse("dashboard"):
        # Session and user, the chosen caisse and the caisses of the selector, the snapshot looked up, one query per
        # figure, then the snapshot stored (update_or_create: savepoints, the row locked, then written).
        assert with_five <= 18
