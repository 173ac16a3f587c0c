"""Creating a partner client in the admin shows its token once; the renew action replaces it."""

import re

import pytest
from django.urls import reverse

from cafcases.api.models import ApiClient
from cafcases.api.services import api_client_authenticate, api_client_create
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r'value="(cafc_[0-9a-f]{12}\.[\w-]+)"')


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(national_admin=True, is_superuser=True))
    return client


def test_adding_a_client_shows_its_token_once(superuser_client):
    caisse = OrganisationFactory()
    response = superuser_client.post(
        reverse("admin:api_apiclient_add"), {"name": "Portail CAF", "caisse": caisse.pk, "is_active": "on"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = TOKEN_RE.search(response.content.decode()).group(1)
    client = ApiClient.objects.get(name="Portail CAF")
    assert api_client_authenticate(token) == client
    assert client.caisse == caisse
    # Never again: neither on its page nor in the list.
    for url in (reverse("admin:api_apiclient_change", args=[client.pk]), reverse("admin:api_apiclient_changelist")):
        page = superuser_client.get(url).content.decode()
        assert token not in page and token.split(".")[1] not in page
    assert token not in str(superuser_client.cookies)


def test_the_renew_action_shows_a_new_token_and_the_old_one_stops(superuser_client):
    client, old = api_client_create(name="Portail national")
    response = superuser_client.post(
        reverse("admin:api_apiclient_changelist"),
        {"action": "renew_token", "_selected_action": [client.pk]},
    )
    assert response.status_code == 200
    new = TOKEN_RE.search(response.content.decode()).group(1)
    assert new != old
    assert api_client_authenticate(old) is None
    assert api_client_authenticate(new) == client


def test_renewing_several_at_once_is_refused(superuser_client):
    clients = [api_client_create(name=f"Portail {index}")[0] for index in range(2)]
    response = superuser_client.post(
        reverse("admin:api_apiclient_changelist"),
        {"action": "renew_token", "_selected_action": [client.pk for client in clients]},
        follow=True,
    )
    assert "Renouvelez le jeton d&#x27;un seul client à la fois." in response.content.decode()


def test_a_national_admin_without_superuser_rights_cannot_manage_clients(client):
    client.force_login(UserFactory(national_admin=True))
    assert client.get(reverse("admin:api_apiclient_changelist")).status_code == 403
