"""Legal clocks: papers in 3 months, NIA validity of 9 months, certification delays by country.

Each clock is stored on the case so that the queue filters and sorts on it; ``refresh_clocks`` recomputes the
time-based ones (and the priority) for a batch of cases with a fixed number of queries, whatever the batch size.
"""

import datetime
import statistics
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Max, Min
from django.utils import timezone

from cafcases.models import (
    Authority,
    CaseStatus,
    CertificationRequest,
    Country,
    Identifier,
    IdentifierKind,
    RequestOutcome,
    Track,
)
from cafcases.priority import compute_priority

PAPERS_DELAY = relativedelta(months=3)  # art. L161-1-4 code de la sécurité sociale
NIA_VALIDITY = relativedelta(months=9)
# A country's forecast uses its observed median once it has this many answers in the last 12 months.
FORECAST_MIN_ANSWERS = 20
FORECAST_WINDOW = datetime.timedelta(days=365)

CERTIFICATION_STATUSES = (CaseStatus.SENT_FOR_CERTIFICATION, CaseStatus.AWAITING_COUNTRY)


def papers_due(requested_on):
    return requested_on + PAPERS_DELAY


def nia_valid_until(issued_on):
    return issued_on + NIA_VALIDITY if issued_on else None


def reference_delay_days(country, track):
    """The target delay supervisors compare against: the country's, or OFPRA's on the refugee track."""
    if track == Track.REFUGEE:
        return settings.OFPRA_CERTIFICATION_DELAY_DAYS
    return country.certification_delay_days if country else settings.DEFAULT_CERTIFICATION_DELAY_DAYS


def observed_median_delays(country_ids, today):
    """Median days from sending to answer per country, for countries with enough recent answers.

    Only SANDIA requests count: each is one case's whole certification (sent → NIR or refusal), whereas the requests
    to a registry or consulate are steps inside it and OFPRA's delays are not the country's. Withdrawn requests (the
    case closed for another reason) measure nothing.
    """
    durations = defaultdict(list)
    rows = (
        CertificationRequest.objects.filter(
            authority=Authority.SANDIA,
            country_id__in=set(country_ids) - {None},
            answered_on__gte=today - FORECAST_WINDOW,
            answered_on__isnull=False,
        )
        .exclude(outcome=RequestOutcome.WITHDRAWN)
        .values_list("country_id", "sent_on", "answered_on")
    )
    for country_id, sent_on, answered_on in rows:
        durations[country_id].append((answered_on - sent_on).days)
    return {
        country_id: round(statistics.median(days))
        for country_id, days in durations.items()
        if len(days) >= FORECAST_MIN_ANSWERS
    }


def forecast_delay_days(country, track, observed):
    if track != Track.REFUGEE and country is not None and country.pk in observed:
        return observed[country.pk]
    return reference_delay_days(country, track)


def next_deadline(case):
    """The earliest clock still running at the case's stage."""
    if case.status == CaseStatus.CLOSED:
        return None
    running = []
    if case.status == CaseStatus.DOCUMENTS_REQUESTED and case.papers_due_on:
        running.append(case.papers_due_on)
    if case.status != CaseStatus.CERTIFIED and case.nia_valid_until:
        running.append(case.nia_valid_until)
    if case.status in CERTIFICATION_STATUSES and case.certification_expected_on:
        running.append(case.certification_expected_on)
    return min(running, default=None)


def refresh_clocks(cases, today, observed=None):
    """Recompute the stored clocks and priority of these cases (in memory; the caller saves).

    ``observed`` (from ``observed_median_delays``) may be passed by a batch that refreshes many chunks.
    """
    cases = list(cases)
    if not cases:
        return cases
    person_ids = {case.person_id for case in cases}
    case_ids = [case.pk for case in cases if case.pk]
    nia_issued = dict(
        Identifier.objects.filter(person_id__in=person_ids, kind=IdentifierKind.NIA)
        .values("person_id")
        .annotate(issued=Max("issued_on"))
        .order_by()
        .values_list("person_id", "issued")
    )
    open_requests = {
        row["case_id"]: row
        for row in CertificationRequest.objects.filter(case_id__in=case_ids, answered_on__isnull=True)
        .values("case_id")
        .annotate(expected=Min("expected_on"), first_sent=Min("sent_on"))
        .order_by()
    }
    first_sent = dict(
        CertificationRequest.objects.filter(case_id__in=case_ids, authority__in=[Authority.SANDIA, Authority.OFPRA])
        .values("case_id")
        .annotate(first=Min("sent_on"))
        .order_by()
        .values_list("case_id", "first")
    )
    people = {case.person_id: case.person for case in cases}
    countries = Country.objects.in_bulk({person.birth_country_id for person in people.values()} - {None})
    if observed is None:
        observed = observed_median_delays(countries, today)
    for case in cases:
        person = people[case.person_id]
        country = countries.get(person.birth_country_id)
        case.nia_valid_until = nia_valid_until(nia_issued.get(case.person_id))
        request = open_requests.get(case.pk)
        case.certification_expected_on = request["expected"] if request else None
        if case.status in (CaseStatus.CERTIFIED, CaseStatus.CLOSED):
            case.forecast_certified_on = None
        else:
            start = first_sent.get(case.pk) or today
            case.forecast_certified_on = start + datetime.timedelta(
                days=forecast_delay_days(country, case.track, observed)
            )
        case.next_deadline = next_deadline(case)
        case.priority = (
            0
            if case.status == CaseStatus.CLOSED
            else compute_priority(
                benefits=case.benefits_at_risk,
                track=case.track,
                unreachable=person.phone_unreachable,
                next_deadline=case.next_deadline,
                # The local date: opened_at is stored in UTC, and 00:30 in Paris is still yesterday in UTC.
                opened_on=timezone.localdate(case.opened_at) if case.opened_at else today,
                today=today,
            )
        )
    return cases


CLOCK_FIELDS = [
    "nia_valid_until",
    "certification_expected_on",
    "forecast_certified_on",
    "next_deadline",
    "priority",
]
