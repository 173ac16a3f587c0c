"""The case's change page: every change goes through its service; a refusal is shown on the form, never a 500."""

import pytest

from cafcases import services
from cafcases.models import (
    CaseNote,
    CaseStatus,
    CertificationRequest,
    Chase,
    ContactAttempt,
    DocumentKind,
    DocumentStatus,
    EventKind,
    RequestOutcome,
)
from tests.admin_cases.helpers import (
    admin_url,
    case_url,
    document_rows,
    form_data,
    formset_prefix,
    open_case,
)
from tests.factories import OrganisationFactory, UserFactory


def page_data(client, case):
    page = client.get(case_url(case))
    assert page.status_code == 200
    return page, form_data(page)


def main_errors(response):
    form = response.context["adminform"].form
    return {name: list(errors) for name, errors in form.errors.items()}


@pytest.mark.django_db
def test_benefits_are_ticked_and_saved_through_the_service(client, world):
    case = open_case(world.caf)
    client.force_login(world.caf_agent)
    page, data = page_data(client, case)
    assert "status" not in page.context["adminform"].form.fields  # the stage changes only through the moves

    data.update(benefits=["rsa", "aide_logement"], status=CaseStatus.CLOSED)
    response = client.post(case_url(case), data)

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.benefits_at_risk == ["aide_logement", "rsa"]
    assert case.status == CaseStatus.NIA_ONLY
    assert case.events.filter(kind=EventKind.CHANGE, by=world.caf_agent).count() == 1
    assert case.priority > 0


@pytest.mark.django_db
def test_a_stale_change_form_changes_nothing_and_keeps_the_typed_values(client, world):
    case = open_case(world.caf)
    client.force_login(world.caf_agent)
    _, data = page_data(client, case)
    services.case_set_benefits(case=case, benefits=["prime_noel"], by=world.caf_supervisor)  # meanwhile

    data["benefits"] = ["rsa"]
    response = client.post(case_url(case), data)

    assert response.status_code == 200
    assert "modifié par quelqu'un d'autre" in " ".join(response.context["adminform"].form.non_field_errors())
    case.refresh_from_db()
    assert case.benefits_at_risk == ["prime_noel"]
    form = response.context["adminform"].form
    assert form["benefits"].value() == ["rsa"]
    assert form["loaded_version"].value() == str(case.version)

    assert client.post(case_url(case), form_data(response)).status_code == 302
    case.refresh_from_db()
    assert case.benefits_at_risk == ["rsa"]


@pytest.mark.django_db
def test_a_rejected_paper_needs_a_reason(client, world):
    case = open_case(world.caf, CaseStatus.DOCUMENTS_REQUESTED)
    client.force_login(world.cpam_agent)
    page, data = page_data(client, case)
    row = document_rows(page)[DocumentKind.BIRTH_CERTIFICATE]

    data[f"{row}-status"] = DocumentStatus.REJECTED
    response = client.post(case_url(case), data)

    assert response.status_code == 200
    formset = next(
        inline.formset for inline in response.context["inline_admin_formsets"] if inline.formset.prefix == "documents"
    )
    assert any("motif du refus" in str(form.errors) for form in formset.forms)
    assert case.documents.get(kind=DocumentKind.BIRTH_CERTIFICATE).status == DocumentStatus.REQUESTED

    data[f"{row}-rejection_reason"] = "Acte sans filiation"
    assert client.post(case_url(case), data).status_code == 302
    document = case.documents.get(kind=DocumentKind.BIRTH_CERTIFICATE)
    assert (document.status, document.rejection_reason) == (DocumentStatus.REJECTED, "Acte sans filiation")


@pytest.mark.django_db
def test_papers_received_then_verified_and_one_more_requested(client, world):
    case = open_case(world.caf, CaseStatus.DOCUMENTS_REQUESTED)
    client.force_login(world.cpam_agent)
    page, data = page_data(client, case)
    row = document_rows(page)[DocumentKind.IDENTITY_DOCUMENT]
    extra = formset_prefix(page, case.documents.model, editable=False)

    data.update(
        {f"{row}-status": DocumentStatus.RECEIVED, f"{extra}-TOTAL_FORMS": "1", f"{extra}-0-kind": "ofpra_certificate"}
    )
    assert client.post(case_url(case), data).status_code == 302

    assert case.documents.get(kind=DocumentKind.IDENTITY_DOCUMENT).status == DocumentStatus.RECEIVED
    assert case.documents.filter(kind=DocumentKind.OFPRA_CERTIFICATE, status=DocumentStatus.REQUESTED).exists()
    assert case.events.filter(kind=EventKind.DOCUMENT, by=world.cpam_agent).count() == 2


