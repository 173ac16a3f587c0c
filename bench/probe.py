"""The in-process side of the harness: sessions for the load generator, query counts, EXPLAIN of the SQL Django runs.

Needs Django set up on the bench database (bench/run.py does it).
"""

import time

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.harness import BIG_TABLES, execution_ms, redact_numbers, seq_scans

CSRF_TOKEN = _get_new_csrf_string()  # the cookie holds the secret; Django accepts it unmasked in the header too


class Rollback(Exception):
    """Raised to undo a probe's writes (take-next) once its queries are captured and explained."""


def login_session(user):
    """A session key of ``user``, logged in and second-factor verified, created directly in the session store."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The backend that loads users (django-axes' comes first but only guards the login form).
    backends = settings.AUTHENTICATION_BACKENDS
    session[BACKEND_SESSION_KEY] = next((path for path in backends if path.endswith("ModelBackend")), backends[-1])
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if "django_otp" in settings.INSTALLED_APPS:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, name="bench").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    try:
        from cafcases.audit.middleware import IDLE_KEY
    except ImportError:  # before the idle-session middleware
        pass
    else:
        session[IDLE_KEY] = int(time.time())
    session.create()
    return session.session_key


def touch_sessions(session_keys):
    """Stamp the sessions as just used, so that no request of the measure renews them (a write once a minute).

    Without it the first request after the long seeding of a large scale saves its session and counts more
    queries than the same request at the small scale.
    """
    try:
        from cafcases.audit.middleware import IDLE_KEY
    except ImportError:
        return
    for key in session_keys:
        session = SessionStore(session_key=key)
        session[IDLE_KEY] = int(time.time())
        session.save()


def client_for(session_key):
    client = Client(HTTP_HOST="127.0.0.1")
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
    return client


def expected_status(page):
    """200 for a page; 302 for take-next, which sends the agent to the case taken."""
    return 302 if page[1].endswith("/prendre/") else 200


def request(client, page):
    """Send one of the harness's requests ((method, path, data) in ``page``) and check the answer.

    A redirect where a page is expected would be a login or second-factor page measured instead of the real one.
    """
    method, path, data = page
    response = client.post(path, data) if method == "POST" else client.get(path)
    if response.status_code != expected_status(page):
        raise RuntimeError(f"{method} {path} answered {response.status_code} {response.get('Location', '')}")
    if method == "POST" and response.status_code == 302 and "/dossiers/" not in response["Location"]:
        raise RuntimeError(f"{method} {path} redirected to {response['Location']}")
    return response


def count_queries(client, pages):
    """{page: number of SQL queries} for one request of each page (after one warm-up request)."""
    counts = {}
    for name, page in pages.items():
        if page[0] == "GET":
            request(client, page)  # warm-up: the first request of a process loads more (content types, …)
        with CaptureQueriesContext(connection) as captured:
            request(client, page)
        counts[name] = len(captured.captured_queries)
    return counts


def explain(sql):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def explain_page(client, page, *, undo=False):
    """EXPLAIN (ANALYZE, BUFFERS) of every SELECT the request runs on a big table, as Django sent it.

    With ``undo`` the request and the EXPLAINs run in one transaction that is rolled back (take-next assigns a case;
    its SELECT … FOR UPDATE SKIP LOCKED is explained in the same transaction, on the rows it just locked).
    """
    plans = []
    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                request(client, page)
            for query in captured.captured_queries:
                sql = query["sql"]
                if sql.lstrip().upper().startswith("SELECT") and any(f'"{table}"' in sql for table in BIG_TABLES):
                    plans.append((sql, explain(sql)))
            if undo:
                raise Rollback
    except Rollback:
        pass
    return plans


def summarise_plans(name, plans):
    """{label: {ms, seq_scans, sql, plan}} for the report, one entry per explained query."""
    summary = {}
    for index, (sql, plan) in enumerate(plans, start=1):
        summary[f"{name} #{index}"] = {
            "ms": execution_ms(plan),
            "seq_scans": seq_scans(plan),
            "sql": redact_numbers(sql),
            "plan": redact_numbers(plan),
        }
    return summary
