"""Change history of people, numbers and cases: who changed what and when, shown read-only in the admin."""

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.urls import reverse

from cafcases.audit.models import AccessLog
from cafcases.models import Case, Identifier, Person
from tests.admin.helpers import form_data
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_historical_tables_belong_to_the_audit_app():
    for model in (Person, Identifier, Case):
        assert model.history.model._meta.app_label == "audit"
    assert AccessLog._meta.app_label == "audit"


def test_the_main_app_gets_no_migration_from_the_history(capsys):
    call_command("makemigrations", "cafcases", "audit", "--check", "--dry-run")
    assert "No changes detected" in capsys.readouterr().out


def test_an_admin_change_records_who_changed_what(client):
    admin_user = UserFactory(national_admin=True)
    case = CaseFactory()
    person = case.person
    client.force_login(admin_user)
    change = reverse("admin:cafcases_person_change", args=[person.pk])
    data = form_data(client.get(change))
    data["usage_name"] = "Nouveau-Nom"
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    latest = person.history.first()
    assert (latest.usage_name, latest.history_user, latest.history_type) == ("Nouveau-Nom", admin_user, "~")

    history = client.get(reverse("admin:cafcases_person_history", args=[person.pk]))
    assert history.status_code == 200
    html = history.content.decode()
    assert "Nouveau-Nom" in html and str(admin_user) in html
    assert 'style="' not in html  # the strict Content-Security-Policy refuses inline styles


@pytest.mark.parametrize("model", [Person, Identifier, Case], ids=lambda m: m._meta.model_name)
def test_the_history_pages_answer_and_reverting_is_refused(client, model):
    case = CaseFactory()
    target = {Person: case.person, Identifier: case.person.identifiers.first(), Case: case}[model]
    client.force_login(UserFactory(national_admin=True))
    name = f"admin:cafcases_{model._meta.model_name}"
    assert client.get(reverse(f"{name}_history", args=[target.pk])).status_code == 200
    version = target.history.first()
    assert client.get(reverse(f"{name}_simple_history", args=[target.pk, version.pk])).status_code == 403
    assert client.post(reverse(f"{name}_simple_history", args=[target.pk, version.pk]), {}).status_code == 403
    assert site._registry[model].revert_disabled(None)


def test_caisse_staff_see_the_history_of_their_own_cases_only(client):
    case = CaseFactory()
    client.force_login(UserFactory(organisation=case.caf))
    assert client.get(reverse("admin:cafcases_case_history", args=[case.pk])).status_code == 200
    client.force_login(UserFactory())
    response = client.get(reverse("admin:cafcases_case_history", args=[case.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")  # as a missing case