@pytest.mark.django_db
def test_contacts_and_notes_are_added_through_their_services(client, world):
    case = open_case(world.caf)
    client.force_login(world.caf_agent)
    page, data = page_data(client, case)
    contacts = formset_prefix(page, ContactAttempt, editable=False)
    notes = formset_prefix(page, CaseNote, editable=False)

    data.update(
        {
            f"{contacts}-TOTAL_FORMS": "2",
            f"{contacts}-0-channel": "phone",
            f"{contacts}-0-outcome": "unreachable",
            f"{contacts}-0-note": "",
            f"{contacts}-1-channel": "phone",
            f"{contacts}-1-outcome": "no_answer",
            f"{contacts}-1-note": "Messagerie pleine",
            f"{notes}-TOTAL_FORMS": "1",
            f"{notes}-0-text": "Rappeler en arabe",
        }
    )
    assert client.post(case_url(case), data).status_code == 302

    assert case.contacts.count() == 2
    assert case.notes.get().text == "Rappeler en arabe"
    case.person.refresh_from_db()
    assert case.person.phone_unreachable  # two failed calls: write instead
    page = client.get(case_url(case))
    assert "Rappeler en arabe" in page.content.decode()


@pytest.mark.django_db
def test_an_agent_takes_a_case_but_does_not_hand_it_to_someone_else(client, world):
    case = open_case(world.caf)
    colleague = UserFactory(organisation=world.caf)
    client.force_login(world.caf_agent)
    _, data = page_data(client, case)

    data["assigned_to"] = str(colleague.pk)
    response = client.post(case_url(case), data)
    assert response.status_code == 200
    assert "assigned_to" in main_errors(response)

    data["assigned_to"] = str(world.caf_agent.pk)
    assert client.post(case_url(case), data).status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == world.caf_agent
    assert case.events.filter(kind=EventKind.ASSIGNMENT).count() == 1


@pytest.mark.django_db
def test_a_supervisor_assignment_refused_by_the_service_is_shown_on_the_form(client, world):
    case = open_case(world.caf)  # the CAF acts at this stage
    client.force_login(world.cpam_supervisor)
    _, data = page_data(client, case)

    data["assigned_to"] = str(world.cpam_agent.pk)
    response = client.post(case_url(case), data)

    assert response.status_code == 200
    assert "c'est à la CAF d'agir" in " ".join(response.context["adminform"].form.non_field_errors())
    case.refresh_from_db()
    assert case.assigned_to is None
    assert case.events.filter(kind=EventKind.ASSIGNMENT).count() == 0


@pytest.mark.django_db
def test_only_a_supervisor_changes_the_cpam(client, world):
    case = open_case(world.caf)
    other_cpam = OrganisationFactory(cpam=True)
    client.force_login(world.caf_agent)
    page, data = page_data(client, case)
    assert "cpam" not in page.context["adminform"].form.fields
    data["cpam"] = str(other_cpam.pk)
    client.post(case_url(case), data)
    case.refresh_from_db()
    assert case.cpam == world.cpam

    client.force_login(world.caf_supervisor)
    page, data = page_data(client, case)
    data["cpam"] = str(other_cpam.pk)
    assert client.post(case_url(case), data).status_code == 302
    case.refresh_from_db()
    assert case.cpam == other_cpam
    assert case.events.filter(kind=EventKind.CHANGE, summary__contains=other_cpam.code).exists()


@pytest.mark.django_db
def test_a_certification_request_is_chased_then_answered_on_its_page(client, world):
    case = open_case(world.caf, CaseStatus.SENT_FOR_CERTIFICATION)
    request = case.certification_requests.get()
    client.force_login(world.cpam_agent)
    url = admin_url(CertificationRequest, "change", request.pk)
    assert f'href="{url}"' in client.get(case_url(case)).content.decode()  # linked from the case page

    page = client.get(url)
    data = form_data(page)
    chases = formset_prefix(page, Chase, editable=False)
    data.update({f"{chases}-TOTAL_FORMS": "1", f"{chases}-0-sent_on": "05/03/2025", f"{chases}-0-channel": "email"})
    assert client.post(url, data).status_code == 302
    assert request.chases.get().created_by == world.cpam_agent

    data = form_data(client.get(url))
    data.update(outcome=RequestOutcome.DOCUMENTS_NEEDED, answer_comment="Acte illisible")
    assert client.post(url, data).status_code == 302
    request.refresh_from_db()
    assert request.outcome == RequestOutcome.DOCUMENTS_NEEDED
    assert case.events.filter(kind=EventKind.REQUEST, comment="Acte illisible").exists()

    # Answered: no more chases; the refusal of the service is shown on the chase's row.
    page = client.get(url)
    data = form_data(page)
    data.update({f"{chases}-TOTAL_FORMS": "2", f"{chases}-1-sent_on": "06/03/2025", f"{chases}-1-channel": "post"})
    response = client.post(url, data)
    assert response.status_code == 200
    formset = next(i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == chases)
    assert "inutile de relancer" in str(formset.forms[-1].errors)
    assert request.chases.count() == 1


@pytest.mark.django_db
def test_a_request_to_a_consulate_is_added_for_a_case_of_the_caisse_only(client, world):
    case = open_case(world.caf, CaseStatus.AWAITING_COUNTRY)
    foreign = open_case(world.other_caf)
    client.force_login(world.cpam_agent)
    url = admin_url(CertificationRequest, "add")
    data = {"authority": "consulate", "country": "99352", "channel": "email", "reference": "C-1", "sent_on": ""}

    refused = client.post(url, {**data, "case": foreign.pk})
    assert refused.status_code == 200
    assert "case" in main_errors(refused)

    assert client.post(url, {**data, "case": case.pk}).status_code == 302
    assert case.certification_requests.filter(authority="consulate", created_by=world.cpam_agent).exists()
