"""The admin's "write instead" list of people whose phone cannot be reached."""

import pytest
from django.urls import reverse

from cafcases.models import Person
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_write_instead_list_shows_unreachable_people_with_an_open_case(client):
    reachable, unreachable = CaseFactory(), CaseFactory()
    Person.objects.filter(pk=unreachable.person_id).update(phone_unreachable=True)
    client.force_login(UserFactory(national_admin=True))
    response = client.get(reverse("admin:cafcases_person_changelist"), {"ecrire": "oui"})
    shown = {person.pk for person in response.context["cl"].result_list}
    assert shown == {unreachable.person_id}
    assert reachable.person_id not in shown
