"""Signing in and out, changing the password; every agent page needs a signed-in user."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from django.urls.converters import IntConverter

from cafcases.models import User
from tests.factories import DEMO_PASSWORD
from tests.views.helpers import workspace_patterns

# Pages anyone may reach: the sign-in page itself, and signing out (which lands there).
PUBLIC = {"login", "logout"}
KNOWN_SAMPLES = {"move_name": "close", "fmt": "csv"}
PRIVATE = sorted((name, keys) for name, keys in workspace_patterns() if name not in PUBLIC)


def sample(key, converter):
    """A value the path accepts: a number for an int, a known or made-up slug otherwise."""
    return 1 if isinstance(converter, IntConverter) else KNOWN_SAMPLES.get(key, "x")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "keys"), PRIVATE, ids=[name for name, _keys in PRIVATE])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_the_sign_in_page(client, name, keys, method):
    url = reverse(name, kwargs={key: sample(key, converter) for key, converter in keys.items()})
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={quote(url)}"


def test_every_page_but_sign_in_and_out_is_covered():
    names = {name for name, _keys in PRIVATE}
    assert {"queue", "take_next", "search", "case_detail", "case_move", "password_change"} <= names
    assert not names & PUBLIC


def test_sign_in_page_renders_the_form(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    assert "Se connecter" in html


def test_sign_in_lands_on_the_queue_or_on_next(client, world):
    response = client.post(reverse("login"), {"username": "agent-caf", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("queue")
    client.logout()
    case_page = reverse("case_detail", kwargs={"pk": 7})
    response = client.post(reverse("login"), {"username": "agent-caf", "password": DEMO_PASSWORD, "next": case_page})
    assert response["Location"] == case_page


def test_wrong_password_shows_an_error_and_signs_nobody_in(client, world):
    response = client.post(reverse("login"), {"username": "agent-caf", "password": "pas le bon"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'role="alert"' in response.content.decode()
    assert client.get(reverse("queue")).status_code == 302


def test_signed_in_user_skips_the_sign_in_page(login, world):
    client = login(world.caf_agent)
    response = client.get(reverse("login"))
    assert response.status_code == 302 and response["Location"] == reverse("queue")


def test_sign_out_is_a_post_and_ends_the_session(login, world):
    client = login(world.caf_agent)
    assert 'action="/deconnexion/"' in client.get(reverse("queue")).content.decode()
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("queue")).status_code == 302


def test_password_change(login, world):
    client = login(world.caf_agent)
    assert client.get(reverse("password_change")).status_code == 200
    new_password = "un-nouveau-mot-de-passe-solide"
    response = client.post(
        reverse("password_change"),
        {"old_password": DEMO_PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert client.get(reverse("password_change_done")).status_code == 200
    assert User.objects.get(pk=world.caf_agent.pk).check_password(new_password)


def test_password_change_refuses_a_wrong_old_password(login, world):
    client = login(world.caf_agent)
    response = client.post(
        reverse("password_change"),
        {"old_password": "faux", "new_password1": "abcdefghijkl-1", "new_password2": "abcdefghijkl-1"},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    assert User.objects.get(pk=world.caf_agent.pk).check_password(DEMO_PASSWORD)
