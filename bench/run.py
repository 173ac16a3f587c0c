"""`make bench`: seed PostgreSQL at 10,000 then 1,000,000 cases, measure the pages over HTTP, write the results.

Environment: BENCH_SCALES (default "10000,1000000"), BENCH_SECONDS (seconds of wrk per page, default 10),
BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cafcases_bench; its name must contain "bench": the
harness drops and creates it), BENCH_KEEP_DB=1 to keep the database afterwards (BENCH_REUSE_DB=1 to start from
it again: only the missing volume is seeded), BENCH_NOTE (text for the results, "|" between notes),
BENCH_IMPORT=0 to skip the import, BENCH_RESULTS (default bench/results).

Exit status: 1 on a correctness failure (a duplicate assignment, a sequential scan of a big table, a query count that
changes with the volume, an HTTP error); speed goals that are missed are printed as MISSED and written in the
results, without failing the run.
"""

import datetime
import os
import platform
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cafcases_bench"
TAKE_CLIENTS = 8
TAKES_PER_CLIENT = 25


def log(message):
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", flush=True)


def prepare_database(url, *, reuse=False):
    """Drop and create the harness's own database (refused unless its name says bench); True if it was reused."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name or not re.fullmatch(r"[a-z0-9_]+", name):
        sys.exit(f"BENCH_DATABASE_URL must name a dedicated database containing 'bench' (got {name!r}).")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if reuse and exists:
            return name, maintenance, True
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    return name, maintenance, False


def drop_database(name, maintenance):
    import psycopg

    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def server_env(url, static_root):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "BENCH_STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def machine(wrk_version):
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    memory = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"model name\s*:\s*(.*)", cpuinfo)
    gunicorn = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "CPUs (nproc)": os.cpu_count(),
        "CPU model": model.group(1).strip() if model else platform.processor(),
        "memory": f"{int(memory.group(1)) / 1024 / 1024:.1f} GiB" if memory else "?",
        "load average at start": " ".join(f"{value:.2f}" for value in os.getloadavg()),
        "PostgreSQL": f"{postgres} (shared_buffers {shared_buffers})",
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "server": f"{gunicorn}, 2 sync workers, production settings without the TLS-only flags",
        "load generator": f"{wrk_version}, bench/wrk.lua",
        "kernel": platform.release(),
    }


def take_next_duplicates(agents, since, taken_ids):
    """Cases taken twice in the run: in the database (assignment events) and in the answers' Location headers."""
    from django.db.models import Count

    from cafcases.models import CaseEvent, EventKind

    events = CaseEvent.objects.filter(kind=EventKind.ASSIGNMENT, by__in=agents, at__gte=since)
    twice = events.values("case").annotate(times=Count("id")).filter(times__gt=1).count()
    answered = [value for value in taken_ids if value != "none"]
    return {
        "duplicates": max(twice, len(answered) - len(set(answered))),
        "assignment_events": events.count(),
        "cases_answered": len(answered),
        "answers_without_case": len(taken_ids) - len(answered),
    }


