"""The sets of cases the dashboard counts, defined once: the dashboard counts them, the queue lists them.

Every figure of the dashboard that is a number of cases is the size of one of these sets, so that the link from the
number to the queue (``cafcases.views.queue.QueueFilterForm``) shows exactly those cases. Days are counted in the
local calendar (Europe/Paris): a case that entered its stage yesterday at 23:30 is one day old today.
"""

import datetime
from dataclasses import dataclass

from django.db.models import DateTimeField, Exists, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cafcases.models import Authority, CaseEvent, CaseStatus, CertificationRequest, EventKind

PAPERS_AT_RISK_DAYS = 14
NIA_ENDING_DAYS = 30
THROUGHPUT_WEEKS = 26


def start_of_day(day):
    """Local midnight at the start of ``day``, as an aware datetime (DST handled by the zone)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


# Ageing --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeBucket:
    slug: str
    label: str
    low: int  # days in the stage, inclusive
    high: int | None  # inclusive; None: no upper bound

    def q(self, field, today):
        """The condition on a datetime ``field`` (the moment the stage began) for an age in this bucket today."""
        condition = Q()
        if self.high is not None:
            condition &= Q(**{f"{field}__gte": start_of_day(today - datetime.timedelta(days=self.high))})
        if self.low > 0:
            condition &= Q(**{f"{field}__lt": start_of_day(today - datetime.timedelta(days=self.low - 1))})
        return condition


AGE_BUCKETS = [
    AgeBucket("0-30", _("0 à 30 jours"), 0, 30),
    AgeBucket("31-60", _("31 à 60 jours"), 31, 60),
    AgeBucket("61-90", _("61 à 90 jours"), 61, 90),
    AgeBucket("91-180", _("91 à 180 jours"), 91, 180),
    AgeBucket("180+", _("plus de 180 jours"), 181, None),
]
AGE_BUCKET_BY_SLUG = {bucket.slug: bucket for bucket in AGE_BUCKETS}
AGED_STATUSES = [status for status in CaseStatus if status != CaseStatus.CLOSED]


def stage_entered_at():
    """When the case entered its current stage: its last TRANSITION event into its status, else its opening.

    Only a case still at ``nia_only`` has no transition into its status (it was opened there). A plain ``MAX()`` over
    the case's events (no GROUP BY, no sort): on PostgreSQL it costs a third less than ``ORDER BY at DESC LIMIT 1``.
    """
    last_transition = (
        CaseEvent.objects.filter(case=OuterRef("pk"), kind=EventKind.TRANSITION, to_status=OuterRef("status"))
        .order_by()
        .annotate(last=Func(F("at"), function="MAX"))
        .values("last")
    )
    return Coalesce(Subquery(last_transition, output_field=DateTimeField()), F("opened_at"))


def in_age_bucket(cases, slug, today):
    """Open cases whose age in their current stage falls in the bucket ``slug``."""
    bucket = AGE_BUCKET_BY_SLUG[slug]
    return cases.open().alias(stage_entered_at=stage_entered_at()).filter(bucket.q("stage_entered_at", today))


# Deadlines -----------------------------------------------------------------------------------------------------------


DEADLINES = {
    "pieces-14-jours": _("Pièces attendues dans les 14 jours"),
    "pieces-depassees": _("Délai des pièces dépassé"),
    "nia-30-jours": _("NIA expirant dans les 30 jours"),
    "nia-expire": _("NIA déjà expiré"),
    "en-retard": _("Échéance dépassée"),
}


def deadline_conditions(today):
    """{slug: condition on Case} of the deadlines the dashboard watches (labels in DEADLINES)."""
    open_not_certified = ~Q(status__in=[CaseStatus.CERTIFIED, CaseStatus.CLOSED])
    papers = Q(status=CaseStatus.DOCUMENTS_REQUESTED)
    papers_horizon = today + datetime.timedelta(days=PAPERS_AT_RISK_DAYS)
    nia_horizon = today + datetime.timedelta(days=NIA_ENDING_DAYS)
    return {
        "pieces-14-jours": papers & Q(papers_due_on__gte=today, papers_due_on__lte=papers_horizon),
        "pieces-depassees": papers & Q(papers_due_on__lt=today),
        "nia-30-jours": open_not_certified & Q(nia_valid_until__gte=today, nia_valid_until__lte=nia_horizon),
        "nia-expire": open_not_certified & Q(nia_valid_until__lt=today),
        "en-retard": ~Q(status=CaseStatus.CLOSED) & Q(next_deadline__lt=today),
    }


def with_deadline(cases, slug, today):
    return cases.filter(deadline_conditions(today)[slug])


# Certification requests ----------------------------------------------------------------------------------------------

# OFPRA certifies refugees whatever their country: its delays are not the country's, so they stay out of these figures.
COUNTRY_AUTHORITIES_EXCLUDED = [Authority.OFPRA]


def open_request_condition(today, overdue=False):
    """Condition on CertificationRequest: unanswered (and past its expected date), on an open case, not OFPRA."""
    condition = Q(answered_on__isnull=True) & ~Q(case__status=CaseStatus.CLOSED)
    condition &= ~Q(authority__in=COUNTRY_AUTHORITIES_EXCLUDED)
    if overdue:
        condition &= Q(expected_on__lt=today)
    return condition


REQUESTS = {"en-cours": _("Demande sans réponse"), "en-retard": _("Demande sans réponse, en retard")}


def with_open_request(cases, slug, today):
    requests = CertificationRequest.objects.filter(
        open_request_condition(today, overdue=slug == "en-retard"), case=OuterRef("pk")
    )
    return cases.filter(Exists(requests))


# Milestones (weekly throughput, workload) ----------------------------------------------------------------------------


MILESTONES = {
    "ouverture": _("Ouverts"),
    "numero-attente": _("Numéros d'attente attribués"),
    "envoi-certification": _("Envoyés en certification"),
    "certification": _("NIR certifiés"),
    "cloture": _("Clos"),
    "attribution": _("Attribués"),
}
THROUGHPUT_MILESTONES = ["ouverture", "numero-attente", "envoi-certification", "certification", "cloture"]


def milestone_conditions():
    """{slug: condition on CaseEvent}: the events that mark each milestone of a case (labels in MILESTONES)."""
    transition = Q(kind=EventKind.TRANSITION)
    return {
        "ouverture": Q(kind=EventKind.OPENED),
        "numero-attente": transition & Q(move="issue_waiting_number"),
        "envoi-certification": transition & Q(move="send_for_certification"),
        "certification": transition & Q(move="record_certified_nir"),
        "cloture": transition & Q(to_status=CaseStatus.CLOSED),
        "attribution": Q(kind=EventKind.ASSIGNMENT),
    }


def throughput_weeks(today):
    """The Mondays of the last 26 weeks, the current (partial) week last."""
    current = monday_of(today)
    return [current - datetime.timedelta(weeks=n) for n in range(THROUGHPUT_WEEKS - 1, -1, -1)]


def milestone_period(today, week=None):
    """[start, end) of the given week, or of the whole 26-week window when no week is given."""
    first = week or throughput_weeks(today)[0]
    last = week or monday_of(today)
    return start_of_day(first), start_of_day(last + datetime.timedelta(days=7))


def with_milestone(cases, slug, today, week=None):
    """Cases with an event of this milestone in the week starting on Monday ``week`` (else in the 26-week window)."""
    start, end = milestone_period(today, week)
    events = CaseEvent.objects.filter(milestone_conditions()[slug], case=OuterRef("pk"), at__gte=start, at__lt=end)
    return cases.filter(Exists(events))


# The queue's filters (cafcases.views.queue.QueueFilterForm) -----------------------------------------------------------


def apply_dashboard_filters(cases, data, today=None):
    """Narrow the queue's cases with the dashboard's filters present in ``data`` (a form's cleaned_data)."""
    today = today or timezone.localdate()
    if data.get("anciennete"):
        cases = in_age_bucket(cases, data["anciennete"], today)
    if data.get("echeance"):
        cases = with_deadline(cases, data["echeance"], today)
    if data.get("demande"):
        cases = with_open_request(cases, data["demande"], today)
    if data.get("jalon"):
        week = data.get("semaine")
        cases = with_milestone(cases, data["jalon"], today, monday_of(week) if week else None)
    return cases
