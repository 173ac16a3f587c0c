"""Helpers of the case admin tests: a small world of caisses and agents, cases built through the services."""

from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cafcases import services
from cafcases.models import (
    Authority,
    CaseStatus,
    Channel,
    ContactChannel,
    ContactOutcome,
    DocumentStatus,
    Organisation,
    Person,
    User,
)
from tests.factories import IdentifierFactory, OrganisationFactory, PersonFactory, UserFactory, nir_for


@dataclass
class World:
    caf: Organisation
    cpam: Organisation
    caf_agent: User
    cpam_agent: User
    caf_supervisor: User
    cpam_supervisor: User
    other_caf: Organisation
    other_agent: User


def make_world():
    """A CAF and the CPAM of its department, with an agent and a supervisor each; another CAF and its agent."""
    caf = OrganisationFactory()
    cpam = OrganisationFactory(cpam=True, department=caf.department)
    other_caf = OrganisationFactory()
    OrganisationFactory(cpam=True, department=other_caf.department)
    return World(
        caf=caf,
        cpam=cpam,
        caf_agent=UserFactory(organisation=caf, username="agent-caf"),
        cpam_agent=UserFactory(organisation=cpam, username="agent-cpam"),
        caf_supervisor=UserFactory(organisation=caf, supervisor=True, username="superviseur-caf"),
        cpam_supervisor=UserFactory(organisation=cpam, supervisor=True, username="superviseur-cpam"),
        other_caf=other_caf,
        other_agent=UserFactory(organisation=other_caf, username="agent-autre-caf"),
    )


def person_with_nia(caf, **kwargs) -> Person:
    person = PersonFactory(caf=caf, **kwargs)
    IdentifierFactory(person=person, issued_on=timezone.localdate())
    return person


def _verify_papers_and_complete(case):
    for document in case.documents.all():
        services.document_set_status(document=document, status=DocumentStatus.VERIFIED, by=None)
    services.case_mark_documents_complete(case=case, by=None)


NEXT_STEP = {
    CaseStatus.NIA_ONLY: lambda case: services.case_issue_waiting_number(case=case, by=None),
    CaseStatus.WAITING_NUMBER_ISSUED: lambda case: services.case_request_documents(case=case, by=None),
    CaseStatus.DOCUMENTS_REQUESTED: _verify_papers_and_complete,
    CaseStatus.DOCUMENTS_COMPLETE: lambda case: services.case_send_for_certification(case=case, by=None),
    CaseStatus.SENT_FOR_CERTIFICATION: lambda case: services.case_mark_awaiting_country(case=case, by=None),
    CaseStatus.AWAITING_COUNTRY: lambda case: services.case_record_certified_nir(
        case=case, nir=nir_for(case.person), by=None
    ),
    CaseStatus.CERTIFIED: lambda case: services.case_close_certified(case=case, by=None),
}


def advance(case, status):
    """Take the case forward along the usual journey until it reaches `status`."""
    while case.status != status:
        NEXT_STEP[case.status](case)
    case.refresh_from_db()
    return case


def open_case(caf, status=CaseStatus.NIA_ONLY, person=None, by=None, **person_kwargs):
    """A case opened by case_open for a new person holding an NIA, taken to `status` through the services."""
    person = person or person_with_nia(caf, **person_kwargs)
    case = services.case_open(person=person, caf=caf, by=by)
    return advance(case, status)


def add_work(case, count):
    """`count` contacts, notes and chased requests on the case (each adds events to the timeline)."""
    for index in range(count):
        services.contact_record(
            case=case, channel=ContactChannel.SMS, outcome=ContactOutcome.SENT, note=f"SMS {index}", by=None
        )
        services.note_add(case=case, text=f"Note {index}", by=None)
    for _ in range(max(1, count // 5)):
        request = services.certification_request_create(
            case=case,
            authority=Authority.CONSULATE,
            country=case.person.birth_country,
            channel=Channel.EMAIL,
            by=None,
        )
        for _ in range(count // 5 or 1):
            services.chase_add(request=request, channel=Channel.EMAIL, by=None)
    case.refresh_from_db()
    return case


def case_url(case=None, view="change"):
    return reverse(f"admin:cafcases_case_{view}", args=[case.pk] if case is not None else [])


def move_url(case, move):
    return reverse("admin:cafcases_case_move", args=[case.pk, move])


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def count_queries(client, url):
    """GET url and return (number of queries, response); the page must answer 200."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(context), response


def form_data(response):
    """The POST data a browser would send back from an admin change form, as rendered in `response`."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for bound_field in form:
            value = bound_field.value()
            if isinstance(value, bool):
                if value:
                    data[bound_field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound_field.html_name] = [str(item) for item in value]
            elif value is not None:
                data[bound_field.html_name] = str(value)
    return data


def formset_prefix(response, model, *, editable=True):
    """The prefix of the case page's inline formset for `model` (the editable one, or the add-only one)."""
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        if formset.model is model and bool(formset.initial_forms) == editable:
            return formset.prefix
    raise AssertionError(f"no inline formset for {model.__name__}")


def document_rows(response):
    """{kind: form prefix} of the papers' inline rows."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == "documents":
            return {form.instance.kind: form.prefix for form in inline.formset.initial_forms}
    raise AssertionError("no papers inline")
