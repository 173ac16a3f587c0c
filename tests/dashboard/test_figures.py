"""The figures against the hand-computed story (tests/dashboard/story.py), on SQLite and on PostgreSQL alike."""

import datetime

import pytest

from cafcases.models import CaseStatus
from cafcases.stats import figures
from cafcases.stats.figures import Scope
from tests.dashboard.story import AFGHANISTAN, ALGERIA, TODAY

pytestmark = pytest.mark.django_db

S = CaseStatus


@pytest.fixture
def scope(story):
    return Scope(story.caf, TODAY)


def test_cases_per_status(scope):
    counts = {row["status"]: row["count"] for row in figures.status_counts(scope)}
    assert counts == {
        S.NIA_ONLY: 3,
        S.WAITING_NUMBER_ISSUED: 1,
        S.DOCUMENTS_REQUESTED: 3,
        S.DOCUMENTS_COMPLETE: 0,
        S.SENT_FOR_CERTIFICATION: 2,
        S.AWAITING_COUNTRY: 1,
        S.CERTIFIED: 3,
        S.CLOSED: 5,
    }


def test_ageing_buckets_count_days_in_the_current_stage(scope):
    buckets = {row["status"]: row["buckets"] for row in figures.ageing(scope)}
    assert buckets == {
        # 0–30, 31–60, 61–90, 91–180, > 180
        S.NIA_ONLY: [1, 1, 0, 0, 1],  # K1 30 days (local dates), K18 31 days, K2 221 days (no transition: opened_at)
        S.WAITING_NUMBER_ISSUED: [0, 0, 1, 0, 0],  # K3: 64 days since its waiting number
        S.DOCUMENTS_REQUESTED: [0, 1, 1, 1, 0],  # K4 49, K5 85, K6 110
        S.DOCUMENTS_COMPLETE: [0, 0, 0, 0, 0],
        S.SENT_FOR_CERTIFICATION: [0, 0, 0, 2, 0],  # K12 99, K16 129
        S.AWAITING_COUNTRY: [0, 0, 0, 1, 0],  # K13 146 (since the move to the country, not the sending)
        S.CERTIFIED: [0, 0, 0, 3, 0],  # K8 152 (an assignment is not a change of stage), K10 124, K15 110
    }


def test_certification_by_country_sorted_by_worst_gap(scope):
    algeria, afghanistan = figures.certification_by_country(scope)
    assert (algeria.code, afghanistan.code) == (ALGERIA, AFGHANISTAN)
    # Algeria: answers after 100, 130, 160 and 250 days (K11's answer is older than 12 months).
    assert algeria.expected == 120
    assert algeria.answered == 4
    assert algeria.median == pytest.approx(145)
    assert algeria.p90 == pytest.approx(223)  # 160 + 0.7 × (250 − 160)
    assert algeria.gap == pytest.approx(25)
    # K12's request is open; K13 has two overdue requests but counts once; the oldest was sent 160 days ago.
    assert (algeria.open_cases, algeria.overdue_cases, algeria.oldest_open_days) == (2, 1, 160)
    # Afghanistan: 60 and 80 days; K16's OFPRA request does not count for the country.
    assert (afghanistan.expected, afghanistan.answered) == (180, 2)
    assert afghanistan.median == pytest.approx(70)
    assert afghanistan.p90 == pytest.approx(78)
    assert afghanistan.gap == pytest.approx(-110)
    assert (afghanistan.open_cases, afghanistan.overdue_cases, afghanistan.oldest_open_days) == (0, 0, None)


def test_deadlines(scope):
    assert figures.deadlines(scope) == {
        "pieces-14-jours": 1,  # K5, papers due on 15/03
        "pieces-depassees": 1,  # K6, due on 20/02
        "nia-30-jours": 1,  # K18, NIA valid until 20/03
        "nia-expire": 2,  # K2 (01/03), K3 (01/02)
        "en-retard": 5,  # K2, K3, K6, K13 and K16 (OFPRA's 90 days)
    }


def test_time_to_waiting_number(scope):
    delay = figures.waiting_number_delay(scope)
    # In the 26 weeks since 16/09/24: K12 1, K16 1, K3 3.5, K5 5, K4 8, K6 10 days.
    assert delay["count"] == 6
    assert delay["median"] == pytest.approx(4.25)
    assert delay["p90"] == pytest.approx(9.0)


def week(day, month, year):
    return datetime.date(year, month, day)


def test_weekly_throughput(scope):
    rows = figures.throughput(scope)
    assert [row["week"] for row in rows][:2] == [week(16, 9, 2024), week(23, 9, 2024)]
    assert rows[-1]["week"] == week(10, 3, 2025)
    assert len(rows) == 26
    non_zero = {
        row["week"]: {slug: n for slug, n in row["counts"].items() if n} for row in rows if any(row["counts"].values())
    }
    assert non_zero == {
        week(30, 9, 2024): {
            "ouverture": 1,  # K16
            "numero-attente": 1,  # K16
            "envoi-certification": 1,  # K13
            "certification": 1,  # K14
            "cloture": 1,  # K14
        },
        week(7, 10, 2024): {"certification": 1},  # K8
        week(28, 10, 2024): {"ouverture": 2, "numero-attente": 1, "envoi-certification": 1},  # K6, K12; K12; K16
        week(4, 11, 2024): {"certification": 1},  # K10
        week(11, 11, 2024): {"numero-attente": 1},  # K6
        week(18, 11, 2024): {"certification": 1},  # K15
        week(25, 11, 2024): {"ouverture": 1, "envoi-certification": 1},  # K5; K12
        week(2, 12, 2024): {"numero-attente": 1, "certification": 1},  # K5; K9
        week(16, 12, 2024): {"cloture": 1},  # K9
        week(30, 12, 2024): {"ouverture": 1, "numero-attente": 1},  # K3
        week(6, 1, 2025): {"ouverture": 1},  # K4
        week(13, 1, 2025): {"numero-attente": 1},  # K4
        week(3, 2, 2025): {"ouverture": 2},  # K1, K18
        # K17 opened on Monday 00:30 in Paris, still Sunday in UTC: the week is the local one.
        week(3, 3, 2025): {"ouverture": 1, "cloture": 1},
    }


def test_workload_per_agent(scope, story):
    rows = [(row["agent"].username, row["open"], row["overdue"], row["taken"]) for row in figures.workload(scope)]
    assert rows == [
        ("sophie", 0, 0, 0),  # Bernard
        ("alice", 2, 1, 1),  # Martin: K1 (taken this morning), K2 (NIA expired, assigned last month)
        ("bruno", 3, 0, 1),  # Petit: K8 (this morning), K10 (last week), K18 (Sunday 23:30: last week)
    ]


def test_every_caisse_for_national_administrators(story):
    national = Scope(None, TODAY)
    counts = {row["status"]: row["count"] for row in figures.status_counts(national)}
    assert counts[S.WAITING_NUMBER_ISSUED] == 2  # K3 and the other CAF's X1
    assert counts[S.CERTIFIED] == 4  # + X2
    algeria = figures.certification_by_country(national)[0]
    assert algeria.answered == 5  # + X2's 10 days
    assert algeria.median == pytest.approx(130)
    assert figures.workload(national) == []


def test_a_cpam_sees_the_cases_it_works(story):
    cpam = Scope(story.cpam, TODAY)
    assert sum(row["count"] for row in figures.status_counts(cpam)) == 18
    assert figures.deadlines(cpam)["en-retard"] == 5
