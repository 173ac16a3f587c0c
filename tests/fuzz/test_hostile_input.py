"""No 500 from a public or API endpoint on hostile input: overlong strings, unicode, NUL bytes, SQL and HTML."""

import json

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cafcases.api.services import api_client_create
from cafcases.notifications.webhooks import SIGNATURE_HEADER, sign
from tests.factories import IdentifierFactory, OrganisationFactory, PersonFactory, UserFactory
from tests.fuzz.strategies import HOSTILE_STRINGS, hostile_text, near_numbers

HOSTILE = HOSTILE_STRINGS
SHORT_HOSTILE = [value for value in HOSTILE if len(value) < 1000]
DB_FUZZ = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def module_targets(django_db_setup, django_db_blocker):
    """A public site and motif, an API client and a person it resolves, built once for the module."""
    from tests.booking.factories import make_motif, make_site

    with django_db_blocker.unblock(), transaction.atomic():
        caisse = OrganisationFactory()
        client, token = api_client_create(name="Portail de test", caisse=caisse)
        yield {
            "site": make_site(caisse),
            "motif": make_motif(public=True),
            "token": token,
            "number": IdentifierFactory(person=PersonFactory(caf=caisse)).value,
            "agent": UserFactory(organisation=caisse),
        }
        transaction.set_rollback(True)


@pytest.fixture
def targets(module_targets, db, settings):
    settings.API_RATE_LIMIT = "100000/m"  # the fuzzing is not what the throttle is about
    settings.BOOKING_RATE_PER_IP = "100000/m"
    settings.BOOKING_RATE_PER_PHONE = "100000/m"
    cache.clear()
    return module_targets


def public_requests(targets, value):
    """(method, url, data) of every public form and page, with the hostile value in each field or parameter."""
    site, motif = targets["site"].pk, targets["motif"].pk
    book = reverse("booking:public_book", args=[site, motif])
    fields = {
        "slot": value,
        "birth_name": value,
        "first_names": value,
        "birth_date": value,
        "phone": value,
        "email": value,
        "number": value,
    }
    return [
        ("get", reverse("booking:public_start"), {"q": value}),
        ("get", reverse("booking:public_slots", args=[site, motif]), {"semaine": value}),
        ("get", book, {"creneau": value}),
        ("post", book, fields),
        ("post", book, {**fields, "slot": "0|2030-01-07T09:00", "birth_date": "15/06/1990", "email": "a@b.fr"}),
        ("post", reverse("booking:set_language"), {"language": value, "next": value}),
        ("get", reverse("booking:public_confirmation", args=["x"]).replace("/x/", f"/{_path(value)}/"), {}),
        ("get", reverse("booking:manage", args=["x"]).replace("/x/", f"/{_path(value)}/"), {}),
        ("post", reverse("booking:manage_move", args=["x"]).replace("/x/", f"/{_path(value)}/"), {"slot": value}),
        ("get", reverse("health"), {"q": value}),
    ]


def _path(value):
    """The value as a path segment (the client quotes it; an empty segment would not route)."""
    return value.replace("/", "_")[:2000] or "_"


def ask(client, method, url, data):
    return client.get(url, data) if method == "get" else client.post(url, data)


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_public_pages_and_forms_never_answer_500(client, targets, value):
    for method, url, data in public_requests(targets, value):
        response = ask(client, method, url, data)
        assert response.status_code < 500, (method, url, response.status_code)


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("name", ["login", "admin:login"])
def test_the_login_forms_never_answer_500(client, targets, name, value):
    response = client.post(reverse(name), {"username": value, "password": value})
    assert response.status_code < 500


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_the_api_never_answers_500(client, targets, value):
    headers = {"Authorization": f"Bearer {targets['token']}"}
    url = reverse("api-v1:identifiers_resolve")
    for body in (json.dumps({"number": value}), value, json.dumps({"number": [value]}), json.dumps({value: value})):
        response = client.post(url, body, content_type="application/json", headers=headers)
        assert response.status_code in (200, 400, 404), (body[:80], response.status_code)
    for authorization in (value, f"Bearer {value}", f"Bearer cafc_{value}.{value}"):
        response = client.post(
            url,
            {"number": targets["number"]},
            content_type="application/json",
            headers={"Authorization": authorization},
        )
        assert response.status_code in (400, 401), response.status_code  # 400: a header Django cannot carry


@pytest.mark.parametrize("value", SHORT_HOSTILE, ids=range(len(SHORT_HOSTILE)))
def test_the_webhook_never_answers_500(client, targets, value):
    url = reverse("notifications:delivery_report", args=["sms"])
    reports = [
        value.encode("utf-8", "surrogatepass"),
        json.dumps({"message_id": value, "status": value, "timestamp": value}).encode(),
        json.dumps({"message_id": value, "status": "delivered", "timestamp": 1e308, "reason": value}).encode(),
    ]
    for raw in reports:
        for signature in (sign(raw), value):
            response = client.post(
                url, raw, content_type="application/json", headers={SIGNATURE_HEADER: signature.replace("\x00", "")}
            )
            assert response.status_code < 500, (raw[:80], response.status_code)
    other = client.post(url.replace("/sms/", f"/{_path(value)}/"), b"{}", content_type="application/json")
    assert other.status_code < 500


@DB_FUZZ
@given(st.one_of(hostile_text(max_size=100), near_numbers()))
def test_the_api_answers_any_number_with_200_400_or_404(client, targets, number):
    response = client.post(
        reverse("api-v1:identifiers_resolve"),
        {"number": number},
        content_type="application/json",
        headers={"Authorization": f"Bearer {targets['token']}"},
    )
    assert response.status_code in (200, 400, 404)
    assert response.json()["detail" if response.status_code != 200 else "number"]


@DB_FUZZ
@given(
    st.fixed_dictionaries(
        {
            "slot": st.one_of(hostile_text(max_size=40), st.just("0|2030-01-07T09:00")),
            "birth_name": hostile_text(max_size=200),
            "first_names": hostile_text(max_size=200),
            "birth_date": st.one_of(hostile_text(max_size=20), st.dates().map(lambda day: day.strftime("%d/%m/%Y"))),
            "phone": st.one_of(hostile_text(max_size=30), st.just("06 12 34 56 78")),
            "email": st.one_of(hostile_text(max_size=60), st.just("personne@example.org")),
            "number": st.one_of(hostile_text(max_size=40), near_numbers()),
        }
    )
)
def test_the_public_booking_form_never_answers_500(client, targets, fields):
    url = reverse("booking:public_book", args=[targets["site"].pk, targets["motif"].pk])
    response = client.post(url, fields)
    assert response.status_code < 500


@pytest.mark.parametrize("value", SHORT_HOSTILE, ids=range(len(SHORT_HOSTILE)))
def test_the_agents_search_never_answers_500(client, targets, value):
    """Not public, but the search box takes any text (numbers and names) and it travels in the body."""
    client.force_login(targets["agent"])
    response = client.post(reverse("search"), {"q": value})
    assert response.status_code < 500
