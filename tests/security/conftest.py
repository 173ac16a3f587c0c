import pytest


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    # WhiteNoise warns (an error under filterwarnings=error) when STATIC_ROOT does not exist, as in a fresh checkout.
    settings.STATIC_ROOT = tmp_path
