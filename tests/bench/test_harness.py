"""The benchmark harness's pure parts (bench/harness.py, bench/load.py's parser): no database, no server."""

import json

import pytest

from bench import harness
from bench.load import parse_wrk

PLAN_WITH_SEQ_SCAN = """\
Sort  (cost=937.88..938.75 rows=347 width=32) (actual time=8.733..8.759 rows=459 loops=1)
  ->  Hash Join  (cost=346.77..923.24 rows=347 width=32) (actual time=0.798..4.142 rows=459 loops=1)
        ->  Seq Scan on cafcases_case  (cost=0.00..522.00 rows=10200 width=10) (actual rows=10200 loops=1)
        ->  Hash  (cost=342.43..342.43 rows=347 width=30) (actual time=0.725..0.728 rows=459 loops=1)
              ->  Parallel Seq Scan on cafcases_caseevent  (cost=0.00..342.43 rows=347 width=30)
              ->  Seq Scan on cafcases_country  (cost=0.00..3.29 rows=229 width=30)
              ->  Seq Scan on cafcases_case  (cost=0.00..522.00 rows=10200 width=10)
Planning Time: 0.409 ms
Execution Time: 8.842 ms
"""

PLAN_WITH_INDEXES = """\
Limit  (cost=0.57..2.67 rows=1 width=273) (actual time=0.061..0.062 rows=1 loops=1)
  ->  Index Scan using case_cpam_to_take on cafcases_case  (cost=0.42..8.44 rows=1 width=10)
  ->  Index Only Scan using identifier_value_unique on cafcases_identifier U0  (cost=0.42..8.44 rows=1 width=8)
Execution Time: 0.151 ms
"""


def results(small_queue=20.0, large_queue=24.0, health=5.0, take_p95=4.0, duplicates=0, dashboard=250.0):
    def scale(queue, queries):
        return {
            "seed_s": 1.0,
            "rows": {"cafcases_case": 10},
            "queries": {"queue": queries, "case": 12},
            "http": {
                "health": {"p50_ms": 1.0, "p95_ms": health, "requests": 10, "errors": 0},
                "queue": {"p50_ms": queue / 2, "p95_ms": queue, "requests": 10, "errors": 0},
                "dashboard": {"p50_ms": dashboard / 2, "p95_ms": dashboard, "requests": 10, "errors": 0},
                "take_next": {
                    "p50_ms": 2.0,
                    "p95_ms": take_p95,
                    "requests": 200,
                    "errors": 0,
                    "duplicates": duplicates,
                },
            },
            "explain": {"queue #1": {"ms": 0.2, "seq_scans": []}},
        }

    return {
        "finished_at": "2026-11-29T20:00:00+00:00",
        "machine": {"CPUs (nproc)": 2},
        "scales": {"10000": scale(small_queue, 14), "1000000": scale(large_queue, 14)},
        "import": {"rows": 68_000, "dry_run_s": 2.0, "full_s": 2.8, "rows_per_s": 24_286, "copy_s": 0.3},
        "failures": [],
    }


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([5], 0.5, 5),
        ([1, 2, 3, 4], 0.5, 2),
        (list(range(1, 101)), 0.95, 95),
        (list(range(100, 0, -1)), 0.95, 95),  # order does not matter
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95, 10),  # nearest rank: a latency some request really had
        ([3.5, 1.5], 1.0, 3.5),
    ],
)
def test_percentile_is_the_nearest_rank(values, fraction, expected):
    assert harness.percentile(values, fraction) == expected


@pytest.mark.parametrize(("values", "fraction"), [([], 0.5), ([1], 0), ([1], 1.5)])
def test_percentile_refuses_what_has_no_answer(values, fraction):
    with pytest.raises(ValueError):
        harness.percentile(values, fraction)


