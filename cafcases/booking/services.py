"""Booking, moving, cancelling and recording attendance; attaching an online booking to a person."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cafcases import identifiers
from cafcases.models import Case, EventKind, Identifier, Person
from cafcases.services.events import event_record
from cafcases.text import search_key

from . import notify
from .models import ATTENDANCE_STATUSES, Appointment, AppointmentStatus, BookingChannel, Counter
from .slots import site_slots

SLOT_TAKEN_MESSAGE = gettext_noop("Ce créneau vient d'être pris : choisissez-en un autre.")


class SlotTaken(ValidationError):
    """Someone else got the slot first (or it is no longer offered): show fresh slots."""

    def __init__(self):
        super().__init__(_(SLOT_TAKEN_MESSAGE), code="slot_taken")


def nia_digest(value):
    """A keyed digest of a canonical NIA: enough to compare at the counter, useless to read back."""
    return salted_hmac("cafcases.booking.nia", value, algorithm="sha256").hexdigest()


def _offered(site, motif, counter, starts_at, now):
    day = timezone.localtime(starts_at).date()
    return any(
        slot.counter_id == counter.pk and slot.starts_at == starts_at
        for slot in site_slots(site, motif, now=now, first_day=day, days=1, counter=counter)
    )


def _insert(appointment):
    """Insert in a savepoint: the database's constraints decide who gets a slot two people want at once."""
    try:
        with transaction.atomic():
            appointment.save(force_insert=True)
    except IntegrityError as error:
        raise SlotTaken() from error
    return appointment


def _record_on_case(appointment, by, summary, **values):
    """Append to the case timeline, in French whatever language the person booked in (agents read it)."""
    if appointment.case_id:
        case = appointment.case
        with translation.override("fr"):
            values = {key: value(appointment) if callable(value) else value for key, value in values.items()}
            text = _(summary) % values
        event_record(case=case, kind=EventKind.APPOINTMENT, by=by, summary=text)
        case.save(update_fields=["last_event_at"])


def _describe(appointment):
    local = timezone.localtime(appointment.starts_at)
    return _("%(motif)s le %(date)s à %(time)s, %(site)s") % {
        "motif": appointment.motif.label,
        "date": local.strftime("%d/%m/%Y"),
        "time": local.strftime("%H:%M"),
        "site": appointment.site.name,
    }


@transaction.atomic
def appointment_book(
    *, site, motif, counter, starts_at, channel, booked_by=None, person=None, case=None, language="fr", **booker
):
    """Book a free slot; raises SlotTaken when it is not free any more (the database has the last word)."""
    now = timezone.now()
    if counter.site_id != site.pk or not counter.is_active:
        raise ValidationError(_("Ce guichet n'appartient pas à cet accueil."), code="counter")
    if channel == BookingChannel.PUBLIC and motif.bookable_by != "public":
        raise ValidationError(_("Ce motif ne se réserve pas en ligne."), code="motif")
    # Online, the person gives the number to call themselves; and a refusal there would reveal that they are known.
    if motif.is_phone and channel == BookingChannel.AGENT and person is not None and person.phone_unreachable:
        raise ValidationError(
            _("Le téléphone de cette personne est signalé injoignable : proposez un rendez-vous à l'accueil."),
            code="unreachable",
        )
    if motif.is_phone and person is None and not booker.get("phone"):
        raise ValidationError(_("Un rendez-vous par téléphone demande un numéro de téléphone."), code="phone")
    if not _offered(site, motif, counter, starts_at, now):
        raise SlotTaken()
    nia = booker.pop("nia", "")
    appointment = Appointment(
        site=site,
        counter=counter,
        motif=motif,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=motif.duration_minutes),
        person=person,
        case=case,
        channel=channel,
        booked_by=booked_by,
        language=language,
        nia_digest=nia_digest(nia) if nia else "",
        **booker,
    )
    _insert(appointment)
    _record_on_case(appointment, booked_by, gettext_noop("Rendez-vous pris : %(what)s"), what=_describe)
    transaction.on_commit(lambda: notify.send_confirmation(appointment.pk))
    return appointment


@transaction.atomic
def appointment_book_public(*, site, motif, starts_at, language, **booker):
    """An online booking: any free counter at that time; attached to a person only when everything agrees."""
    now = timezone.now()
    day = timezone.localtime(starts_at).date()
    free = [slot for slot in site_slots(site, motif, now=now, first_day=day, days=1) if slot.starts_at == starts_at]
    person = match_person(
        caisse=site.caisse,
        number=booker.get("nia") or booker.get("beneficiary_number") or "",
        birth_name=booker["birth_name"],
        birth_date=booker["birth_date"],
    )
    case = person.cases.open().first() if person else None
    counters = {counter.pk: counter for counter in Counter.objects.filter(pk__in=[slot.counter_id for slot in free])}
    for slot in free:
        try:
            return appointment_book(
                site=site,
                motif=motif,
                counter=counters[slot.counter_id],
                starts_at=starts_at,
                channel=BookingChannel.PUBLIC,
                person=person,
                case=case,
                language=language,
                **booker,
            )
        except SlotTaken:
            continue  # another counter may still be free at that time
    raise SlotTaken()


