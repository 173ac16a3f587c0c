"""Volume for the benchmarks: people, their numbers, cases, timelines and certification requests in set-based SQL.

Expects a migrated PostgreSQL database with the demo caisses and accounts (``seed_demo``). ``seed_volume(target)``
adds what is missing to reach ``target`` BENCH cases, so that one database grows from 10,000 to 1,000,000 cases and the
first cases stay the same (the query counts and EXPLAINs compare the same rows at both scales).

Coherence with the model: one case per person (so at most one open case), NIA / CAF waiting number / NIR built from
the person's sex, birth year, month and country with their keys (97 - body mod 97), the waiting number from the
"waiting number issued" stage on, the NIR once certified (NIA and waiting number then superseded), every stage of
the journey with about nine events per case and one or two certification requests from the sending onwards. The
number parts are a function of the person's rank, so they never collide with each other: 100 people per (sex, year,
month, country), orders 500–599 for the NIA and the NIR, 900–999 for the waiting number (settings'
CAF_WAITING_ORDER_RANGE); the rare number a demo person already holds is left out.

Speed: the load runs with ``session_replication_role = replica`` (no foreign-key triggers, whose deferred queue would
hold nine million entries until commit; the rows reference what this same SQL just wrote) and with the
non-constraint indexes of the big tables dropped and rebuilt after the load (one sort instead of millions of B-tree
insertions). Only ever on the harness's own database.
"""

import time

from django.db import connection, transaction

from cafcases import demo_data
from cafcases.models import Case, Organisation, User

BIG_TABLES = ("cafcases_person", "cafcases_identifier", "cafcases_case", "cafcases_caseevent")
LOADED_TABLES = (*BIG_TABLES, "cafcases_certificationrequest")
FIRST_BENEFICIARY_NUMBER = 6_000_000  # the demo draws below 5,000,000, the import bench from 8,000,000
PEOPLE_PER_GROUP = 100  # people per (sex, birth year, birth month, country): one order each
BIRTH_YEARS = 50

PEOPLE_SQL = """
INSERT INTO cafcases_person (
    birth_name, usage_name, first_names, sex, birth_year, birth_month, birth_day, birth_country_id, nationality_id,
    birth_place, birth_commune_code, phone, phone_alt, phone_unreachable, email, address, postcode, city, caf_id,
    beneficiary_number, preferred_language, protection_status, birth_name_key, first_names_key, search_text,
    created_at, updated_at
)
SELECT 'BENCH' || n, '', 'Personne', CASE WHEN g.sexbit = 1 THEN 'F' ELSE 'M' END,
    1940 + (g.r3 / %(country_count)s) %% %(years)s, 1 + g.r2 %% 12, 1 + n %% 28, g.country, g.country, '', '',
    '', '', n %% 17 = 0, '', '', '', '', (%(cafs)s::bigint[])[1 + n %% %(caf_count)s],
    lpad((%(first_number)s + n)::text, 7, '0'), CASE WHEN n %% 9 = 0 THEN 'en' ELSE 'fr' END, 'none',
    'bench' || n, 'personne', ' bench' || n || ' personne', now(), now()
FROM generate_series(%(first)s, %(last)s) AS n
CROSS JOIN LATERAL (
    SELECT (n - 1) / %(group)s %% 2 AS sexbit, (n - 1) / %(group)s / 2 AS r2, (n - 1) / %(group)s / 2 / 12 AS r3
) AS parts
CROSS JOIN LATERAL (
    SELECT parts.*, (%(countries)s::varchar[])[1 + parts.r3 %% %(country_count)s] AS country
) AS g
"""