def measure_scale(scale, context, results, failures):
    from django.core.management import call_command

    from bench import probe, seed
    from bench.harness import SEQ_SCAN_CHECK_FROM
    from bench.load import run_wrk
    from cafcases.models import Case, Identifier

    log(f"seeding up to {scale:,} cases")
    seed_s = seed.seed_volume(scale, log=log)
    started = time.perf_counter()
    call_command("refresh_dashboard", verbosity=0)
    refresh_s = time.perf_counter() - started
    log(f"seeded in {seed_s:.1f} s, refresh_dashboard {refresh_s:.1f} s")
    if "case" not in context:
        case = (
            Case.objects.filter(caf=context["caf"], status="awaiting_country", assigned_to__isnull=False)
            .order_by("pk")
            .first()
        )
        context["case"] = case.pk
        context["number"] = Identifier.objects.get(person_id=case.person_id, kind="NIA").value
    search_body = urlencode({"q": context["number"], "csrfmiddlewaretoken": probe.CSRF_TOKEN})
    pages = {
        "health": ("GET", "/sante/", None),
        # What any signed-in page costs before its own work: the floor under the queue's ratio to /sante/.
        "floor": ("GET", "/mot-de-passe/", None),
        "queue": ("GET", "/dossiers/", None),
        "case": ("GET", f"/dossiers/{context['case']}/", None),
        "admin": ("GET", "/admin/cafcases/case/", None),
        "dashboard": ("GET", "/pilotage/", None),
        "search": ("POST", "/dossiers/recherche/", {"q": context["number"]}),
    }
    probe.touch_sessions([context["supervisor_session"], *context["agent_sessions"]])
    supervisor = probe.client_for(context["supervisor_session"])
    agent = probe.client_for(context["agent_sessions"][0])
    data = results["scales"][str(scale)] = {"seed_s": round(seed_s, 1), "refresh_dashboard_s": round(refresh_s, 1)}
    data["rows"] = seed.table_sizes()
    # The health check is what a load balancer calls: no session cookie, so no query (the baseline).
    counts = probe.count_queries(probe.client_for(None), {"health": pages["health"]})
    counts.update(probe.count_queries(supervisor, {name: page for name, page in pages.items() if name != "health"}))
    counts.update(probe.count_queries(agent, {"take_next": ("POST", "/dossiers/prendre/", {})}))
    data["queries"] = counts
    log(f"queries per page: {counts}")
    explained = {}
    explained.update(probe.summarise_plans("queue", probe.explain_page(supervisor, pages["queue"])))
    explained.update(
        probe.summarise_plans("take-next", probe.explain_page(agent, ("POST", "/dossiers/prendre/", {}), undo=True))
    )
    explained.update(probe.summarise_plans("search by number", probe.explain_page(supervisor, pages["search"])))
    data["explain"] = explained
    for name, plan in explained.items():
        print(f"--- EXPLAIN {name} at {scale:,} cases ---\n{plan['sql']}\n{plan['plan']}\n")
        if plan["seq_scans"]:
            message = f"{name} scans {', '.join(plan['seq_scans'])} sequentially at {scale:,} cases"
            if scale >= SEQ_SCAN_CHECK_FROM:
                failures.append(message)
            else:
                log(f"note: {message} (small tables: not a failure below {SEQ_SCAN_CHECK_FROM:,} cases)")
    http = data["http"] = {}
    url, seconds = context["url"], context["seconds"]
    for name, (method, path, _form) in pages.items():
        body = search_body if method == "POST" else ""
        sessions = [] if name == "health" else [context["supervisor_session"]]
        common = {"sessions": sessions, "csrf": probe.CSRF_TOKEN, "method": method}
        run_wrk(url, path, seconds=2, body=body, **common)  # warm-up: both workers, caches, plans
        figures, _taken = run_wrk(url, path, seconds=seconds, body=body, **common)
        http[name] = figures
        log(f"{name}: p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms ({figures['requests']} requests)")
        if figures["errors"]:
            failures.append(f"{name} had {figures['errors']} errors at {scale:,} cases")

    def take_next(clients):
        """wrk pressing "Prendre le suivant" from this many agents' sessions at once, TAKES_PER_CLIENT times each."""
        return run_wrk(
            url,
            "/dossiers/prendre/",
            sessions=context["agent_sessions"][:clients],
            csrf=probe.CSRF_TOKEN,
            method="POST",
            seconds=max(seconds * 3, 30),
            connections=clients,
            limit=TAKES_PER_CLIENT,
            capture=True,
            expect=302,
        )

    # One client: the time of a take itself, without waiting behind the others (8 clients share 2 CPUs).
    figures, _taken = take_next(1)
    http["take_next_single"] = figures
    log(f"take-next, one client: p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms")
    if figures["errors"]:
        failures.append(f"take-next (one client) had {figures['errors']} errors at {scale:,} cases")
    since = datetime.datetime.now(datetime.UTC)
    figures, taken = take_next(TAKE_CLIENTS)
    figures.update(take_next_duplicates(context["agents"], since, taken))
    http["take_next"] = figures
    log(
        f"take-next: p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, {figures['requests']} requests, "
        f"{figures['duplicates']} duplicates, {figures['answers_without_case']} answers without a case"
    )
    if figures["duplicates"]:
        failures.append(f"take-next assigned {figures['duplicates']} case(s) twice at {scale:,} cases")
    if figures["errors"] or figures["answers_without_case"]:
        failures.append(
            f"take-next: {figures['errors']} errors, {figures['answers_without_case']} answers without case"
        )
    if figures["assignment_events"] != figures["cases_answered"]:
        failures.append(
            f"take-next: {figures['assignment_events']} assignments recorded for {figures['cases_answered']} answers"
        )


