"""The queue: tabs scoped to the caisse and its side, exact counts, filters, queue order, keyset pages, search."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from cafcases.models import CaseStatus, IdentifierKind
from cafcases.views import queue as queue_views
from tests.views.helpers import count_queries, open_case, overdue_nia_date

QUEUE = reverse("queue")


@pytest.fixture(scope="module")
def cases(module_world):
    w = module_world
    overdue = overdue_nia_date()
    c = SimpleNamespace()
    c.overdue = open_case(w.caf, nia_issued_on=overdue)
    c.urgent = open_case(w.caf, benefits=["rsa"], birth_name="Zanzibar")
    c.refugee = open_case(w.caf, refugee=True)
    c.plain = open_case(w.caf)
    c.plain2 = open_case(w.caf)
    c.undated = open_case(w.caf, nia_issued_on=None)
    c.undated2 = open_case(w.caf, nia_issued_on=None)
    c.mine = open_case(w.caf, assigned_to=w.caf_agent, nia_issued_on=overdue)
    c.colleague = open_case(w.caf, assigned_to=w.caf_agent2, nia_issued_on=overdue)
    c.cpam_side = open_case(w.caf, CaseStatus.WAITING_NUMBER_ISSUED)
    c.waiting = open_case(w.caf, CaseStatus.DOCUMENTS_REQUESTED)
    c.closed = open_case(w.caf, CaseStatus.CLOSED)
    c.foreign = open_case(w.other_caf)
    return c


TO_TAKE = ["overdue", "urgent", "refugee", "plain", "plain2", "undated", "undated2"]


def named(cases, names):
    return [getattr(cases, name).pk for name in names]


def pks(response):
    return [case.pk for case in response.context["cases"]]


def tab(client, slug, **params):
    response = client.get(QUEUE, {"onglet": slug, **params})
    assert response.status_code == 200
    return response


def test_to_take_is_my_caisse_and_side_unassigned_in_queue_order(login, world, cases):
    client = login(world.caf_agent)
    response = client.get(QUEUE)
    assert response.context["tab"] == "a-prendre"
    # Overdue first (30 points), then RSA (25), the refugee (5), then the same score by deadline, undated last, by id.
    assert pks(response) == named(cases, TO_TAKE)
    priorities = [case.priority for case in response.context["cases"]]
    assert priorities == sorted(priorities, reverse=True) and priorities[0] > priorities[1] > priorities[2]


def test_the_cpam_takes_the_cases_on_its_side(login, world, cases):
    client = login(world.cpam_agent)
    assert set(pks(tab(client, "a-prendre"))) == {cases.cpam_side.pk, cases.waiting.pk}
    assert "Prendre le suivant" in client.get(QUEUE).content.decode()


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("a-prendre", TO_TAKE),
        ("mes-dossiers", ["mine"]),
        ("en-retard", ["overdue", "mine", "colleague"]),
        ("en-attente", ["waiting"]),
        ("termines", ["closed"]),
    ],
)
def test_each_tab_lists_its_cases_with_an_exact_count(login, world, cases, slug, expected):
    response = tab(login(world.caf_agent), slug)
    assert set(pks(response)) == set(named(cases, expected))
    assert response.context["count"] == len(expected)
    shown = {t["slug"]: t["count"] for t in response.context["tabs"]}
    expected_counts = {"a-prendre": 7, "mes-dossiers": 1, "en-retard": 3, "en-attente": 1, "termines": 1}
    assert {slug: shown.get(slug) for slug in expected_counts} == expected_counts
    html = response.content.decode()
    for count in expected_counts.values():
        assert f'<span class="count">{count}</span>' in html
    assert cases.foreign.pk not in pks(response)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"onglet": "en-attente", "statut": "documents_requested"}, ["waiting"]),
        ({"onglet": "en-attente", "statut": "nia_only"}, []),
        ({"pays": "99212"}, ["refugee"]),
        ({"parcours": "refugee"}, ["refugee"]),
        ({"priorite": "medium"}, ["overdue"]),
        ({"priorite": "high"}, []),
    ],
)
def test_filters(login, world, cases, params, expected):
    response = login(world.caf_agent).get(QUEUE, params)
    assert pks(response) == named(cases, expected)
    assert response.context["count"] == len(expected)
    assert response.context["filters"].active


def test_low_priority_band(login, world, cases):
    response = login(world.caf_agent).get(QUEUE, {"priorite": "low"})
    assert cases.overdue.pk not in pks(response)
    assert all(case.priority < 30 for case in response.context["cases"]) and len(pks(response)) == 6


def test_agent_filter_is_for_supervisors_only(login, world, cases):
    params = {"onglet": "en-retard", "agent": world.caf_agent2.pk}
    supervisor_page = login(world.caf_supervisor).get(QUEUE, params)
    assert pks(supervisor_page) == [cases.colleague.pk]
    assert 'name="agent"' in supervisor_page.content.decode()
    assert 'name="dossiers"' in supervisor_page.content.decode()  # bulk assignment checkboxes
    agent_page = login(world.caf_agent).get(QUEUE, params)
    assert "agent" not in agent_page.context["filters"].fields
    assert len(pks(agent_page)) == 3  # the parameter is ignored
    assert 'name="dossiers"' not in agent_page.content.decode()


def test_keyset_pages_follow_the_queue_order_without_offset(login, world, cases, monkeypatch):
    monkeypatch.setattr(queue_views, "PAGE_SIZE", 3)
    client = login(world.caf_agent)
    seen, url, sql_of_pages = [], f"{QUEUE}?onglet=a-prendre", []
    while url:
        _count, sql, response = count_queries(client, url)
        sql_of_pages.append(sql)
        seen += pks(response)
        assert response.context["count"] == 7  # the exact count on every page
        url = response.context["next_url"]
        if url:
            assert "apres=" in url and "onglet=a-prendre" in url
    assert len(sql_of_pages) == 3
    assert seen == named(cases, TO_TAKE)  # the same order as one long page, no row twice or missing
    for sql in sql_of_pages[1:]:
        assert not [query for query in sql if "OFFSET" in query.upper()]
    second = client.get(f"{QUEUE}?onglet=a-prendre&apres=garbage")
    assert pks(second) == seen[:3]  # a malformed cursor starts over


def test_national_admin_picks_a_caisse_and_takes_nothing(login, world, cases):
    client = login(world.national_admin)
    response = client.get(QUEUE, {"caisse": world.other_caf.code})
    assert response.context["organisation"] == world.other_caf
    assert pks(response) == [cases.foreign.pk]
    assert "Prendre le suivant" not in response.content.decode()
    response = client.get(QUEUE, {"caisse": world.cpam.code, "onglet": "a-prendre"})
    assert set(pks(response)) == {cases.cpam_side.pk, cases.waiting.pk}
    assert all(f"caisse={world.cpam.code}" in t["url"] for t in response.context["tabs"])


def test_an_agent_cannot_look_at_another_caisse(login, world, cases):
    response = login(world.caf_agent).get(QUEUE, {"caisse": world.other_caf.code})
    assert response.context["organisation"] == world.caf
    assert cases.foreign.pk not in pks(response)


# Search --------------------------------------------------------------------------------------------------------------


def nia_of(case):
    return case.person.identifiers.get(kind=IdentifierKind.NIA).value


def search(client, query):
    response = client.post(reverse("search"), {"q": query})
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("search") and not response.request["QUERY_STRING"]
    return [person.pk for person in response.context["results"]]


@pytest.mark.parametrize(
    "shape",
    [
        lambda value: value,
        lambda value: value[:13],
        lambda value: f"{value[0]} {value[1:3]} {value[3:5]} {value[5:10]} {value[10:13]} {value[13:]}",
        lambda value: f"{value[0]} {value[1:3]} {value[3:5]} {value[5:10]} {value[10:13]}",
    ],
    ids=["15", "13-no-key", "spaces", "spaces-no-key"],
)
def test_search_finds_by_nia_in_any_shape(login, world, cases, shape):
    assert search(login(world.caf_agent), shape(nia_of(cases.urgent))) == [cases.urgent.person_id]


def test_search_finds_by_waiting_number_beneficiary_number_and_name(login, world, cases):
    client = login(world.cpam_agent)
    waiting = cases.cpam_side.person.identifiers.get(kind=IdentifierKind.CAF_WAITING).value
    assert search(client, waiting) == [cases.cpam_side.person_id]
    assert search(client, cases.plain.person.beneficiary_number) == [cases.plain.person_id]
    assert cases.urgent.person_id in search(client, "zanzi")


def test_search_results_link_to_cases_and_never_put_the_number_in_a_url(login, world, cases):
    client = login(world.caf_agent)
    value = nia_of(cases.urgent)
    response = client.post(reverse("search"), {"q": value})
    html = response.content.decode()
    assert f'href="{reverse("case_detail", kwargs={"pk": cases.urgent.pk})}"' in html
    booking = reverse("booking:book_for_person", kwargs={"pk": cases.urgent.person_id})
    assert f'href="{booking}"' in html
    assert client.get(booking).status_code == 200
    assert value not in html.replace(f'value="{value}"', "")  # only echoed back in the search box
    assert 'method="post" action="/dossiers/recherche/"' in html  # the header's search box posts too
    assert client.get(reverse("search"), {"q": value}).context["results"] is None


def test_search_is_scoped_to_the_caisse(login, world, cases):
    value = nia_of(cases.foreign)
    assert search(login(world.caf_agent), value) == []
    assert search(login(world.national_admin), value) == [cases.foreign.person_id]