# One row per BENCH person without a case: its stage (0 nia_only … 7 closed), durations in days, agents.
PLAN_SQL = """
CREATE TEMP TABLE bench_plan AS
WITH first_agent AS (
    SELECT DISTINCT ON (organisation_id) organisation_id, id FROM cafcases_user
    WHERE role = 'agent' AND username NOT LIKE 'bench.%%' ORDER BY organisation_id, id
), people AS (
    SELECT p.id AS person_id, p.caf_id, cpam.id AS cpam_id, p.birth_country_id AS country_id, p.sex, p.birth_year,
        p.birth_month, (p.beneficiary_number::int - %(first_number)s - 1) %% %(group)s AS rank_in_group,
        coalesce(country.certification_delay_days, 120) AS delay,
        nextval(pg_get_serial_sequence('cafcases_case', 'id')) AS case_id,
        caf_agent.id AS caf_agent, cpam_agent.id AS cpam_agent, random() AS pick,
        random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
        random() AS r6, random() AS r7, random() AS r8, random() AS r9, random() AS r10
    FROM cafcases_person p
    JOIN cafcases_organisation caf ON caf.id = p.caf_id
    JOIN cafcases_organisation cpam ON cpam.kind = 'CPAM' AND cpam.department = caf.department
    LEFT JOIN cafcases_country country ON country.code = p.birth_country_id
    LEFT JOIN first_agent caf_agent ON caf_agent.organisation_id = caf.id
    LEFT JOIN first_agent cpam_agent ON cpam_agent.organisation_id = cpam.id
    WHERE p.birth_name LIKE 'BENCH%%' AND p.id > %(after_person)s
    ORDER BY p.id
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

CASES_SQL = """
INSERT INTO cafcases_case (
    id, person_id, caf_id, cpam_id, assigned_to_id, status, side, track, benefits_at_risk, priority, opened_at,
    closed_at, closing_reason, version, papers_due_on, nia_valid_until, certification_expected_on,
    forecast_certified_on, next_deadline, last_event_at
)
SELECT case_id, person_id, caf_id, cpam_id,
    CASE WHEN stage < 7 AND r9 < 0.35 THEN CASE WHEN stage IN (0, 6) THEN caf_agent ELSE cpam_agent END END,
    (ARRAY['nia_only', 'waiting_number_issued', 'documents_requested', 'documents_complete',
           'sent_for_certification', 'awaiting_country', 'certified', 'closed'])[stage + 1],
    (ARRAY['CAF', 'CPAM', 'CPAM', 'CPAM', 'CPAM', 'CPAM', 'CAF', ''])[stage + 1],
    'standard', CASE WHEN r10 < 0.3 THEN '["rsa"]' ELSE '[]' END::jsonb,
    CASE WHEN stage = 7 THEN 0 ELSE (r10 * 100)::int END, opened_at,
    CASE WHEN stage = 7 THEN opened_at + interval '1 day' * c_close END,
    CASE WHEN stage = 7 THEN 'certified_and_migrated' ELSE '' END, stage + 1,
    CASE WHEN stage >= 2 THEN (opened_at + interval '1 day' * c_request + interval '3 months')::date END,
    (opened_at + interval '9 months')::date,
    CASE WHEN stage IN (4, 5) THEN (opened_at + interval '1 day' * c_send)::date + delay END,
    CASE WHEN stage < 6 THEN (opened_at + interval '1 day' * c_send)::date + delay END,
    CASE
        WHEN stage = 2 THEN least((opened_at + interval '1 day' * c_request + interval '3 months')::date,
                                  (opened_at + interval '9 months')::date)
        WHEN stage IN (4, 5) THEN least((opened_at + interval '1 day' * c_send)::date + delay,
                                        (opened_at + interval '9 months')::date)
        WHEN stage < 6 THEN (opened_at + interval '9 months')::date
    END,
    opened_at + interval '1 day' * span
FROM bench_plan
"""

EVENTS_SQL = """
INSERT INTO cafcases_caseevent (case_id, at, by_id, kind, from_status, to_status, move, summary, comment)
SELECT p.case_id, p.opened_at + interval '1 day' * e.days, CASE WHEN e.stage IN (0, 1, 6, 7) THEN p.caf_agent
    ELSE p.cpam_agent END, e.kind, e.from_status, e.to_status, e.move, e.kind, ''
