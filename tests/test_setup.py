"""Settings, health check, countries and role groups: the ground every other part stands on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from cafcases.models import Country, Role
from cafcases.roles import ROLE_GROUP_NAMES
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


def run_python(code, **env):
    clean_env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean_env, **env}, capture_output=True, text=True, check=False
    )


PRODUCTION_IMPORT = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.production'; django.setup()"
)


@pytest.mark.parametrize(
    ("env", "missing"),
    [({"ALLOWED_HOSTS": "cafcases.example"}, "SECRET_KEY"), ({"SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS")],
)
def test_production_settings_refuse_to_start_without_secrets(env, missing):
    result = run_python(PRODUCTION_IMPORT, **env)
    assert result.returncode != 0
    assert f"{missing} est obligatoire" in result.stderr


def test_production_settings_start_with_their_secrets():
    result = run_python(PRODUCTION_IMPORT, SECRET_KEY="x" * 60, ALLOWED_HOSTS="cafcases.example")
    assert result.returncode == 0, result.stderr


def test_manage_py_defaults_to_development_settings_on_sqlite():
    code = (
        "import os, sys; sys.argv=['manage.py']; os.environ.pop('DJANGO_SETTINGS_MODULE', None);"
        "os.environ.pop('DATABASE_URL', None); import manage;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.local'); import django; django.setup();"
        "from django.conf import settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.LANGUAGE_CODE,"
        " s.TIME_ZONE, s.USE_TZ)"
    )
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3", "fr-fr", "Europe/Paris", "True"]


def test_health_check_answers_without_touching_the_database(client):
    # No django_db mark: pytest-django makes any database access in this test raise.
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json() == {"statut": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_settings_are_french():
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"


@pytest.mark.django_db
def test_insee_country_table_is_loaded():
    assert Country.objects.count() == 229
    assert Country.objects.filter(iso2="").count() == 14
    assert Country.objects.get(code="99352").name == "Algérie"
    kosovo = Country.objects.get(code="99157")
    assert (kosovo.iso2, kosovo.is_state) == ("", True)
    assert Country.objects.filter(parent__isnull=False, is_state=True).count() == 0
    delays = set(Country.objects.values_list("certification_delay_days", flat=True))
    assert min(delays) >= 60
    assert max(delays) <= 180
    assert Country.objects.get(code="99134").is_eu_eea_or_switzerland  # Spain
    assert Country.objects.get(code="99140").is_eu_eea_or_switzerland  # Switzerland
    assert not Country.objects.get(code="99350").is_eu_eea_or_switzerland  # Morocco


@pytest.mark.django_db
@pytest.mark.parametrize(("iso2", "expected"), [("ES", "99134"), ("es", "99134"), ("PT", "99139"), ("AF", "99212")])
def test_iso2_lookup_prefers_the_current_state(iso2, expected):
    assert Country.objects.by_iso2(iso2).code == expected


@pytest.mark.django_db
def test_role_groups_are_created_by_migration():
    groups = {group.name: group for group in Group.objects.prefetch_related("permissions")}
    assert set(ROLE_GROUP_NAMES.values()) <= set(groups)
    agent_perms = {p.codename for p in groups["Agents"].permissions.all()}
    admin_perms = {p.codename for p in groups["Administrateurs nationaux"].permissions.all()}
    assert {"view_person", "change_person", "view_country"} <= agent_perms
    assert "change_country" not in agent_perms
    assert "change_country" in admin_perms


@pytest.mark.django_db
def test_users_follow_their_role_group():
    user = UserFactory()
    assert [group.name for group in user.groups.all()] == ["Agents"]
    assert user.has_perm("cafcases.view_person")
    assert not user.has_perm("cafcases.change_country")
    user.role = Role.SUPERVISOR
    user.save()
    assert [group.name for group in user.groups.all()] == ["Superviseurs"]
