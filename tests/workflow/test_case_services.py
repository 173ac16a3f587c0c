"""The services behind the moves: the waiting number, the papers, certification requests and the certified NIR."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cafcases import workflow
from cafcases.models import (
    Authority,
    Case,
    CaseStatus,
    DocumentKind,
    DocumentStatus,
    EventKind,
    Identifier,
    IdentifierKind,
    IdentifierStatus,
    Person,
    RequestOutcome,
    Side,
    Track,
)
from cafcases.services import (
    StaleCaseError,
    case_issue_waiting_number,
    case_mark_awaiting_country,
    case_mark_documents_complete,
    case_open,
    case_record_certified_nir,
    case_reject_certification,
    case_send_for_certification,
    certification_request_create,
    document_set_status,
    identifier_issue_waiting_number,
)
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    case_in_status,
    country,
    nia_for,
    nir_for,
    verify_all_documents,
)
from tests.workflow.helpers import state

pytestmark = pytest.mark.django_db


def test_case_open_starts_at_nia_only_with_the_cpam_of_the_department():
    case = CaseFactory(benefits_at_risk=["rsa", "aide_logement", "rsa"])
    row = Case.objects.get(pk=case.pk)
    assert (row.status, row.side, row.version, row.track) == ("nia_only", Side.CAF, 1, Track.STANDARD)
    assert row.cpam.kind == "CPAM" and row.cpam.department == row.caf.department
    assert row.benefits_at_risk == ["aide_logement", "rsa"]
    assert list(row.events.values_list("kind", flat=True)) == [EventKind.OPENED]
    refugee = CaseFactory(person__refugee=True)
    assert refugee.track == Track.REFUGEE


def test_case_open_needs_a_cpam_in_the_department():
    caf = OrganisationFactory()
    with pytest.raises(ValidationError, match=f"Aucune CPAM n'est enregistrée pour le département {caf.department}"):
        case_open(person=PersonFactory(caf=caf), caf=caf, by=None)
    assert not Case.objects.exists()


def test_issue_waiting_number_creates_the_caf_waiting_identifier():
    case = CaseFactory()
    agent = UserFactory(organisation=case.caf)
    identifier = case_issue_waiting_number(case=case, by=agent)
    assert (identifier.kind, identifier.status, identifier.person) == (
        IdentifierKind.CAF_WAITING,
        IdentifierStatus.ACTIVE,
        case.person,
    )
    assert identifier.value[0] == "2"  # the factory's people are women
    assert (identifier.issuing_organisation, identifier.recorded_by) == (case.caf, agent)
    assert (case.status, case.side) == (CaseStatus.WAITING_NUMBER_ISSUED, Side.CPAM)
    assert list(Person.objects.find(identifier.value)) == [case.person]


def test_issue_waiting_number_refuses_a_second_active_one():
    case = CaseFactory()
    identifier_issue_waiting_number(person=case.person, organisation=case.caf, by=None)  # e.g. at another counter
    before = state(case)
    with pytest.raises(ValidationError, match="déjà un numéro d'attente CAF actif"):
        case_issue_waiting_number(case=case, by=None)
    assert state(case) == before


@pytest.mark.parametrize(
    ("person_kwargs", "expected"),
    [
        pytest.param(
            {"birth_country_id": "99352"},
            ["birth_certificate", "sworn_translation", "identity_document", "residence_permit"],
            id="algeria-translation",
        ),
        pytest.param(
            {"birth_country_id": "99134"},
            ["birth_certificate", "identity_document", "residence_permit"],
            id="spain-eu-no-translation",
        ),
        pytest.param(
            {"birth_country_id": "99140"},
            ["birth_certificate", "identity_document", "residence_permit"],
            id="switzerland-no-translation",
        ),
        pytest.param(
            {"born_in_france": True}, ["birth_certificate", "identity_document", "residence_permit"], id="france"
        ),
        pytest.param(
            {"refugee": True}, ["ofpra_certificate", "identity_document", "residence_permit"], id="refugee-ofpra"
        ),
    ],
)
def test_request_documents_creates_the_checklist_of_the_track(person_kwargs, expected, frozen_now):
    case = case_in_status(CaseStatus.DOCUMENTS_REQUESTED, **{f"person__{k}": v for k, v in person_kwargs.items()})
    documents = list(case.documents.order_by("pk"))
    assert [document.kind for document in documents] == expected
    assert {(document.status, document.requested_on) for document in documents} == {
        (DocumentStatus.REQUESTED, frozen_now.date())
    }
    assert case.papers_due_on == datetime.date(2025, 6, 10)


@pytest.mark.parametrize("blocking", [DocumentStatus.REQUESTED, DocumentStatus.RECEIVED, DocumentStatus.REJECTED])
def test_documents_complete_needs_every_document_verified(blocking):
    case = case_in_status(CaseStatus.DOCUMENTS_REQUESTED)
    verify_all_documents(case)
    translation = case.documents.get(kind=DocumentKind.SWORN_TRANSLATION)
    document_set_status(document=translation, status=blocking, by=None, reason="Illisible")
    before = state(case)
    with pytest.raises(ValidationError, match="pas toutes vérifiées : Traduction assermentée"):
        case_mark_documents_complete(case=case, by=None)
    assert state(case) == before
    assert case.status == CaseStatus.DOCUMENTS_REQUESTED


def test_reject_then_resubmit_path():
    case = case_in_status(CaseStatus.AWAITING_COUNTRY)
    agent = UserFactory(organisation=case.cpam)
    assert list(case.certification_requests.values_list("authority", flat=True)) == [
        Authority.SANDIA,
        Authority.COUNTRY_REGISTRY,
    ]
    with pytest.raises(ValidationError, match="NIR certifié"):
        case_reject_certification(case=case, by=agent, comment="x", outcome=RequestOutcome.CONFIRMED)

    case_reject_certification(
        case=case, by=agent, comment="Filiation contradictoire", outcome=RequestOutcome.CONTRADICTORY
    )
    assert case.status == CaseStatus.DOCUMENTS_REQUESTED
    assert set(case.certification_requests.values_list("outcome", "answered_on")) == {
        (RequestOutcome.CONTRADICTORY, timezone.localdate())
    }
    assert case.papers_due_on is not None and case.certification_expected_on is None

    birth = case.documents.get(kind=DocumentKind.BIRTH_CERTIFICATE)
    document_set_status(document=birth, status=DocumentStatus.REJECTED, by=agent, reason="Sans filiation")
    with pytest.raises(ValidationError, match="Extrait d'acte de naissance"):
        case_mark_documents_complete(case=case, by=agent)
    document_set_status(document=birth, status=DocumentStatus.RECEIVED, by=agent)
    document_set_status(document=birth, status=DocumentStatus.VERIFIED, by=agent)
    case_mark_documents_complete(case=case, by=agent)
    case_send_for_certification(case=case, by=agent)
    assert case.status == CaseStatus.SENT_FOR_CERTIFICATION
    assert case.certification_requests.filter(authority=Authority.SANDIA).count() == 2
    assert case.certification_requests.filter(answered_on__isnull=True).count() == 1
    moves = list(case.events.filter(kind=EventKind.TRANSITION).order_by("pk").values_list("move", flat=True))
    assert moves[-3:] == ["reject_certification", "mark_documents_complete", "send_for_certification"]


def test_refugee_track_goes_to_ofpra_and_never_to_the_country():
    case = case_in_status(CaseStatus.SENT_FOR_CERTIFICATION, person__refugee=True)
    request = case.certification_requests.get()
    assert request.authority == Authority.OFPRA
    assert request.expected_on == request.sent_on + datetime.timedelta(days=90)
    before = state(case)
    with pytest.raises(workflow.CaseTransitionError, match="OFPRA"):
        case_mark_awaiting_country(case=case, by=None)
    assert state(case) == before


def test_record_certified_nir_supersedes_the_old_numbers():
    case = case_in_status(CaseStatus.AWAITING_COUNTRY)
    person = case.person
    old = {identifier.kind: identifier.value for identifier in person.identifiers.all()}
    nir = nir_for(person)
    spaced = f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]}"  # typed without the key
    certified_on = datetime.date(2025, 1, 20)
    identifier = case_record_certified_nir(case=case, nir=spaced, by=None, certified_on=certified_on)
    assert (identifier.kind, identifier.value, identifier.certified_on) == (IdentifierKind.NIR, nir, certified_on)
    assert (case.status, case.side, case.next_deadline, case.forecast_certified_on) == (
        CaseStatus.CERTIFIED,
        Side.CAF,
        None,
        None,
    )
    for kind in (IdentifierKind.NIA, IdentifierKind.CAF_WAITING):
        superseded = Identifier.objects.get(value=old[kind])
        assert superseded.status == IdentifierStatus.SUPERSEDED and superseded.superseded_at is not None
        assert list(Person.objects.find(old[kind])) == [person]
    assert list(Person.objects.find(nir)) == [person]
    # The notice is dated before the requests were sent here: an answer is never dated before its request.
    for outcome, answered_on, sent_on in case.certification_requests.values_list("outcome", "answered_on", "sent_on"):
        assert (outcome, answered_on) == (RequestOutcome.CONFIRMED, max(certified_on, sent_on))


def test_a_nir_held_by_another_person_is_a_named_conflict_and_changes_nothing():
    holder = case_in_status(CaseStatus.CERTIFIED).person
    taken = holder.identifiers.get(kind=IdentifierKind.NIR).value
    case = case_in_status(CaseStatus.SENT_FOR_CERTIFICATION)
    before = state(case)
    with pytest.raises(ValidationError) as raised:
        case_record_certified_nir(case=case, nir=taken, by=None)
    assert raised.value.code == "conflict"
    assert raised.value.messages == [
        f"Conflit : ce NIR est déjà enregistré pour une autre personne (fiche n° {holder.pk})."
    ]
    assert state(case) == before
    # The database refuses the duplicate too, whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        Identifier.objects.create(person=case.person, kind=IdentifierKind.NIR, value=taken)


@pytest.mark.parametrize(
    ("make_number", "message"),
    [
        (lambda person: nia_for(person), "Un NIR définitif commence par 1 ou 2 ; ce numéro commence par 8 (NIA)."),
        (lambda person: "3" + nir_for(person)[1:13], "Le premier chiffre doit être 1, 2, 7 ou 8 (ici 3)."),
        (lambda person: nir_for(person)[:13] + "00", "clé"),
    ],
    ids=["nia", "first-digit-3", "wrong-key"],
)
def test_an_invalid_or_provisional_number_is_refused(make_number, message):
    case = case_in_status(CaseStatus.DOCUMENTS_COMPLETE)
    before = state(case)
    with pytest.raises(ValidationError) as raised:
        case_record_certified_nir(case=case, nir=make_number(case.person), by=None)
    assert message in raised.value.messages[0]
    assert state(case) == before


def test_own_waiting_number_is_not_a_nir():
    case = case_in_status(CaseStatus.DOCUMENTS_REQUESTED)
    waiting = case.person.identifiers.get(kind=IdentifierKind.CAF_WAITING).value
    before = state(case)
    with pytest.raises(ValidationError, match="Conflit : ce numéro est déjà le Numéro d'attente CAF"):
        case_record_certified_nir(case=case, nir=waiting, by=None)
    assert state(case) == before


def test_the_same_nir_twice_is_idempotent_and_another_one_is_refused():
    case = case_in_status(CaseStatus.SENT_FOR_CERTIFICATION)
    nir = nir_for(case.person)
    first = case_record_certified_nir(case=case, nir=nir, by=None)
    before = state(case)
    assert case_record_certified_nir(case=case, nir=nir, by=None) == first
    assert state(case) == before
    with pytest.raises(ValidationError, match="déjà un autre NIR certifié actif"):
        case_record_certified_nir(case=case, nir=nir_for(case.person), by=None)
    assert state(case) == before


def test_the_same_nir_from_a_page_loaded_before_it_was_recorded_changes_nothing():
    case = case_in_status(CaseStatus.AWAITING_COUNTRY)
    seen_by_b = Case.objects.get(pk=case.pk)  # agent B opened the case too
    nir = nir_for(case.person)
    first = case_record_certified_nir(case=case, nir=nir, by=None)  # agent A records the notice
    before = state(case)
    assert case_record_certified_nir(case=seen_by_b, nir=nir, by=None) == first  # B records the same notice
    assert state(case) == before
    assert seen_by_b.status == CaseStatus.CERTIFIED
    with pytest.raises(StaleCaseError):  # but a form that sends the version it saw is told the case moved on
        case_record_certified_nir(case=case, nir=nir, by=None, expected_version=before[1] - 1)


def test_country_is_needed_to_wait_on_it():
    case = case_in_status(CaseStatus.SENT_FOR_CERTIFICATION, person__born_in_france=True)
    before = state(case)
    with pytest.raises(ValidationError, match="pays de naissance n'est pas renseigné"):
        case_mark_awaiting_country(case=case, by=None)
    assert state(case) == before


def test_spanish_case_waits_the_reference_delay_of_spain():
    case = case_in_status(CaseStatus.AWAITING_COUNTRY, person__birth_country=country("99134"))
    requests = {request.authority: request for request in case.certification_requests.all()}
    registry = requests[Authority.COUNTRY_REGISTRY]
    assert registry.expected_on - registry.sent_on == datetime.timedelta(days=60)
    assert registry.country_id == "99134"
    consulate = certification_request_create(
        case=case, authority=Authority.CONSULATE, country=country("99134"), channel="post", by=None
    )
    assert consulate.expected_on - consulate.sent_on == datetime.timedelta(days=60)
    assert case.events.filter(kind=EventKind.REQUEST).latest("pk").summary.startswith("Demande envoyée : Consulat")
    assert case.certification_requests.count() == 3
