"""Every registered ModelAdmin answers for a national administrator and for a superuser."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group

from cafcases.models import Country, Identifier, Person
from tests.admin.helpers import RECIPES, admin_url, can_add, can_view, model_id, recipe_for

REGISTERED = list(admin.site._registry)


def test_the_cafcases_models_are_registered():
    registered = {model_id(model) for model in REGISTERED}
    expected = {"cafcases.organisation", "cafcases.user", "cafcases.country", "cafcases.person", "cafcases.identifier"}
    assert expected <= registered


def test_every_registered_model_has_a_recipe():
    missing = [model_id(model) for model in REGISTERED if model not in RECIPES]
    assert not missing, f"registered in the admin without a recipe in tests/admin/helpers.py: {missing}"


def expected_pages(user, model):
    """{page: expected status}: 200 where the roles let the user see (and add), 403 elsewhere."""
    visible = 200 if can_view(user, model) else 403
    return {"changelist": visible, "change": visible, "add": 200 if visible == 200 and can_add(user, model) else 403}


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=model_id)
def test_changelist_change_and_add_pages_answer(client, national_admin, superuser, model):
    target = recipe_for(model).build(2, 2)

    for user in (national_admin, superuser):
        client.force_login(user)
        responses = {
            "changelist": client.get(admin_url(model, "changelist")),
            "change": client.get(admin_url(model, "change", target.pk)),
            "add": client.get(admin_url(model, "add")),
        }

        statuses = {page: response.status_code for page, response in responses.items()}
        assert statuses == expected_pages(user, model), user.username
        if statuses["changelist"] == 200:
            assert responses["changelist"].context["cl"].result_count >= 2
            assert responses["change"].context["original"] == target
        if statuses["add"] == 200:
            assert responses["add"].context["add"] is True
            assert "adminform" in responses["add"].context


@pytest.mark.django_db
def test_the_expected_pages_follow_the_roles(national_admin):
    """What the test above expects, spelt out for some models of the brief."""
    expected = {
        model_id(model): expected_pages(national_admin, model) for model in (Person, Country, Identifier, Group)
    }

    assert expected == {
        "cafcases.person": {"changelist": 200, "change": 200, "add": 200},
        "cafcases.country": {"changelist": 200, "change": 200, "add": 403},
        "cafcases.identifier": {"changelist": 200, "change": 200, "add": 403},
        "auth.group": {"changelist": 403, "change": 403, "add": 403},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Country, Identifier], ids=model_id)
def test_reference_tables_cannot_be_added_even_by_a_superuser(client, superuser, model):
    # Countries come from INSEE's file by migration; numbers are recorded on their person or by the case services.
    client.force_login(superuser)

    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "add"), {}).status_code == 403


@pytest.mark.django_db
def test_the_admin_index_lists_the_cafcases_models_for_a_national_admin(client, national_admin):
    client.force_login(national_admin)

    response = client.get("/admin/")

    assert response.status_code == 200
    listed = {
        (app["app_label"], model["object_name"]) for app in response.context["app_list"] for model in app["models"]
    }
    assert {("cafcases", name) for name in ["Organisation", "User", "Country", "Person", "Identifier"]} <= listed
    assert listed == {
        (model._meta.app_label, model._meta.object_name) for model in REGISTERED if can_view(national_admin, model)
    }
    assert "auth" not in {app["app_label"] for app in response.context["app_list"]}
