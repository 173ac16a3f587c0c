"""Work that keeps the stage: contacts, notes, papers, chases and answers; assigning, alone or in bulk."""

import pytest
from django.urls import reverse

from cafcases.models import Case, CaseNote, ContactAttempt, DocumentKind, DocumentStatus, EventKind
from cafcases.models import CaseStatus as S
from tests.views.helpers import case_url, fresh, messages_of, open_case


def post(client, name, case, data, **kwargs):
    return client.post(reverse(name, kwargs={"pk": case.pk, **kwargs}), data, follow=True)


def test_add_a_contact_attempt(login, world):
    case = open_case(world.caf)
    data = {"contact-channel": "phone", "contact-outcome": "no_answer", "contact-note": "Répondeur"}
    response = post(login(world.caf_agent), "case_contact", case, data)
    assert response.redirect_chain == [(case_url(case), 302)]
    assert "Tentative de contact enregistrée." in messages_of(response)
    attempt = ContactAttempt.objects.get(case=case)
    assert (attempt.channel, attempt.outcome, attempt.note, attempt.by) == (
        "phone",
        "no_answer",
        "Répondeur",
        world.caf_agent,
    )
    assert "Répondeur" in response.content.decode()


def test_a_contact_with_an_unknown_outcome_is_refused(login, world):
    case = open_case(world.caf)
    response = post(login(world.caf_agent), "case_contact", case, {"contact-channel": "phone", "contact-outcome": "?"})
    assert response.status_code == 400
    assert response.context["contact_form"].errors["outcome"]
    assert not ContactAttempt.objects.filter(case=case).exists()


def test_add_a_note(login, world):
    case = open_case(world.caf)
    response = post(login(world.cpam_agent), "case_note", case, {"note-text": "Rappeler après 14 h"})
    assert "Note ajoutée." in messages_of(response)
    assert CaseNote.objects.get(case=case).by == world.cpam_agent
    assert "Rappeler après 14 h" in response.content.decode()
    empty = post(login(world.cpam_agent), "case_note", case, {"note-text": ""})
    assert empty.status_code == 400 and CaseNote.objects.filter(case=case).count() == 1


@pytest.fixture
def paper(world):
    case = open_case(world.caf, S.DOCUMENTS_REQUESTED)
    return case, case.documents.get(kind=DocumentKind.BIRTH_CERTIFICATE)


def test_set_a_paper_status(login, world, paper):
    case, document = paper
    prefix = f"doc{document.pk}"
    response = post(
        login(world.cpam_agent), "case_document", case, {f"{prefix}-status": "verified"}, document_pk=document.pk
    )
    assert "Pièce mise à jour." in messages_of(response)
    document.refresh_from_db()
    assert document.status == DocumentStatus.VERIFIED and document.verified_on is not None
    assert case.events.filter(kind=EventKind.DOCUMENT).exists()


def test_a_rejected_paper_needs_a_reason(login, world, paper):
    case, document = paper
    prefix = f"doc{document.pk}"
    client = login(world.cpam_agent)
    response = post(client, "case_document", case, {f"{prefix}-status": "rejected"}, document_pk=document.pk)
    assert response.status_code == 400
    assert "Indiquez le motif du refus de la pièce." in response.content.decode()
    document.refresh_from_db()
    assert document.status == DocumentStatus.REQUESTED
    assert not case.events.filter(kind=EventKind.DOCUMENT).exists()
    data = {f"{prefix}-status": "rejected", f"{prefix}-reason": "Traduction manquante"}
    post(client, "case_document", case, data, document_pk=document.pk)
    document.refresh_from_db()
    assert (document.status, document.rejection_reason) == (DocumentStatus.REJECTED, "Traduction manquante")


@pytest.fixture
def request_(world):
    case = open_case(world.caf, S.SENT_FOR_CERTIFICATION)
    return case, case.certification_requests.get()


def test_chase_a_request(login, world, request_):
    case, certification_request = request_
    data = {f"chase{certification_request.pk}-channel": "email", f"chase{certification_request.pk}-note": "2e relance"}
    response = post(login(world.cpam_agent), "case_chase", case, data, request_pk=certification_request.pk)
    assert "Relance enregistrée." in messages_of(response)
    chase = certification_request.chases.get()
    assert (chase.channel, chase.note, chase.created_by) == ("email", "2e relance", world.cpam_agent)
    assert "2e relance" in response.content.decode()


def test_record_an_answer_then_no_more_chases(login, world, request_):
    case, certification_request = request_
    client = login(world.cpam_agent)
    data = {
        f"answer{certification_request.pk}-outcome": "documents_needed",
        f"answer{certification_request.pk}-comment": "Acte récent",
    }
    response = post(client, "case_answer", case, data, request_pk=certification_request.pk)
    assert "Réponse enregistrée." in messages_of(response)
    certification_request.refresh_from_db()
    assert certification_request.outcome == "documents_needed" and certification_request.answered_on
    # The request is answered: its forms are gone, and a chase sent anyway says why it is refused.
    assert reverse("case_chase", kwargs={"pk": case.pk, "request_pk": certification_request.pk}) not in (
        response.content.decode()
    )
    chase = {f"chase{certification_request.pk}-channel": "email"}
    refused = post(client, "case_chase", case, chase, request_pk=certification_request.pk)
    assert refused.status_code == 400
    assert any("déjà reçu une réponse" in message for message in messages_of(refused))
    assert not certification_request.chases.exists()


