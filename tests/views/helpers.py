"""Helpers of the workspace tests: two pairs of caisses with their staff, cases built through the services."""

import datetime
import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from cafcases import services
from cafcases.countries_data import load_countries
from cafcases.models import Case, CaseStatus, Country, Organisation, Person, User
from cafcases.roles import ROLE_GROUP_NAMES, sync_role_groups
from tests.factories import (
    IdentifierFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    nir_for,
    verify_all_documents,
)

ACTION_RE = re.compile(r'action="/dossiers/(\d+)/action/([\w-]+)/"')


@dataclass
class World:
    caf: Organisation
    cpam: Organisation
    other_caf: Organisation
    other_cpam: Organisation
    caf_agent: User
    caf_agent2: User
    caf_supervisor: User
    cpam_agent: User
    cpam_agent2: User
    cpam_supervisor: User
    other_agent: User
    other_supervisor: User
    national_admin: User


def make_world():
    """A CAF and the CPAM of its department with their staff; another CAF and CPAM; a national administrator."""
    caf = OrganisationFactory()
    cpam = OrganisationFactory(cpam=True, department=caf.department)
    other_caf = OrganisationFactory()
    other_cpam = OrganisationFactory(cpam=True, department=other_caf.department)
    return World(
        caf=caf,
        cpam=cpam,
        other_caf=other_caf,
        other_cpam=other_cpam,
        caf_agent=UserFactory(organisation=caf, username="agent-caf", first_name="Alice", last_name="Caf"),
        caf_agent2=UserFactory(organisation=caf, username="agent-caf-2", first_name="Bruno", last_name="Caf"),
        caf_supervisor=UserFactory(organisation=caf, supervisor=True, username="superviseur-caf"),
        cpam_agent=UserFactory(organisation=cpam, username="agent-cpam", first_name="Chloé", last_name="Cpam"),
        cpam_agent2=UserFactory(organisation=cpam, username="agent-cpam-2", first_name="David", last_name="Cpam"),
        cpam_supervisor=UserFactory(organisation=cpam, supervisor=True, username="superviseur-cpam"),
        other_agent=UserFactory(organisation=other_caf, username="agent-autre-caf"),
        other_supervisor=UserFactory(organisation=other_cpam, supervisor=True, username="superviseur-autre-cpam"),
        national_admin=UserFactory(national_admin=True, username="admin-national"),
    )


def person_with_nia(caf, *, nia_issued_on="today", **kwargs) -> Person:
    """A person of this CAF holding an active NIA issued on ``nia_issued_on`` (None: no date, so no NIA clock)."""
    person = PersonFactory(caf=caf, **kwargs)
    IdentifierFactory(person=person, issued_on=timezone.localdate() if nia_issued_on == "today" else nia_issued_on)
    return person


verify_papers = verify_all_documents


def _complete(case):
    verify_papers(case)
    services.case_mark_documents_complete(case=case, by=None)


NEXT_STEP = {
    CaseStatus.NIA_ONLY: lambda case: services.case_issue_waiting_number(case=case, by=None),
    CaseStatus.WAITING_NUMBER_ISSUED: lambda case: services.case_request_documents(case=case, by=None),
    CaseStatus.DOCUMENTS_REQUESTED: _complete,
    CaseStatus.DOCUMENTS_COMPLETE: lambda case: services.case_send_for_certification(case=case, by=None),
    CaseStatus.SENT_FOR_CERTIFICATION: lambda case: services.case_mark_awaiting_country(case=case, by=None),
    CaseStatus.AWAITING_COUNTRY: lambda case: services.case_record_certified_nir(
        case=case, nir=nir_for(case.person), by=None
    ),
}


def advance(case, status):
    """Take the case along the usual journey to ``status``; CLOSED closes it from where it is (abandoned)."""
    if status == CaseStatus.CLOSED:
        services.case_close(case=case, by=None, reason="abandoned", comment="Sans nouvelles")
    while case.status != status:
        NEXT_STEP[case.status](case)
    case.refresh_from_db()
    return case


def open_case(
    caf, status=CaseStatus.NIA_ONLY, *, assigned_to=None, nia_issued_on="today", benefits=(), **person_kwargs
):
    """A case opened by case_open for a new person holding an NIA, taken to ``status`` through the services."""
    person = person_with_nia(caf, nia_issued_on=nia_issued_on, **person_kwargs)
    case = services.case_open(person=person, caf=caf, by=None, benefits_at_risk=benefits)
    advance(case, status)
    if assigned_to is not None:
        services.case_assign(case=case, agent=assigned_to, by=None)
    return case


def overdue_nia_date():
    """An NIA issued ten months ago: it expired last month, so the case is overdue."""
    return timezone.localdate() - datetime.timedelta(days=300)


def case_url(case, name="case_detail", **kwargs):
    return reverse(name, kwargs={"pk": case.pk, **kwargs})


def move_url(case, move_name):
    return reverse("case_move", kwargs={"pk": case.pk, "move_name": move_name})


def action_moves(html, case):
    """The move names whose form the page posts to for this case."""
    return {move for pk, move in ACTION_RE.findall(html) if int(pk) == case.pk}


def count_queries(client, url):
    """GET url and return (number of queries, executed SQL, response); the page must answer 200."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(context), [query["sql"] for query in context.captured_queries], response


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


def workspace_patterns():
    """(name, {keyword: converter}) of every named path of cafcases/urls.py, read from the URL resolver."""
    return [
        (pattern.name, dict(pattern.pattern.converters))
        for pattern in get_resolver("cafcases.urls").url_patterns
        if isinstance(pattern, URLPattern) and pattern.name
    ]


def ensure_reference_data():
    """Reload what the data migrations loaded (countries, role groups) if a transactional test's flush emptied it."""
    if not Country.objects.exists():
        load_countries(Country)
    if Group.objects.filter(name__in=ROLE_GROUP_NAMES.values()).count() < len(ROLE_GROUP_NAMES):
        sync_role_groups(apps)
