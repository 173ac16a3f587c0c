"""refresh_cases: the nightly recomputation of time-based clocks and priorities."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cafcases.models import Case, IdentifierKind
from cafcases.services import case_close, case_open
from tests.factories import IdentifierFactory, OrganisationFactory, PersonFactory

PARIS = ZoneInfo("Europe/Paris")


def open_case(caf, issued_on, benefits=()):
    person = PersonFactory(caf=caf)
    IdentifierFactory(person=person, kind=IdentifierKind.NIA, issued_on=issued_on)
    return case_open(person=person, caf=caf, by=None, benefits_at_risk=benefits)


@pytest.mark.django_db
def test_priorities_follow_the_calendar_and_a_second_run_changes_nothing(capsys):
    caf = OrganisationFactory()
    OrganisationFactory(cpam=True, department=caf.department)
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=PARIS), tick=False):
        case = open_case(caf, issued_on=datetime.date(2025, 5, 1), benefits=["rsa"])
    assert case.nia_valid_until == datetime.date(2026, 2, 1)
    priority_then = case.priority

    # Three weeks later nothing happened on the case, but its NIA now expires within days.
    with time_machine.travel(datetime.datetime(2026, 1, 27, 9, tzinfo=PARIS), tick=False):
        call_command("refresh_cases")
        case.refresh_from_db()
        assert case.priority > priority_then
        first = capsys.readouterr().out
        assert "1 mis à jour" in first
        call_command("refresh_cases")
        assert "0 mis à jour" in capsys.readouterr().out


@pytest.mark.django_db
def test_closed_cases_are_left_alone():
    caf = OrganisationFactory()
    OrganisationFactory(cpam=True, department=caf.department)
    open_one, closed_one = open_case(caf, datetime.date(2026, 1, 1)), open_case(caf, datetime.date(2026, 1, 1))
    case_close(case=closed_one, by=None, reason="duplicate", comment="Doublon du dossier voisin")
    Case.objects.update(priority=99)
    call_command("refresh_cases")
    assert Case.objects.get(pk=open_one.pk).priority != 99
    assert Case.objects.get(pk=closed_one.pk).priority == 99


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_cases():
    caf = OrganisationFactory()
    OrganisationFactory(cpam=True, department=caf.department)

    def queries_for(count):
        Case.objects.update(priority=99)  # force writes, the expensive path
        for _ in range(count - Case.objects.count()):
            open_case(caf, datetime.date(2026, 1, 1))
        Case.objects.update(priority=99)
        with CaptureQueriesContext(connection) as context:
            call_command("refresh_cases", stdout=io.StringIO())
        return len(context.captured_queries)

    assert queries_for(5) == queries_for(40)
