"""The supervisors' figures, each computed by one SQL query whatever the number of cases.

Each function takes a ``Scope`` (a caisse, or every caisse) and returns plain data; ``cafcases.views.dashboard`` adds
the links to the queue, ``cafcases.exports`` writes the tables out. The sets of cases behind the counts are defined in
``cafcases.stats.definitions`` and shared with the queue's filters.
"""

import datetime
import operator
from dataclasses import dataclass
from functools import cached_property, reduce

from django.db.models import Case as CaseWhen
from django.db.models import Count, F, Func, IntegerField, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from cafcases import clocks
from cafcases.models import Case, CaseEvent, CaseStatus, CertificationRequest, Organisation, User

from .definitions import (
    AGE_BUCKETS,
    AGED_STATUSES,
    COUNTRY_AUTHORITIES_EXCLUDED,
    DEADLINES,
    THROUGHPUT_MILESTONES,
    deadline_conditions,
    milestone_conditions,
    milestone_period,
    monday_of,
    open_request_condition,
    stage_entered_at,
    throughput_weeks,
    with_milestone,
)
from .percentiles import DaysBetween, PercentileCont

# A LIMIT no caisse reaches: it keeps a derived table whole (an "optimisation fence"). Without it PostgreSQL and SQLite
# flatten the table into the outer query and run its correlated subquery once per aggregate using it.
NO_FLATTENING = 10**12
# Observed certification delays: the answers received in the last 12 months, as the forecasts of cafcases.clocks use.
OBSERVED_WINDOW = clocks.FORECAST_WINDOW


@dataclass(frozen=True)
class Scope:
    """The cases a dashboard covers: one caisse's (as the queue shows them), or every caisse's (``None``)."""

    organisation: Organisation | None
    today: datetime.date

    @cached_property
    def cases(self):
        if self.organisation is None:
            return Case.objects.all()
        return Case.objects.for_organisation(self.organisation)

    def restrict(self, queryset, prefix="case__"):
        """Restrict rows that point to a case (events, requests) to the scope's cases, by a join on the caisse."""
        if self.organisation is None:
            return queryset
        field = "caf" if self.organisation.is_caf else "cpam"
        return queryset.filter(**{f"{prefix}{field}": self.organisation})


def status_counts(scope):
    """[{status, label, count}] for every stage, closed included, in the journey's order."""
    counts = dict(scope.cases.order_by().values_list("status").annotate(n=Count("pk")))
    return [{"status": status, "label": status.label, "count": counts.get(status.value, 0)} for status in CaseStatus]


def ageing(scope):
    """[{status, label, buckets: [count per AGE_BUCKETS], total}] for the open stages.

    One query: the moment each open case entered its stage comes from a correlated subquery (see
    ``stage_entered_at``) in a derived table (kept whole by NO_FLATTENING, so that it runs once per case); the
    conditional counts per (stage, bucket) are taken over that table.
    """
    counts = (
        scope.cases.open()
        .annotate(stage_entered_at=stage_entered_at())
        .order_by()
        .values("pk", "status", "stage_entered_at")[:NO_FLATTENING]
        .aggregate(
            **{
                f"n_{status_index}_{bucket_index}": Count(
                    "pk", filter=Q(status=status) & bucket.q("stage_entered_at", scope.today)
                )
                for status_index, status in enumerate(AGED_STATUSES)
                for bucket_index, bucket in enumerate(AGE_BUCKETS)
            }
        )
    )
    rows = []
    for status_index, status in enumerate(AGED_STATUSES):
        buckets = [counts[f"n_{status_index}_{bucket_index}"] for bucket_index in range(len(AGE_BUCKETS))]
        rows.append({"status": status, "label": status.label, "buckets": buckets, "total": sum(buckets)})
    return rows


@dataclass
class CountryDelays:
    code: str
    name: str
    expected: int  # Country.certification_delay_days
    answered: int  # answers received in OBSERVED_WINDOW
    median: float | None  # days from sending to answer
    p90: float | None
    open_cases: int  # open cases with an unanswered request
    overdue_cases: int  # … past its expected answer date
    oldest_open_days: int | None  # age of the oldest unanswered request

    @property
    def gap(self):
        """Observed median minus the reference delay, in days: positive when the country is slower than expected."""
        return None if self.median is None else self.median - self.expected


