"""Percentiles and durations in SQL, on PostgreSQL and on SQLite.

PostgreSQL computes ``PERCENTILE_CONT(f) WITHIN GROUP (ORDER BY x)``: an ordered-set aggregate, in the database, next to
the other aggregates of the same query.

SQLite has no percentile function. The fallback is Python, but inside the same query: ``PercentileCont`` registers a
user-defined aggregate (``cafcases_percentile``) on the SQLite connection when the query is compiled, and SQLite calls
it back for each row of each group. The durations of the relevant rows are collected in Python and the percentile is
computed there with PostgreSQL's formula (linear interpolation between the two closest ranks), so that both databases
give the same figures, from the same queries, with the same number of queries. SQLite serves development and small
deployments; its memory use is that of one float per row of the group, which is fine at that size.
"""

import math

from django.db.models import Aggregate, FloatField, Func

SQLITE_PERCENTILE = "cafcases_percentile"


def percentile_cont(values, fraction):
    """PostgreSQL's PERCENTILE_CONT: the value at position fraction × (n − 1) of the sorted values, interpolated."""
    values = sorted(values)
    if not values:
        return None
    position = fraction * (len(values) - 1)
    low, high = math.floor(position), math.ceil(position)
    return values[low] + (values[high] - values[low]) * (position - low)


class _SQLitePercentile:
    """The SQLite side of ``PercentileCont``: SQLite calls step() for each row of a group, then finalize()."""

    def __init__(self):
        self.values = []
        self.fraction = None

    def step(self, value, fraction):
        self.fraction = fraction
        if value is not None:
            self.values.append(float(value))

    def finalize(self):
        return percentile_cont(self.values, self.fraction) if self.values else None


def register_sqlite_percentile(connection):
    """Make ``cafcases_percentile(value, fraction)`` available on this SQLite connection (cheap, idempotent)."""
    connection.ensure_connection()
    connection.connection.create_aggregate(SQLITE_PERCENTILE, 2, _SQLitePercentile)


class PercentileCont(Aggregate):
    """The continuous percentile ``fraction`` (0.5 for the median, 0.9 for the 90th percentile) of an expression."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False

    def __init__(self, expression, fraction, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        register_sqlite_percentile(connection)
        # On a copy, not through extra_context: Aggregate.as_sql() passes its own ``template`` when there is a filter.
        clone = self.copy()
        clone.function = SQLITE_PERCENTILE
        clone.template = "%(function)s(%(expressions)s, %(fraction)s)"
        return clone.as_sql(compiler, connection, **extra_context)


class DaysBetween(Func):
    """``end − start`` in days, as a float: whole days between two dates, fractional days between two datetimes."""

    output_field = FloatField()
    arity = 2

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        # date − date is an integer number of days; timestamptz − timestamptz an interval, read in seconds.
        end_field = self.source_expressions[0].output_field.get_internal_type()
        template = (
            "(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)::double precision"
            if end_field == "DateTimeField"
            else "(%(expressions)s)::double precision"
        )
        return self.as_sql(compiler, connection, template=template, arg_joiner=" - ", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite stores both as ISO text (datetimes in UTC); julianday() reads both.
        return self.as_sql(
            compiler, connection, template="(julianday(%(expressions)s))", arg_joiner=") - julianday(", **extra_context
        )
