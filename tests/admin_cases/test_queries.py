"""Query-count guards: the case pages run as many queries for 50 rows as for 5, and never count a whole table."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cafcases import services
from cafcases.models import (
    CaseDocument,
    CaseEvent,
    CaseNote,
    CaseStatus,
    CertificationRequest,
    Chase,
    ContactAttempt,
    DocumentKind,
)
from tests.admin_cases.helpers import add_work, admin_url, case_url, count_queries, move_url, open_case

CASE_COUNT = re.compile(r'SELECT COUNT\(.*FROM "cafcases_case"', re.DOTALL)
STATUSES = [
    CaseStatus.NIA_ONLY,
    CaseStatus.WAITING_NUMBER_ISSUED,
    CaseStatus.DOCUMENTS_REQUESTED,
    CaseStatus.AWAITING_COUNTRY,
]


def build_cases(caf, rows, offset=0):
    cases = [
        open_case(caf, STATUSES[(offset + index) % len(STATUSES)], birth_name="Martin", first_names=f"Élise {index}")
        for index in range(rows)
    ]
    for case in cases[::2]:
        services.case_set_benefits(case=case, benefits=["rsa"], by=None)
    return cases


def measure(client, pages):
    """{page: (queries, rows listed or None)}."""
    measured = {}
    for page, url in pages.items():
        queries, response = count_queries(client, url)
        changelist = response.context.get("cl")
        measured[page] = (queries, len(changelist.result_list) if changelist else None)
    return measured


def assert_same_queries_more_rows(small, large):
    assert {page: queries for page, (queries, _) in small.items()} == {
        page: queries for page, (queries, _) in large.items()
    }
    for page, (_, rows) in small.items():
        if rows is not None:
            assert large[page][1] > rows, f"{page}: the bigger data set should list more rows"


def changelist_pages(world):
    changelist = case_url(view="changelist")
    return {
        "changelist": changelist,
        "by status": f"{changelist}?status__exact=nia_only",
        "overdue, band, stale, unassigned": f"{changelist}?overdue=no&band=low&stale=no&assigned=nobody",
        "caf, cpam, track, country": (
            f"{changelist}?caf__id__exact={world.caf.pk}&cpam__id__exact={world.cpam.pk}"
            "&track__exact=standard&person__birth_country__code__exact=99352"
        ),
        "by name": f"{changelist}?q=martin eli",
        "sorted by person": f"{changelist}?o=2",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["caf_agent", "cpam_agent", "national_admin"])
def test_case_changelist_queries_do_not_grow_with_rows(client, request, world, who):
    user = request.getfixturevalue(who) if who == "national_admin" else getattr(world, who)
    client.force_login(user)
    build_cases(world.caf, 5)
    measure(client, changelist_pages(world))  # warms the per-process caches (content types)

    small = measure(client, changelist_pages(world))
    build_cases(world.caf, 45, offset=1)
    large = measure(client, changelist_pages(world))

    assert_same_queries_more_rows(small, large)
    print(f"\ncase changelist ({who}):", {page: queries for page, (queries, _) in large.items()})


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?q=martin", "?status__exact=nia_only&overdue=yes", "?_facets=1"])
def test_case_changelist_never_counts_the_whole_table(client, world, query):
    build_cases(world.caf, 3)
    client.force_login(world.caf_agent)

    with CaptureQueriesContext(connection) as context:
        response = client.get(case_url(view="changelist") + query)

    assert response.status_code == 200
    assert response.context["cl"].full_result_count is None
    counts = [captured["sql"] for captured in context.captured_queries if CASE_COUNT.search(captured["sql"])]
    assert counts, "the paginator should count the (capped) rows"
    for sql in counts:
        assert "LIMIT" in sql.upper(), f"unbounded count of cases: {sql}"


def worked_case(world, rows):
    case = open_case(world.caf, CaseStatus.DOCUMENTS_REQUESTED)
    if rows > 10:
        services.document_add(case=case, kind=DocumentKind.OFPRA_CERTIFICATE, by=None)
    return add_work(case, rows)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["cpam_agent", "caf_supervisor", "national_admin"])
def test_case_change_page_queries_do_not_grow_with_its_rows(client, request, world, who):
    user = request.getfixturevalue(who) if who == "national_admin" else getattr(world, who)
    client.force_login(user)
    small, large = worked_case(world, 5), worked_case(world, 50)
    count_queries(client, case_url(small))

    small_queries, small_page = count_queries(client, case_url(small))
    large_queries, large_page = count_queries(client, case_url(large))

    assert small_queries == large_queries
    shown = {inline.formset.prefix: len(inline.formset.forms) for inline in large_page.context["inline_admin_formsets"]}
    assert shown["contacts"] == 50
    assert shown["notes"] == 50
    assert shown["events"] == 100  # the timeline's newest events (more than 100 on this case)
    assert shown["documents"] == 5
    assert shown["certification_requests"] == 10
    assert large.events.count() > 100
    print(f"\ncase change page ({who}): {large_queries} queries")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "move", "who"),
    [
        (CaseStatus.NIA_ONLY, "issue_waiting_number", "caf_agent"),
        (CaseStatus.AWAITING_COUNTRY, "record_certified_nir", "cpam_agent"),
        (CaseStatus.AWAITING_COUNTRY, "close", "cpam_agent"),
    ],
)
def test_move_view_queries_do_not_grow_with_the_case(client, world, status, move, who):
    client.force_login(getattr(world, who))
    small = open_case(world.caf, status)
    large = add_work(open_case(world.caf, status), 30)
    count_queries(client, move_url(small, move))

    small_queries, _ = count_queries(client, move_url(small, move))
    large_queries, _ = count_queries(client, move_url(large, move))

    assert small_queries == large_queries
    print(f"\nmove view {move}: {large_queries} queries")


READ_ONLY_MODELS = [CaseEvent, CaseDocument, ContactAttempt, CaseNote, Chase, CertificationRequest]


@pytest.mark.django_db
@pytest.mark.parametrize("model", READ_ONLY_MODELS, ids=lambda model: model._meta.model_name)
@pytest.mark.parametrize("who", ["cpam_agent", "national_admin"])
def test_casework_admin_queries_do_not_grow_with_rows(client, request, world, model, who):
    user = request.getfixturevalue(who) if who == "national_admin" else getattr(world, who)
    client.force_login(user)
    changelist = admin_url(model, "changelist")

    def build(cases, rows):
        built = [add_work(open_case(world.caf, CaseStatus.DOCUMENTS_REQUESTED), rows) for _ in range(cases)]
        target = model.objects.filter(**{"request__case__in" if model is Chase else "case__in": built}).first()
        return {
            "changelist": changelist,
            "search": f"{changelist}?q={built[0].pk}",
            "change": admin_url(model, "change", target.pk),
        }

    measure(client, build(1, 5))
    small = measure(client, build(1, 5))
    large = measure(client, build(3, 15))

    assert_same_queries_more_rows({"changelist": small["changelist"]}, {"changelist": large["changelist"]})
    assert {page: queries for page, (queries, _) in small.items()} == {
        page: queries for page, (queries, _) in large.items()
    }
    print(f"\n{model._meta.model_name} ({who}):", {page: queries for page, (queries, _) in large.items()})


@pytest.mark.django_db
def test_certification_request_page_queries_do_not_grow_with_chases(client, world):
    client.force_login(world.cpam_agent)
    few = add_work(open_case(world.caf, CaseStatus.DOCUMENTS_REQUESTED), 5).certification_requests.first()
    many = add_work(open_case(world.caf, CaseStatus.DOCUMENTS_REQUESTED), 50).certification_requests.first()
    assert (few.chases.count(), many.chases.count()) == (1, 10)
    count_queries(client, admin_url(CertificationRequest, "change", few.pk))

    assert (
        count_queries(client, admin_url(CertificationRequest, "change", few.pk))[0]
        == count_queries(client, admin_url(CertificationRequest, "change", many.pk))[0]
    )
