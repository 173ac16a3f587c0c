"""Stale writes, one open case per person, closing and reopening, assignment."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cafcases import workflow
from cafcases.models import Case, CaseStatus, ClosingReason, EventKind, Side
from cafcases.services import (
    StaleCaseError,
    case_assign,
    case_close,
    case_close_certified,
    case_issue_waiting_number,
    case_open,
    case_reopen,
    case_request_documents,
    case_unassign,
)
from tests.factories import CaseFactory, UserFactory, case_in_status
from tests.workflow.helpers import state

pytestmark = pytest.mark.django_db


def test_a_stale_write_is_refused():
    case = case_in_status(CaseStatus.WAITING_NUMBER_ISSUED)
    seen_by_b = Case.objects.get(pk=case.pk)
    case_request_documents(case=case, by=None, expected_version=case.version)  # agent A
    before = state(case)
    with pytest.raises(StaleCaseError, match="modifié par quelqu'un d'autre"):
        case_close(case=seen_by_b, by=None, reason="duplicate", comment="Doublon", expected_version=seen_by_b.version)
    with pytest.raises(StaleCaseError):
        case_assign(
            case=seen_by_b, agent=UserFactory(organisation=case.cpam), by=None, expected_version=seen_by_b.version
        )
    # Without a version, the row is re-read under the lock: B's move is checked against the real stage.
    with pytest.raises(workflow.CaseTransitionError):
        case_request_documents(case=seen_by_b, by=None)
    assert state(case) == before


def test_one_open_case_per_person_in_the_database_and_the_services():
    first = CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(person=first.person, caf=first.caf, cpam=first.cpam, status=CaseStatus.DOCUMENTS_COMPLETE)
    with pytest.raises(ValidationError, match="déjà un dossier ouvert"):
        case_open(person=first.person, caf=first.caf, by=None)
    assert Case.objects.filter(person=first.person).count() == 1

    case_close(case=first, by=None, reason=ClosingReason.DUPLICATE, comment="Doublon")
    second = case_open(person=first.person, caf=first.caf, by=None)
    before = state(first)
    with pytest.raises(ValidationError, match="rouvrir celui-ci créerait un doublon"):
        case_reopen(case=first, by=None, comment="Rouvert par erreur")
    assert state(first) == before
    assert list(Case.objects.open().filter(person=first.person)) == [second]


def test_database_refuses_inconsistent_closing_and_unknown_statuses():
    case = CaseFactory()
    rows = Case.objects.filter(pk=case.pk)
    for bad in [
        {"status": CaseStatus.CLOSED},  # no date, no reason, a side
        {"status": "lost_in_the_post"},
        {"closing_reason": ClosingReason.DECEASED},  # an open case has no closing reason
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            rows.update(**bad)
    assert rows.get().status == CaseStatus.NIA_ONLY


@pytest.mark.parametrize("reason", [r for r in ClosingReason.values if r != ClosingReason.CERTIFIED_AND_MIGRATED])
def test_close_with_each_reason(reason):
    case = case_in_status(CaseStatus.DOCUMENTS_REQUESTED, benefits_at_risk=["rsa"])
    assert case.priority > 0
    case_close(case=case, by=None, reason=reason, comment="Motif vérifié")
    row = Case.objects.get(pk=case.pk)
    assert (row.status, row.closing_reason, row.side) == (CaseStatus.CLOSED, reason, Side.NONE)
    assert row.closed_at is not None
    assert (row.priority, row.next_deadline, row.forecast_certified_on) == (0, None, None)


@pytest.mark.parametrize("reason", [ClosingReason.CERTIFIED_AND_MIGRATED, "bored"])
def test_close_refuses_the_certified_reason_and_unknown_ones(reason):
    case = CaseFactory()
    before = state(case)
    with pytest.raises(ValidationError, match="Motif de clôture invalide"):
        case_close(case=case, by=None, reason=reason, comment="x")
    assert state(case) == before


def test_close_certified_records_the_migration():
    case = case_in_status(CaseStatus.CERTIFIED)
    case_close_certified(case=case, by=None)
    assert (case.status, case.closing_reason) == (CaseStatus.CLOSED, ClosingReason.CERTIFIED_AND_MIGRATED)


@pytest.mark.parametrize(
    ("closed_from", "target"),
    [
        (CaseStatus.NIA_ONLY, CaseStatus.NIA_ONLY),
        (CaseStatus.DOCUMENTS_COMPLETE, CaseStatus.WAITING_NUMBER_ISSUED),
        (CaseStatus.CERTIFIED, CaseStatus.CERTIFIED),
    ],
)
def test_reopen_returns_to_the_stage_the_numbers_show(closed_from, target):
    case = case_in_status(CaseStatus.CLOSED, closed_from=closed_from)
    case_reopen(case=case, by=None, comment="La personne est revenue")
    row = Case.objects.get(pk=case.pk)
    assert (row.status, row.side, row.closed_at, row.closing_reason) == (
        target,
        workflow.SIDE_OF_STATUS[target],
        None,
        "",
    )
    assert row.events.filter(kind=EventKind.TRANSITION).latest("pk").to_status == target


def test_assignment_follows_the_acting_side():
    case = CaseFactory()
    caf_agent, cpam_agent = UserFactory(organisation=case.caf), UserFactory(organisation=case.cpam)
    stranger = UserFactory()
    with pytest.raises(ValidationError, match="c'est à la CAF d'agir"):
        case_assign(case=case, agent=cpam_agent, by=None)
    with pytest.raises(ValidationError, match="n'appartient pas à une caisse de ce dossier"):
        case_assign(case=case, agent=stranger, by=None)
    version = case.version
    case_assign(case=case, agent=caf_agent, by=None)
    assert (Case.objects.get(pk=case.pk).assigned_to, case.version) == (caf_agent, version + 1)

    case_issue_waiting_number(case=case, by=caf_agent)  # CAF → CPAM: nobody's case until a CPAM agent takes it
    assert Case.objects.get(pk=case.pk).assigned_to is None
    case_assign(case=case, agent=cpam_agent, by=None)
    case_request_documents(case=case, by=cpam_agent)  # CPAM → CPAM: kept
    assert Case.objects.get(pk=case.pk).assigned_to == cpam_agent
    case_unassign(case=case, by=cpam_agent)
    assert Case.objects.get(pk=case.pk).assigned_to is None
    summaries = list(case.events.filter(kind=EventKind.ASSIGNMENT).order_by("pk").values_list("summary", flat=True))
    assert len(summaries) == 3 and summaries[-1].startswith("Retiré à")
