"""The agenda by site, day and week; attendance; the "À renseigner" list; the no-show on the case timeline."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cafcases.booking.models import AppointmentStatus
from cafcases.models import EventKind
from tests.booking.factories import at, make_appointment, make_motif, make_site, text
from tests.factories import CaseFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    case = CaseFactory()
    site = make_site(case.caf, counters=3)
    return {
        "case": case,
        "site": site,
        "motif": make_motif(),
        "agent": UserFactory(organisation=case.caf),
        "outsider": UserFactory(),
    }


def queries(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(context), response


def past(hours):
    return timezone.now().replace(minute=0, second=0, microsecond=0) - datetime.timedelta(hours=hours)


def test_a_no_show_goes_on_the_case_timeline_and_leaves_the_to_record_list(client, world):
    appointment = make_appointment(
        world["site"], world["motif"], past(3), person=world["case"].person, case=world["case"]
    )
    client.force_login(world["agent"])
    listed = client.get(reverse("booking:to_record"))
    assert listed.context["appointments"] == [appointment]
    response = client.post(
        reverse("booking:appointment_attendance", args=[appointment.pk]), {"status": "no_show", "next": "to_record"}
    )
    assert response.url == reverse("booking:to_record")
    appointment.refresh_from_db()
    assert (appointment.status, appointment.attendance_recorded_by) == (AppointmentStatus.NO_SHOW, world["agent"])
    event = world["case"].events.filter(kind=EventKind.APPOINTMENT).get()
    assert event.summary.startswith("Absence au rendez-vous") and event.by == world["agent"]
    assert client.get(reverse("booking:to_record")).context["appointments"] == []


@pytest.mark.parametrize("status", ["seen", "excused"])
def test_seen_and_excused_are_recorded_too(client, world, status):
    appointment = make_appointment(
        world["site"], world["motif"], past(2), person=world["case"].person, case=world["case"]
    )
    client.force_login(world["agent"])
    client.post(reverse("booking:appointment_attendance", args=[appointment.pk]), {"status": status})
    appointment.refresh_from_db()
    assert appointment.status == status
    assert world["case"].events.filter(kind=EventKind.APPOINTMENT).count() == 1


def test_attendance_is_refused_before_the_appointment_and_for_a_cancelled_one(client, world):
    future = make_appointment(world["site"], world["motif"], timezone.now() + datetime.timedelta(days=2))
    client.force_login(world["agent"])
    response = client.post(reverse("booking:appointment_attendance", args=[future.pk]), {"status": "seen"}, follow=True)
    assert "une fois l'heure du rendez-vous venue" in text(response)
    future.refresh_from_db()
    assert future.status == AppointmentStatus.BOOKED
    client.post(reverse("booking:appointment_cancel", args=[future.pk]))
    future.refresh_from_db()
    assert future.status == AppointmentStatus.CANCELLED


def test_another_caisse_sees_nothing(client, world):
    appointment = make_appointment(world["site"], world["motif"], past(3))
    client.force_login(world["outsider"])
    assert client.get(reverse("booking:site_agenda", args=[world["site"].pk])).status_code == 404
    assert client.get(reverse("booking:appointment", args=[appointment.pk])).status_code == 404
    response = client.post(reverse("booking:appointment_attendance", args=[appointment.pk]), {"status": "seen"})
    assert response.status_code == 404
    assert client.get(reverse("booking:to_record")).context["appointments"] == []
    assert client.get(reverse("booking:agenda")).context["sites"] == []


def test_day_and_week_views_and_one_counter(client, world):
    site, motif = world["site"], world["motif"]
    day = datetime.date(2026, 3, 4)  # a Wednesday
    counters = list(site.counters.order_by("pk"))
    wednesday = make_appointment(site, motif, at(day, 9), counter=counters[0])
    friday = make_appointment(site, motif, at(day + datetime.timedelta(days=2), 9), counter=counters[1])
    client.force_login(world["agent"])
    url = reverse("booking:site_agenda", args=[site.pk])
    day_view = client.get(url, {"jour": "2026-03-04"})
    assert [appointments for _day, appointments in day_view.context["days"]] == [[wednesday]]
    week_view = client.get(url, {"jour": "2026-03-04", "vue": "semaine"})
    assert week_view.context["day"] == datetime.date(2026, 3, 2)  # the week starts on Monday
    assert [a for _day, appointments in week_view.context["days"] for a in appointments] == [wednesday, friday]
    one_counter = client.get(url, {"jour": "2026-03-04", "vue": "semaine", "guichet": counters[1].pk})
    assert [a for _day, appointments in one_counter.context["days"] for a in appointments] == [friday]


def add_rows(world, count, day, hour=9):
    site, motif = world["site"], world["motif"]
    counters = list(site.counters.order_by("pk"))
    for index in range(count):
        person = PersonFactory(caf=site.caisse) if index % 2 else None
        make_appointment(
            site,
            motif,
            at(day, hour) + datetime.timedelta(minutes=30 * (index // len(counters))),
            counter=counters[index % len(counters)],
            person=person,
        )


def test_agenda_pages_cost_the_same_for_3_and_30_appointments(client, world):
    client.force_login(world["agent"])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    site_url = reverse("booking:site_agenda", args=[world["site"].pk])
    pages = {
        "home": (reverse("booking:agenda"), None),
        "day": (site_url, {"jour": yesterday.isoformat()}),
        "week": (site_url, {"jour": yesterday.isoformat(), "vue": "semaine"}),
        "to_record": (reverse("booking:to_record"), None),
    }
    queries(client, reverse("booking:agenda"))  # the first request after login updates the session
    add_rows(world, 3, yesterday, hour=7)
    few = {name: queries(client, url, params)[0] for name, (url, params) in pages.items()}
    add_rows(world, 27, yesterday - datetime.timedelta(days=7 if yesterday.weekday() else 1))
    add_rows(world, 27, yesterday)
    many = {name: queries(client, url, params) for name, (url, params) in pages.items()}
    assert {name: count for name, (count, _response) in many.items()} == few
    assert len(many["to_record"][1].context["appointments"]) > 30


def test_the_appointment_page_costs_the_same_with_more_messages(client, world, django_capture_on_commit_callbacks):
    from cafcases.booking.notify import send_confirmation

    appointment = make_appointment(
        world["site"], world["motif"], past(-30), email="a@example.org", phone="+33612345678"
    )
    client.force_login(world["agent"])
    url = reverse("booking:appointment", args=[appointment.pk])
    queries(client, url)
    few, _ = queries(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        send_confirmation(appointment.pk)
    many, response = queries(client, url)
    assert many == few
    assert len(response.context["sent"]) == 2


def test_an_agent_with_a_counter_of_their_own_gets_a_link_to_their_agenda(client, world):
    from cafcases.booking.models import Counter

    counter = Counter.objects.create(site=world["site"], name="Agenda d'Alice", agent=world["agent"])
    client.force_login(world["agent"])
    response = client.get(reverse("booking:agenda"))
    assert response.context["my_counters"] == [counter]
    assert f"guichet={counter.pk}" in text(response)


def test_the_case_page_costs_the_same_with_one_or_five_appointments(client, world):
    case, site, motif = world["case"], world["site"], world["motif"]
    client.force_login(world["agent"])
    url = reverse("case_detail", args=[case.pk])
    make_appointment(site, motif, past(5), person=case.person, case=case)
    queries(client, url)
    one, _ = queries(client, url)
    for hours in (30, 54, 78, 102):
        make_appointment(site, motif, past(hours), person=case.person, case=case)
    five, response = queries(client, url)
    assert five == one
    assert len(response.context["appointments"]) == 5
