"""Test settings: fast hashing, strict templates; the database comes from DATABASE_URL like elsewhere."""

from .base import *  # noqa: F403
from .base import TEMPLATES, env


class InvalidTemplateVariable(str):
    """Makes an undefined template variable fail the test instead of rendering as an empty string."""

    def __mod__(self, other):
        raise NameError(f"Variable de gabarit indéfinie : {other!r}")


DEBUG = False
SECRET_KEY = "tests-only-secret-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES = {"default": env.db("DATABASE_URL", default="sqlite:///:memory:")}
# Serve static files from the apps' folders as development does: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tasks run at once, inside the test, after the transaction commits.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SMS_BACKEND = "cafcases.notifications.sms.LocmemSmsBackend"
MESSAGE_WEBHOOK_SECRET = "tests-only-webhook-secret"
# Tests log users in with force_login: the second factor is enforced only where a test turns it on
# (tests/security/test_second_factor.py), the lockout stays on.
OTP_REQUIRED = False
