"""What the person receives about an appointment: confirmation (with an .ics), reminder, cancellation.

Messages go through cafcases.notifications: each has a dedupe key, so that running this twice never sends twice.
Bodies are written in the language the person booked in.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .signing import manage_token


def _appointment(pk):
    from .models import Appointment

    return Appointment.objects.with_related().get(pk=pk)


def manage_url(appointment):
    """The signed link that lets the person cancel or move their appointment, without an account."""
    path = reverse("booking:manage", args=[manage_token(appointment)])
    return settings.BOOKING_PUBLIC_BASE_URL.rstrip("/") + path


def _facts(appointment):
    local = timezone.localtime(appointment.starts_at)
    return {
        "motif": appointment.motif.label_for(appointment.language),
        "date": local.strftime("%d/%m/%Y"),
        "time": local.strftime("%H:%M"),
        "site": appointment.site.name,
        "address": f"{appointment.site.address}, {appointment.site.postcode} {appointment.site.city}",
        "link": manage_url(appointment),
    }


def _where(appointment, facts):
    if appointment.motif.is_phone:
        return _("Un agent vous appellera au numéro que vous avez donné.")
    return _("Adresse : %(address)s. Apportez une pièce d'identité et votre titre de séjour.") % facts


def confirmation_text(appointment):
    facts = _facts(appointment)
    return "\n".join(
        [
            _("Votre rendez-vous CAF est confirmé : %(motif)s, le %(date)s à %(time)s, %(site)s.") % facts,
            str(_where(appointment, facts)),
            _("Pour annuler ou déplacer ce rendez-vous : %(link)s") % facts,
        ]
    )


def reminder_text(appointment):
    facts = _facts(appointment)
    return "\n".join(
        [
            _("Rappel : rendez-vous CAF le %(date)s à %(time)s, %(site)s (%(motif)s).") % facts,
            str(_where(appointment, facts)),
            _("Empêché ? Annulez ou déplacez-le : %(link)s") % facts,
        ]
    )


def cancellation_text(appointment):
    facts = _facts(appointment)
    return _("Votre rendez-vous CAF du %(date)s à %(time)s (%(site)s) est annulé.") % facts


def ics_bytes(appointment):
    """The appointment as an iCalendar file (RFC 5545) that any calendar application imports."""
    calendar = Calendar()
    calendar.add("prodid", "-//cafcases//rendez-vous//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"rendez-vous-{appointment.pk}@cafcases")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add(
        "summary", _("Rendez-vous CAF : %(motif)s") % {"motif": appointment.motif.label_for(appointment.language)}
    )
    if not appointment.motif.is_phone:
        site = appointment.site
        event.add("location", f"{site.name}, {site.address}, {site.postcode} {site.city}")
    event.add("description", confirmation_text(appointment))
    calendar.add_component(event)
    return calendar.to_ical()


def _queue(appointment, *, purpose, key, subject, body, attachments=()):
    from cafcases.notifications.services import message_queue

    sent = []
    email = appointment.contact_email()
    phone = appointment.contact_phone()
    if email:
        sent.append(
            message_queue(
                channel="email",
                to=email,
                purpose=purpose,
                subject=subject,
                body=body,
                dedupe_key=f"{key}:email",
                about=appointment,
                case=appointment.case,
                person=appointment.person,
                attachments=attachments,
            )
        )
    if phone:
        sent.append(
            message_queue(
                channel="sms",
                to=phone.as_e164,
                purpose=purpose,
                body=body,
                dedupe_key=f"{key}:sms",
                about=appointment,
                case=appointment.case,
                person=appointment.person,
            )
        )
    return sent


def _stamp(appointment):
    return appointment.starts_at.strftime("%Y%m%dT%H%M%SZ")


def send_confirmation(appointment_pk):
    """Confirm a booking (or a move: the new time makes a new key), with the .ics attached to the email."""
    appointment = _appointment(appointment_pk)
    with translation.override(appointment.language):
        return _queue(
            appointment,
            purpose="booking_confirmation",
            key=f"booking_confirmation:{appointment.pk}:{_stamp(appointment)}",
            subject=str(_("Votre rendez-vous CAF est confirmé")),
            body=confirmation_text(appointment),
            attachments=[("rendez-vous.ics", ics_bytes(appointment), "text/calendar")],
        )


def send_cancellation(appointment_pk):
    appointment = _appointment(appointment_pk)
    with translation.override(appointment.language):
        return _queue(
            appointment,
            purpose="booking_cancelled",
            key=f"booking_cancelled:{appointment.pk}",
            subject=str(_("Votre rendez-vous CAF est annulé")),
            body=cancellation_text(appointment),
        )


REMINDER_AHEAD = datetime.timedelta(hours=48)


def reminders_due(now):
    """Booked appointments starting within 48 hours whose reminder for that start time has not been queued.

    An appointment booked less than 48 hours ahead gets no reminder: its confirmation has just gone.
    """
    from django.db.models import F, Q

    from .models import Appointment, AppointmentStatus

    return (
        Appointment.objects.with_related()
        .filter(status=AppointmentStatus.BOOKED, starts_at__gt=now, starts_at__lte=now + REMINDER_AHEAD)
        .filter(created_at__lte=F("starts_at") - REMINDER_AHEAD)
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("starts_at")))
    )


def send_reminder(appointment):
    with translation.override(appointment.language):
        messages = _queue(
            appointment,
            purpose="booking_reminder",
            key=f"booking_reminder:{appointment.pk}:{_stamp(appointment)}",
            subject=str(_("Rappel de votre rendez-vous CAF")),
            body=reminder_text(appointment),
        )
    type(appointment).objects.filter(pk=appointment.pk).update(reminded_for=appointment.starts_at)
    return messages
