"""Settings of the benchmarked server: production's, with the static files collected into the harness's folder.

The TLS-only flags (SECURE_SSL_REDIRECT, SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE) are turned off through the
environment, as production reads them, because the harness talks plain HTTP on the loopback.
"""

import os

from config.settings.production import *  # noqa: F403

STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)  # noqa: F405
