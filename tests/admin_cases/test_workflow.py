"""A case worked from NIA only to closed entirely through the admin, as the agents of both caisses would."""

import datetime

import pytest
from django.utils import timezone

from cafcases.models import (
    Case,
    CaseStatus,
    DocumentStatus,
    EventKind,
    IdentifierKind,
    IdentifierStatus,
)
from tests.admin_cases.helpers import case_url, document_rows, form_data, move_url, nir_for, person_with_nia


def make_move(client, case, move, **data):
    """Open the move's form from the case page, send it, and follow the redirect back to the case page."""
    page = client.get(case_url(case))
    assert page.status_code == 200
    assert move_url(case, move) in page.content.decode(), f"no button for {move}"
    form = client.get(move_url(case, move))
    assert form.status_code == 200
    version = form.context["form"].initial["version"]
    response = client.post(move_url(case, move), {"version": version, **data})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert response["Location"] == case_url(case)
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_an_agent_opens_a_case_on_the_add_page(client, world):
    person = person_with_nia(world.caf)
    client.force_login(world.caf_agent)

    add_page = client.get(case_url(view="add"))
    assert add_page.status_code == 200
    assert add_page.context["adminform"].form.initial["caf"] == world.caf.pk
    response = client.post(
        case_url(view="add"), {"person": person.pk, "caf": world.caf.pk, "benefits": ["rsa", "prime_noel"]}
    )

    case = Case.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    assert (case.status, case.caf, case.cpam) == (CaseStatus.NIA_ONLY, world.caf, world.cpam)
    assert case.benefits_at_risk == ["prime_noel", "rsa"]
    assert list(case.events.values_list("kind", "by")) == [(EventKind.OPENED, world.caf_agent.pk)]


@pytest.mark.django_db
def test_an_agent_cannot_open_a_case_in_another_caisse_nor_twice(client, world):
    person = person_with_nia(world.caf)
    client.force_login(world.caf_agent)

    other = client.post(case_url(view="add"), {"person": person.pk, "caf": world.other_caf.pk})
    assert other.status_code == 200
    assert other.context["adminform"].form.errors["caf"]

    assert client.post(case_url(view="add"), {"person": person.pk, "caf": world.caf.pk}).status_code == 302
    twice = client.post(case_url(view="add"), {"person": person.pk, "caf": world.caf.pk})
    assert twice.status_code == 200
    assert "Cette personne a déjà un dossier ouvert." in twice.content.decode()
    assert Case.objects.filter(person=person).count() == 1


@pytest.mark.django_db
def test_a_case_is_worked_from_nia_only_to_closed_in_the_admin(client, world):
    person = person_with_nia(world.caf)
    client.force_login(world.caf_agent)
    client.post(case_url(view="add"), {"person": person.pk, "caf": world.caf.pk, "benefits": ["rsa"]})
    case = Case.objects.get(person=person)

    # CAF: identity checked at the counter, the waiting number is issued.
    case = make_move(client, case, "issue_waiting_number")
    assert case.status == CaseStatus.WAITING_NUMBER_ISSUED
    assert person.identifiers.get(kind=IdentifierKind.CAF_WAITING).status == IdentifierStatus.ACTIVE

    # CPAM: papers requested, each one verified on the case page, then complete, sent, waiting on the country.
    client.force_login(world.cpam_agent)
    case = make_move(client, case, "request_documents", comment="Courrier envoyé")
    assert case.status == CaseStatus.DOCUMENTS_REQUESTED
    page = client.get(case_url(case))
    rows = document_rows(page)
    assert len(rows) == 4  # born in Algeria: birth certificate, sworn translation, identity document, permit
    data = form_data(page)
    for prefix in rows.values():
        data[f"{prefix}-status"] = DocumentStatus.VERIFIED
    response = client.post(case_url(case), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(case.documents.values_list("status", flat=True)) == {DocumentStatus.VERIFIED}
    assert all(document.verified_on == timezone.localdate() for document in case.documents.all())

    case = make_move(client, case, "mark_documents_complete")
    assert case.status == CaseStatus.DOCUMENTS_COMPLETE
    case = make_move(client, case, "send_for_certification", channel="portal", reference="SANDIA-2025-001")
    assert case.status == CaseStatus.SENT_FOR_CERTIFICATION
    case = make_move(
        client, case, "mark_awaiting_country", authority="country_registry", channel="diplomatic", reference="DZ-17"
    )
    assert case.status == CaseStatus.AWAITING_COUNTRY
    assert list(case.certification_requests.values_list("authority", "reference")) == [
        ("sandia", "SANDIA-2025-001"),
        ("country_registry", "DZ-17"),
    ]

    nir = nir_for(person)
    certified_on = timezone.localdate() - datetime.timedelta(days=2)
    case = make_move(client, case, "record_certified_nir", nir=nir, certified_on=certified_on.strftime("%d/%m/%Y"))
    assert case.status == CaseStatus.CERTIFIED
    assert set(case.certification_requests.values_list("outcome", flat=True)) == {"confirmed"}

    # CAF: the account is moved to the NIR, the case closed.
    client.force_login(world.caf_agent)
    case = make_move(client, case, "close_certified")
    assert case.status == CaseStatus.CLOSED
    assert case.closing_reason == "certified_and_migrated"

    numbers = {(number.kind, number.status) for number in person.identifiers.all()}
    assert numbers == {
        (IdentifierKind.NIA, IdentifierStatus.SUPERSEDED),
        (IdentifierKind.CAF_WAITING, IdentifierStatus.SUPERSEDED),
        (IdentifierKind.NIR, IdentifierStatus.ACTIVE),
    }
    nir_row = person.identifiers.get(kind=IdentifierKind.NIR)
    assert (nir_row.value, nir_row.certified_on, nir_row.recorded_by) == (nir, certified_on, world.cpam_agent)
    transitions = list(
        case.events.filter(kind=EventKind.TRANSITION).order_by("at", "id").values_list("move", "to_status", "by")
    )
    assert transitions == [
        ("issue_waiting_number", "waiting_number_issued", world.caf_agent.pk),
        ("request_documents", "documents_requested", world.cpam_agent.pk),
        ("mark_documents_complete", "documents_complete", world.cpam_agent.pk),
        ("send_for_certification", "sent_for_certification", world.cpam_agent.pk),
        ("mark_awaiting_country", "awaiting_country", world.cpam_agent.pk),
        ("record_certified_nir", "certified", world.cpam_agent.pk),
        ("close_certified", "closed", world.caf_agent.pk),
    ]
    assert case.events.filter(kind=EventKind.DOCUMENT, by=world.cpam_agent).count() == 4
    page = client.get(case_url(case))
    assert page.context["case_panel"]["moves"] == []  # reopening is a supervisor's move