def test_seq_scan_detector_names_each_big_table_once_and_ignores_small_ones():
    assert harness.seq_scans(PLAN_WITH_SEQ_SCAN) == ["cafcases_case", "cafcases_caseevent"]
    assert harness.seq_scans(PLAN_WITH_INDEXES) == []
    assert harness.execution_ms(PLAN_WITH_SEQ_SCAN) == 8.842
    assert harness.execution_ms("Seq Scan on cafcases_case") is None


def test_numbers_are_redacted_from_sql_and_plans():
    text = "WHERE U0.\"value\" = '798049921203110' OR value = '290062A004045' AND id = 123456"
    redacted = harness.redact_numbers(text)
    assert "798049921203110" not in redacted and "2A004" not in redacted
    assert redacted.count("<numéro>") == 2 and "123456" in redacted


def test_goals_compare_the_ratios_with_their_targets():
    verdicts = {goal["name"]: goal["met"] for goal in harness.goals(results())}
    assert verdicts == {
        "queue p95 ÷ /sante/ p95 (at 1000000)": False,  # 24 / 5 = 4.8
        "queue p95 at 1000000 ÷ at 10000": True,  # 1.2
        "import ÷ its dry run": True,  # 1.4
        "import rows per second": True,
        "take-next p95 (at 1000000)": True,
        "take-next duplicate assignments": True,
        "dashboard p95 at 1M": True,
    }
    verdicts = {goal["name"]: goal["met"] for goal in harness.goals(results(large_queue=30.0, duplicates=1))}
    assert verdicts["queue p95 at 1000000 ÷ at 10000"] is False
    assert verdicts["take-next duplicate assignments"] is False


def test_goals_without_a_figure_are_not_measured_rather_than_met():
    partial = results()
    del partial["scales"]["1000000"]
    del partial["import"]
    verdicts = {goal["name"]: goal["met"] for goal in harness.goals(partial)}
    assert verdicts["queue p95 at 1M ÷ at 10k"] is None
    assert verdicts["import ÷ its dry run"] is None
    assert verdicts["dashboard p95 at 1M"] is None
    assert verdicts["take-next p95 (at 10000)"] is True


def test_query_counts_that_change_with_the_volume_fail():
    data = results()
    assert harness.query_count_failures(data) == []
    data["scales"]["1000000"]["queries"]["case"] = 13
    assert harness.query_count_failures(data) == [
        "query count of case changes with the volume (10,000 cases: 12, 1,000,000 cases: 13)"
    ]


def test_results_writer_writes_json_and_a_markdown_table(tmp_path):
    json_path, md_path = harness.write_results(results(), tmp_path)
    written = json.loads(json_path.read_text(encoding="utf-8"))
    assert written["scales"]["10000"]["http"]["queue"]["p95_ms"] == 20.0
    assert {goal["name"] for goal in written["goals"]} >= {"import ÷ its dry run", "dashboard p95 at 1M"}
    markdown = md_path.read_text(encoding="utf-8")
    assert "| queue /dossiers/ | 10.0 | 20.0 | 14 | 12.0 | 24.0 | 14 |" in markdown
    assert "| queue p95 ÷ /sante/ p95 (at 1000000) | 4.80 | ≤ 3 | **MISSED** |" in markdown
    assert "| full import | 2.80 | 24,286 |" in markdown
    assert "all passed" in markdown


def test_wrk_summary_is_parsed_with_taken_cases():
    output = (
        "Running 5s test @ http://127.0.0.1:8000\n"
        "TAKEN 12,15,none,\nTAKEN 13,\n"
        "RESULT requests=4 p50=2100 p95=4800 p99=5100 max=6000 mean=2500.5 errors=0 bad_status=1 duration_us=5000000\n"
    )
    figures, taken = parse_wrk(output)
    assert figures["p50_ms"] == 2.1 and figures["p95_ms"] == 4.8 and figures["errors"] == 1
    assert taken == ["12", "15", "none", "13"]
    with pytest.raises(RuntimeError):
        parse_wrk("no summary")
