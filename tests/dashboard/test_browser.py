"""The dashboard in Chromium: axe-core finds no serious or critical accessibility violation; a screenshot to look at."""

from pathlib import Path

import pytest
import time_machine
from django.test import Client

from tests.browser.helpers import serious_violations
from tests.dashboard.story import FROZEN_AT, build_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_dashboard_has_no_serious_accessibility_violation(live_server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    # The clock runs from the story's Monday morning: the figures are the hand-computed ones.
    with time_machine.travel(FROZEN_AT, tick=True):
        story = build_story()
        log_in(page, live_server, story.supervisor)
        page.goto(f"{live_server.url}/pilotage/")
        assert page.locator("h1").inner_text().startswith("Pilotage")
        assert page.locator("svg[role=img]").count() == 3
        page.locator("details.chart-data summary").click()  # open the 26 weeks' table before checking it
        supervisor_violations = serious_violations(page)
        page.screenshot(path=str(SHOTS / "pilotage.png"), full_page=True)
        for index, name in enumerate(["ageing", "countries", "throughput"]):
            page.locator("figure.chart").nth(index).screenshot(path=str(SHOTS / f"pilotage-{name}.png"))

        # A number leads to the queue, filtered to its cases: K4 is the one case 31–60 days into "papers requested".
        page.locator("#table-anciennete tbody tr").nth(2).locator("td").nth(1).get_by_role("link").click()
        page.wait_for_url("**/dossiers/**")
        assert "1 dossier" in page.locator("table.queue-table caption").inner_text()
        page.screenshot(path=str(SHOTS / "pilotage-queue.png"), full_page=True)

        log_in(page, live_server, story.national_admin)
        page.goto(f"{live_server.url}/pilotage/")
        national_violations = serious_violations(page)
        page.screenshot(path=str(SHOTS / "pilotage-national.png"), full_page=True)
    assert supervisor_violations == []
    assert national_violations == []
