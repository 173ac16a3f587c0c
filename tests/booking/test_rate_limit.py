"""Online bookings are limited per IP address and per phone number."""

import pytest
from django.urls import reverse

from cafcases.booking.models import Appointment
from tests.booking.factories import make_motif, make_site, text

pytestmark = pytest.mark.django_db


def attempt(client, site, motif, *, phone, ip):
    page = client.get(reverse("booking:public_slots", args=[site.pk, motif.pk]), {"semaine": 1})
    starts_at = next(slot for _day, slots in page.context["days"] for slot in slots).starts_at
    return client.post(
        reverse("booking:public_book", args=[site.pk, motif.pk]),
        {
            "slot": f"0|{starts_at.isoformat()}",
            "birth_name": "Martin",
            "first_names": "Léa",
            "birth_date": "01/02/1985",
            "phone": phone,
            "email": "",
        },
        REMOTE_ADDR=ip,
    )


def test_one_phone_number_is_limited_whatever_the_address(client, settings):
    settings.BOOKING_RATE_PER_PHONE = "2/h"
    site, motif = make_site(counters=5), make_motif()
    assert attempt(client, site, motif, phone="0611111111", ip="10.0.0.1").status_code == 302
    assert attempt(client, site, motif, phone="+33 6 11 11 11 11", ip="10.0.0.2").status_code == 302
    refused = attempt(client, site, motif, phone="06 11 11 11 11", ip="10.0.0.3")
    assert refused.status_code == 429
    assert "Trop de réservations" in text(refused)
    assert attempt(client, site, motif, phone="0622222222", ip="10.0.0.4").status_code == 302
    assert Appointment.objects.count() == 3


def test_one_address_is_limited_whatever_the_phone(client, settings):
    settings.BOOKING_RATE_PER_IP = "2/h"
    site, motif = make_site(counters=5), make_motif()
    assert attempt(client, site, motif, phone="0611111111", ip="10.0.0.9").status_code == 302
    assert attempt(client, site, motif, phone="0622222222", ip="10.0.0.9").status_code == 302
    assert attempt(client, site, motif, phone="0633333333", ip="10.0.0.9").status_code == 429
    assert attempt(client, site, motif, phone="0644444444", ip="10.0.0.10").status_code == 302
    assert Appointment.objects.count() == 3


def test_the_limit_page_speaks_english_too(client, settings):
    settings.BOOKING_RATE_PER_IP = "1/h"
    site, motif = make_site(), make_motif()
    client.post(reverse("booking:set_language"), {"language": "en", "next": "/rendez-vous/"})
    attempt(client, site, motif, phone="0611111111", ip="10.0.0.5")
    refused = attempt(client, site, motif, phone="0622222222", ip="10.0.0.5")
    assert refused.status_code == 429
    assert "Too many bookings" in text(refused)
