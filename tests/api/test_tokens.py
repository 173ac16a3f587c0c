"""Tokens: stored as digests only, refused when missing, wrong or deactivated, and rate-limited per client."""

import pytest
from django.db import connection

from cafcases.api.models import ApiClient
from cafcases.api.services import api_client_authenticate, api_client_create, api_client_renew_token
from cafcases.models import IdentifierKind

UNAUTHORISED = {"detail": "Jeton absent, inconnu ou désactivé : envoyez « Authorization: Bearer <jeton> »."}


@pytest.fixture
def nia(partners):
    return partners.number(partners.nia_only, IdentifierKind.NIA)


def every_stored_text():
    """Every value of every column of the clients' table, as text."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiClient._meta.db_table}")  # noqa: S608
        return [str(value) for row in cursor.fetchall() for value in row]


def test_the_token_in_clear_is_stored_nowhere(partners):
    client, token = api_client_create(name="Portail de test")
    stored = every_stored_text()
    assert token not in stored
    secret = token.split(".", 1)[1]
    assert not any(secret in value for value in stored)
    client.refresh_from_db()
    assert client.token_prefix in token and len(client.token_hash) == 64
    assert client.token_hash not in token


def test_two_tokens_never_look_alike(db):
    tokens = {api_client_create(name=f"Portail {index}")[1] for index in range(5)}
    assert len(tokens) == 5
    assert all(token.startswith("cafc_") and len(token) > 50 for token in tokens)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer cafc_000000000000.secret"},
        {"Authorization": "Token abc"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
    ids=["missing", "empty", "bearer-alone", "unknown", "other-scheme", "basic"],
)
def test_missing_or_unknown_token_is_401(client, partners, nia, headers):
    response = client.post(
        "/api/v1/identifiers/resolve", {"number": nia}, content_type="application/json", headers=headers
    )
    assert response.status_code == 401
    assert response.json() == UNAUTHORISED
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_token_with_a_wrong_secret_is_401(resolve, partners, nia):
    prefix, _secret = partners.caf_token.split(".", 1)
    assert resolve(nia, f"{prefix}.{'A' * 43}").status_code == 401
    assert resolve(nia, partners.caf_token + "x").status_code == 401
    assert resolve(nia, partners.caf_token).status_code == 200


def test_a_deactivated_client_is_401(resolve, partners, nia):
    ApiClient.objects.filter(pk=partners.caf_client.pk).update(is_active=False)
    assert resolve(nia, partners.caf_token).status_code == 401


def test_a_renewed_token_replaces_the_old_one(resolve, partners, nia):
    client, token = api_client_renew_token(client=ApiClient.objects.get(pk=partners.caf_client.pk))
    assert resolve(nia, partners.caf_token).status_code == 401
    assert resolve(nia, token).status_code == 200


def test_the_last_use_is_recorded(resolve, partners, nia):
    assert api_client_authenticate(partners.national_token) is not None
    before = ApiClient.objects.get(pk=partners.national_client.pk).last_used_at
    resolve(nia, partners.national_token)
    assert ApiClient.objects.get(pk=partners.national_client.pk).last_used_at > before


def test_rate_limit_per_client_is_429_in_french(resolve, partners, nia, settings):
    settings.API_RATE_LIMIT = "3/m"
    assert [resolve(nia, partners.caf_token).status_code for _ in range(3)] == [200, 200, 200]
    response = resolve(nia, partners.caf_token)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Trop de requêtes pour ce client : réessayez dans ")
    assert int(response["Retry-After"]) >= 1
    # Another client has its own allowance.
    assert resolve(nia, partners.cpam_token).status_code == 200


def test_a_throttled_call_is_logged_too(resolve, partners, nia, settings):
    from cafcases.audit.models import AccessLog

    settings.API_RATE_LIMIT = "1/m"
    resolve(nia, partners.caf_token)
    before = AccessLog.objects.count()
    assert resolve(nia, partners.caf_token).status_code == 429
    line = AccessLog.objects.order_by("-pk").first()
    assert AccessLog.objects.count() == before + 1
    assert (line.api_client_name, line.person) == ("Portail caf", None)


def test_the_second_factor_of_staff_does_not_apply_to_partners(resolve, partners, nia, settings):
    """Partners authenticate with their token: the TOTP step (cafcases.audit) is for people signing in."""
    settings.OTP_REQUIRED = True
    assert resolve(nia, partners.caf_token).status_code == 200
