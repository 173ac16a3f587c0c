"""Who sees whom in the admin, and who may change what."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils.translation import gettext

from cafcases.models import Country, Identifier, Person, Role, User
from cafcases.roles import ROLE_GROUP_NAMES
from tests.admin.helpers import admin_url, form_data, give_numbers
from tests.factories import OrganisationFactory, PersonFactory, UserFactory


@pytest.fixture
def world(db):
    """Two CAFs; the CPAM of CAF A's department; one person and one agent in each CAF."""
    caf_a, caf_b = OrganisationFactory(), OrganisationFactory()
    cpam_a = OrganisationFactory(cpam=True, department=caf_a.department)
    alice = PersonFactory(caf=caf_a, birth_name="Aubert", first_names="Alice")
    bruno = PersonFactory(caf=caf_b, birth_name="Barreau", first_names="Bruno")
    give_numbers(alice, 2)
    give_numbers(bruno, 2)
    return {
        "caf_a": caf_a,
        "caf_b": caf_b,
        "cpam_a": cpam_a,
        "alice": alice,
        "bruno": bruno,
        "agent_b": UserFactory(organisation=caf_b, username="agent-b"),
    }


def user_of(world, who):
    if who == "agent":
        return UserFactory(organisation=world["caf_a"])
    if who == "supervisor":
        return UserFactory(organisation=world["caf_a"], supervisor=True)
    if who == "cpam_agent":
        return UserFactory(organisation=world["cpam_a"])
    if who == "cpam_supervisor":
        return UserFactory(organisation=world["cpam_a"], supervisor=True)
    raise AssertionError(who)


def listed(client, model, **params):
    response = client.get(admin_url(model, "changelist"), params)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["agent", "supervisor", "cpam_agent", "cpam_supervisor"])
def test_caisse_staff_see_only_their_caisse_people_and_numbers(client, world, who):
    client.force_login(user_of(world, who))

    assert listed(client, Person) == {world["alice"]}
    assert listed(client, Person, q="barreau") == set()
    assert listed(client, Person, q=world["bruno"].identifiers.first().number.formatted) == set()
    assert listed(client, Person, caf__id__exact=world["caf_b"].pk) == set()
    assert listed(client, Identifier) == set(world["alice"].identifiers.all())


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["national_admin", "superuser", "superuser of a CAF"])
def test_national_users_see_every_caisse(client, request, world, who):
    if who == "superuser of a CAF":
        user = UserFactory(organisation=world["caf_b"], is_superuser=True)
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)

    assert listed(client, Person) == {world["alice"], world["bruno"]}
    assert listed(client, Identifier) == set(Identifier.objects.all())
    assert listed(client, User) == set(User.objects.all())


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["agent", "supervisor", "cpam_agent"])
def test_another_caisse_person_is_out_of_reach(client, world, who):
    client.force_login(user_of(world, who))
    bruno = world["bruno"]

    response = client.get(admin_url(Person, "change", bruno.pk), follow=True)

    # Django's admin treats an object outside get_queryset() as missing: back to the index with a warning.
    assert response.redirect_chain == [(reverse("admin:index"), 302)]
    html = response.content.decode()
    assert "Barreau" not in html and "BARREAU" not in html
    missing = gettext("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?")
    assert [str(message) for message in response.context["messages"]] == [
        missing % {"name": Person._meta.verbose_name, "key": bruno.pk}
    ]
    assert client.get(admin_url(Person, "history", bruno.pk)).status_code == 302
    identifier = bruno.identifiers.first()
    assert client.get(admin_url(Identifier, "change", identifier.pk)).status_code == 302
    before = Person.objects.get(pk=bruno.pk).usage_name
    assert client.post(admin_url(Person, "change", bruno.pk), {"usage_name": "Pirate"}).status_code == 302
    assert Person.objects.get(pk=bruno.pk).usage_name == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["agent", "supervisor", "cpam_agent"])
def test_caisse_staff_see_only_their_caisse_users(client, world, who):
    user = user_of(world, who)
    colleague = UserFactory(organisation=user.organisation)
    client.force_login(user)

    assert listed(client, User) == {user, colleague}
    assert client.get(admin_url(User, "change", world["agent_b"].pk)).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["agent", "supervisor"])
