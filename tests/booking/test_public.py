"""Booking by the public: site, motif, slot, details; confirmation; signed link to cancel or move; both languages."""

import datetime

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from cafcases.booking.models import Appointment, AppointmentStatus, BookingChannel
from cafcases.booking.signing import appointment_from_token, manage_token
from tests.booking.factories import make_motif, make_site, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return make_site(department="59", postcode="59000", name="Accueil de Lille")


@pytest.fixture
def motif():
    return make_motif()


def first_free_time(client, site, motif):
    response = client.get(reverse("booking:public_slots", args=[site.pk, motif.pk]))
    assert response.status_code == 200
    for _day, slots in response.context["days"]:
        if slots:
            return slots[0].starts_at
    for _day, slots in client.get(reverse("booking:public_slots", args=[site.pk, motif.pk]), {"semaine": 1}).context[
        "days"
    ]:
        if slots:
            return slots[0].starts_at
    raise AssertionError("no free slot")


def details(starts_at, **overrides):
    return {
        "slot": f"0|{starts_at.isoformat()}",
        "birth_name": "Diallo",
        "first_names": "Awa",
        "birth_date": "15/06/1990",
        "phone": "06 12 34 56 78",
        "email": "awa@example.org",
        "number": "",
        **overrides,
    }


def book(client, site, motif, **overrides):
    starts_at = first_free_time(client, site, motif)
    url = reverse("booking:public_book", args=[site.pk, motif.pk])
    assert client.get(url, {"creneau": starts_at.isoformat()}).status_code == 200
    return client.post(url, details(starts_at, **overrides)), starts_at


def test_find_a_site_by_postcode_or_department(client, site):
    make_site(department="33", postcode="33000", name="Accueil de Bordeaux")
    for query in ("59000", "59", "59800"):
        response = client.get(reverse("booking:public_start"), {"q": query})
        assert response.context["sites"] == [site], query
    response = client.get(reverse("booking:public_start"), {"q": "75"})
    assert response.context["sites"] == []
    assert "Aucun accueil" in text(response)


def test_only_public_motifs_are_offered_and_agent_only_ones_are_404(client, site, motif):
    agents_only = make_motif(public=False, label="Réservé aux agents")
    response = client.get(reverse("booking:public_motifs", args=[site.pk]))
    assert response.context["motifs"] == [motif]
    assert client.get(reverse("booking:public_slots", args=[site.pk, agents_only.pk])).status_code == 404


