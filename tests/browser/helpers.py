"""Helpers of the browser tests: signing in through the login form, and axe-core's verdict on a page."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import DEMO_PASSWORD


def sign_in(page, base_url, username):
    """Sign in with the demo password through the login form; the queue opens."""
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/dossiers/$"))


def serious_violations(page):
    """axe-core's serious and critical violations on the page as it stands: (rule, impact, targets)."""
    violations = Axe().run(page).response["violations"]
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]])
        for violation in violations
        if violation["impact"] in ("serious", "critical")
    ]


def assert_accessible(page):
    """No serious or critical axe-core violation on the page as it stands."""
    serious = serious_violations(page)
    assert serious == [], serious