# Assigning -----------------------------------------------------------------------------------------------------------


def assign(client, case, agent, version=None):
    data = {"assign-version": fresh(case).version if version is None else version, "assign-agent": agent.pk}
    return post(client, "case_assign", case, data)


def test_assign_reassign_and_unassign_within_the_caisse(login, world):
    case = open_case(world.caf)
    client = login(world.caf_agent)
    response = assign(client, case, world.caf_agent2)
    assert "Dossier attribué." in messages_of(response)
    assert fresh(case).assigned_to == world.caf_agent2
    assign(client, case, world.caf_agent)
    assert fresh(case).assigned_to == world.caf_agent
    assert case.events.filter(kind=EventKind.ASSIGNMENT, summary__startswith="Réattribué").exists()
    response = post(client, "case_unassign", case, {"version": fresh(case).version})
    assert "Le dossier n'est plus attribué." in messages_of(response)
    assert fresh(case).assigned_to is None


def test_assign_only_to_the_acting_caisse(login, world):
    case = open_case(world.caf)
    for stranger in (world.cpam_agent, world.other_agent):
        response = assign(login(world.caf_supervisor), case, stranger)
        assert response.status_code == 400
        assert response.context["assign_form"].errors["agent"]
    assert fresh(case).assigned_to is None


def test_the_watching_caisse_does_not_assign(login, world):
    case = open_case(world.caf, S.WAITING_NUMBER_ISSUED)  # the CPAM acts; the CAF watches
    client = login(world.caf_agent)
    assert reverse("case_assign", kwargs={"pk": case.pk}) not in client.get(case_url(case)).content.decode()
    assert assign(client, case, world.cpam_agent).status_code == 403
    services_assigned = open_case(world.caf, S.WAITING_NUMBER_ISSUED, assigned_to=world.cpam_agent)
    assert (
        post(client, "case_unassign", services_assigned, {"version": fresh(services_assigned).version}).status_code
        == 403
    )
    assert fresh(case).assigned_to is None and fresh(services_assigned).assigned_to == world.cpam_agent
    assert assign(login(world.national_admin), case, world.cpam_agent).status_code == 200


def test_a_stale_assignment_is_409(login, world):
    case = open_case(world.caf)
    old = fresh(case).version
    assign(login(world.caf_agent2), case, world.caf_agent2)
    response = assign(login(world.caf_agent), case, world.caf_agent, version=old)
    assert response.status_code == 409
    assert fresh(case).assigned_to == world.caf_agent2


def test_unassign_with_a_stale_or_broken_version(login, world):
    case = open_case(world.caf, assigned_to=world.caf_agent)
    client = login(world.caf_agent)
    response = post(client, "case_unassign", case, {"version": fresh(case).version - 1})
    assert any("a été modifié" in message for message in messages_of(response))
    assert fresh(case).assigned_to == world.caf_agent
    assert post(client, "case_unassign", case, {"version": "abc"}).status_code == 400
    assert fresh(case).assigned_to == world.caf_agent


# Bulk assignment from the queue -------------------------------------------------------------------------------------


def bulk(client, cases, agent, **extra):
    data = {"dossiers": [case.pk for case in cases], "agent": agent.pk if agent else "", **extra}
    return client.post(reverse("bulk_assign"), data, follow=True)


def test_supervisor_bulk_assigns(login, world):
    cases = [open_case(world.caf) for _ in range(3)]
    cpam_side = open_case(world.caf, S.WAITING_NUMBER_ISSUED)
    foreign = open_case(world.other_caf)
    back = f"{reverse('queue')}?onglet=a-prendre"
    response = bulk(login(world.caf_supervisor), [*cases, cpam_side, foreign], world.caf_agent, retour=back)
    assert response.redirect_chain == [(back, 302)]
    assert {fresh(case).assigned_to for case in cases} == {world.caf_agent}
    assert any(message.startswith("3 dossier(s) attribué(s)") for message in messages_of(response))
    assert any(f"Dossier n° {cpam_side.pk} non attribué" in message for message in messages_of(response))
    assert fresh(cpam_side).assigned_to is None and fresh(foreign).assigned_to is None


def test_bulk_assign_refusals(login, world):
    case = open_case(world.caf)
    assert bulk(login(world.caf_agent), [case], world.caf_agent).status_code == 403
    assert bulk(login(world.caf_supervisor), [case], world.other_agent).status_code == 403
    response = bulk(login(world.caf_supervisor), [case], None)
    assert "Cochez au moins un dossier et choisissez un agent." in messages_of(response)
    response = bulk(login(world.caf_supervisor), [case], world.caf_agent, retour="https://exemple.invalid/")
    assert response.redirect_chain == [(reverse("queue"), 302)]  # never sent off the site
    assert login(world.caf_supervisor).get(reverse("bulk_assign")).status_code == 405
    assert Case.objects.get(pk=case.pk).assigned_to == world.caf_agent