def match_person(*, caisse, number, birth_name, birth_date):
    """The person whose NIA (any they held) or beneficiary number, birth name and birth date all agree; else None."""
    number = identifiers.normalise_input(number or "")
    if not number or not birth_name or not birth_date:
        return None
    if number.isdigit() and len(number) == 7:
        candidates = Person.objects.filter(caf=caisse, beneficiary_number=number)
    else:
        try:
            value = identifiers.parse_number(number).value
        except ValidationError:
            return None
        candidates = Person.objects.filter(pk__in=Identifier.objects.filter(value=value).values("person_id"))
    key = search_key(birth_name)
    matches = [
        person
        for person in candidates.filter(birth_name_key=key)[:2]
        if person.birth_date == birth_date and person.birth_name_key == key
    ]
    return matches[0] if len(matches) == 1 else None


def _lock(appointment):
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("site", "motif", "case")
        .get(pk=appointment.pk)
    )


@transaction.atomic
def appointment_cancel(*, appointment, by=None):
    """Cancel a booked appointment (by the person through their link, or by an agent): the slot is free again."""
    locked = _lock(appointment)
    if locked.status != AppointmentStatus.BOOKED:
        raise ValidationError(_("Ce rendez-vous n'est plus modifiable."), code="not_booked")
    locked.status = AppointmentStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at"])
    _record_on_case(locked, by, gettext_noop("Rendez-vous annulé : %(what)s"), what=_describe)
    transaction.on_commit(lambda: notify.send_cancellation(locked.pk))
    return locked


@transaction.atomic
def appointment_move(*, appointment, starts_at, counter=None, by=None):
    """Move to another free slot of the same site and motif; the old slot is released in the same transaction."""
    locked = _lock(appointment)
    if locked.status != AppointmentStatus.BOOKED or locked.starts_at <= timezone.now():
        raise ValidationError(_("Ce rendez-vous n'est plus modifiable."), code="not_booked")
    now = timezone.now()
    if counter is None:
        day = timezone.localtime(starts_at).date()
        free = [
            s for s in site_slots(locked.site, locked.motif, now=now, first_day=day, days=1) if s.starts_at == starts_at
        ]
        if not free:
            raise SlotTaken()
        counter = Counter.objects.get(pk=free[0].counter_id)
    elif not _offered(locked.site, locked.motif, counter, starts_at, now):
        raise SlotTaken()
    with translation.override("fr"):
        before = _describe(locked)
    locked.counter = counter
    locked.starts_at = starts_at
    locked.ends_at = starts_at + datetime.timedelta(minutes=locked.motif.duration_minutes)
    try:
        with transaction.atomic():
            locked.save(update_fields=["counter", "starts_at", "ends_at"])
    except IntegrityError as error:
        raise SlotTaken() from error
    _record_on_case(
        locked, by, gettext_noop("Rendez-vous déplacé : %(before)s → %(after)s"), before=before, after=_describe
    )
    transaction.on_commit(lambda: notify.send_confirmation(locked.pk))
    return locked


ATTENDANCE_SUMMARIES = {
    AppointmentStatus.SEEN: gettext_noop("Personne reçue au rendez-vous : %(what)s"),
    AppointmentStatus.NO_SHOW: gettext_noop("Absence au rendez-vous : %(what)s"),
    AppointmentStatus.EXCUSED: gettext_noop("Absence excusée au rendez-vous : %(what)s"),
}


@transaction.atomic
def appointment_record_attendance(*, appointment, status, by):
    """Seen, absent or excused: once the appointment has started; the case timeline keeps it."""
    if status not in ATTENDANCE_STATUSES:
        raise ValidationError(_("Présence inconnue."), code="status")
    locked = _lock(appointment)
    if locked.status not in (AppointmentStatus.BOOKED, *ATTENDANCE_STATUSES):
        raise ValidationError(_("Ce rendez-vous a été annulé."), code="cancelled")
    if locked.starts_at > timezone.now():
        raise ValidationError(_("La présence se note une fois l'heure du rendez-vous venue."), code="early")
    locked.status = status
    locked.attendance_recorded_at = timezone.now()
    locked.attendance_recorded_by = by
    locked.save(update_fields=["status", "attendance_recorded_at", "attendance_recorded_by"])
    _record_on_case(locked, by, ATTENDANCE_SUMMARIES[status], what=_describe)
    return locked


@transaction.atomic
def appointment_link(*, appointment, person, by):
    """Attach an online booking to the person the agent identified; to their open case too, if they have one."""
    locked = _lock(appointment)
    if locked.person_id is not None:
        raise ValidationError(_("Ce rendez-vous est déjà rattaché à une personne."), code="linked")
    locked.person = person
    locked.case = Case.objects.for_user(by).open().filter(person=person).first()
    locked.save(update_fields=["person", "case"])
    _record_on_case(locked, by, gettext_noop("Réservation en ligne rattachée : %(what)s"), what=_describe)
    return locked
