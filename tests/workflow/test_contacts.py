"""Contact log and casework that does not move the case: unreachable phones, notes, chases, rejected papers."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cafcases.models import (
    CaseDocument,
    CaseNote,
    CaseStatus,
    Chase,
    ContactAttempt,
    DocumentKind,
    DocumentStatus,
    EventKind,
    Person,
)
from cafcases.services import (
    case_close,
    certification_request_answer,
    chase_add,
    contact_record,
    document_set_status,
    note_add,
)
from tests.factories import CaseFactory, OrganisationFactory, PersonFactory, UserFactory, case_in_status

pytestmark = pytest.mark.django_db


def _call(case, outcome, agent=None):
    return contact_record(case=case, channel="phone", outcome=outcome, by=agent)


def _unreachable(case):
    return Person.objects.get(pk=case.person_id).phone_unreachable


def test_two_failed_calls_flag_the_phone_and_a_reached_call_clears_it():
    case = CaseFactory()
    agent = UserFactory(organisation=case.caf)
    _call(case, "no_answer", agent)
    assert not _unreachable(case)
    assert not Person.objects.write_instead().exists()
    attempt = _call(case, "unreachable", agent)
    assert (attempt.channel, attempt.outcome, attempt.by) == ("phone", "unreachable", agent)
    assert _unreachable(case) and case.person.phone_unreachable
    assert list(Person.objects.write_instead()) == [case.person]
    summaries = list(case.events.filter(kind=EventKind.CONTACT).order_by("pk").values_list("summary", flat=True))
    assert summaries[-1] == "Téléphone signalé injoignable : écrire plutôt qu'appeler"

    _call(case, "reached", agent)
    assert not _unreachable(case)
    assert not Person.objects.write_instead().exists()
    assert case.events.filter(kind=EventKind.CONTACT, summary="Téléphone de nouveau joignable").count() == 1
    assert ContactAttempt.objects.filter(case=case).count() == 3


def test_only_consecutive_failed_phone_calls_count(settings):
    settings.CONTACT_UNREACHABLE_AFTER = 3
    case = CaseFactory()
    for outcome in ("no_answer", "wrong_number", "reached", "no_answer", "no_answer"):
        _call(case, outcome)
    assert not _unreachable(case)  # two failures since the last reached call
    contact_record(case=case, channel="sms", outcome="sent", by=None)
    contact_record(case=case, channel="email", outcome="bounced", by=None)
    assert not _unreachable(case)  # other channels neither count nor break the series
    _call(case, "no_answer")
    assert _unreachable(case)


def test_failed_calls_count_across_the_persons_cases():
    first = CaseFactory()
    _call(first, "no_answer")
    case_close(case=first, by=None, reason="abandoned", comment="Sans nouvelles")
    second = CaseFactory(person=first.person, caf=first.caf, cpam=first.cpam)
    _call(second, "no_answer")
    assert _unreachable(second)
    assert list(Person.objects.write_instead()) == [second.person]
    case_close(case=second, by=None, reason="left_france", comment="Parti")
    assert not Person.objects.write_instead().exists()  # only people with an open case


def test_unknown_channel_or_outcome_is_refused():
    case = CaseFactory()
    with pytest.raises(ValidationError, match="Canal ou résultat de contact inconnu"):
        contact_record(case=case, channel="pigeon", outcome="reached", by=None)
    assert not ContactAttempt.objects.exists()


@pytest.mark.parametrize("phone", ["+221 77 123 45 67", "06 12 34 56 78", "+44 20 7946 0958"])
def test_french_and_foreign_phone_numbers_are_accepted(phone):
    person = PersonFactory.build(phone=phone, caf=OrganisationFactory())
    person.full_clean()
    person.save()
    assert Person.objects.get(pk=person.pk).phone.is_valid()


@pytest.mark.parametrize("phone", ["+33 1 23", "+221 12", "pas de téléphone"])
def test_an_invalid_phone_number_fails_full_clean(phone):
    person = PersonFactory.build(phone=phone)
    with pytest.raises(ValidationError) as raised:
        person.full_clean(exclude=["caf"])
    assert "phone" in raised.value.message_dict


def test_notes_are_recorded_with_an_event():
    case = CaseFactory()
    agent = UserFactory(organisation=case.caf)
    note = note_add(case=case, text="  Parle arabe, venir avec un interprète  ", by=agent)
    assert (note.text, note.by) == ("Parle arabe, venir avec un interprète", agent)
    event = case.events.get(kind=EventKind.NOTE)
    assert (event.by, event.summary) == (agent, "Note ajoutée")
    with pytest.raises(ValidationError, match="La note est vide"):
        note_add(case=case, text="   ", by=agent)
    assert CaseNote.objects.count() == 1


def test_chases_are_recorded_with_an_event_and_refused_once_answered():
    case = case_in_status(CaseStatus.AWAITING_COUNTRY)
    agent = UserFactory(organisation=case.cpam)
    registry = case.certification_requests.get(authority="country_registry")
    chase = chase_add(request=registry, channel="diplomatic", by=agent, note="Deuxième relance")
    assert (chase.request, chase.channel, chase.note, chase.created_by) == (
        registry,
        "diplomatic",
        "Deuxième relance",
        agent,
    )
    event = case.events.get(kind=EventKind.CHASE)
    assert event.summary == "Relance de État civil du pays de naissance (Valise diplomatique)"
    assert event.comment == "Deuxième relance"

    certification_request_answer(request=registry, outcome="no_record", by=agent)
    registry.refresh_from_db()
    assert registry.outcome == "no_record" and registry.answered_on is not None
    with pytest.raises(ValidationError, match="déjà reçu une réponse"):
        chase_add(request=registry, channel="email", by=agent)
    with pytest.raises(ValidationError, match="déjà reçu une réponse"):
        certification_request_answer(request=registry, outcome="confirmed", by=agent)
    assert Chase.objects.count() == 1


def test_rejecting_a_document_requires_a_reason():
    case = case_in_status(CaseStatus.DOCUMENTS_REQUESTED)
    agent = UserFactory(organisation=case.cpam)
    document = case.documents.get(kind=DocumentKind.BIRTH_CERTIFICATE)
    with pytest.raises(ValidationError, match="motif du refus"):
        document_set_status(document=document, status=DocumentStatus.REJECTED, by=agent, reason="  ")
    document.refresh_from_db()
    assert document.status == DocumentStatus.REQUESTED

    rejected = document_set_status(document=document, status=DocumentStatus.REJECTED, by=agent, reason="Sans filiation")
    assert (rejected.status, rejected.rejection_reason, rejected.rejected_on) == (
        DocumentStatus.REJECTED,
        "Sans filiation",
        rejected.requested_on,
    )
    event = case.events.filter(kind=EventKind.DOCUMENT).latest("pk")
    assert (event.summary, event.comment) == ("Extrait d'acte de naissance avec filiation : refusée", "Sans filiation")
    # The database enforces it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseDocument.objects.filter(pk=document.pk).update(rejection_reason="")
    received = document_set_status(
        document=document, status=DocumentStatus.RECEIVED, by=agent, on=datetime.date(2025, 1, 6)
    )
    assert (received.status, received.rejection_reason, received.received_on) == (
        DocumentStatus.RECEIVED,
        "",
        datetime.date(2025, 1, 6),
    )
    verified = document_set_status(document=document, status=DocumentStatus.VERIFIED, by=agent)
    assert (verified.status, verified.verified_on) == (DocumentStatus.VERIFIED, timezone.localdate())
