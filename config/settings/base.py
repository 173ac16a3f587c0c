"""Settings shared by every environment; environment modules override what differs."""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file is a developer convenience; production reads the real environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "phonenumber_field",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "cafcases",
    "cafcases.notifications",
    "cafcases.booking",
    "cafcases.audit",
    "cafcases.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The second factor: who verified a TOTP code this session, then who must (cafcases.audit.middleware).
    "django_otp.middleware.OTPMiddleware",
    "cafcases.audit.middleware.SecondFactorMiddleware",
    "cafcases.audit.middleware.SessionIdleMiddleware",
    # Who made a change, for the change history of people, numbers and cases (cafcases.audit).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# Form and widget templates through Jinja2 where Django ships them (cafcases/forms/renderers.py).
FORM_RENDERER = "cafcases.forms.renderers.FastFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cafcases.context_processors.workspace",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the development server and a command write at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "cafcases.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Authentication (ASVS V2, V3). django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# 5 failures for one username from one address lock that pair out for 15 minutes (a success resets the count).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # 15 minutes from the fifth failure, not from the last try
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "cafcases.audit.ip.client_ip"
AXES_USERNAME_CALLABLE = "cafcases.audit.lockout.username_from_request"
AXES_ENABLE_ADMIN = False  # unlock with `manage.py axes_reset_username` (docs/DEPLOYMENT.md)
# TOTP second factor for supervisors, national administrators and anyone entering the admin site. Only a DEBUG
# environment may switch it off (local.py: demo users); production forces it on.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=True)
OTP_TOTP_ISSUER = "cafcases"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Sessions end after 30 minutes without a request (SessionIdleMiddleware renews the expiry at most once a minute).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp 4): scripts and styles from our own origin only, never inline (ASVS V14.4).
# Templates keep CSS in static/css and JS in static/js; the admin of Django 5.2 needs nothing more.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # data: for the TOTP enrolment QR code
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "queue"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DB_FORMAT = "E164"

# CAF waiting numbers take their order number (characters 11–13) from this reserved range, so that
# they never collide with the order numbers INSEE hands out for definitive NIRs in the same body.
CAF_WAITING_ORDER_RANGE = tuple(env.list("CAF_WAITING_ORDER_RANGE", cast=int, default=[900, 999]))

# Every handler masks NIR- and NIA-shaped text (cafcases.audit.log_filters). Django's own loggers are routed to the
# same handler, instead of Django's defaults (whose mail_admins would send unmasked tracebacks).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_numbers": {"()": "cafcases.audit.log_filters.ScrubNumbersFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["scrub_numbers"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO"), "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
CASE_STALE_AFTER_DAYS = env.int("CASE_STALE_AFTER_DAYS", default=30)
# Access log of numbers read in clear (décret 2019-341): lines older than this are purged (`purge_access_log`).
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=365)
# Reverse proxies in front of the application that append to X-Forwarded-For (0: REMOTE_ADDR is the client).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
DASHBOARD_SNAPSHOT_MAX_AGE_MINUTES = env.int("DASHBOARD_SNAPSHOT_MAX_AGE_MINUTES", default=30)
# Failed phone calls after which a person's number is flagged unreachable (write to them instead).
CONTACT_UNREACHABLE_AFTER = env.int("CONTACT_UNREACHABLE_AFTER", default=2)
# Reference certification delays where no country applies (born in France) and on the refugee track (OFPRA).
DEFAULT_CERTIFICATION_DELAY_DAYS = env.int("DEFAULT_CERTIFICATION_DELAY_DAYS", default=120)
OFPRA_CERTIFICATION_DELAY_DAYS = env.int("OFPRA_CERTIFICATION_DELAY_DAYS", default=90)

# Background tasks (Django's Tasks API backport): the database backend, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Messages to people (cafcases.notifications). SMS_BACKEND is a dotted path; the HTTP backend's settings are
# documented in cafcases/notifications/sms.py. Delivery reports are refused while MESSAGE_WEBHOOK_SECRET is empty.
SMS_BACKEND = env("SMS_BACKEND", default="cafcases.notifications.sms.ConsoleSmsBackend")
SMS_PROVIDER_URL = env("SMS_PROVIDER_URL", default="")
SMS_PROVIDER_API_KEY = env("SMS_PROVIDER_API_KEY", default="")
SMS_PROVIDER_SENDER = env("SMS_PROVIDER_SENDER", default="CAF")
SMS_PROVIDER_TIMEOUT = env.int("SMS_PROVIDER_TIMEOUT", default=10)
MESSAGE_WEBHOOK_SECRET = env("MESSAGE_WEBHOOK_SECRET", default="")
# Reports signed longer ago (or further ahead) than this are refused as replays.
MESSAGE_WEBHOOK_TOLERANCE_SECONDS = env.int("MESSAGE_WEBHOOK_TOLERANCE_SECONDS", default=300)
MESSAGE_ID_DOMAIN = env("MESSAGE_ID_DOMAIN", default="cafcases.invalid")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ne-pas-repondre@cafcases.invalid")

# Partner API (cafcases.api): calls allowed per client token, as "count/period" (s, m, h, d), counted in the cache.
API_RATE_LIMIT = env("API_RATE_LIMIT", default="120/m")

# Appointment booking (cafcases.booking). Links in messages point to the public site; online bookings are limited
# per IP and per phone, counted in the cache: LocMem is per process, so production needs a shared cache (Redis,
# Memcached or the database cache) for the limits to hold across workers.
BOOKING_PUBLIC_BASE_URL = env("BOOKING_PUBLIC_BASE_URL", default="http://localhost:8000")
BOOKING_RATE_PER_IP = env("BOOKING_RATE_PER_IP", default="20/h")
BOOKING_RATE_PER_PHONE = env("BOOKING_RATE_PER_PHONE", default="5/h")

# Mass operations (cafcases.imports, cafcases.letters). The public booking page the letters and their QR code give.
PUBLIC_BOOKING_URL = env("PUBLIC_BOOKING_URL", default="http://127.0.0.1:8000/rendez-vous/")
# Beyond these sizes an uploaded import file, or a batch of letters, runs as a background task (`manage.py db_worker`).
IMPORT_INLINE_MAX_ROWS = env.int("IMPORT_INLINE_MAX_ROWS", default=2000)
LETTERS_INLINE_MAX = env.int("LETTERS_INLINE_MAX", default=200)
# Uploaded import files, their reports and the letters' PDFs hold personal data: kept out of the static files and of
# any public URL, downloaded only through views that check the caisse.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