def test_caisse_staff_view_and_change_their_people(client, world, who):
    client.force_login(user_of(world, who))
    alice = world["alice"]
    page = client.get(admin_url(Person, "change", alice.pk))
    assert page.status_code == 200
    assert "birth_name" in page.context["adminform"].form.fields
    data = form_data(page)
    data["usage_name"] = "Aubert-Durand"

    response = client.post(admin_url(Person, "change", alice.pk), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    alice.refresh_from_db()
    assert alice.usage_name == "Aubert-Durand"
    assert listed(client, Person, q="aubert-du") == {alice}


@pytest.mark.django_db
def test_an_agent_views_countries_but_cannot_change_the_delay(client, world):
    client.force_login(user_of(world, "agent"))
    algeria = Country.objects.get(code="99352")
    delay = algeria.certification_delay_days

    changelist = client.get(admin_url(Country, "changelist"))
    change = client.get(admin_url(Country, "change", algeria.pk))
    post_change = client.post(admin_url(Country, "change", algeria.pk), {"certification_delay_days": delay + 10})
    post_changelist = client.post(admin_url(Country, "changelist"), delay_formset(algeria, delay + 10))

    assert changelist.status_code == 200
    assert changelist.context["cl"].formset is None
    assert 'name="form-0-certification_delay_days"' not in changelist.content.decode()
    assert change.status_code == 200
    assert "certification_delay_days" not in change.context["adminform"].form.fields
    assert (post_change.status_code, post_changelist.status_code) == (403, 403)
    algeria.refresh_from_db()
    assert algeria.certification_delay_days == delay


def delay_formset(country, delay):
    """The changelist's list_editable formset, for one row."""
    return {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-code": country.code,
        "form-0-certification_delay_days": str(delay),
        "_save": "Enregistrer",
    }


@pytest.mark.django_db
def test_a_national_admin_changes_the_delay_in_the_changelist(client, national_admin):
    client.force_login(national_admin)
    algeria, morocco = Country.objects.get(code="99352"), Country.objects.get(code="99350")
    morocco_delay = morocco.certification_delay_days
    page = client.get(admin_url(Country, "changelist"))
    assert page.context["cl"].formset is not None

    response = client.post(admin_url(Country, "changelist"), delay_formset(algeria, 200))

    assert response.status_code == 302
    algeria.refresh_from_db()
    morocco.refresh_from_db()
    assert algeria.certification_delay_days == 200
    assert morocco.certification_delay_days == morocco_delay


@pytest.mark.django_db
@pytest.mark.parametrize("delay", [0, 731])
def test_the_changelist_refuses_a_delay_out_of_range(client, national_admin, delay):
    client.force_login(national_admin)
    algeria = Country.objects.get(code="99352")
    before = algeria.certification_delay_days

    response = client.post(admin_url(Country, "changelist"), delay_formset(algeria, delay))

    assert response.status_code == 200
    assert response.context["cl"].formset.errors[0]["certification_delay_days"]
    algeria.refresh_from_db()
    assert algeria.certification_delay_days == before


@pytest.mark.django_db
def test_a_national_admin_changes_the_delay_on_the_change_page(client, national_admin):
    client.force_login(national_admin)
    algeria = Country.objects.get(code="99352")
    name, parent = algeria.name, algeria.parent_id
    page = client.get(admin_url(Country, "change", algeria.pk))
    assert set(page.context["adminform"].form.fields) == {"certification_delay_days", "is_eu_eea_or_switzerland"}
    data = form_data(page)
    data["certification_delay_days"] = "45"

    response = client.post(admin_url(Country, "change", algeria.pk), data)

    assert response.status_code == 302
    algeria.refresh_from_db()
    assert algeria.certification_delay_days == 45
    assert (algeria.name, algeria.parent_id) == (name, parent)  # read-only fields are left as they were


def user_change(client, user, **changes):
    page = client.get(admin_url(User, "change", user.pk))
    assert page.status_code == 200
    data = form_data(page)
    data.update(changes)
    return client.post(admin_url(User, "change", user.pk), data)


def role_groups(user):
    return set(user.groups.filter(name__in=ROLE_GROUP_NAMES.values()).values_list("name", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["national_admin", "superuser"])
def test_changing_a_role_in_the_admin_moves_the_user_to_that_role_group(client, request, who):
    client.force_login(request.getfixturevalue(who))
    agent = UserFactory()
    assert role_groups(agent) == {"Agents"}

    response = user_change(client, agent, role=Role.SUPERVISOR)

    assert response.status_code == 302, response.context and response.context["errors"]
    agent.refresh_from_db()
    assert agent.role == Role.SUPERVISOR
    assert role_groups(agent) == {"Superviseurs"}
    assert agent.has_perm("cafcases.change_person")


@pytest.mark.django_db
def test_a_national_admin_cannot_grant_superuser_status_or_extra_rights(client, national_admin):
    client.force_login(national_admin)
    delete_people = Permission.objects.get(codename="delete_person")
    page = client.get(admin_url(User, "change", national_admin.pk))
    fields = page.context["adminform"].form.fields
    assert not {"is_superuser", "groups", "user_permissions"} & set(fields)

    response = user_change(
        client,
        national_admin,
        is_superuser="on",
        groups=[str(group.pk) for group in Group.objects.all()],
        user_permissions=[str(delete_people.pk)],
    )

    assert response.status_code == 302
    national_admin.refresh_from_db()
    assert national_admin.is_superuser is False
    assert role_groups(national_admin) == {"Administrateurs nationaux"}
    assert not national_admin.user_permissions.exists()


@pytest.mark.django_db
def test_a_national_admin_cannot_take_over_a_superuser_account(client, national_admin, superuser):
    client.force_login(national_admin)

    page = client.get(admin_url(User, "change", superuser.pk))
    post = client.post(admin_url(User, "change", superuser.pk), {"username": "pris", "is_superuser": ""})
    password = client.get(reverse("admin:auth_user_password_change", args=[superuser.pk]))

    assert page.status_code == 200
    assert not {"username", "is_superuser", "is_active"} & set(page.context["adminform"].form.fields)  # view only
    assert (post.status_code, password.status_code) == (403, 403)
    superuser.refresh_from_db()
    assert superuser.username == "admin"
