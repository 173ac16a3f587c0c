import pytest
from django.db import connection


def pytest_collection_modifyitems(config, items):
    """Skip tests that need PostgreSQL-only features when the suite runs on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL to run it)")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def is_postgresql():
    return connection.vendor == "postgresql"