FROM bench_plan p
CROSS JOIN LATERAL (VALUES
    (0, 'opened', 0.0, '', '', ''),
    (0, 'contact', p.c_issue / 2, '', '', ''),
    (1, 'transition', p.c_issue, 'nia_only', 'waiting_number_issued', 'issue_waiting_number'),
    (2, 'transition', p.c_request, 'waiting_number_issued', 'documents_requested', 'request_documents'),
    (2, 'document', p.c_request + (p.c_complete - p.c_request) / 4, '', '', ''),
    (2, 'document', p.c_request + (p.c_complete - p.c_request) / 2, '', '', ''),
    (2, 'contact', p.c_request + (p.c_complete - p.c_request) * 0.6, '', '', ''),
    (3, 'transition', p.c_complete, 'documents_requested', 'documents_complete', 'mark_documents_complete'),
    (4, 'transition', p.c_send, 'documents_complete', 'sent_for_certification', 'send_for_certification'),
    (5, 'transition', p.c_country, 'sent_for_certification', 'awaiting_country', 'mark_awaiting_country'),
    (5, 'chase', p.c_country + 30, '', '', ''),
    (6, 'transition', p.c_certify, 'awaiting_country', 'certified', 'record_certified_nir'),
    (7, 'transition', p.c_close, 'certified', 'closed', 'close_certified')
) AS e(stage, kind, days, from_status, to_status, move)
WHERE p.stage >= e.stage AND e.days <= p.span + 0.001
UNION ALL
SELECT p.case_id, greatest(p.opened_at + interval '1 day' * p.span, now() - interval '1 day' * p.r7 * 40),
    CASE WHEN p.stage IN (0, 6) THEN p.caf_agent ELSE p.cpam_agent END, 'assignment', '', '', '', 'assignment', ''
FROM bench_plan p
WHERE p.stage < 7 AND p.r9 < 0.35
"""

REQUESTS_SQL = """
INSERT INTO cafcases_certificationrequest (
    case_id, authority, country_id, channel, reference, sent_on, expected_on, answered_on, outcome, created_by_id
)
SELECT p.case_id, r.authority, p.country_id, 'portal', '', r.sent_on, r.sent_on + p.delay,
    CASE WHEN p.stage >= 6 THEN (p.opened_at + interval '1 day' * p.c_certify)::date END,
    CASE WHEN p.stage >= 6 THEN 'confirmed' ELSE '' END, NULL
FROM bench_plan p
CROSS JOIN LATERAL (VALUES
    (4, 'sandia', (p.opened_at + interval '1 day' * p.c_send)::date),
    (5, 'country_registry', (p.opened_at + interval '1 day' * p.c_country)::date)
) AS r(stage, authority, sent_on)
WHERE p.stage >= r.stage
"""

# NIA for everyone, the waiting number from stage 1, the NIR from stage 6; key = 97 - body mod 97.
IDENTIFIERS_SQL = """
INSERT INTO cafcases_identifier (
    person_id, kind, value, issuing_organisation_id, issued_on, certified_on, status, superseded_at, created_at,
    recorded_by_id
)
SELECT person_id, kind, value, issuer, issued_on, certified_on,
    CASE WHEN superseded_at IS NULL THEN 'active' ELSE 'superseded' END, superseded_at, created_at, recorded_by
