import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_rate_limit_counters():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()
