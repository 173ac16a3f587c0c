"""Time the supervisors' dashboard (/pilotage/) and measure the exports' memory on a large PostgreSQL database.

    psql -h 127.0.0.1 -U postgres -c 'create database cafcases_dash'
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/cafcases_dash
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/dashboard.py --cases 100000 --export
    psql -h 127.0.0.1 -U postgres -c 'drop database cafcases_dash'

Seeding: ``seed_demo`` for the caisses and accounts, then set-based SQL for the volume, since ``seed_demo --people``
gives thin cases (no certification request, 2–4 events each) and the dashboard's cost is in the timelines and the
requests: here every stage of the journey is represented, with about ten events per case (transitions, papers,
contacts, assignments) and one or two certification requests from the sending onwards. People and cases carry the
``BENCH`` birth name; running the script again reuses them and only adds what is missing to reach ``--cases``.

Timings: the dashboard view through Django's test client (server time, no network), warm caches, the median of
``--repeat`` runs, then the time of each SQL query of the last run; first computed live (snapshots off), then
``refresh_dashboard`` and the page served from the stored snapshots. Exports: the whole queue of a caisse as CSV and
XLSX, the response consumed without being kept, peak Python memory measured with tracemalloc.
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from bench.seed import CASES_SQL, EVENTS_SQL, REQUESTS_SQL  # noqa: E402
from cafcases import demo_data  # noqa: E402
from cafcases.models import Case, Person, User  # noqa: E402

SUPERVISOR, NATIONAL = "superviseur.caf59", "admin.national"

PEOPLE_SQL = """
INSERT INTO cafcases_person (
    birth_name, usage_name, first_names, sex, birth_year, birth_month, birth_day, birth_country_id, birth_place,
    birth_commune_code, phone, phone_alt, phone_unreachable, email, address, postcode, city, caf_id,
    beneficiary_number, preferred_language, protection_status, birth_name_key, first_names_key, search_text,
    created_at, updated_at
)
SELECT 'BENCH' || n, '', 'Personne', CASE WHEN n %% 2 = 0 THEN 'F' ELSE 'M' END, 1955 + n %% 50, 1 + n %% 12,
    1 + n %% 28, (%(countries)s::varchar[])[1 + n %% %(country_count)s], '', '', '', '', false, '', '', '', '',
    (%(cafs)s::bigint[])[1 + n %% %(caf_count)s], '', 'fr', 'none', 'bench' || n, 'personne',
    ' bench' || n || ' personne', now(), now()
