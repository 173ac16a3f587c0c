"""Shared helpers of the admin tests: data recipes for every registered model, URLs, query counting, form data."""

import itertools
from dataclasses import dataclass, field

from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.forms import MultiWidget
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cafcases.identifiers import build_number
from cafcases.models import (
    Country,
    Identifier,
    IdentifierKind,
    IdentifierStatus,
    Organisation,
    OrganisationKind,
    Person,
    Role,
    User,
)
from cafcases.roles import NATIONAL_ADMIN_PERMISSIONS
from tests.admin import (
    recipes_api,
    recipes_booking,
    recipes_massops,
    recipes_notifications,
    recipes_security,
    recipes_tasks,
)
from tests.admin.case_recipes import CASE_RECIPES
from tests.factories import IdentifierFactory, OrganisationFactory, PersonFactory, UserFactory

_orders = itertools.count(1)
_country_codes = itertools.count(0)
_groups = itertools.count(1)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def model_id(model):
    return model._meta.label_lower


def can_view(user, model):
    """What the roles promise: a superuser sees everything, a national administrator what roles.py grants."""
    if user.is_superuser:
        return True
    opts = model._meta
    key = opts.model_name if opts.app_label == "cafcases" else f"{opts.app_label}.{opts.model_name}"
    return "view" in NATIONAL_ADMIN_PERMISSIONS.get(key, ())


def can_add(user, model):
    request = RequestFactory().get("/")
    request.user = user
    return admin.site._registry[model].has_add_permission(request)


def count_queries(client, url):
    """GET url and return (number of queries, response); the page must answer 200.

    The content-type cache lives as long as the process: it is emptied first, so that a count does not depend on
    which test ran before.
    """
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(context), response


def give_numbers(person, count):
    """Give the person `count` numbers: an active NIA, an active NIR when count > 2, superseded NIAs for the rest."""
    numbers = [IdentifierFactory(person=person, issuing_organisation=person.caf)]
    if count > 2:
        nir = build_number(
            sex=person.sex,
            birth_year=person.birth_year,
            birth_month=person.birth_month,
            place=person.birth_country_id,
            order=(next(_orders) % 899) + 1,
        ).value
        numbers.append(IdentifierFactory(person=person, kind=IdentifierKind.NIR, value=nir, certified_on="2024-05-02"))
    while len(numbers) < count:
        numbers.append(
            IdentifierFactory(
                person=person,
                status=IdentifierStatus.SUPERSEDED,
                superseded_at=timezone.now(),
                issuing_organisation=person.caf if len(numbers) % 2 else None,
            )
        )
    return numbers


def _birth_countries():
    return list(Country.objects.current_states().order_by("code")[:7])


def build_people(rows, related):
    """`rows` people spread over CAFs and countries, each with a number; the first one holds `related` numbers."""
    countries = _birth_countries()
    people = [PersonFactory(birth_country=countries[index % len(countries)]) for index in range(rows)]
    give_numbers(people[0], related)
    for person in people[1:]:
        give_numbers(person, 1)
    return people[0]


def build_identifiers(rows, related):
    """`rows` numbers of distinct people, issued by distinct caisses; the first person holds `related` numbers."""
    target = build_people(1, related).identifiers.first()
    for _ in range(rows - 1):
        give_numbers(PersonFactory(), 1)
    return target


def build_users(rows, related):
    """`rows` agents and supervisors of distinct caisses, CAF and CPAM."""
    users = [
        UserFactory(role=Role.SUPERVISOR if index % 3 == 0 else Role.AGENT, organisation__cpam=index % 2 == 1)
        for index in range(rows)
    ]
    return users[0]


def build_organisations(rows, related):
    """`rows` caisses, CAF and CPAM; the first one has `related` members."""
    organisations = [OrganisationFactory(cpam=index % 2 == 1) for index in range(rows)]
    UserFactory.create_batch(related, organisation=organisations[0])
    return organisations[0]


def build_countries(rows, related):
    """`rows` territories (codes 998xx, unused by INSEE) attached to a state; they sort first in the changelist."""
    state = Country.objects.get(code="99352")
    territories = [
        Country.objects.create(
            code=f"998{next(_country_codes) % 100:02d}",
            name=f"Aaa territoire {index:02d}",
            is_state=False,
            parent=state,
            certification_delay_days=90 + index,
        )
        for index in range(rows)
    ]
    return territories[0]


def build_groups(rows, related):
    """`rows` groups; the first one has `related` permissions."""
    groups = [Group.objects.create(name=f"Groupe de test {next(_groups)}") for _ in range(rows)]
    groups[0].permissions.set(Permission.objects.order_by("id")[:related])
    return groups[0]


@dataclass(frozen=True)
class Recipe:
    build: object  # build(rows, related) -> the object whose change page is opened
    filters: list[str] = field(default_factory=list)  # changelist query strings with list filters (and searches)
    # False where the unfiltered changelist shows a full page whatever the rows added (INSEE's 229 countries fill
    # the 250-row page): the filtered pages are the ones whose row count changes.
    plain_changelist_grows: bool = True


RECIPES = {
    Person: Recipe(
        build_people,
        ["protection_status__exact=none&sex__exact=F", "preferred_language__exact=fr&caf__isnull=False"],
    ),
    Identifier: Recipe(build_identifiers, ["kind__exact=NIA&status__exact=active", "status__exact=superseded"]),
    User: Recipe(build_users, ["role__exact=agent&is_active__exact=1", "organisation__kind__exact=CPAM", "q=agent"]),
    Organisation: Recipe(build_organisations, [f"kind__exact={OrganisationKind.CAF}", "q=CPAM"]),
    Country: Recipe(
        build_countries,
        ["is_state__exact=0", "is_eu_eea_or_switzerland__exact=0&q=territoire"],
        plain_changelist_grows=False,
    ),
    Group: Recipe(build_groups, ["q=Groupe"]),
}

for recipes in (
    CASE_RECIPES,
    recipes_tasks.RECIPES,
    recipes_booking.RECIPES,
    recipes_notifications.RECIPES,
    recipes_security.RECIPES,
    recipes_api.RECIPES,
    recipes_massops.RECIPES,
):
    RECIPES.update({model: Recipe(build, filters) for model, (build, filters) in recipes.items()})


def recipe_for(model):
    if model not in RECIPES:
        raise AssertionError(
            f"{model_id(model)} is registered in the admin but tests/admin/helpers.py has no recipe to build its rows: "
            "add one to RECIPES so that its pages are tested."
        )
    return RECIPES[model]


def form_data(response):
    """The POST data a browser would send back from an admin change form, as rendered in `response`."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for bound_field in form:
            value = bound_field.value()
            widget = bound_field.field.widget
            if isinstance(widget, MultiWidget):  # a split date and time: one input per part
                for index, part in enumerate(widget.decompress(value)):
                    if part is not None:
                        data[f"{bound_field.html_name}_{index}"] = part.isoformat()
            elif isinstance(value, bool):
                if value:
                    data[bound_field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound_field.html_name] = [str(item) for item in value]
            elif value is not None:
                data[bound_field.html_name] = str(value)
    return data
