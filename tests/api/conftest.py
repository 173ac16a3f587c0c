from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction

from cafcases.api.models import ApiClient
from cafcases.api.services import api_client_create
from cafcases.models import CaseStatus, Identifier, Organisation, Person
from tests.factories import CaseFactory, IdentifierFactory, OrganisationFactory, PersonFactory, case_in_status

RESOLVE_URL = "/api/v1/identifiers/resolve"


@dataclass
class Partners:
    caf: Organisation
    cpam: Organisation
    other_caf: Organisation
    caf_client: ApiClient
    caf_token: str
    cpam_client: ApiClient
    cpam_token: str
    other_client: ApiClient
    other_token: str
    national_client: ApiClient
    national_token: str
    nia_only: Person  # an open case at nia_only: an active NIA, nothing to log in with
    waiting: Person  # an open case at waiting_number_issued: an active NIA and an active CAF waiting number
    certified: Person  # a case closed after certification: NIR active, NIA and waiting number superseded
    reopened: Person  # a closed case, then an open one
    no_case: Person  # a number, no case
    revoked: Identifier  # a revoked NIA of no_case

    def number(self, person, kind, **filters):
        return person.identifiers.get(kind=kind, **filters).value


def make_partners():
    caf = OrganisationFactory()
    cpam = OrganisationFactory(cpam=True, department=caf.department)
    other_caf = OrganisationFactory()
    clients = {
        name: api_client_create(name=f"Portail {name}", caisse=caisse)
        for name, caisse in (("caf", caf), ("cpam", cpam), ("other", other_caf), ("national", None))
    }
    certified = case_in_status(CaseStatus.CLOSED, closed_from=CaseStatus.CERTIFIED, caf=caf).person
    reopened = case_in_status(CaseStatus.CLOSED, caf=caf).person
    CaseFactory(person=reopened, caf=caf)
    no_case = PersonFactory(caf=caf)
    IdentifierFactory(person=no_case)
    revoked = IdentifierFactory(person=no_case, status="revoked")
    return Partners(
        caf=caf,
        cpam=cpam,
        other_caf=other_caf,
        caf_client=clients["caf"][0],
        caf_token=clients["caf"][1],
        cpam_client=clients["cpam"][0],
        cpam_token=clients["cpam"][1],
        other_client=clients["other"][0],
        other_token=clients["other"][1],
        national_client=clients["national"][0],
        national_token=clients["national"][1],
        nia_only=CaseFactory(caf=caf).person,
        waiting=case_in_status(CaseStatus.WAITING_NUMBER_ISSUED, caf=caf).person,
        certified=certified,
        reopened=reopened,
        no_case=no_case,
        revoked=revoked,
    )


@pytest.fixture(scope="module")
def module_partners(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction (as TestCase.setUpTestData); each test's one nests inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield make_partners()
        transaction.set_rollback(True)


@pytest.fixture
def partners(module_partners, db):
    return module_partners


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """The throttle counts calls in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def resolve(client):
    """resolve(number, token=…) → the response of the API, the number sent as JSON in the body."""

    def call(number, token=None, **body):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        payload = {"number": number, **body} if number is not None else body
        return client.post(RESOLVE_URL, payload, content_type="application/json", headers=headers)

    return call
