"""Time ``import_people`` on a realistic 68,000-row file: the dry run (validation), the full import, the re-run.

    psql -h 127.0.0.1 -U postgres -c 'create database cafcases_imp'
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/cafcases_imp
    .venv/bin/python manage.py migrate
    DEBUG=true .venv/bin/python manage.py seed_demo
    .venv/bin/python bench/import_people.py --rows 68000 --repeat 3
    psql -h 127.0.0.1 -U postgres -c 'drop database cafcases_imp'

The file: demo profiles (names, partial birth dates, countries, addresses) with valid NIAs that no one in the base
holds, phones in the usual French shapes (some foreign), e-mails, benefit codes, ISO country codes in one row in five;
``;``-separated UTF-8 with a BOM, as a spreadsheet saves it. People are imported into CAF-59.

Each round: ``--dry-run``, then the full import, then the same file again (everything already present), then the
imported rows are deleted (and the tables vacuumed) so that the next round starts from the same base. Times are
wall-clock times of ``call_command`` in this process (Django already loaded), medians over the rounds; the CPU time
of this process (all its threads) and of its PostgreSQL backend (read from /proc when the server is local) tell
where the time goes when other processes share the machine. The target: full ÷ dry run ≤ 1.5 and at least 20,000
rows/s for the full import.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.management.base import CommandError  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from cafcases.models import Case, CaseEvent, Identifier, Organisation, Person  # noqa: E402
from tests.imports.generate import people_rows, write_people_csv  # noqa: E402

CAISSE = "CAF-59"
FIRST_NUMBER = 8_000_000  # beneficiary numbers of the bench people: above those of seed_demo's volume


def backend_cpu_seconds():
    """CPU time of this process's PostgreSQL backend so far, when the server runs on this machine (else None)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(*args):
    """(wall seconds, Python CPU seconds, backend CPU seconds or None, exit code, output) of one import."""
    out = StringIO()
    backend_before, cpu_before = backend_cpu_seconds(), time.process_time()
    started = time.perf_counter()
    try:
        call_command("import_people", *args, stdout=out, stderr=StringIO())
        code = 0
    except CommandError as error:
        code = error.returncode
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_before
    backend_after = backend_cpu_seconds()
    backend = None if backend_before is None or backend_after is None else backend_after - backend_before
    return SimpleNamespace(wall=wall, cpu=cpu, backend=backend, code=code, output=out.getvalue())


def bench_people(caf, count):
    return Person.objects.filter(
        caf=caf, beneficiary_number__gte=f"{FIRST_NUMBER:07d}", beneficiary_number__lt=f"{FIRST_NUMBER + count:07d}"
    )


def clean(caf, count):
    # Raw deletes: Model.delete() would send a signal per row, and the history app records each deleted person.
    people_sql, people_params = bench_people(caf, count).values("pk").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cases_sql = f"SELECT id FROM {Case._meta.db_table} WHERE person_id IN ({people_sql})"
        cursor.execute(f"DELETE FROM {CaseEvent._meta.db_table} WHERE case_id IN ({cases_sql})", people_params)
        cursor.execute(f"DELETE FROM {Case._meta.db_table} WHERE id IN ({cases_sql})", people_params)
        cursor.execute(f"DELETE FROM {Identifier._meta.db_table} WHERE person_id IN ({people_sql})", people_params)
        cursor.execute(f"DELETE FROM {Person._meta.db_table} WHERE id IN ({people_sql})", people_params)
    if connection.vendor == "postgresql":
        # As autovacuum would leave them between two imports: no dead rows, statistics up to date.
        with connection.cursor() as cursor:
            for model in (Person, Identifier, Case, CaseEvent):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=68_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the imported people of the last round")
    options = parser.parse_args()
    caf = Organisation.objects.filter(code=CAISSE).first()
    if caf is None:
        sys.exit(f"{CAISSE} is missing: run `manage.py seed_demo` on this database first.")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}, {os.cpu_count()} CPUs")
    clean(caf, options.rows)
    started = time.perf_counter()
    taken = set(Identifier.objects.values_list("value", flat=True))
    rows = people_rows(options.rows, first_number=FIRST_NUMBER, taken=taken)
    with tempfile.TemporaryDirectory() as folder:
        path = write_people_csv(Path(folder) / "people.csv", rows)
        size = path.stat().st_size / 1e6
        print(f"file: {options.rows} rows, {size:.1f} MB, generated in {time.perf_counter() - started:.1f} s")
        results = {"dry run": [], "full": [], "re-run": []}
        for round_number in range(1, options.repeat + 1):
            load = os.getloadavg()[0]
            dry = run(str(path), "--caisse", CAISSE, "--dry-run")
            assert dry.code == 0, dry.output
            full = run(str(path), "--caisse", CAISSE)
            assert full.code == 0, full.output
            assert bench_people(caf, options.rows).count() == options.rows
            again = run(str(path), "--caisse", CAISSE)
            assert again.code == 0 and f"Déjà présentes : {options.rows}" in again.output, again.output
            for name, result in zip(results, (dry, full, again), strict=True):
                results[name].append(result)
            print(
                f"round {round_number} (load average {load:.1f}): dry run {dry.wall:.2f} s, full {full.wall:.2f} s,"
                f" re-run {again.wall:.2f} s"
            )
            if not (options.keep and round_number == options.repeat):
                clean(caf, options.rows)
    print(full.output)
    print(f"{'':8} {'wall':>8} {'rows/s':>9} {'Python CPU':>11} {'PostgreSQL CPU':>15}")
    medians = {}
    for name, runs in results.items():
        medians[name] = wall = statistics.median(result.wall for result in runs)
        cpu = statistics.median(result.cpu for result in runs)
        backend = [result.backend for result in runs if result.backend is not None]
        backend_text = f"{statistics.median(backend):13.2f} s" if backend else f"{'n/a':>15}"
        print(f"{name:8} {wall:6.2f} s {options.rows / wall:9,.0f} {cpu:9.2f} s {backend_text}")
    print(f"ratio full / dry run: {medians['full'] / medians['dry run']:.2f} (target ≤ 1.5)")


if __name__ == "__main__":
    main()
