"""Development settings: what `make run` uses when no environment variable is set."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-development-only-key-never-used-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
MESSAGE_WEBHOOK_SECRET = env("MESSAGE_WEBHOOK_SECRET", default="development-only-webhook-secret")
# Demo users log in without a second factor on a developer's machine only (OTP_REQUIRED=true to try it).
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=not DEBUG)