def certification_by_country(scope):
    """Per country of birth: reference delay, observed median and 90th percentile, open and overdue requests.

    Sorted by the worst gap (observed median − reference) first; countries without recent answers come last, the most
    overdue first.
    """
    today = scope.today
    answered = Q(answered_on__isnull=False, answered_on__gte=today - OBSERVED_WINDOW)
    still_open = open_request_condition(today)
    overdue = open_request_condition(today, overdue=True)
    duration = DaysBetween("answered_on", "sent_on")
    country = "case__person__birth_country"
    requests = (
        scope.restrict(CertificationRequest.objects.all())
        .exclude(authority__in=COUNTRY_AUTHORITIES_EXCLUDED)
        .filter(**{f"{country}__isnull": False})
        .filter(answered | still_open)
    )
    rows = (
        requests.order_by()
        .values(code=F(country), name=F(f"{country}__name"), expected=F(f"{country}__certification_delay_days"))
        .annotate(
            answered=Count("pk", filter=answered),
            median=PercentileCont(duration, 0.5, filter=answered),
            p90=PercentileCont(duration, 0.9, filter=answered),
            open_cases=Count("case", distinct=True, filter=still_open),
            overdue_cases=Count("case", distinct=True, filter=overdue),
            oldest_sent_on=Min("sent_on", filter=still_open),
        )
    )
    countries = [
        CountryDelays(
            code=row["code"],
            name=row["name"],
            expected=row["expected"],
            answered=row["answered"],
            median=row["median"],
            p90=row["p90"],
            open_cases=row["open_cases"],
            overdue_cases=row["overdue_cases"],
            oldest_open_days=(today - row["oldest_sent_on"]).days if row["oldest_sent_on"] else None,
        )
        for row in rows
    ]
    countries.sort(key=lambda c: (c.gap is None, -(c.gap or 0), -c.overdue_cases, -c.open_cases, c.name))
    return countries


def deadlines(scope):
    """{slug: number of cases} for each deadline of DEADLINES (papers at risk or missed, NIA ending)."""
    conditions = deadline_conditions(scope.today)
    return scope.cases.aggregate(**{slug: Count("pk", filter=conditions[slug]) for slug in DEADLINES})


def waiting_number_delay(scope):
    """Days from a case's opening to its CAF waiting number: {count, median, p90}, over the 26-week window.

    Counted on the ``issue_waiting_number`` transitions of the window, so that the figure follows recent practice.
    """
    start, end = milestone_period(scope.today)
    issued = milestone_conditions()["numero-attente"]
    events = scope.restrict(CaseEvent.objects.filter(issued, at__gte=start, at__lt=end))
    duration = DaysBetween("at", "case__opened_at")
    return events.aggregate(
        count=Count("case", distinct=True),
        median=PercentileCont(duration, 0.5),
        p90=PercentileCont(duration, 0.9),
    )


def throughput(scope):
    """[{week (Monday), counts: {milestone: number of cases}}] for the 26 weeks, oldest first.

    One query over the window's events: each event is labelled with its milestone, then the distinct cases are counted
    per (local week, milestone), so that a number is the size of the queue's list behind it.
    """
    start, end = milestone_period(scope.today)
    conditions = milestone_conditions()
    milestone = CaseWhen(
        *[When(conditions[slug], then=Value(index)) for index, slug in enumerate(THROUGHPUT_MILESTONES)],
        output_field=IntegerField(),
    )
    any_milestone = reduce(operator.or_, (conditions[slug] for slug in THROUGHPUT_MILESTONES))
    events = scope.restrict(CaseEvent.objects.filter(any_milestone, at__gte=start, at__lt=end))
    rows = (
        events.annotate(milestone=milestone)
        .annotate(week=TruncWeek("at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("week", "milestone")
        .annotate(n=Count("case", distinct=True))
    )
    counts = {}
    for row in rows:
        week = row["week"]
        week = timezone.localtime(week).date() if isinstance(week, datetime.datetime) else week
        counts[(week, THROUGHPUT_MILESTONES[row["milestone"]])] = row["n"]
    return [
        {"week": week, "counts": {slug: counts.get((week, slug), 0) for slug in THROUGHPUT_MILESTONES}}
        for week in throughput_weeks(scope.today)
    ]


def _count(queryset):
    """A correlated ``SELECT COUNT(*)`` usable as an annotation (0 when nothing matches)."""
    return Coalesce(
        Subquery(queryset.order_by().annotate(n=Func(Value(1), function="COUNT")).values("n")[:1]), Value(0)
    )


def workload(scope):
    """[{agent, open, overdue, taken}] for the active staff of the caisse; [] for every caisse at once.

    ``open``: open cases assigned to them; ``overdue``: of those, past their next deadline; ``taken``: of those, the
    ones assigned this week (an assignment event since Monday, whether they took the case or were given it).
    """
    if scope.organisation is None:
        return []
    today = scope.today
    assigned = scope.cases.open().filter(assigned_to=OuterRef("pk"))
    staff = (
        User.objects.filter(organisation=scope.organisation, is_active=True)
        .annotate(
            open_cases=_count(assigned),
            overdue_cases=_count(assigned.filter(next_deadline__lt=today)),
            taken_cases=_count(with_milestone(assigned, "attribution", today, monday_of(today))),
        )
        .order_by("last_name", "first_name", "username")
    )
    return [
        {"agent": user, "open": user.open_cases, "overdue": user.overdue_cases, "taken": user.taken_cases}
        for user in staff
    ]
