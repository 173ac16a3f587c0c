"""Agents book from a case or a person, within their caisse; a phone appointment needs a reachable phone."""

import pytest
from django.urls import reverse

from cafcases.booking.models import Appointment, AppointmentStatus, BookingChannel
from cafcases.models import EventKind
from tests.booking.factories import at, make_appointment, make_motif, make_site, next_weekday, text
from tests.factories import CaseFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    case = CaseFactory(person__phone="+33612345678", person__email="awa@example.org")
    site = make_site(case.caf)
    return {
        "case": case,
        "site": site,
        "motif": make_motif(),
        "phone_motif": make_motif(phone=True, public=False, label="Suivi par téléphone"),
        "agent": UserFactory(organisation=case.caf),
        "outsider": UserFactory(),
    }


def book_url(case):
    return reverse("booking:book_for_case", args=[case.pk])


def first_slot_key(response):
    day, slots = response.context["days"][0]
    return slots[0][0].key, slots[0][0]


def test_an_agent_books_from_the_case_and_the_timeline_says_so(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["agent"])
    response = client.get(book_url(world["case"]), {"site": world["site"].pk, "motif": world["motif"].pk})
    assert response.status_code == 200
    key, slot = first_slot_key(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            book_url(world["case"]), {"site": world["site"].pk, "motif": world["motif"].pk, "slot": key}
        )
    assert response.status_code == 302
    assert response.url == reverse("case_detail", args=[world["case"].pk])
    appointment = Appointment.objects.get()
    assert (appointment.person, appointment.case, appointment.booked_by, appointment.channel) == (
        world["case"].person,
        world["case"],
        world["agent"],
        BookingChannel.AGENT,
    )
    assert appointment.starts_at == slot.starts_at and appointment.counter_id == slot.counter_id
    event = world["case"].events.filter(kind=EventKind.APPOINTMENT).get()
    assert event.summary.startswith("Rendez-vous pris : Obtenir un numéro d'attente")
    page = client.get(reverse("case_detail", args=[world["case"].pk]))
    assert page.context["appointments"] == [appointment]
    assert reverse("booking:book_for_case", args=[world["case"].pk]) in text(page)


def test_the_same_slot_twice_is_refused_with_fresh_slots(client, world):
    client.force_login(world["agent"])
    data = {"site": world["site"].pk, "motif": world["motif"].pk}
    key, slot = first_slot_key(client.get(book_url(world["case"]), data))
    client.post(book_url(world["case"]), {**data, "slot": key})
    response = client.post(book_url(world["case"]), {**data, "slot": key}, follow=True)
    assert "Ce créneau vient d'être pris" in text(response)
    assert Appointment.objects.count() == 1
    assert slot.key not in [each.key for _day, slots in response.context["days"] for each, _counter in slots]


def test_a_phone_appointment_is_refused_when_the_phone_is_unreachable(client, world):
    person = world["case"].person
    person.phone_unreachable = True
    person.save()
    client.force_login(world["agent"])
    data = {"site": world["site"].pk, "motif": world["phone_motif"].pk}
    response = client.get(book_url(world["case"]), data)
    assert response.context["phone_refused"] is True
    assert "injoignable" in text(response)
    monday = next_weekday()
    slot = f"{world['site'].counters.first().pk}|{at(monday, 9).isoformat()}"
    response = client.post(book_url(world["case"]), {**data, "slot": slot}, follow=True)
    assert "proposez un rendez-vous à l'accueil" in text(response)
    assert not Appointment.objects.exists()


def test_another_caisse_gets_404_for_the_case_and_its_sites_are_not_offered(client, world):
    client.force_login(world["outsider"])
    assert client.get(book_url(world["case"])).status_code == 404
    person_url = reverse("booking:book_for_person", args=[world["case"].person.pk])
    assert client.get(person_url).status_code == 404
    other_site = make_site(world["outsider"].organisation)
    client.force_login(world["agent"])
    response = client.get(book_url(world["case"]), {"site": other_site.pk, "motif": world["motif"].pk})
    assert response.context["site"] == world["site"]


def test_an_agent_books_for_a_person_without_an_open_case(client, world):
    person = PersonFactory(caf=world["case"].caf)
    client.force_login(world["agent"])
    url = reverse("booking:book_for_person", args=[person.pk])
    data = {"site": world["site"].pk, "motif": world["motif"].pk}
    key, _slot = first_slot_key(client.get(url, data))
    response = client.post(url, {**data, "slot": key})
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert (appointment.person, appointment.case) == (person, None)


def test_a_forged_slot_outside_opening_hours_is_refused(client, world):
    client.force_login(world["agent"])
    monday = next_weekday()
    slot = f"{world['site'].counters.first().pk}|{at(monday, 7).isoformat()}"
    response = client.post(
        book_url(world["case"]), {"site": world["site"].pk, "motif": world["motif"].pk, "slot": slot}, follow=True
    )
    assert "Ce créneau vient d'être pris" in text(response)
    assert not Appointment.objects.exists()


def test_booking_page_queries_do_not_grow_with_appointments(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["agent"])
    data = {"site": world["site"].pk, "motif": world["motif"].pk}

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(book_url(world["case"]), data).status_code == 200
        return len(context)

    count()  # the first request after login updates the session
    few = count()
    monday = next_weekday()
    for hour in (9, 10, 11, 14, 15):
        make_appointment(world["site"], world["motif"], at(monday, hour), person=world["case"].person)
    assert count() == few
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 5
