import os
from pathlib import Path

import pytest
from django.db import connection

CHROMIUM = Path("/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests on SQLite; skip browser tests without Chromium, except in CI where that fails."""
    from django.conf import settings

    on_postgresql = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    skip_postgresql = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL to run it)")
    browser_missing = not CHROMIUM.exists()
    if browser_missing and os.environ.get("CI") == "true" and any("browser" in item.keywords for item in items):
        raise pytest.UsageError(
            "CI=true mais Chromium est absent (/usr/bin/chromium) : les tests navigateur ne peuvent pas être ignorés."
        )
    skip_browser = pytest.mark.skip(reason="needs Debian's Chromium: apt-get install chromium")
    for item in items:
        if "postgresql" in item.keywords and not on_postgresql:
            item.add_marker(skip_postgresql)
        if "browser" in item.keywords and browser_missing:
            item.add_marker(skip_browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Reload what data migrations loaded (countries, role groups) once a transactional test's flush emptied it."""
    yield
    if nextitem is None:
        return  # the session's fixtures, the test database among them, are already gone
    marker = item.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(getattr(item, "fixturenames", ()))
    if not transactional:
        return
    from pytest_django.plugin import blocking_manager_key

    from cafcases.countries_data import load_countries
    from cafcases.models import Country
    from cafcases.roles import ROLE_GROUP_NAMES, sync_role_groups

    with item.config.stash[blocking_manager_key].unblock():
        from django.apps import apps
        from django.contrib.auth.models import Group

        if not Country.objects.exists():
            load_countries(Country)
        if Group.objects.filter(name__in=ROLE_GROUP_NAMES.values()).count() < len(ROLE_GROUP_NAMES):
            sync_role_groups(apps)


@pytest.fixture(scope="session", autouse=True)
def _close_stray_postgresql_sessions(django_db_setup, django_db_blocker):
    """Before the test database is dropped, end sessions that threads or killed subprocesses left behind."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture
def is_postgresql():
    return connection.vendor == "postgresql"


# Browser tests share one Chromium per test process: Playwright's sync API cannot be started twice in one thread.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test's thread; Django's documented escape hatch for that.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()
