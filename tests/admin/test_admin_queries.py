"""Query-count guards: an admin page runs as many queries for 50 rows as for 5, and never counts a whole table."""

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cafcases.models import Person
from tests.admin.helpers import admin_url, can_view, count_queries, give_numbers, model_id, recipe_for
from tests.factories import OrganisationFactory, PersonFactory, UserFactory

REGISTERED = list(admin.site._registry)
PERSON_COUNT = re.compile(r'SELECT COUNT\(.*FROM "cafcases_person"', re.DOTALL)


def measure(client, pages):
    """{page: (queries, rows listed or None)} for each page of {page: url}."""
    measured = {}
    for page, url in pages.items():
        queries, response = count_queries(client, url)
        changelist = response.context.get("cl")
        measured[page] = (queries, changelist.result_count if changelist else None)
    return measured


def assert_same_queries_more_rows(small, large):
    assert {page: queries for page, (queries, _) in small.items()} == {
        page: queries for page, (queries, _) in large.items()
    }
    for page, (_, rows) in small.items():
        if rows is not None:
            assert large[page][1] > rows, f"{page}: the bigger data set should list more rows"


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=model_id)
def test_changelist_and_change_page_queries_do_not_grow_with_rows(client, national_admin, superuser, model):
    user = national_admin if can_view(national_admin, model) else superuser
    client.force_login(user)
    recipe = recipe_for(model)
    changelist = admin_url(model, "changelist")

    def pages(target):
        return {
            **({"changelist": changelist} if recipe.plain_changelist_grows else {}),
            **{f"changelist?{query}": f"{changelist}?{query}" for query in recipe.filters},
            "change": admin_url(model, "change", target.pk),
        }

    small_target = recipe.build(5, 2)
    small = measure(client, pages(small_target))
    large_target = recipe.build(45, 20)
    large = measure(client, pages(large_target))

    assert_same_queries_more_rows(small, large)


@pytest.mark.django_db
def test_person_change_page_queries_do_not_grow_with_numbers(client, national_admin):
    client.force_login(national_admin)
    two, twenty = PersonFactory(), PersonFactory()
    give_numbers(two, 2)
    give_numbers(twenty, 20)

    queries_two, response_two = count_queries(client, admin_url(Person, "change", two.pk))
    queries_twenty, response_twenty = count_queries(client, admin_url(Person, "change", twenty.pk))

    assert queries_two == queries_twenty
    for response, count in ((response_two, 2), (response_twenty, 20)):
        assert count in [len(inline.formset.forms) for inline in response.context["inline_admin_formsets"]]


def build_searchable_people(rows, number_holder=None):
    """`rows` people called Martin, each with beneficiary number 7654321 in their own CAF and with a number."""
    people = [
        PersonFactory(birth_name="Martin", first_names=f"Élise {index}", beneficiary_number="7654321")
        for index in range(rows)
    ]
    for person in people:
        give_numbers(person, 2)
    return number_holder or people[0]


@pytest.mark.django_db
def test_person_search_queries_do_not_grow_with_rows(client, national_admin):
    client.force_login(national_admin)
    changelist = admin_url(Person, "changelist")
    holder = build_searchable_people(5)
    number = holder.identifiers.first().number.formatted

    pages = {
        "by number": f"{changelist}?q={number}",
        "by beneficiary number": f"{changelist}?q=7654321",
        "by name": f"{changelist}?q=martin eli",
        "by name with filters": f"{changelist}?q=martin&sex__exact=F&protection_status__exact=none",
    }
    small = measure(client, pages)
    build_searchable_people(45, holder)
    large = measure(client, pages)

    assert {page: queries for page, (queries, _) in small.items()} == {
        page: queries for page, (queries, _) in large.items()
    }
    assert small["by number"][1] == large["by number"][1] == 1
    assert (small["by beneficiary number"][1], large["by beneficiary number"][1]) == (5, 50)
    assert (small["by name"][1], large["by name"][1]) == (5, 50)
    assert (small["by name with filters"][1], large["by name with filters"][1]) == (5, 50)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["agent", "cpam_agent"])
def test_scoped_person_pages_queries_do_not_grow_with_rows(client, role):
    caf = OrganisationFactory()
    organisation = OrganisationFactory(cpam=True, department=caf.department) if role == "cpam_agent" else caf
    client.force_login(UserFactory(organisation=organisation))
    changelist = admin_url(Person, "changelist")

    def build(rows, numbers):
        people = PersonFactory.create_batch(rows, caf=caf, birth_name="Durand")
        give_numbers(people[0], numbers)
        return {
            "changelist": changelist,
            "search": f"{changelist}?q=durand",
            "filtered": f"{changelist}?protection_status__exact=none",
            "change": admin_url(Person, "change", people[0].pk),
        }

    small = measure(client, build(5, 2))
    large = measure(client, build(45, 20))

    assert_same_queries_more_rows(small, large)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["", "?q=martin", "?q=7654321", "?q={number}", "?protection_status__exact=none&caf__isnull=False", "?_facets=1"],
)
@pytest.mark.parametrize("who", ["national_admin", "agent"])
def test_person_changelist_never_counts_the_whole_table(client, request, who, query):
    holder = build_searchable_people(3)
    PersonFactory.create_batch(3, caf=holder.caf)
    user = request.getfixturevalue(who) if who == "national_admin" else UserFactory(organisation=holder.caf)
    client.force_login(user)
    number = holder.identifiers.first().number.value

    with CaptureQueriesContext(connection) as context:
        response = client.get(admin_url(Person, "changelist") + query.format(number=number))

    assert response.status_code == 200
    assert response.context["cl"].show_full_result_count is False
    assert response.context["cl"].full_result_count is None
    counts = [query["sql"] for query in context.captured_queries if PERSON_COUNT.search(query["sql"])]
    assert counts, "the paginator should count the (capped) rows"
    for sql in counts:
        assert "LIMIT" in sql.upper(), f"unbounded count of people: {sql}"
        assert "ORDER BY" not in sql.upper(), f"the capped count sorts the rows it only counts: {sql}"
