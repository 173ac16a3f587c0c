import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_rate_limit_counters():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def static_root_for_the_live_server(tmp_path_factory):
    """WhiteNoise warns (an error here) when STATIC_ROOT does not exist; browser tests ask for this one."""
    from django.test import override_settings

    with override_settings(STATIC_ROOT=str(tmp_path_factory.mktemp("static"))):
        yield