FROM generate_series(%(first)s, %(last)s) AS n
"""

# One row per BENCH person without a case: its stage (0 nia_only … 7 closed), durations in days, agents.
PLAN_SQL = """
CREATE TEMP TABLE bench_plan AS
WITH people AS (
    SELECT p.id AS person_id, p.caf_id, cpam.id AS cpam_id, p.birth_country_id AS country_id,
        coalesce(country.certification_delay_days, 120) AS delay,
        nextval(pg_get_serial_sequence('cafcases_case', 'id')) AS case_id,
        (SELECT u.id FROM cafcases_user u WHERE u.organisation_id = p.caf_id AND u.role = 'agent' LIMIT 1) AS caf_agent,
        (SELECT u.id FROM cafcases_user u WHERE u.organisation_id = cpam.id AND u.role = 'agent' LIMIT 1)
            AS cpam_agent,
        random() AS pick, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
        random() AS r6, random() AS r7, random() AS r8, random() AS r9, random() AS r10
    FROM cafcases_person p
    JOIN cafcases_organisation caf ON caf.id = p.caf_id
    JOIN cafcases_organisation cpam ON cpam.kind = 'CPAM' AND cpam.department = caf.department
    LEFT JOIN cafcases_country country ON country.code = p.birth_country_id
    WHERE p.birth_name LIKE 'BENCH%%' AND NOT EXISTS (SELECT 1 FROM cafcases_case c WHERE c.person_id = p.id)
    ORDER BY p.id
    LIMIT %(count)s
), staged AS (
    SELECT *,
        CASE WHEN pick < 0.08 THEN 0 WHEN pick < 0.16 THEN 1 WHEN pick < 0.30 THEN 2 WHEN pick < 0.35 THEN 3
             WHEN pick < 0.43 THEN 4 WHEN pick < 0.58 THEN 5 WHEN pick < 0.64 THEN 6 ELSE 7 END AS stage,
        1 + r1 * 20 AS c_issue
    FROM people
), cumulated AS (
    SELECT *, c_issue + 1 + r2 * 10 AS c_request FROM staged
), more AS (
    SELECT *, c_request + 10 + r3 * 80 AS c_complete FROM cumulated
), sent AS (
    SELECT *, c_complete + 1 + r4 * 10 AS c_send FROM more
), answered AS (
    SELECT *, c_send + 5 + r5 * 20 AS c_country, c_send + 40 + r6 * 260 AS c_certify FROM sent
), closed AS (
    SELECT *, c_certify + 1 + r7 * 30 AS c_close FROM answered
), spanned AS (
    SELECT *, (ARRAY[0, c_issue, c_request, c_complete, c_send, c_country, c_certify, c_close])[stage + 1] AS span
    FROM closed
)
SELECT *, now() - interval '1 day' * (span + 0.01 + r8 * greatest(1000 - span, 5)) AS opened_at FROM spanned
"""

# The cases, their timelines and requests: the same set-based SQL as the `make bench` harness.


def seed(target):
    """Reach ``target`` BENCH cases: the demo caisses and accounts, then people and cases in set-based SQL."""
    if connection.vendor != "postgresql":
        sys.exit("The bench seeds with PostgreSQL SQL: set DATABASE_URL to a scratch PostgreSQL database.")
    if not User.objects.filter(username=SUPERVISOR).exists():
        call_command("seed_demo", verbosity=0)
    missing = target - Case.objects.filter(person__birth_name__startswith="BENCH").count()
    if missing <= 0:
        return
    started = time.perf_counter()
    people = Person.objects.filter(birth_name__startswith="BENCH").count()
    cafs = list(User.objects.filter(role="supervisor", organisation__kind="CAF").values_list("organisation", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        without_case = people - Case.objects.filter(person__birth_name__startswith="BENCH").count()
        if without_case < missing:
            cursor.execute(
                PEOPLE_SQL,
                {
                    "countries": list(demo_data.COUNTRY_CODES),
                    "country_count": len(demo_data.COUNTRY_CODES),
                    "cafs": cafs,
                    "caf_count": len(cafs),
                    "first": people + 1,
                    "last": people + missing - without_case,
                },
            )
        cursor.execute(PLAN_SQL, {"count": missing})
        for sql in (CASES_SQL, EVENTS_SQL, REQUESTS_SQL):
            cursor.execute(sql)
        cursor.execute("DROP TABLE bench_plan")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Seeded {missing} cases in {time.perf_counter() - started:.1f} s.")


def describe():
    with connection.cursor() as cursor:
        for table in ("cafcases_case", "cafcases_caseevent", "cafcases_certificationrequest"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (constant names)
            print(f"  {table}: {cursor.fetchone()[0]:,} rows")


def client_for(username):
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=username))
    return client


def time_page(label, client, url, data, repeat):
    client.get(url, data)  # warm-up: connection, caches, query plans
    timings = []
    for _ in range(repeat):
        reset_queries()
        started = time.perf_counter()
        response = client.get(url, data)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    print(f"{label}: median {statistics.median(timings):.0f} ms, min {min(timings):.0f} ms ({repeat} runs)")
    for query in connection.queries:
        print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:110]}")


def measure_export(label, client, url, data):
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get(url, data)
    size = lines = 0
    for chunk in response.streaming_content:  # consumed as a server would send it, nothing kept
        size += len(chunk)
        lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    response.close()
    rows = f"{lines - 1:,} rows, " if url.endswith(".csv") else ""
    print(f"{label}: {rows}{size / 1e6:.1f} MB in {elapsed:.1f} s, peak Python memory {peak / 1e6:.1f} MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="BENCH cases to reach (seeded if missing)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--export", action="store_true", help="also measure the queue exports (CSV, XLSX)")
    parser.add_argument("--export-tab", default="en-attente", help="the queue tab exported (default: en-attente)")
    parser.add_argument("--no-dashboard", action="store_true", help="skip the dashboard timings")
    args = parser.parse_args()
    seed(args.cases)
    describe()
    caf = User.objects.get(username=SUPERVISOR).organisation
    print(f"{caf.code} holds {Case.objects.for_organisation(caf).count():,} of {Case.objects.count():,} cases.")
    if not args.no_dashboard:
        national = client_for(NATIONAL)
        pages = [
            (f"Supervisor of {caf.code}", client_for(SUPERVISOR), {}),
            (f"National administrator, {caf.code}", national, {"caisse": caf.code}),
            ("National administrator, every caisse", national, {}),
        ]
        settings.DASHBOARD_SNAPSHOT_MAX_AGE_MINUTES = 0  # snapshots off: the figures computed live at each visit
        for label, client, data in pages:
            time_page(f"{label}, live", client, "/pilotage/", data, args.repeat)
        settings.DASHBOARD_SNAPSHOT_MAX_AGE_MINUTES = 30
        started = time.perf_counter()
        call_command("refresh_dashboard")
        print(f"refresh_dashboard: {(time.perf_counter() - started):.1f} s")
        for label, client, data in pages:
            time_page(f"{label}, from the snapshot", client, "/pilotage/", data, args.repeat)
    if args.export:
        supervisor = client_for(SUPERVISOR)
        for fmt in ("csv", "xlsx"):
            url, tab = f"/dossiers/export.{fmt}", {"onglet": args.export_tab}
            measure_export(f"Queue export {fmt}, tab {args.export_tab} of {caf.code}", supervisor, url, tab)


if __name__ == "__main__":
    main()