def test_the_whole_public_flow_in_french(client, site, motif, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response, starts_at = book(client, site, motif)
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    # The token carries the second it was signed in: compare what it designates, not its text.
    match = resolve(response.url)
    assert match.view_name == "booking:public_confirmation"
    assert appointment_from_token(match.kwargs["token"], Appointment.objects) == appointment
    assert (appointment.channel, appointment.language, appointment.person, appointment.starts_at) == (
        BookingChannel.PUBLIC,
        "fr",
        None,
        starts_at,
    )
    assert str(appointment.phone) == "+33612345678"
    page = client.get(response.url)
    assert "Votre rendez-vous est confirmé" in text(page)
    assert 'lang="fr"' in text(page)
    assert "DIALLO Awa" in text(page)


def test_the_whole_public_flow_in_english_through_the_language_switch(client, site, motif):
    start = reverse("booking:public_start")
    response = client.post(reverse("booking:set_language"), {"language": "en", "next": start})
    assert response.status_code == 302 and response.url == start
    page = client.get(start)
    assert 'lang="en"' in text(page)
    assert "Book an appointment with your CAF" in text(page)
    motifs_page = client.get(reverse("booking:public_motifs", args=[site.pk]))
    assert "Get a CAF waiting number" in text(motifs_page)
    response, _starts_at = book(client, site, motif)
    appointment = Appointment.objects.get()
    assert appointment.language == "en"
    assert "Your appointment is confirmed" in text(client.get(response.url))
    # The switch back to French.
    client.post(reverse("booking:set_language"), {"language": "fr", "next": start})
    assert "Prendre rendez-vous avec votre CAF" in text(client.get(start))


def test_the_browser_language_is_used_without_the_switch(client, site):
    page = client.get(reverse("booking:public_start"), headers={"accept-language": "en-GB,en;q=0.8"})
    assert 'lang="en"' in text(page)


def test_the_staff_workspace_stays_french_after_the_switch(client, site):
    client.post(reverse("booking:set_language"), {"language": "en", "next": "/rendez-vous/"})
    assert "Nom d’utilisateur" in text(client.get(reverse("login")))


def test_clear_errors_for_missing_contact_and_bad_number(client, site, motif):
    response, _ = book(client, site, motif, phone="", email="", number="123")
    page = text(response)
    assert response.status_code == 200
    assert "Donnez un téléphone ou une adresse électronique" in page
    assert "ni un numéro allocataire" in page
    assert not Appointment.objects.exists()


def test_errors_in_english(client, site, motif):
    client.post(reverse("booking:set_language"), {"language": "en", "next": "/rendez-vous/"})
    response, _ = book(client, site, motif, phone="", email="")
    assert "Give a phone number or an email address" in text(response)


def test_a_time_taken_meanwhile_shows_the_message_and_fresh_slots(client, site, motif):
    starts_at = first_free_time(client, site, motif)
    url = reverse("booking:public_book", args=[site.pk, motif.pk])
    for _counter in site.counters.all():  # two counters: two people get that time
        assert client.post(url, details(starts_at)).status_code == 302
    response = client.post(url, details(starts_at), follow=True)
    assert "Ce créneau vient d'être pris" in text(response)
    assert response.resolver_match.url_name == "public_slots"
    assert starts_at not in [slot.starts_at for _day, slots in response.context["days"] for slot in slots]
    assert Appointment.objects.count() == 2


def test_cancel_through_the_signed_link(client, site, motif):
    response, _ = book(client, site, motif)
    appointment = Appointment.objects.get()
    manage = reverse("booking:manage", args=[manage_token(appointment)])
    response = client.post(manage, follow=True)
    assert "Votre rendez-vous est annulé" in text(response)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED and appointment.cancelled_at is not None


def test_move_through_the_signed_link(client, site, motif):
    book(client, site, motif)
    appointment = Appointment.objects.get()
    token = manage_token(appointment)
    page = client.get(reverse("booking:manage_move", args=[token]), {"semaine": 1})
    new_slot = next(slot for _day, slots in page.context["days"] for slot in slots)
    response = client.post(
        reverse("booking:manage_move", args=[token]) + "?semaine=1", {"slot": new_slot.key}, follow=True
    )
    assert "Votre rendez-vous est déplacé" in text(response)
    appointment.refresh_from_db()
    assert appointment.starts_at == new_slot.starts_at
    assert appointment.ends_at - appointment.starts_at == datetime.timedelta(minutes=motif.duration_minutes)


@pytest.mark.parametrize("tamper", ["flip", "other_pk", "garbage", "other_salt"])
def test_a_tampered_link_is_refused(client, site, motif, tamper):
    from django.core import signing

    book(client, site, motif)
    appointment = Appointment.objects.get()
    token = manage_token(appointment)
    forged = {
        "flip": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "other_pk": signing.dumps([appointment.pk + 1, int(appointment.created_at.timestamp())], salt="x"),
        "garbage": "abc",
        "other_salt": signing.dumps([appointment.pk, int(appointment.created_at.timestamp())]),
    }[tamper]
    assert client.get(reverse("booking:manage", args=[forged])).status_code == 404
    assert client.post(reverse("booking:manage", args=[forged])).status_code == 404
    assert client.get(reverse("booking:manage_move", args=[forged])).status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_the_nia_is_never_stored_in_clear_nor_shown_back(client, site, motif):
    nia = "798049921203110"
    response, _ = book(client, site, motif, number="7 98 04 99 212 031 10")
    appointment = Appointment.objects.get()
    assert appointment.nia_digest and nia not in appointment.nia_digest
    assert nia not in response.url
    page = text(client.get(response.url))
    assert nia not in page and "212 031" not in page
    values = Appointment.objects.values_list(flat=True)
    assert all(nia not in str(value) for row in Appointment.objects.values() for value in row.values()), values


def test_public_pages_cost_the_same_with_more_appointments(client, site, motif):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.booking.factories import at, make_appointment, next_weekday

    urls = [
        reverse("booking:public_start") + "?q=59000",
        reverse("booking:public_motifs", args=[site.pk]),
        reverse("booking:public_slots", args=[site.pk, motif.pk]) + "?semaine=1",
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            result.append(len(context))
        return result

    few = counts()
    monday = next_weekday(timezone.localdate() + datetime.timedelta(days=6))
    for day in range(5):
        for hour in (9, 10, 11, 14, 15):
            make_appointment(site, motif, at(monday + datetime.timedelta(days=day), hour), birth_name=f"P{day}{hour}")
    assert counts() == few
