"""Admin recipes for the booking models: {model: (build(rows, related), [changelist filter query strings])}."""

import datetime

from django.utils import timezone

from cafcases.booking.models import Appointment, Closure, Counter, Motif, OpeningPeriod, Site
from tests.booking.factories import make_appointment, make_motif, make_site
from tests.factories import PersonFactory, UserFactory


def build_sites(rows, related):
    """`rows` sites; the first one has `related` counters (with agents), periods and closures."""
    sites = [make_site(counters=1, hours=((9, 12),)) for _ in range(rows)]
    target = sites[0]
    for index in range(related):
        counter = Counter.objects.create(
            site=target, name=f"Agent {index}", agent=UserFactory(organisation=target.caisse)
        )
        OpeningPeriod.objects.create(
            site=target, counter=counter, weekday=index % 5, start_time=datetime.time(14), end_time=datetime.time(16)
        )
        Closure.objects.create(
            site=target,
            counter=counter,
            starts_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=index),
            ends_on=datetime.date(2026, 1, 2) + datetime.timedelta(days=index),
            reason=f"Congé {index}",
        )
    return target


def build_counters(rows, related):
    site = make_site(counters=0, hours=())
    counters = [
        Counter.objects.create(site=site, name=f"Guichet {index}", agent=UserFactory(organisation=site.caisse))
        for index in range(rows)
    ]
    return counters[0]


def build_periods(rows, related):
    site = make_site(counters=rows, hours=())
    counters = list(site.counters.all())
    periods = [
        OpeningPeriod.objects.create(
            site=site,
            counter=counters[index],
            weekday=index % 5,
            start_time=datetime.time(9),
            end_time=datetime.time(12),
        )
        for index in range(rows)
    ]
    return periods[0]


def build_closures(rows, related):
    site = make_site(counters=rows, hours=())
    counters = list(site.counters.all())
    closures = [
        Closure.objects.create(
            site=site,
            counter=counters[index],
            starts_on=datetime.date(2026, 3, 1),
            ends_on=datetime.date(2026, 3, 2),
            reason=f"Formation {index}",
        )
        for index in range(rows)
    ]
    return closures[0]


def build_motifs(rows, related):
    motifs = [make_motif(public=index % 2 == 0, phone=index % 3 == 0, label=f"Motif {index}") for index in range(rows)]
    return motifs[0]


def build_appointments(rows, related):
    """`rows` appointments at distinct sites and counters, half of them attached to a person."""
    motif = make_motif()
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    appointments = []
    for index in range(rows):
        site = make_site(counters=1, hours=())
        person = PersonFactory(caf=site.caisse) if index % 2 else None
        appointments.append(
            make_appointment(site, motif, start, person=person, booked_by=UserFactory(organisation=site.caisse))
        )
    return appointments[0]


RECIPES = {
    Site: (build_sites, ["is_active__exact=1", "q=Accueil"]),
    Counter: (build_counters, ["is_active__exact=1"]),
    OpeningPeriod: (build_periods, ["weekday__exact=0"]),
    Closure: (build_closures, ["q=Formation"]),
    Motif: (build_motifs, ["mode__exact=in_person&bookable_by__exact=public", "q=Motif"]),
    Appointment: (build_appointments, ["status__exact=booked", "channel__exact=agent&language__exact=fr"]),
}
