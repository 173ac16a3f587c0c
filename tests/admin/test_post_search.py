"""The admin search box posts its term: a number typed there never appears in a URL."""

import pytest
from django.urls import reverse

from cafcases.models import Case, Identifier, Person
from tests.factories import CaseFactory, IdentifierFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Person, Identifier, Case])
def test_search_by_number_keeps_the_number_out_of_urls(client, model):
    case = CaseFactory()
    other = CaseFactory()
    nia = case.person.identifiers.get()
    client.force_login(UserFactory(national_admin=True))
    info = model._meta.app_label, model._meta.model_name
    changelist = reverse("admin:{}_{}_changelist".format(*info))

    page = client.get(changelist)
    assert f'action="{reverse("admin:{}_{}_search".format(*info))}"' in page.content.decode()

    response = client.post(reverse("admin:{}_{}_search".format(*info)), {"q": nia.value, "o": "1"})
    assert response.status_code == 302
    location = response["Location"]
    assert nia.value not in location and nia.value[:13] not in location
    assert "q=~" in location and "o=1" in location

    results = client.get(location)
    assert results.status_code == 200
    shown = {obj.pk for obj in results.context["cl"].result_list}
    expected = {Person: case.person.pk, Identifier: nia.pk, Case: case.pk}[model]
    assert expected in shown
    assert {Person: other.person.pk, Identifier: None, Case: other.pk}[model] not in shown
    # The search box shows what was typed, in the page (not in a URL).
    assert results.context["cl"].query == nia.value


def test_an_unknown_token_finds_nothing_rather_than_everything(client):
    IdentifierFactory()
    client.force_login(UserFactory(national_admin=True))
    response = client.get(reverse("admin:cafcases_person_changelist"), {"q": "~inconnu"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_get_on_the_search_url_goes_back_to_the_list(client):
    client.force_login(UserFactory(national_admin=True))
    response = client.get(reverse("admin:cafcases_person_search"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:cafcases_person_changelist")
