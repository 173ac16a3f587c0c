"""The agent's workspace in Chromium: sign in, take the next case, make a move, a stale tab; no serious a11y issue."""

import re

import pytest
from playwright.sync_api import expect

from cafcases.models import CaseStatus
from tests.browser.helpers import assert_accessible, sign_in
from tests.views.helpers import fresh, make_world, open_case

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


def test_take_the_next_case_and_issue_the_waiting_number(live_server, page, shots):
    world = make_world()
    urgent = open_case(world.caf, benefits=["rsa", "aide_logement"], birth_name="Benali", first_names="Samira")
    for benefits in (["prime_activite"], [], []):
        open_case(world.caf, benefits=benefits)
    open_case(world.caf, assigned_to=world.caf_agent2)

    page.goto(f"{live_server.url}/connexion/")
    assert_accessible(page)
    sign_in(page, live_server.url, "agent-caf")
    expect(page.get_by_role("link", name=re.compile("À prendre"))).to_contain_text("4")
    assert_accessible(page)
    page.screenshot(path=shots / "queue.png", full_page=True)

    page.get_by_role("button", name="Prendre le suivant").click()
    expect(page).to_have_url(re.compile(rf"/dossiers/{urgent.pk}/$"))
    expect(page.locator(".messages")).to_contain_text("il est à vous")
    expect(page.get_by_role("heading", level=1)).to_contain_text("BENALI")
    assert_accessible(page)
    page.screenshot(path=shots / "case.png", full_page=True)

    page.get_by_role("button", name="Attribuer le numéro d'attente CAF").click()
    expect(page.locator(".messages")).to_contain_text("Attribuer le numéro d'attente CAF : fait")
    expect(page.locator(".timeline li").first).to_contain_text("Attribuer le numéro d'attente CAF")
    expect(page.locator(".status-line .status")).to_have_text("Numéro d'attente CAF attribué")
    assert (fresh(urgent).status, fresh(urgent).assigned_to) == (CaseStatus.WAITING_NUMBER_ISSUED, None)

    # The case went to the CPAM's side, unassigned: not in my cases any more, in the CPAM's "À prendre".
    page.get_by_role("link", name="Dossiers", exact=True).click()
    page.get_by_role("link", name=re.compile("Mes dossiers")).click()
    expect(page.locator("table.queue-table")).not_to_contain_text("BENALI")
    page.get_by_role("button", name="Se déconnecter").click()
    sign_in(page, live_server.url, "agent-cpam")
    row = page.locator("table.queue-table tbody tr", has_text="BENALI")
    expect(row).to_contain_text("Numéro d'attente CAF attribué")
    expect(row).to_contain_text("Non attribué")


def test_a_stale_tab_shows_the_conflict_and_keeps_the_comment(live_server, context):
    world = make_world()
    case = open_case(world.caf, CaseStatus.WAITING_NUMBER_ISSUED)
    first = context.new_page()
    sign_in(first, live_server.url, "agent-cpam")
    case_page = f"{live_server.url}/dossiers/{case.pk}/"
    first.goto(case_page)
    second = context.new_page()
    second.goto(case_page)

    first.get_by_role("button", name="Demander les pièces d'état civil").click()
    expect(first.locator(".messages")).to_contain_text("Demander les pièces d'état civil : fait")

    typed = "La personne est repartie, confirmé par téléphone"
    second.locator("#id_close-reason").select_option("left_france")
    second.locator("#id_close-comment").fill(typed)
    second.get_by_role("button", name="Clore le dossier").click()
    expect(second.locator(".messages")).to_contain_text("a été modifié par quelqu'un d'autre")
    expect(second.locator(".status-line .status")).to_have_text("Pièces demandées")
    expect(second.locator("#id_close-comment")).to_have_value(typed)
    assert fresh(case).status == CaseStatus.DOCUMENTS_REQUESTED

    # Having read the fresh page, the agent sends the same form again: it goes through.
    second.get_by_role("button", name="Clore le dossier").click()
    expect(second.locator(".messages")).to_contain_text("Clore le dossier : fait")
    assert fresh(case).status == CaseStatus.CLOSED
