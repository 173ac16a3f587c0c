"""Demo booking data for `manage.py seed_demo`: one site per demo CAF, its hours, the motifs, a few appointments.

Idempotent: a second run finds what the first one made and adds nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import (
    Appointment,
    AppointmentStatus,
    BookableBy,
    BookingChannel,
    Closure,
    Counter,
    Mode,
    Motif,
    MotifKind,
    OpeningPeriod,
    Site,
)
from .slots import site_slots

SITES = {
    "59": ("Accueil CAF de Lille", "82 rue Solférino", "59000", "Lille", "+33 1 99 00 59 10"),
    "33": ("Accueil CAF de Bordeaux", "11 rue du Château-d'Eau", "33000", "Bordeaux", "+33 1 99 00 33 10"),
}
MOTIFS = (
    # kind, mode, label, English label, minutes, bookable by
    (
        MotifKind.WAITING_NUMBER,
        Mode.IN_PERSON,
        "Obtenir un numéro d'attente CAF",
        "Get a CAF waiting number",
        30,
        "public",
    ),
    (MotifKind.DOCUMENTS, Mode.IN_PERSON, "Apporter des pièces", "Bring documents", 20, "public"),
    (MotifKind.FOLLOW_UP, Mode.PHONE, "Faire le point sur mon dossier", "Review my file", 20, "public"),
    (MotifKind.FOLLOW_UP, Mode.IN_PERSON, "Suivi avec un agent", "Follow-up with an agent", 45, "agents"),
)
HOURS = ((datetime.time(9), datetime.time(12)), (datetime.time(13, 30), datetime.time(16, 30)))


def _motifs():
    motifs = []
    for kind, mode, label, label_en, minutes, bookable_by in MOTIFS:
        motif, _created = Motif.objects.get_or_create(
            label=label,
            defaults={
                "kind": kind,
                "mode": mode,
                "label_en": label_en,
                "duration_minutes": minutes,
                "bookable_by": BookableBy(bookable_by),
                "min_notice_hours": 2,
                "max_notice_days": 45,
            },
        )
        motifs.append(motif)
    return motifs


def _site(department, caf, agent):
    name, address, postcode, city, phone = SITES[department]
    site, created = Site.objects.get_or_create(
        name=name,
        defaults={
            "caisse": caf,
            "address": address,
            "postcode": postcode,
            "city": city,
            "department": department,
            "phone": phone,
        },
    )
    if created:
        Counter.objects.create(site=site, name="Guichet 1")
        Counter.objects.create(site=site, name="Guichet 2")
        agent_counter = Counter.objects.create(site=site, name=f"Agenda de {agent.first_name}", agent=agent)
        for weekday in range(5):
            for start, end in HOURS:
                OpeningPeriod.objects.create(site=site, weekday=weekday, start_time=start, end_time=end)
        # The agent's own agenda also opens on Thursday evenings.
        OpeningPeriod.objects.create(
            site=site, counter=agent_counter, weekday=3, start_time=datetime.time(16, 30), end_time=datetime.time(18)
        )
        today = timezone.localdate()
        Closure.objects.create(
            site=site,
            starts_on=today + datetime.timedelta(days=20),
            ends_on=today + datetime.timedelta(days=20),
            reason="Formation de l'équipe",
        )
    return site, created


def _appointments(site, motifs, caf, agent):
    """A few upcoming appointments for people with an open case, two past ones left to record, one online."""
    from cafcases.models import Case

    cases = list(Case.objects.open().filter(caf=caf).select_related("person").order_by("id")[:6])
    slots = site_slots(site, motifs[0], first_day=timezone.localdate() + datetime.timedelta(days=1), days=14)
    counters = {counter.pk: counter for counter in site.counters.all()}
    for case, slot in zip(cases[:4], slots[::7], strict=False):
        Appointment.objects.create(
            site=site,
            counter=counters[slot.counter_id],
            motif=motifs[0],
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            person=case.person,
            case=case,
            channel=BookingChannel.AGENT,
            booked_by=agent,
            language=case.person.preferred_language,
        )
    if slots:
        online = slots[-1]
        Appointment.objects.create(
            site=site,
            counter=counters[online.counter_id],
            motif=motifs[0],
            starts_at=online.starts_at,
            ends_at=online.ends_at,
            birth_name="Haddad",
            first_names="Nour",
            birth_date=datetime.date(1994, 2, 11),
            email="nour.haddad@example.org",
            channel=BookingChannel.PUBLIC,
            language="en",
        )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    while yesterday.weekday() > 4:
        yesterday -= datetime.timedelta(days=1)
    counter = next(iter(counters.values()))
    for hour, case in zip((9, 10), cases[4:6], strict=False):
        starts_at = timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(hour)))
        Appointment.objects.create(
            site=site,
            counter=counter,
            motif=motifs[1],
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=motifs[1].duration_minutes),
            person=case.person,
            case=case,
            channel=BookingChannel.AGENT,
            booked_by=agent,
            status=AppointmentStatus.BOOKED,
        )


@transaction.atomic
def seed_booking_demo(teams):
    """teams: {department: (caf, cpam, caf agent, cpam agent)}; returns the number of sites created."""
    motifs = _motifs()
    created_sites = 0
    for department, (caf, _cpam, agent, _cpam_agent) in teams.items():
        if department not in SITES:
            continue
        site, created = _site(department, caf, agent)
        if created:
            created_sites += 1
            _appointments(site, motifs, caf, agent)
    return created_sites
