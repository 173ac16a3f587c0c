"""Numbers never reach the logs nor the error pages: every handler masks NIR- and NIA-shaped text."""

import io
import logging

import pytest
from django.template.loader import render_to_string
from django.test import override_settings

from cafcases.audit.log_filters import MASK, ScrubNumbersFilter, scrub

NIR = "185033306312310"
NIR_SPACED = "1 85 03 33 063 123 10"
NIA_CORSICA_BODY = "2 90 06 2A 004 045"


@pytest.mark.parametrize(
    "number",
    [
        NIR,
        NIR_SPACED,
        NIA_CORSICA_BODY,
        "1850333063123",
        "790049921203110",
        "7.98.04.99.212.031.10",
        "2 90 06 2a 004 045 49",
    ],
)
def test_number_shapes_are_masked(number):
    assert scrub(f"personne {number}, suite") == f"personne {MASK}, suite"


@pytest.mark.parametrize(
    "text",
    ["dossier 12345", "+33 6 12 34 56 78", "2026-11-29 18:20:46", "id 12345678901234567890", "version 1.13.0"],
)
def test_other_numbers_are_left_alone(text):
    assert scrub(text) == text


@pytest.fixture
def console():
    """The configured console handler (settings.LOGGING), writing to a buffer for the test."""
    [handler] = [h for h in logging.getLogger().handlers if h.name == "console"]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def test_every_configured_handler_masks_numbers():
    handlers = {*logging.getLogger().handlers, *logging.getLogger("django").handlers}
    assert handlers
    for handler in handlers:
        if type(handler).__module__.startswith("_pytest"):
            continue  # pytest's capture handler
        assert any(isinstance(f, ScrubNumbersFilter) for f in handler.filters), handler


def test_an_exception_carrying_a_nir_is_logged_masked(console):
    logger = logging.getLogger("cafcases.anything")
    try:
        raise ValueError(f"numéro refusé : {NIR_SPACED}")
    except ValueError:
        logger.exception("Échec pour %s (saisi %r)", NIR, {"numero": NIR_SPACED})
    output = console.getvalue()
    assert "ValueError: numéro refusé : [numéro masqué]" in output
    assert "Échec pour [numéro masqué]" in output
    for shape in (NIR, NIR_SPACED, NIR_SPACED.replace(" ", "")):
        assert shape not in output


def test_django_request_errors_go_through_the_masking_handler(console):
    logging.getLogger("django.request").error("Internal Server Error: /dossiers/%s/", NIR)
    assert NIR not in console.getvalue() and MASK in console.getvalue()


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_the_404_page_does_not_echo_the_path(client):
    response = client.get(f"/introuvable/{NIR}/")
    assert response.status_code == 404
    assert NIR not in response.content.decode()


@pytest.mark.parametrize("template", ["400.html", "403.html", "404.html", "500.html"])
def test_the_error_pages_render_without_any_context(template):
    html = render_to_string(template, {"request_path": NIR, "exception": NIR})
    assert NIR not in html and "<h1>" in html
