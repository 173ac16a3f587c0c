"""Attaching an online booking to a person: only when the number, the birth name and the birth date all agree.

Whatever the outcome, the public sees the same pages and messages: nothing reveals whether a person exists.
"""

import re

import pytest
from django.urls import reverse

from cafcases.booking.models import Appointment
from cafcases.booking.services import match_person
from tests.booking.factories import make_motif, make_site
from tests.factories import CaseFactory, IdentifierFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    case = CaseFactory(
        person__birth_name="Benali-Ézé", person__birth_year=1990, person__birth_month=6, person__birth_day=15
    )
    person = case.person
    return {"case": case, "person": person, "nia": person.identifiers.get().value, "site": make_site(case.caf)}


@pytest.mark.parametrize("number_kind", ["nia", "beneficiary_number"])
def test_everything_agrees_attaches_the_person_and_their_open_case(known, number_kind):
    import datetime

    number = known["nia"] if number_kind == "nia" else known["person"].beneficiary_number
    found = match_person(
        caisse=known["site"].caisse, number=number, birth_name="benali eze", birth_date=datetime.date(1990, 6, 15)
    )
    assert found == known["person"]


@pytest.mark.parametrize(
    "change",
    [
        {"birth_name": "Benalo"},
        {"birth_date": (1990, 6, 16)},
        {"number": "wrong"},
        {"number": ""},
        {"other_caisse": True},
    ],
)
def test_anything_that_disagrees_finds_no_one(known, change):
    import datetime

    caisse = known["site"].caisse
    if change.get("other_caisse"):
        caisse = PersonFactory().caf
        number = known["person"].beneficiary_number
    else:
        number = {"wrong": "1234567", "": ""}.get(change.get("number"), known["nia"])
    birth_date = datetime.date(*change.get("birth_date", (1990, 6, 15)))
    assert (
        match_person(
            caisse=caisse, number=number, birth_name=change.get("birth_name", "Benali-Ézé"), birth_date=birth_date
        )
        is None
    )


def test_a_superseded_nia_still_finds_its_person(known):
    import datetime

    from cafcases.models import IdentifierStatus

    old = IdentifierFactory(
        person=known["person"], status=IdentifierStatus.SUPERSEDED, superseded_at="2025-01-01T00:00Z"
    )
    assert (
        match_person(
            caisse=known["site"].caisse,
            number=old.value,
            birth_name="BENALI-EZE",
            birth_date=datetime.date(1990, 6, 15),
        )
        == known["person"]
    )


def public_booking(client, site, motif, **data):
    slots_page = client.get(reverse("booking:public_slots", args=[site.pk, motif.pk]), {"semaine": 1})
    starts_at = next(slot for _day, slots in slots_page.context["days"] for slot in slots).starts_at
    response = client.post(
        reverse("booking:public_book", args=[site.pk, motif.pk]),
        {
            "slot": f"0|{starts_at.isoformat()}",
            "birth_name": "Benali-Ézé",
            "first_names": "Samira",
            "birth_date": "15/06/1990",
            "phone": "",
            "email": "s@example.org",
            **data,
        },
    )
    assert response.status_code == 302
    return response, Appointment.objects.latest("id")


def visible(client, response):
    """The confirmation page without what differs by nature between two bookings (token, date, time)."""
    page = client.get(response.url).content.decode()
    page = re.sub(r"/rendez-vous/[a-z]+/[^/\"]+/", "/TOKEN/", page)
    page = re.sub(r"<dd>[^<]*\d{2}:\d{2}</dd>", "<dd>WHEN</dd>", page)
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", page)
    return page


def test_the_public_page_is_the_same_for_a_known_and_an_unknown_person(client, known):
    motif = make_motif()
    matched_response, matched = public_booking(client, known["site"], motif, number=known["nia"])
    unknown_response, unmatched = public_booking(client, known["site"], motif, number="7 90 06 99 352 999")
    assert (matched.person, matched.case) == (known["person"], known["case"])
    assert unmatched.person is None and unmatched.case is None
    assert visible(client, matched_response) == visible(client, unknown_response)
    # Nothing of the file shows: not the case, not the name the CAF knows (only what was typed).
    page = client.get(matched_response.url).content.decode()
    assert "Dossier" not in page and known["person"].first_names not in page.replace("Samira", "")


def test_an_agent_links_an_unmatched_booking_at_the_appointment(client, known):
    from cafcases.models import EventKind
    from tests.factories import UserFactory

    motif = make_motif()
    _response, appointment = public_booking(client, known["site"], motif, number="")
    agent = UserFactory(organisation=known["site"].caisse)
    client.force_login(agent)
    url = reverse("booking:appointment_link", args=[appointment.pk])
    search = client.post(url, {"q": "Benali"})
    assert search.status_code == 200
    assert search.context["candidates"] == [known["person"]]
    response = client.post(url, {"person": known["person"].pk})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.person, appointment.case) == (known["person"], known["case"])
    assert known["case"].events.filter(kind=EventKind.APPOINTMENT, summary__startswith="Réservation en ligne").exists()


def test_an_agent_of_another_caisse_cannot_see_nor_link(client, known):
    from tests.factories import UserFactory

    _response, appointment = public_booking(client, known["site"], make_motif(), number="")
    client.force_login(UserFactory())
    assert client.get(reverse("booking:appointment", args=[appointment.pk])).status_code == 404
    response = client.post(reverse("booking:appointment_link", args=[appointment.pk]), {"person": known["person"].pk})
    assert response.status_code == 404


def test_a_known_person_flagged_unreachable_books_a_phone_appointment_online_like_anyone(client, known):
    person = known["person"]
    person.phone_unreachable = True
    person.save()
    phone_motif = make_motif(phone=True, label="Faire le point par téléphone")
    _response, appointment = public_booking(client, known["site"], phone_motif, number=known["nia"], phone="0611223344")
    assert appointment.person == person
    assert str(appointment.contact_phone()) == "+33611223344"