FROM (SELECT *, body || lpad((97 - body::bigint %% 97)::text, 2, '0') AS value FROM (
    SELECT p.person_id, n.kind,
        n.digit || lpad((p.birth_year %% 100)::text, 2, '0') || lpad(p.birth_month::text, 2, '0') || p.country_id
            || lpad((n.first_order + p.rank_in_group)::text, 3, '0') AS body,
        n.issuer, n.issued_at::date AS issued_on, n.certified_on, s.superseded_at, n.issued_at AS created_at,
        n.recorded_by
    FROM bench_plan p
    CROSS JOIN LATERAL (VALUES
        (0, 'NIA', CASE WHEN p.sex = 'F' THEN '8' ELSE '7' END, 500, p.cpam_id, p.opened_at - interval '30 days',
         NULL::date, NULL::bigint),
        (1, 'CAF_WAITING', CASE WHEN p.sex = 'F' THEN '2' ELSE '1' END, 900, p.caf_id,
         p.opened_at + interval '1 day' * p.c_issue, NULL::date, p.caf_agent),
        (6, 'NIR', CASE WHEN p.sex = 'F' THEN '2' ELSE '1' END, 500, NULL::bigint,
         p.opened_at + interval '1 day' * p.c_certify, (p.opened_at + interval '1 day' * p.c_certify)::date,
         p.cpam_agent)
    ) AS n(stage, kind, digit, first_order, issuer, issued_at, certified_on, recorded_by)
    CROSS JOIN LATERAL (
        SELECT CASE WHEN p.stage >= 6 AND n.kind <> 'NIR' THEN p.opened_at + interval '1 day' * p.c_certify END
            AS superseded_at
    ) AS s
    WHERE p.stage >= n.stage
) AS bodies) AS numbers
WHERE NOT EXISTS (SELECT 1 FROM bench_taken t WHERE t.value = numbers.value)
"""

# The few numbers held before the load (the demo people's): a hash anti-join instead of ON CONFLICT on every row.
TAKEN_SQL = "CREATE TEMP TABLE bench_taken AS SELECT value FROM cafcases_identifier"


def secondary_indexes():
    """(name, definition) of the big tables' indexes that back no constraint: dropped during the load."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            ORDER BY i.indexname
            """,
            [list(LOADED_TABLES)],
        )
        return cursor.fetchall()


def seed_volume(target, *, log=print):
    """Reach ``target`` BENCH cases; return the seconds spent (0 when nothing was missing)."""
    assert connection.vendor == "postgresql" and "bench" in connection.settings_dict["NAME"], "bench database only"
    have = Case.objects.filter(person__birth_name__startswith="BENCH").count()
    missing = target - have
    if missing <= 0:
        return 0.0
    started = time.perf_counter()
    cafs = list(Organisation.objects.cafs().order_by("code").values_list("pk", flat=True))
    last_person = Case.objects.filter(person__birth_name__startswith="BENCH").order_by("-person_id").first()
    parameters = {
        "countries": list(demo_data.COUNTRY_CODES),
        "country_count": len(demo_data.COUNTRY_CODES),
        "cafs": cafs,
        "caf_count": len(cafs),
        "first": have + 1,
        "last": target,
        "first_number": FIRST_BENEFICIARY_NUMBER,
        "group": PEOPLE_PER_GROUP,
        "years": BIRTH_YEARS,
        "after_person": last_person.person_id if last_person else 0,
    }
    indexes = secondary_indexes()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        for label, sql in (
            ("people", PEOPLE_SQL),
            ("plan", PLAN_SQL),
            ("cases", CASES_SQL),
            ("events", EVENTS_SQL),
            ("requests", REQUESTS_SQL),
            ("taken numbers", TAKEN_SQL),
            ("identifiers", IDENTIFIERS_SQL),
        ):
            step = time.perf_counter()
            cursor.execute(sql, parameters)
            log(f"    {label}: {cursor.rowcount:,} rows in {time.perf_counter() - step:.1f} s")
        cursor.execute("DROP TABLE bench_plan, bench_taken")
        step = time.perf_counter()
        for _name, definition in indexes:
            cursor.execute(definition)
        log(f"    {len(indexes)} indexes rebuilt in {time.perf_counter() - step:.1f} s")
    with connection.cursor() as cursor:
        step = time.perf_counter()
        for table in LOADED_TABLES:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        log(f"    vacuum and analyze in {time.perf_counter() - step:.1f} s")
    return time.perf_counter() - started


def bench_agents(organisation, count):
    """``count`` agents of one caisse for the concurrent take-next clients (created once, found again after)."""
    agents = []
    for index in range(1, count + 1):
        username = f"bench.{organisation.code.lower()}.{index}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role="agent", organisation=organisation, first_name="Bench")
            user.last_name = f"Agent {index}"
            user.set_unusable_password()
            user.save()
        agents.append(user)
    return agents


def table_sizes():
    """{table: estimated rows} of the loaded tables (from the statistics the seeding just refreshed)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)", [list(LOADED_TABLES)])
        return dict(cursor.fetchall())
