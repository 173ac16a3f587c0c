"""/pilotage/ served from stored snapshots: fresh ones read as they are, stale ones recomputed, refresh_dashboard."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cafcases.models import CaseStatus, DashboardSnapshot, Organisation
from cafcases.stats import snapshots
from cafcases.stats.figures import Scope
from tests.dashboard.story import FROZEN_AT
from tests.dashboard.test_views import counts_by_status, linked_cells
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

URL = reverse("dashboard")
FIGURE_TABLES = ("cafcases_case", "cafcases_caseevent", "cafcases_certificationrequest")
NIA_ONLY = str(CaseStatus.NIA_ONLY.label)


def refresh():
    out = io.StringIO()
    call_command("refresh_dashboard", stdout=out)
    return out.getvalue()


def test_a_fresh_snapshot_is_read_without_computing_the_figures(story, login):
    client = login(story.supervisor)
    first = client.get(URL)  # no snapshot yet: computed live, then stored
    assert DashboardSnapshot.objects.filter(scope=story.caf.code).count() == 1
    CaseFactory(caf=story.caf)  # not in the snapshot
    with CaptureQueriesContext(connection) as queries:
        second = client.get(URL)
    assert len(queries) <= 8
    assert not [q["sql"] for q in queries if any(table in q["sql"] for table in FIGURE_TABLES)]
    assert counts_by_status(second) == counts_by_status(first)
    assert linked_cells(second) == linked_cells(first)


def test_the_snapshot_page_is_the_live_page(story, login, settings):
    settings.DASHBOARD_SNAPSHOT_MAX_AGE_MINUTES = 0  # snapshots off: always computed live
    client = login(story.national_admin)
    live = client.get(URL, {"caisse": story.caf.code})
    settings.DASHBOARD_SNAPSHOT_MAX_AGE_MINUTES = 30
    refresh()
    stored = client.get(URL, {"caisse": story.caf.code})
    for name in ("statuses", "ageing", "countries", "deadlines", "waiting_number", "throughput", "workload"):
        assert stored.context[name] == live.context[name], name
    for chart in ("ageing_chart", "countries_chart", "throughput_chart"):
        assert str(stored.context[chart]) == str(live.context[chart]), chart
    assert stored.context["workload"]["rows"]  # the supervisors' per-agent workload is part of the caisse's snapshot


def test_a_stale_snapshot_is_recomputed(story, login, settings):
    settings.SESSION_COOKIE_AGE = 2 * 60 * 60  # the session must outlive the 31 idle minutes the test skips
    client = login(story.supervisor)
    before = counts_by_status(client.get(URL))
    CaseFactory(caf=story.caf)
    assert counts_by_status(client.get(URL)) == before  # fresh: the stored figures
    with time_machine.travel(FROZEN_AT + datetime.timedelta(minutes=31), tick=False):
        after = client.get(URL)
    assert counts_by_status(after)[NIA_ONLY] == before[NIA_ONLY] + 1
    snapshot = DashboardSnapshot.objects.get(scope=story.caf.code)
    assert snapshot.computed_at == FROZEN_AT + datetime.timedelta(minutes=31)


def test_a_snapshot_of_another_day_or_layout_is_recomputed(story, login):
    client = login(story.supervisor)
    client.get(URL)
    snapshot = DashboardSnapshot.objects.get(scope=story.caf.code)
    scope = Scope(story.caf, FROZEN_AT.date())
    assert snapshots.is_fresh(snapshot, scope)
    assert not snapshots.is_fresh(snapshot, Scope(story.caf, FROZEN_AT.date() + datetime.timedelta(days=1)))
    snapshot.data["version"] = 0
    assert not snapshots.is_fresh(snapshot, scope)


def test_refresh_dashboard_stores_one_snapshot_per_caisse_and_the_national_one(story):
    output = refresh()
    expected = {*Organisation.objects.values_list("code", flat=True), "national"}
    assert set(DashboardSnapshot.objects.values_list("scope", flat=True)) == expected
    assert "ms" in output and story.caf.code in output
    first = dict(DashboardSnapshot.objects.values_list("scope", "computed_at"))
    with time_machine.travel(FROZEN_AT + datetime.timedelta(minutes=15), tick=False):
        refresh()
    assert DashboardSnapshot.objects.count() == len(expected)  # replaced, not added
    second = dict(DashboardSnapshot.objects.values_list("scope", "computed_at"))
    assert all(second[scope] > first[scope] for scope in expected)
    assert DashboardSnapshot.objects.get(scope="national").organisation is None
    assert "charge" not in DashboardSnapshot.objects.get(scope="national").data["tables"]


def test_the_page_says_when_the_figures_were_computed(story, login):
    refresh()
    with time_machine.travel(FROZEN_AT + datetime.timedelta(minutes=20), tick=False):
        html = login(story.supervisor).get(URL).content.decode()
    assert "Chiffres calculés le 10/03/2025 à 09:30" in html  # the snapshot's time, not the visit's (09:50)


def test_agents_may_not_see_a_stored_dashboard(story, login):
    refresh()
    assert login(story.alice).get(URL).status_code == 403
    assert login(story.alice).get(URL, {"caisse": story.caf.code}).status_code == 403


def test_supervisors_get_their_caisse_snapshot_only(story, login):
    refresh()
    for scope, marker in (("national", 999), (story.other_caf.code, 998)):
        snapshot = DashboardSnapshot.objects.get(scope=scope)
        snapshot.data["tables"]["etapes"]["rows"][0][1]["value"] = marker
        snapshot.save()
    for data in ({}, {"caisse": story.other_caf.code}, {"caisse": ""}):
        counts = counts_by_status(login(story.supervisor).get(URL, data))
        assert not {999, 998} & set(counts.values()), data
    assert counts_by_status(login(story.other_supervisor).get(URL))[NIA_ONLY] == 998
