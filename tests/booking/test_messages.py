"""Confirmation with an .ics, reminder 48 hours before (idempotent), cancellation: in the booking's language."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from icalendar import Calendar

from cafcases.booking.models import Appointment
from cafcases.booking.services import appointment_book, appointment_cancel, appointment_move
from cafcases.notifications.models import Message
from tests.booking.factories import at, make_motif, make_site, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return make_site(counters=1)


@pytest.fixture
def motif():
    return make_motif(min_notice_hours=0, max_notice_days=60)


def book(site, motif, starts_at, *, language="fr", phone="+33612345678", email="awa@example.org"):
    return appointment_book(
        site=site,
        motif=motif,
        counter=site.counters.get(),
        starts_at=starts_at,
        channel="public",
        language=language,
        birth_name="Diallo",
        first_names="Awa",
        phone=phone,
        email=email,
    )


def messages(appointment, purpose):
    return list(Message.objects.about(appointment).filter(purpose=purpose).order_by("channel"))


def test_the_confirmation_goes_by_email_with_an_ics_and_by_sms(site, motif, django_capture_on_commit_callbacks):
    starts_at = at(next_weekday(), 9)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(site, motif, starts_at)
    email, sms = messages(appointment, "booking_confirmation")
    assert (email.channel, email.to, sms.channel, sms.to) == ("email", "awa@example.org", "sms", "+33612345678")
    assert "Votre rendez-vous CAF est confirmé" in sms.body
    assert reverse("booking:manage", args=["x"]).rsplit("x", 1)[0] in sms.body
    attachment = email.attachments.get()
    assert attachment.filename == "rendez-vous.ics" and attachment.mimetype == "text/calendar"
    event = Calendar.from_ical(bytes(attachment.content)).walk("VEVENT")[0]
    assert event.decoded("dtstart") == starts_at
    assert event.decoded("dtend") == starts_at + datetime.timedelta(minutes=motif.duration_minutes)
    assert site.address in str(event.get("location"))


def test_an_english_booking_gets_english_messages(site, motif, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(site, motif, at(next_weekday(), 10), language="en", phone="")
    (email,) = messages(appointment, "booking_confirmation")
    assert email.subject == "Your CAF appointment is confirmed"
    assert "Get a CAF waiting number" in email.body and "To cancel or move" in email.body


def test_cancelling_and_moving_send_their_messages_once(site, motif, django_capture_on_commit_callbacks):
    monday = next_weekday()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(site, motif, at(monday, 9), phone="")
    with django_capture_on_commit_callbacks(execute=True):
        appointment_move(appointment=appointment, starts_at=at(monday, 10))
    assert len(messages(appointment, "booking_confirmation")) == 2  # one per start time
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment)
    (cancelled,) = messages(appointment, "booking_cancelled")
    assert "est annulé" in cancelled.body


def test_reminders_48_hours_before_are_queued_once_even_when_the_command_runs_twice(
    site, motif, time_machine, django_capture_on_commit_callbacks
):
    monday = next_weekday(datetime.date(2026, 12, 31))
    time_machine.move_to(at(monday - datetime.timedelta(days=7), 8), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(site, motif, at(monday, 9))
        soon = book(site, motif, at(monday, 14))
    call_command("send_booking_reminders", stdout=io.StringIO())
    assert messages(appointment, "booking_reminder") == []  # too early

    time_machine.move_to(at(monday, 9) - datetime.timedelta(hours=47), tick=False)
    for _run in range(2):
        call_command("send_booking_reminders", stdout=io.StringIO())
    email, sms = messages(appointment, "booking_reminder")
    assert "Rappel : rendez-vous CAF" in sms.body
    assert messages(soon, "booking_reminder") == []  # 14:00 is more than 48 hours away

    # Moved half an hour later: the new time is announced in a reminder of its own, once.
    with django_capture_on_commit_callbacks(execute=True):
        appointment_move(appointment=Appointment.objects.get(pk=appointment.pk), starts_at=at(monday, 9, 30))
    for _run in range(2):
        call_command("send_booking_reminders", stdout=io.StringIO())
    assert len(messages(appointment, "booking_reminder")) == 4


def test_no_reminder_for_an_appointment_booked_within_48_hours_nor_for_a_cancelled_one(
    site, motif, time_machine, django_capture_on_commit_callbacks
):
    monday = next_weekday(datetime.date(2026, 12, 31))
    time_machine.move_to(at(monday, 8) - datetime.timedelta(days=1), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        late = book(site, motif, at(monday, 9))
    time_machine.move_to(at(monday, 8) - datetime.timedelta(days=7), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = book(site, motif, at(monday, 10))
        appointment_cancel(appointment=cancelled)
    time_machine.move_to(at(monday, 8) - datetime.timedelta(hours=20), tick=False)
    call_command("send_booking_reminders", stdout=io.StringIO())
    assert messages(late, "booking_reminder") == [] and messages(cancelled, "booking_reminder") == []
