"""The harness's pure parts: percentiles, the sequential-scan detector, the goals, the results writer.

No Django and no database here, so that tests/bench/ checks them in milliseconds and the harness does not rot.
"""

import json
import math
import re
from pathlib import Path

BIG_TABLES = ("cafcases_case", "cafcases_person", "cafcases_identifier", "cafcases_caseevent")
# Below this many cases PostgreSQL rightly prefers a sequential scan of a small table: the check applies from here.
SEQ_SCAN_CHECK_FROM = 100_000

PAGES = {
    "health": "/sante/ (baseline, no query)",
    "floor": "password form /mot-de-passe/ (signed-in floor: session, user, a small form)",
    "queue": "queue /dossiers/",
    "case": "case page /dossiers/<id>/",
    "admin": "admin changelist /admin/cafcases/case/",
    "dashboard": "dashboard /pilotage/",
    "search": "search by number POST /dossiers/recherche/",
    "take_next_single": "take-next POST /dossiers/prendre/ (1 client: the time of one take)",
    "take_next": "take-next POST /dossiers/prendre/ (8 clients)",
}

SEQ_SCAN_RE = re.compile(r"(?:Parallel )?Seq Scan on (\w+)")
EXECUTION_RE = re.compile(r"Execution Time: ([\d.]+) ms")
# A social-security number (15 characters with the key, 13 without; 2A / 2B for Corsica) inside SQL or a plan.
NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{6}(?:[0-9]{2})?(?![0-9A-Za-z])")


def percentile(values, fraction):
    """The nearest-rank percentile (fraction in 0–1) of values: a latency that some request really had."""
    if not values:
        raise ValueError("no values")
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def seq_scans(plan_text, tables=BIG_TABLES):
    """Tables of ``tables`` that an EXPLAIN text plan reads sequentially (each listed once, in plan order)."""
    found = []
    for table in SEQ_SCAN_RE.findall(plan_text):
        if table in tables and table not in found:
            found.append(table)
    return found


def redact_numbers(text):
    """The text with every social-security-shaped number replaced: results and logs never carry one."""
    return NUMBER_RE.sub("<numéro>", text)


def execution_ms(plan_text):
    """The "Execution Time" of an EXPLAIN ANALYZE text plan, in milliseconds (None without ANALYZE)."""
    match = EXECUTION_RE.search(plan_text)
    return float(match.group(1)) if match else None


def ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def goals(results):
    """[{name, value, target, met}] of the issue's targets; ``met`` is None when the run lacks a figure."""
    scales = sorted(int(scale) for scale in results.get("scales", {}))
    small, large = (str(scales[0]), str(scales[-1])) if scales else (None, None)

    def p95(scale, page):
        return results["scales"].get(scale, {}).get("http", {}).get(page, {}).get("p95_ms") if scale else None

    imported = results.get("import") or {}
    take = (results["scales"].get(large, {}).get("http", {}).get("take_next") or {}) if large else {}
    rows = []

    def add(name, value, target, met, unit=""):
        value = round(value, 3) if isinstance(value, float) else value
        rows.append({"name": name, "value": value, "target": target, "met": met, "unit": unit})

    value = ratio(p95(large, "queue"), p95(large, "health"))
    add(f"queue p95 ÷ /sante/ p95 (at {large})", value, "≤ 3", None if value is None else value <= 3)
    if small != large:
        value = ratio(p95(large, "queue"), p95(small, "queue"))
        add(f"queue p95 at {large} ÷ at {small}", value, "≤ 1.3", None if value is None else value <= 1.3)
    else:
        add("queue p95 at 1M ÷ at 10k", None, "≤ 1.3", None)
    value = ratio(imported.get("full_s"), imported.get("dry_run_s"))
    add("import ÷ its dry run", value, "≤ 1.5", None if value is None else value <= 1.5)
    value = imported.get("rows_per_s")
    add("import rows per second", value, "≥ 20,000", None if value is None else value >= 20_000)
    value = take.get("p95_ms")
    add(f"take-next p95 (at {large})", value, "≤ 5 ms", None if value is None else value <= 5, "ms")
    value = take.get("duplicates")
    add("take-next duplicate assignments", value, "= 0", None if value is None else value == 0)
    value = p95(large, "dashboard") if large and int(large) >= 1_000_000 else None
    add("dashboard p95 at 1M", value, "≤ 300 ms", None if value is None else value <= 300, "ms")
    return rows


def _cell(value, digits=1):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _verdict(met):
    return {True: "met", False: "**MISSED**", None: "not measured"}[met]