def measure_import(url):
    """bench/import_people.py (68,000 rows: dry run, full import) and a raw COPY of such a file for reference."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DEBUG": "false"}
    timeout = int(os.environ.get("BENCH_IMPORT_TIMEOUT", "1200"))
    try:
        completed = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "import_people.py"), "--rows", "68000", "--repeat", "1"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=timeout,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"rows": 68_000, "timed_out": f"bench/import_people.py took more than {timeout} s"}
    print(completed.stdout[-3000:], completed.stderr[-3000:])
    times = dict(re.findall(r"^(dry run|full|re-run)\s+([\d.]+) s", completed.stdout, re.MULTILINE))
    if completed.returncode != 0 or "dry run" not in times or "full" not in times:
        return {"rows": 68_000, "error": f"bench/import_people.py exited {completed.returncode}"}
    result = {"rows": 68_000, "dry_run_s": float(times["dry run"]), "full_s": float(times["full"])}
    result["rows_per_s"] = round(result["rows"] / result["full_s"])
    result["copy_s"] = raw_copy_seconds(result["rows"])
    return result


def raw_copy_seconds(rows):
    """Seconds to COPY a file of the same rows into a table of text columns: the floor for moving the bytes."""
    from django.db import connection

    from cafcases.models import Identifier
    from tests.imports.generate import HEADER, people_rows, write_people_csv

    taken = set(Identifier.objects.values_list("value", flat=True).iterator(50_000))
    with tempfile.TemporaryDirectory() as folder:
        path = write_people_csv(Path(folder) / "people.csv", people_rows(rows, first_number=8_000_000, taken=taken))
        payload = path.read_bytes()
    columns = ", ".join(f"{name} text" for name in HEADER)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE bench_copy ({columns})")
        started = time.perf_counter()
        with cursor.cursor.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)") as copy:
            copy.write(payload)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy")
    return round(elapsed, 3)


def main():
    scales = sorted(int(value) for value in os.environ.get("BENCH_SCALES", "10000,1000000").split(",") if value)
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    results_folder = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))
    results_folder.mkdir(parents=True, exist_ok=True)
    from bench.load import Server, wrk_version

    version = wrk_version()
    name, maintenance, reused = prepare_database(url, reuse=os.environ.get("BENCH_REUSE_DB") == "1")
    static_root = tempfile.mkdtemp(prefix="cafcases-bench-static-")
    env = server_env(url, static_root)
    os.environ.update({key: value for key, value in env.items() if key != "PYTHONPATH"})
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    from bench import harness, probe, seed
    from cafcases.models import Organisation, User

    server = None
    failures = []
    results = {"started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"), "scales": {}}
    try:
        log(f"database {name}: migrate, seed_demo, collectstatic")
        call_command("migrate", verbosity=0)
        if not reused:
            with override_settings(DEBUG=True):
                call_command("seed_demo", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        results["machine"] = machine(version)
        supervisor = User.objects.get(username="superviseur.caf59")
        agents = seed.bench_agents(Organisation.objects.get(code="CPAM-59"), TAKE_CLIENTS)
        context = {
            "caf": supervisor.organisation,
            "supervisor_session": probe.login_session(supervisor),
            "agents": agents,
            "agent_sessions": [probe.login_session(agent) for agent in agents],
            "seconds": seconds,
        }
        server = Server(env, results_folder / "gunicorn.log")
        context["url"] = server.url
        log(f"gunicorn on {server.url}")
        for scale in scales:
            measure_scale(scale, context, results, failures)
        if os.environ.get("BENCH_IMPORT", "1") != "0":
            log("import of 68,000 rows")
            results["import"] = measure_import(url)
            if "error" in results["import"]:
                failures.append(f"import: {results['import']['error']}")
            if "timed_out" in results["import"]:
                log(f"import not measured: {results['import']['timed_out']}")
        failures += harness.query_count_failures(results)
    finally:
        if server is not None:
            server.stop()
        from django.db import connections

        connections.close_all()
        if os.environ.get("BENCH_KEEP_DB") != "1":
            drop_database(name, maintenance)
    results["finished_at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    results["failures"] = failures
    results["notes"] = [note for note in os.environ.get("BENCH_NOTE", "").split("|") if note]
    json_path, md_path = harness.write_results(results, results_folder)
    print(md_path.read_text())
    for goal in harness.goals(results):
        if goal["met"] is False:
            print(f"MISSED: {goal['name']}: {goal['value']:.2f} (target {goal['target']})")
    log(f"results: {json_path} and {md_path}")
    if failures:
        print("\n".join(f"FAILED: {failure}" for failure in failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
