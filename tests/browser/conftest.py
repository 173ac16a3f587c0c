from pathlib import Path

import pytest
from django.test import override_settings

from tests.views.helpers import ensure_reference_data

SHOTS = Path("/tmp/shots")


@pytest.fixture(scope="session", autouse=True)
def _static_root_for_the_live_server(tmp_path_factory):
    # WhiteNoise warns when STATIC_ROOT does not exist (an error here); the live server starts once per session.
    with override_settings(STATIC_ROOT=str(tmp_path_factory.mktemp("static"))):
        yield


@pytest.fixture
def reference_data(transactional_db):
    """The countries and role groups, even after an earlier transactional test's flush emptied them."""
    ensure_reference_data()


@pytest.fixture
def shots():
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
