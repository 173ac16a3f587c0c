"""The public booking in Chromium, in French then in English; axe-core finds no serious or critical issue."""

import re

import pytest
from playwright.sync_api import expect

from cafcases.booking.models import Appointment, AppointmentStatus
from tests.booking.browser import SHOTS, assert_accessible
from tests.booking.factories import make_motif, make_site
from tests.views.helpers import ensure_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("static_root_for_the_live_server")]


@pytest.fixture
def world(transactional_db):
    ensure_reference_data()
    SHOTS.mkdir(parents=True, exist_ok=True)
    site = make_site(department="59", postcode="59000", name="Accueil CAF de Lille")
    make_motif(label="Obtenir un numéro d'attente CAF", label_en="Get a CAF waiting number")
    make_motif(public=False, label="Suivi avec un agent", label_en="Follow-up")
    return site


def walk(page, base_url, words, prefix):
    page.goto(f"{base_url}/rendez-vous/")
    if words["switch"]:
        page.get_by_role("button", name=words["switch"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["title"])
    assert_accessible(page)
    page.get_by_label(words["postcode"]).fill("59000")
    page.get_by_role("button", name=words["find"]).click()
    page.get_by_role("link", name="Accueil CAF de Lille").click()
    expect(page.get_by_role("link", name=words["motif"])).to_be_visible()
    assert page.get_by_role("link", name=re.compile("Suivi avec un agent|Follow-up")).count() == 0
    assert_accessible(page)
    page.screenshot(path=SHOTS / f"{prefix}-1-motifs.png", full_page=True)
    page.get_by_role("link", name=words["motif"]).click()
    slot = page.locator(".slot").first
    if slot.count() == 0:
        page.get_by_role("link", name=words["next_week"]).click()
        slot = page.locator(".slot").first
    assert_accessible(page)
    page.screenshot(path=SHOTS / f"{prefix}-2-slots.png", full_page=True)
    slot.click()
    page.get_by_role("button", name=words["confirm"]).click()  # empty: the errors show
    expect(page.locator(".errorlist").first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=SHOTS / f"{prefix}-3-errors.png", full_page=True)
    page.get_by_label(words["birth_name"]).fill("Diallo")
    page.get_by_label(words["first_names"]).fill("Awa")
    page.get_by_label(words["birth_date"]).fill("15/06/1990")
    page.get_by_label(words["email"]).fill("awa@example.org")
    page.get_by_role("button", name=words["confirm"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["confirmed"])
    assert_accessible(page)
    page.screenshot(path=SHOTS / f"{prefix}-4-confirmed.png", full_page=True)


FRENCH = {
    "switch": None,
    "title": "Prendre rendez-vous avec votre CAF",
    "postcode": "Votre code postal ou votre département",
    "find": "Chercher un accueil",
    "motif": "Obtenir un numéro d'attente CAF",
    "next_week": "Semaine suivante →",
    "confirm": "Confirmer le rendez-vous",
    "birth_name": "Nom de naissance",
    "first_names": "Prénom(s)",
    "birth_date": "Date de naissance",
    "email": "Adresse électronique",
    "confirmed": "Votre rendez-vous est confirmé",
}
ENGLISH = {
    "switch": "English",
    "title": "Book an appointment with your CAF",
    "postcode": "Your postcode or your department",
    "find": "Find an office",
    "motif": "Get a CAF waiting number",
    "next_week": "Next week →",
    "confirm": "Confirm the appointment",
    "birth_name": "Birth name",
    "first_names": "First name(s)",
    "birth_date": "Date of birth",
    "email": "Email address",
    "confirmed": "Your appointment is confirmed",
}


def test_the_public_books_in_french_then_cancels(live_server, page, world):
    walk(page, live_server.url, FRENCH, "fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("button", name="Annuler le rendez-vous").click()
    expect(page.locator(".messages")).to_contain_text("Votre rendez-vous est annulé.")
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED


def test_the_public_books_in_english_then_moves(live_server, page, world):
    walk(page, live_server.url, ENGLISH, "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    before = Appointment.objects.get().starts_at
    page.get_by_role("link", name="Move the appointment").click()
    assert_accessible(page)
    page.screenshot(path=SHOTS / "en-5-move.png", full_page=True)
    page.locator(".slot").last.click()
    expect(page.locator(".messages")).to_contain_text("Your appointment has been moved.")
    appointment = Appointment.objects.get()
    assert appointment.language == "en" and appointment.starts_at != before
