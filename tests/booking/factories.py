"""Booking test data: a site open Monday to Friday with two counters, and the three kinds of motif."""

import datetime
import itertools

from django.utils import timezone

from cafcases.booking.models import (
    Appointment,
    BookableBy,
    BookingChannel,
    Counter,
    Mode,
    Motif,
    MotifKind,
    OpeningPeriod,
    Site,
)
from tests.factories import OrganisationFactory

_sites = itertools.count(1)


def make_site(caisse=None, *, counters=2, department=None, hours=((9, 12), (14, 16)), **kwargs):
    """A site with `counters` counters, open on weekdays for the site-wide `hours` (valid since 2020)."""
    caisse = caisse or OrganisationFactory()
    number = next(_sites)
    department = department or caisse.department
    site = Site.objects.create(
        caisse=caisse,
        name=kwargs.pop("name", f"Accueil {number}"),
        address=f"{number} rue de la Paix",
        postcode=kwargs.pop("postcode", f"{department}000"[:5]),
        city="Ville",
        department=department,
        phone="01 02 03 04 05",
        **kwargs,
    )
    for index in range(counters):
        Counter.objects.create(site=site, name=f"Guichet {index + 1}")
    for weekday in range(5):
        for start, end in hours:
            OpeningPeriod.objects.create(
                site=site,
                weekday=weekday,
                start_time=datetime.time(start),
                end_time=datetime.time(end),
                valid_from=datetime.date(2020, 1, 1),
            )
    return site


def make_motif(*, public=True, phone=False, duration=30, kind=MotifKind.WAITING_NUMBER, **kwargs):
    return Motif.objects.create(
        kind=kind,
        mode=Mode.PHONE if phone else Mode.IN_PERSON,
        label=kwargs.pop("label", "Obtenir un numéro d'attente"),
        label_en=kwargs.pop("label_en", "Get a CAF waiting number"),
        duration_minutes=duration,
        bookable_by=BookableBy.PUBLIC if public else BookableBy.AGENTS,
        min_notice_hours=kwargs.pop("min_notice_hours", 2),
        max_notice_days=kwargs.pop("max_notice_days", 30),
        **kwargs,
    )


def next_weekday(start=None, weekday=0):
    """The next given weekday (Monday by default) strictly after `start` that is not a French public holiday."""
    from cafcases.booking.slots import french_holidays

    day = (start or timezone.localdate()) + datetime.timedelta(days=1)
    while day.weekday() != weekday or day in french_holidays({day.year}):
        day += datetime.timedelta(days=1)
    return day


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def make_appointment(site, motif, starts_at, *, counter=None, person=None, case=None, **kwargs):
    counter = counter or site.counters.order_by("pk").first()
    values = {"birth_name": "Diallo", "first_names": "Awa"} if person is None else {}
    values.update(kwargs)
    return Appointment.objects.create(
        site=site,
        counter=counter,
        motif=motif,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=motif.duration_minutes),
        person=person,
        case=case,
        channel=values.pop("channel", BookingChannel.AGENT),
        **values,
    )


def text(response):
    """The page's HTML with entities decoded, so that tests can look for French apostrophes."""
    import html

    return html.unescape(response.content.decode())
