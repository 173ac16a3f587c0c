"""The agent's side in Chromium: book from the case page, see the agenda, record a no-show; no serious a11y issue."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cafcases.booking.models import AppointmentStatus
from tests.booking.browser import SHOTS, assert_accessible
from tests.booking.factories import make_appointment, make_motif, make_site
from tests.browser.helpers import sign_in
from tests.factories import OrganisationFactory, UserFactory
from tests.views.helpers import ensure_reference_data, open_case

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("static_root_for_the_live_server")]


def test_an_agent_books_from_the_case_then_records_a_no_show(live_server, page, transactional_db):
    ensure_reference_data()
    SHOTS.mkdir(parents=True, exist_ok=True)
    agent = UserFactory(username="agent-rdv")
    OrganisationFactory(cpam=True, department=agent.organisation.department)
    case = open_case(agent.organisation, birth_name="Benali", first_names="Samira")
    site = make_site(agent.organisation, name="Accueil de test")
    make_motif(label="Obtenir un numéro d'attente CAF")
    past = make_appointment(
        site,
        make_motif(label="Apporter des pièces", duration=20),
        timezone.now().replace(minute=0, second=0, microsecond=0) - datetime.timedelta(hours=30),
        person=case.person,
        case=case,
    )

    sign_in(page, live_server.url, "agent-rdv")
    page.goto(f"{live_server.url}/dossiers/{case.pk}/")
    page.get_by_role("link", name="Prendre rendez-vous").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("BENALI")
    assert_accessible(page)
    page.screenshot(path=SHOTS / "agent-1-book.png", full_page=True)
    page.locator(".slot").first.click()
    expect(page.locator(".messages")).to_contain_text("Rendez-vous pris le")
    expect(page.locator(".appointments")).to_contain_text("Obtenir un numéro d'attente CAF")

    page.get_by_role("link", name="Agenda", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("À renseigner")).click()
    expect(page.locator("table")).to_contain_text("BENALI")
    assert_accessible(page)
    page.screenshot(path=SHOTS / "agent-2-to-record.png", full_page=True)
    page.get_by_label("Présence").select_option("no_show")
    page.get_by_role("button", name="Noter").click()
    expect(page.locator(".messages")).to_contain_text("Absent")
    past.refresh_from_db()
    assert past.status == AppointmentStatus.NO_SHOW

    page.goto(f"{live_server.url}/agenda/accueil/{site.pk}/?vue=semaine")
    assert_accessible(page)
    page.screenshot(path=SHOTS / "agent-3-week.png", full_page=True)
    page.goto(f"{live_server.url}/agenda/rendez-vous/{past.pk}/")
    assert_accessible(page)
    page.screenshot(path=SHOTS / "agent-4-appointment.png", full_page=True)
