"""/pilotage/: who sees what, and every number leading to the queue's list of exactly those cases."""

import re
from html import unescape

import pytest
from django.http import QueryDict
from django.urls import reverse

from cafcases.models import CaseStatus, Organisation
from cafcases.views.queue import QueueFilterForm, tab_queryset
from tests.dashboard.story import TODAY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("dashboard")


def counts_by_status(response):
    return {row[0]["value"]: row[1]["value"] for row in response.context["statuses"]["rows"]}


TABLES = ("statuses", "ageing", "countries", "deadlines", "waiting_number", "throughput", "workload")


def linked_cells_of(response, name):
    table = response.context[name] or {"rows": []}
    return [(cell["value"], cell["url"]) for row in table["rows"] for cell in row if cell["url"]]


def linked_cells(response):
    """(value, url) of every number of the page that links to the queue."""
    return [cell for name in TABLES for cell in linked_cells_of(response, name)]


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_agents_may_not_see_the_dashboard(story, login):
    assert login(story.alice).get(URL).status_code == 403


def test_a_supervisor_sees_their_caisse_only(story, login):
    response = login(story.supervisor).get(URL)
    assert response.status_code == 200
    counts = counts_by_status(response)
    assert counts[CaseStatus.WAITING_NUMBER_ISSUED.label] == 1  # not the other CAF's X1
    assert counts[CaseStatus.CERTIFIED.label] == 3  # not X2
    # The caisse parameter is for national administrators: a supervisor cannot look at another caisse.
    other = login(story.supervisor).get(URL, {"caisse": story.other_caf.code})
    assert counts_by_status(other) == counts
    assert response.context["organisations"] is None


def test_the_other_caisse_supervisor_does_not_see_these_cases(story, login):
    counts = counts_by_status(login(story.other_supervisor).get(URL))
    assert counts[CaseStatus.WAITING_NUMBER_ISSUED.label] == 1  # X1 only
    assert counts[CaseStatus.CERTIFIED.label] == 1  # X2 only
    assert counts[CaseStatus.CLOSED.label] == 0


def test_national_administrators_see_every_caisse_or_the_one_they_choose(story, login):
    supervisor_counts = counts_by_status(login(story.supervisor).get(URL))
    client = login(story.national_admin)
    everything = client.get(URL)
    assert counts_by_status(everything)[CaseStatus.CERTIFIED.label] == 4
    assert everything.context["workload"] is None  # per agent only within one caisse
    assert not linked_cells(everything)  # the queue shows one caisse at a time
    one = client.get(URL, {"caisse": story.caf.code})
    assert counts_by_status(one) == supervisor_counts
    assert all(f"caisse={story.caf.code}" in url for _value, url in linked_cells(one))
    assert client.get(URL, {"caisse": "CAF-XX"}).status_code == 404


def queue_count(url, user):
    """How many cases the queue lists at ``url``, through the queue's own tab and filter code (no page rendering)."""
    path, _sep, query = unescape(url).partition("?")
    assert path == reverse("queue")
    params = QueryDict(query)
    organisation = Organisation.objects.get(code=params["caisse"]) if "caisse" in params else user.organisation
    filters = QueueFilterForm(params, organisation=organisation, show_agents=True)
    assert filters.is_valid(), (url, filters.errors)
    cases = tab_queryset(params["onglet"], user=user, organisation=organisation, today=TODAY)
    return filters.apply(cases).count()


@pytest.mark.parametrize("who", ["supervisor", "national_admin"])
def test_every_number_lists_exactly_its_cases_in_the_queue(story, login, who):
    user = getattr(story, who)
    response = login(user).get(URL, {"caisse": story.caf.code} if who == "national_admin" else {})
    cells = linked_cells(response)
    assert len(cells) > 150  # statuses, ageing, countries, deadlines, 26 weeks × 5, agents
    assert sum(value for value, _url in cells) > 0
    for value, url in cells:
        assert queue_count(url, user) == value, url


def test_the_queue_page_follows_the_links(story, login):
    """One link per table, through the queue's page itself."""
    client = login(story.supervisor)
    response = client.get(URL)
    for name in TABLES:
        value, url = max(linked_cells_of(response, name), key=lambda cell: cell[0])
        queue = client.get(unescape(url))
        assert queue.status_code == 200
        assert queue.context["count"] == value, url
        assert value > 0


def test_the_page_shows_charts_without_inline_styles_or_scripts(story, login):
    response = login(story.supervisor).get(URL)
    html = response.content.decode()
    assert html.count('role="img"') == 3
    for chart in ("chart-ageing", "chart-countries", "chart-throughput"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
    # A strict Content-Security-Policy (no 'unsafe-inline') is coming: nothing inline may depend on it.
    assert not re.search(r"\sstyle=", html)
    assert "<script" not in html
    assert "Algérie" in html
    assert reverse("dashboard_export", kwargs={"table": "pays", "fmt": "xlsx"}) in html


def test_the_pilotage_link_is_shown_to_supervisors_and_national_administrators(story, login):
    assert URL in login(story.supervisor).get(reverse("queue")).content.decode()
    assert URL in login(story.national_admin).get(reverse("queue")).content.decode()
    assert URL not in login(story.alice).get(reverse("queue")).content.decode()


def test_a_supervisor_without_cases_sees_an_empty_dashboard(db, login, frozen):
    supervisor = UserFactory(supervisor=True)
    response = login(supervisor).get(URL)
    assert response.status_code == 200
    assert response.context["countries_chart"] is None
    assert "Aucune donnée pour le moment." in response.content.decode()
