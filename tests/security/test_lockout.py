"""django-axes: 5 failed logins for one username from one address lock that pair out for 15 minutes."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.factories import DEMO_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def attempt(client, username, password, ip="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail_five_times(client, user, ip="192.0.2.10"):
    for _ in range(5):
        response = attempt(client, user.username, "mauvais-mot-de-passe", ip)
    return response


def test_five_failures_lock_the_user_from_that_address_with_a_french_page(client):
    user = UserFactory()
    assert fail_five_times(client, user).status_code == 429
    response = attempt(client, user.username, DEMO_PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Connexion bloquée" in html and "15 minutes" in html
    assert "_auth_user_id" not in client.session


def test_four_failures_then_the_right_password_signs_in(client):
    user = UserFactory()
    for _ in range(4):
        assert attempt(client, user.username, "mauvais").status_code == 200
    assert attempt(client, user.username, DEMO_PASSWORD).status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_the_lock_holds_for_that_pair_only(client):
    user, colleague = UserFactory(), UserFactory()
    fail_five_times(client, user)
    assert attempt(client, user.username, DEMO_PASSWORD, ip="198.51.100.20").status_code == 302  # another address
    client.logout()
    assert attempt(client, colleague.username, DEMO_PASSWORD).status_code == 302  # another user, same address


def test_the_lock_ends_after_15_minutes(client):
    user = UserFactory()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        fail_five_times(client, user)
        traveller.shift(datetime.timedelta(minutes=14))
        assert attempt(client, user.username, DEMO_PASSWORD).status_code == 429
        traveller.shift(datetime.timedelta(minutes=2))
        assert attempt(client, user.username, DEMO_PASSWORD).status_code == 302


def test_the_admin_login_is_locked_too(client):
    user = UserFactory(national_admin=True)
    admin_login = reverse("admin:login")
    for _ in range(5):
        client.post(admin_login, {"username": user.username, "password": "mauvais"}, REMOTE_ADDR="192.0.2.10")
    response = attempt(client, user.username, DEMO_PASSWORD)
    assert response.status_code == 429


def test_a_spoofed_forwarded_header_does_not_escape_the_lock(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    user = UserFactory()
    fail_five_times(client, user)
    response = client.post(
        LOGIN,
        {"username": user.username, "password": DEMO_PASSWORD},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429


def test_password_validators_refuse_weak_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = UserFactory.build(username="dupont")
    for weak in ["court", "123456789012", "motdepasse", "dupont"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("Cheval-agrafe-pile-correcte-7", user)
