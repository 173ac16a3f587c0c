"""« Prendre le suivant »: the most urgent unassigned case of my caisse and side, and never the same case twice."""

import pytest
from django.conf import settings
from django.urls import reverse

from cafcases.models import Case, CaseStatus, EventKind
from cafcases.models.cases import CaseQuerySet
from cafcases.services.queue import case_take_next
from tests.views.helpers import fresh, messages_of, open_case

ON_SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_take_next_assigns_the_most_urgent_case_and_opens_it(login, world):
    plain = open_case(world.caf)
    urgent = open_case(world.caf, benefits=["rsa"])
    open_case(world.caf, CaseStatus.WAITING_NUMBER_ISSUED)  # the CPAM's side
    open_case(world.other_caf, benefits=["rsa", "prime_naissance"])  # another caisse
    client = login(world.caf_agent)
    response = client.post(reverse("take_next"), follow=True)
    assert response.redirect_chain == [(reverse("case_detail", kwargs={"pk": urgent.pk}), 302)]
    assert f"Dossier n° {urgent.pk} pris : il est à vous." in messages_of(response)
    assert fresh(urgent).assigned_to == world.caf_agent
    assert urgent.events.filter(kind=EventKind.ASSIGNMENT, by=world.caf_agent).exists()
    response = login(world.caf_agent2).post(reverse("take_next"))
    assert response["Location"] == reverse("case_detail", kwargs={"pk": plain.pk})
    assert fresh(plain).assigned_to == world.caf_agent2


def test_empty_queue_says_so(login, world):
    open_case(world.caf, assigned_to=world.caf_agent2)
    response = login(world.caf_agent).post(reverse("take_next"), follow=True)
    assert response.redirect_chain == [(reverse("queue"), 302)]
    assert "Aucun dossier à prendre pour le moment : la file est vide." in messages_of(response)


def test_take_next_is_a_post_for_caisse_staff(login, world):
    open_case(world.caf)
    assert login(world.caf_agent).get(reverse("take_next")).status_code == 405
    response = login(world.national_admin).post(reverse("take_next"), follow=True)
    assert response.redirect_chain == [(reverse("queue"), 302)]
    assert any("Seuls les agents" in message for message in messages_of(response))
    assert not Case.objects.filter(assigned_to__isnull=False).exists()


def test_the_cpam_takes_from_its_side(login, world):
    open_case(world.caf, benefits=["rsa"])
    waiting = open_case(world.caf, CaseStatus.WAITING_NUMBER_ISSUED)
    response = login(world.cpam_agent).post(reverse("take_next"))
    assert response["Location"] == reverse("case_detail", kwargs={"pk": waiting.pk})


def test_sequential_takes_never_return_the_same_case(world):
    cases = [open_case(world.caf) for _ in range(3)]
    agents = [world.caf_agent, world.caf_agent2, world.caf_supervisor]
    taken = [case_take_next(agent=agent) for agent in agents]
    assert {case.pk for case in taken} == {case.pk for case in cases}
    assert {fresh(case).assigned_to for case in taken} == set(agents)
    assert case_take_next(agent=world.caf_agent) is None


@pytest.mark.skipif(not ON_SQLITE, reason="the compare-and-swap path is SQLite's")
def test_sqlite_compare_and_swap_skips_a_case_taken_meanwhile(world, monkeypatch):
    taken_meanwhile = open_case(world.caf, benefits=["rsa"], assigned_to=world.caf_agent2)
    free = open_case(world.caf)
    version = fresh(taken_meanwhile).version
    # The candidates list still shows the case a colleague took between the read and the write.
    monkeypatch.setattr(CaseQuerySet, "to_take", lambda self, organisation: self.on_side_of(organisation))
    assert case_take_next(agent=world.caf_agent).pk == free.pk
    row = fresh(taken_meanwhile)
    assert (row.assigned_to, row.version) == (world.caf_agent2, version)
