"""`manage.py check --deploy` with the production settings reports nothing, and those settings harden what they must."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path, **extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="cafcases.example.fr",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        **extra,
    )
    return env


def run(tmp_path, *args, **extra):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_issue(tmp_path):
    result = run(tmp_path, "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_hardening(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.OTP_REQUIRED, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_REFERRER_POLICY, s.SESSION_COOKIE_AGE, s.TRUSTED_PROXY_COUNT)"
    )
    result = run(tmp_path, "shell", "-c", code, OTP_REQUIRED="false")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-8:] == ["False", "True", "True", "True", "31536000", "same-origin", "1800", "1"]
