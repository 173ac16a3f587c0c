"""Legal clocks, forecasts and priority, with frozen dates."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from cafcases import clocks
from cafcases.models import Case, CaseStatus, CertificationRequest, PriorityBand, Track
from cafcases.priority import compute_priority
from cafcases.services import (
    case_issue_waiting_number,
    case_mark_awaiting_country,
    case_record_certified_nir,
    case_send_for_certification,
    chase_add,
    note_add,
)
from tests.factories import CaseFactory, CertificationRequestFactory, case_in_status, country, nir_for
from tests.workflow.conftest import PARIS

pytestmark = pytest.mark.django_db

D = datetime.date


def at(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("requested_on", "due_on"),
    [(D(2025, 11, 30), D(2026, 2, 28)), (D(2023, 11, 30), D(2024, 2, 29)), (D(2025, 3, 10), D(2025, 6, 10))],
)
def test_papers_are_due_three_months_after_the_request(requested_on, due_on):
    with time_machine.travel(at(requested_on.year, requested_on.month, requested_on.day, 10), tick=False):
        case = case_in_status(CaseStatus.DOCUMENTS_REQUESTED)
    assert case.papers_due_on == due_on
    assert case.next_deadline == due_on  # the NIA, issued the same day, runs 9 months
    assert clocks.papers_due(requested_on) == due_on


@pytest.mark.parametrize(
    ("issued_on", "valid_until"),
    [(D(2025, 1, 31), D(2025, 10, 31)), (D(2025, 5, 31), D(2026, 2, 28)), (D(2025, 3, 10), D(2025, 12, 10))],
)
def test_nia_is_valid_nine_months_from_its_issue(issued_on, valid_until, frozen_now):
    case = CaseFactory(nia_issued_on=issued_on)
    assert case.nia_valid_until == valid_until
    assert case.next_deadline == valid_until
    assert clocks.nia_valid_until(None) is None
    assert CaseFactory(nia_issued_on=None).nia_valid_until is None


# Frozen on 10 March 2025, NIA issued that day (valid until 10 December), Algeria answers in 120 days (8 July).
@pytest.mark.parametrize(
    ("status", "deadline"),
    [
        (CaseStatus.NIA_ONLY, D(2025, 12, 10)),
        (CaseStatus.WAITING_NUMBER_ISSUED, D(2025, 12, 10)),
        (CaseStatus.DOCUMENTS_REQUESTED, D(2025, 6, 10)),
        (CaseStatus.DOCUMENTS_COMPLETE, D(2025, 12, 10)),  # the papers clock stops
        (CaseStatus.SENT_FOR_CERTIFICATION, D(2025, 7, 8)),
        (CaseStatus.AWAITING_COUNTRY, D(2025, 7, 8)),
        (CaseStatus.CERTIFIED, None),
        (CaseStatus.CLOSED, None),
    ],
)
def test_next_deadline_is_the_earliest_clock_running_at_the_stage(status, deadline, frozen_now):
    row = Case.objects.get(pk=case_in_status(status).pk)
    assert row.next_deadline == deadline
    # Every open case carries a forecast; it is cleared once certified.
    assert (row.forecast_certified_on is None) == (status in (CaseStatus.CERTIFIED, CaseStatus.CLOSED))


def test_an_old_nia_expires_before_the_papers_are_due(frozen_now):
    case = case_in_status(CaseStatus.DOCUMENTS_REQUESTED, nia_issued_on=D(2024, 7, 15))
    assert (case.papers_due_on, case.nia_valid_until, case.next_deadline) == (
        D(2025, 6, 10),
        D(2025, 4, 15),
        D(2025, 4, 15),
    )


def test_certification_expected_and_overdue():
    with time_machine.travel(at(2025, 3, 10, 9), tick=False) as traveller:
        case = case_in_status(CaseStatus.SENT_FOR_CERTIFICATION)
        request = case.certification_requests.get()
        assert (request.sent_on, request.expected_on) == (D(2025, 3, 10), D(2025, 7, 8))
        assert case.certification_expected_on == D(2025, 7, 8)

        traveller.move_to(at(2025, 7, 8, 9))
        assert not Case.objects.overdue(D(2025, 7, 8)).exists()
        assert not request.is_overdue(D(2025, 7, 8))
        traveller.move_to(at(2025, 7, 9, 9))
        today = D(2025, 7, 9)
        assert list(Case.objects.overdue(today)) == [case]
        assert list(CertificationRequest.objects.overdue(today)) == [request]

        chase = chase_add(request=request, channel="email", by=None, note="Relance SANDIA")
        assert chase.sent_on == today
        case_mark_awaiting_country(case=case, by=None)  # SANDIA still owes its answer
        assert case.certification_expected_on == D(2025, 7, 8)
        assert CertificationRequest.objects.overdue(today).count() == 1

        case_record_certified_nir(case=case, nir=nir_for(case.person), by=None)
        assert not CertificationRequest.objects.overdue(today).exists()
        assert not Case.objects.overdue(today).exists()


def test_a_case_without_events_for_thirty_days_is_stale():
    with time_machine.travel(at(2025, 3, 10, 9), tick=False) as traveller:
        case = CaseFactory()
        closed = case_in_status(CaseStatus.CLOSED)
        traveller.move_to(at(2025, 4, 9, 8, 59))
        assert not Case.objects.stale(datetime.datetime.now(tz=PARIS)).exists()
        traveller.move_to(at(2025, 4, 9, 9, 1))
        assert list(Case.objects.stale(datetime.datetime.now(tz=PARIS))) == [case]  # never the closed one
        assert closed.status == CaseStatus.CLOSED
        note_add(case=case, text="Rappelée, attend ses papiers", by=None)
        assert not Case.objects.stale(datetime.datetime.now(tz=PARIS)).exists()


def _answered(country_code, durations, *, answered_before=0):
    """Answered requests for a country: sent so that each was answered ``answered_before`` days ago or earlier."""
    carrier = CaseFactory(person__birth_country=country(country_code))
    today = timezone.localdate()
    for days in durations:
        CertificationRequestFactory(
            case=carrier, sent_on=today - datetime.timedelta(days=days + answered_before), answered_after=days
        )


MEDIAN_77 = [10] * 9 + [77, 77] + [200] * 9  # 20 answers whose median is exactly 77 days


def test_forecast_uses_the_reference_delay_until_twenty_answers(frozen_now):
    _answered("99352", [77] * 19)
    _answered("99352", [77], answered_before=400)  # outside the 12 months
    _answered("99134", [77] * 20)  # another country
    case = case_in_status(CaseStatus.DOCUMENTS_COMPLETE)
    assert case.forecast_certified_on == D(2025, 3, 10) + datetime.timedelta(days=120)
    case_send_for_certification(case=case, by=None, sent_on=D(2025, 3, 1))
    assert case.forecast_certified_on == D(2025, 3, 1) + datetime.timedelta(days=120)
    assert clocks.observed_median_delays(["99352", "99134"], D(2025, 3, 10)) == {"99134": 77}


def test_forecast_uses_the_observed_median_from_twenty_answers(frozen_now):
    _answered("99352", MEDIAN_77)
    assert clocks.observed_median_delays(["99352"], D(2025, 3, 10)) == {"99352": 77}
    case = case_in_status(CaseStatus.DOCUMENTS_COMPLETE)
    case_send_for_certification(case=case, by=None)
    assert case.forecast_certified_on == D(2025, 3, 10) + datetime.timedelta(days=77)
    # The expected answer date stays the country's reference: the forecast only informs.
    assert case.certification_expected_on == D(2025, 3, 10) + datetime.timedelta(days=120)
    refugee = case_in_status(CaseStatus.DOCUMENTS_COMPLETE, person__refugee=True, person__birth_country_id="99352")
    assert refugee.track == Track.REFUGEE
    assert refugee.forecast_certified_on == D(2025, 3, 10) + datetime.timedelta(days=90)  # OFPRA's delay


BASE = {"benefits": [], "track": Track.STANDARD, "unreachable": False, "next_deadline": None}


@pytest.mark.parametrize(
    ("changes", "waited", "expected"),
    [
        ({}, 0, 0),
        ({"benefits": ["rsa"]}, 0, 25),
        ({"benefits": ["prime_naissance"]}, 0, 25),
        ({"benefits": ["aide_logement"]}, 0, 20),
        ({"benefits": ["prime_activite"]}, 0, 10),
        ({"benefits": ["prime_noel"]}, 0, 3),
        ({"benefits": ["rsa", "rsa"]}, 0, 25),
        ({"benefits": ["inconnue"]}, 0, 0),
        ({"benefits": ["rsa", "prime_naissance", "aide_logement"]}, 0, 45),  # capped
        ({"next_deadline": -1}, 0, 30),
        ({"next_deadline": 0}, 0, 30),  # due today counts as overdue
        ({"next_deadline": 1}, 0, 22),
        ({"next_deadline": 7}, 0, 22),
        ({"next_deadline": 8}, 0, 15),
        ({"next_deadline": 14}, 0, 15),
        ({"next_deadline": 15}, 0, 8),
        ({"next_deadline": 30}, 0, 8),
        ({"next_deadline": 31}, 0, 0),
        ({}, 11, 0),
        ({}, 12, 1),
        ({}, 179, 14),
        ({}, 400, 15),
        ({}, -3, 0),  # opened "in the future" (clock skew) never subtracts
        ({"track": Track.REFUGEE}, 0, 5),
        ({"track": Track.ASYLUM_SEEKER}, 0, 5),
        ({"unreachable": True}, 0, 5),
        ({"track": Track.REFUGEE, "unreachable": True}, 0, 10),
        (
            {"benefits": ["rsa", "aide_logement"], "next_deadline": -10, "track": Track.REFUGEE, "unreachable": True},
            400,
            100,
        ),
        ({"benefits": ["aide_logement"], "next_deadline": 10}, 24, 37),
    ],
)
def test_compute_priority_table(changes, waited, expected):
    today = D(2025, 3, 10)
    arguments = {**BASE, **changes}
    if arguments["next_deadline"] is not None:
        arguments["next_deadline"] = today + datetime.timedelta(days=arguments["next_deadline"])
    score = compute_priority(**arguments, opened_on=today - datetime.timedelta(days=waited), today=today)
    assert score == expected


def test_priority_bands(frozen_now):
    cases = {}
    for score in (0, 29, 30, 59, 60, 100):
        case = CaseFactory()
        Case.objects.filter(pk=case.pk).update(priority=score)
        cases[score] = Case.objects.get(pk=case.pk)
    bands = {
        PriorityBand.LOW: {0, 29},
        PriorityBand.MEDIUM: {30, 59},
        PriorityBand.HIGH: {60, 100},
    }
    for band, scores in bands.items():
        assert {case.priority for case in Case.objects.in_priority_band(band)} == scores
        assert {cases[score].priority_band for score in scores} == {band}
    assert [case.priority for case in Case.objects.queue_order()] == [100, 60, 59, 30, 29, 0]


def test_moves_recompute_the_priority():
    with time_machine.travel(at(2025, 3, 10, 9), tick=False) as traveller:
        case = case_in_status(CaseStatus.SENT_FOR_CERTIFICATION, benefits_at_risk=["rsa"])
        assert case.priority == 25  # SANDIA answers by 8 July, nothing waited yet
        traveller.move_to(at(2025, 7, 18, 9))  # 130 days later, SANDIA is 10 days late
        assert Case.objects.get(pk=case.pk).priority == 25  # stored: unchanged until something happens
        case_mark_awaiting_country(case=case, by=None)
        assert Case.objects.get(pk=case.pk).priority == 25 + 30 + 10
        assert list(Case.objects.in_priority_band(PriorityBand.HIGH)) == [case]
        case_record_certified_nir(case=case, nir=nir_for(case.person), by=None)
        assert Case.objects.get(pk=case.pk).priority == 25 + 10  # no clock runs once certified
        assert list(Case.objects.in_priority_band(PriorityBand.MEDIUM)) == [case]


def test_days_waiting_count_from_the_local_opening_date():
    # Opened at 00:30 in Paris on 1 March, which is still 28 February in UTC.
    with time_machine.travel(at(2025, 3, 1, 0, 30), tick=False) as traveller:
        case = CaseFactory()
        traveller.move_to(at(2025, 3, 12, 10))  # 11 days: no point yet
        case_issue_waiting_number(case=case, by=None)
        assert case.priority == 0
    with time_machine.travel(at(2025, 3, 13, 10), tick=False):  # 12 days: one point
        assert clocks.refresh_clocks([case], D(2025, 3, 13))[0].priority == 1