def render_markdown(results):
    """The results as Markdown: machine, per-page latencies and query counts per scale, take-next, import, goals."""
    scales = sorted(results.get("scales", {}), key=int)
    lines = [f"# Benchmark results ({results.get('finished_at', '?')})", ""]
    machine = results.get("machine", {})
    lines += ["| machine | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in machine.items()]
    for note in results.get("notes", []):
        lines += ["", f"> {note}"]
    lines += [
        "",
        "## Seeding",
        "",
        "| cases | seconds | people | identifiers | cases | events |",
        "|---|---|---|---|---|---|",
    ]
    for scale in scales:
        data = results["scales"][scale]
        rows = data.get("rows", {})
        lines.append(
            f"| {int(scale):,} | {_cell(data.get('seed_s'))} | {_cell(rows.get('cafcases_person'))} | "
            f"{_cell(rows.get('cafcases_identifier'))} | {_cell(rows.get('cafcases_case'))} | "
            f"{_cell(rows.get('cafcases_caseevent'))} |"
        )
    header = "| page |" + "".join(
        f" p50 ms at {int(s):,} | p95 ms at {int(s):,} | queries at {int(s):,} |" for s in scales
    )
    lines += ["", "## Pages over HTTP (gunicorn, 2 workers)", "", header, "|---|" + "---|---|---|" * len(scales)]
    for page, label in PAGES.items():
        cells = []
        for scale in scales:
            data = results["scales"][scale]
            http = data.get("http", {}).get(page, {})
            cells += [_cell(http.get("p50_ms")), _cell(http.get("p95_ms")), _cell(data.get("queries", {}).get(page))]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Requests per measurement (errors): "
        + "; ".join(
            f"{int(scale):,}: "
            + ", ".join(
                f"{page} {http.get('requests', 0)} ({http.get('errors', 0)})"
                for page, http in results["scales"][scale].get("http", {}).items()
            )
            for scale in scales
        ),
    ]
    lines += ["", "## EXPLAIN (ANALYZE, BUFFERS)", "", "| cases | query | ms | sequential scans of big tables |"]
    lines += ["|---|---|---|---|"]
    for scale in scales:
        for name, plan in results["scales"][scale].get("explain", {}).items():
            scans = ", ".join(plan.get("seq_scans", [])) or "none"
            lines.append(f"| {int(scale):,} | {name} | {_cell(plan.get('ms'), 2)} | {scans} |")
    imported = results.get("import")
    if imported:
        lines += ["", "## Import of people (68,000 rows)", ""]
        lines += [f"> {imported[key]}" for key in ("error", "timed_out") if key in imported]
        lines += ["| run | seconds | rows/s |", "|---|---|---|"]
        for key, label in (("dry_run_s", "dry run"), ("full_s", "full import"), ("copy_s", "raw COPY (reference)")):
            seconds = imported.get(key)
            speed = imported["rows"] / seconds if seconds else None
            lines.append(f"| {label} | {_cell(seconds, 2)} | {_cell(speed, 0)} |")
    lines += ["", "## Goals", "", "| goal | value | target | verdict |", "|---|---|---|---|"]
    for goal in results.get("goals", []):
        value = goal["value"]
        shown = _cell(value, 2) + (f" {goal['unit']}" if value is not None and goal["unit"] else "")
        lines.append(f"| {goal['name']} | {shown} | {goal['target']} | {_verdict(goal['met'])} |")
    failures = results.get("failures", [])
    lines += ["", "## Correctness checks", ""]
    lines += [f"- FAILED: {failure}" for failure in failures] or [
        "- all passed (no duplicate, no sequential scan, query counts constant)"
    ]
    return "\n".join(lines) + "\n"


def write_results(results, folder, name="latest"):
    """Write ``name``.json and ``name``.md into folder; return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    results = {**results, "goals": goals(results)}
    json_path, md_path = folder / f"{name}.json", folder / f"{name}.md"
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
    md_path.write_text(render_markdown(results), encoding="utf-8")
    return json_path, md_path


def query_count_failures(results):
    """A message for each page whose query count differs between two scales (a count growing with rows)."""
    failures = []
    counts = {scale: data.get("queries", {}) for scale, data in results.get("scales", {}).items()}
    pages = {page for per_scale in counts.values() for page in per_scale}
    for page in sorted(pages):
        seen = {scale: per_scale[page] for scale, per_scale in counts.items() if page in per_scale}
        if len(set(seen.values())) > 1:
            shown = ", ".join(
                f"{int(scale):,} cases: {count}" for scale, count in sorted(seen.items(), key=lambda i: int(i[0]))
            )
            failures.append(f"query count of {page} changes with the volume ({shown})")
    return failures
