"""Snapshots of the dashboard: the tables and chart series of a scope, computed once and stored as JSON.

The figures come from the table builders of ``cafcases.stats.tables`` (the single source, also used by the exports);
a snapshot only stores their output in JSON form (dates as ISO strings, translated labels as text, each count with the
queue filters that list its cases). The page reads the snapshot of its scope while it is fresh (younger than
``DASHBOARD_SNAPSHOT_MAX_AGE_MINUTES`` and computed the same day), and otherwise computes the figures and stores them;
``manage.py refresh_dashboard`` recomputes every scope ahead of the visits (cron).
"""

import datetime
import time
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise

from cafcases.models import DashboardSnapshot
from cafcases.models.dashboard import NATIONAL_SCOPE

from . import tables

# Bumped when the layout of ``data`` changes: older snapshots are then recomputed on the next visit.
VERSION = 1


def scope_key(organisation):
    return organisation.code if organisation is not None else NATIONAL_SCOPE


def _plain(value):
    """A JSON value: dates as ISO strings, lazy translations as text, decimals as floats."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _table(table):
    return {
        "title": str(table.title),
        "header": [str(title) for title in table.header],
        "rows": [
            [
                {
                    "value": _plain(cell.value),
                    "kind": cell.kind,
                    "filters": None if cell.filters is None else {k: _plain(v) for k, v in cell.filters.items()},
                }
                for cell in row
            ]
            for row in table.rows
        ],
    }


def _charts(built):
    return {
        "ageing": [{"label": str(row["label"]), "buckets": row["buckets"]} for row in built["anciennete"].data],
        "countries": [
            {"name": c.name, "expected": c.expected, "median": c.median, "p90": c.p90} for c in built["pays"].data
        ],
        "throughput": [{"week": week["week"].isoformat(), "counts": week["counts"]} for week in built["activite"].data],
    }


def compute(scope):
    """The scope's figures as JSON-serialisable data: one query per table, as the page computed them live."""
    built = {
        slug: build(scope)
        for slug, build in tables.TABLES.items()
        if slug != "charge" or scope.organisation is not None  # no workload for every caisse at once
    }
    return {
        "version": VERSION,
        "today": scope.today.isoformat(),
        "tables": {slug: _table(table) for slug, table in built.items()},
        "charts": _charts(built),
    }


def refresh(scope):
    """Compute the scope's figures and store them (replacing its snapshot): the snapshot."""
    started = time.perf_counter()
    data = compute(scope)
    duration_ms = round((time.perf_counter() - started) * 1000)
    snapshot, _created = DashboardSnapshot.objects.update_or_create(
        scope=scope_key(scope.organisation),
        defaults={
            "organisation": scope.organisation,
            "computed_at": timezone.now(),
            "duration_ms": duration_ms,
            "data": data,
        },
    )
    return snapshot


def max_age():
    return datetime.timedelta(minutes=getattr(settings, "DASHBOARD_SNAPSHOT_MAX_AGE_MINUTES", 30))


def is_fresh(snapshot, scope, now=None):
    """Fresh: same layout, computed for the same day, and younger than the maximum age (0 turns snapshots off)."""
    now = now or timezone.now()
    age = max_age()
    return (
        age > datetime.timedelta(0)
        and snapshot.data.get("version") == VERSION
        and snapshot.data.get("today") == scope.today.isoformat()
        and now - age < snapshot.computed_at <= now + datetime.timedelta(minutes=1)
    )


def current(scope):
    """The scope's snapshot: the stored one if fresh (one query), else recomputed and stored."""
    snapshot = DashboardSnapshot.objects.filter(scope=scope_key(scope.organisation)).first()
    if snapshot is not None and is_fresh(snapshot, scope):
        return snapshot
    return refresh(scope)


def load(data):
    """The stored data with its dates back as dates (date cells and chart weeks), for the page."""
    for table in data["tables"].values():
        for row in table["rows"]:
            for cell in row:
                if cell["kind"] == "date" and cell["value"] is not None:
                    cell["value"] = datetime.date.fromisoformat(cell["value"])
    for week in data["charts"]["throughput"]:
        week["week"] = datetime.date.fromisoformat(week["week"])
    return data
