"""No double booking, whoever asks at the same instant: the database decides.

Kept apart from the other booking tests: the threads need committed data (transaction=True).
"""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from cafcases.booking.models import Appointment, AppointmentStatus
from cafcases.booking.services import SlotTaken, appointment_book
from cafcases.booking.slots import site_slots
from tests.booking.factories import at, make_appointment, make_motif, make_site, next_weekday

PEOPLE = 50


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_fifty_people_on_ten_slots_make_exactly_ten_bookings():
    site = make_site(counters=1, hours=((9, 14),))
    motif = make_motif(min_notice_hours=0, max_notice_days=60)
    counter = site.counters.get()
    day = next_weekday()
    slots = site_slots(site, motif, first_day=day, days=1)
    assert len(slots) == 10
    barrier = threading.Barrier(PEOPLE)
    booked, taken, errors = [], [], []

    def book(index):
        slot = slots[index % len(slots)]
        try:
            barrier.wait(timeout=20)
            booked.append(
                appointment_book(
                    site=site,
                    motif=motif,
                    counter=counter,
                    starts_at=slot.starts_at,
                    channel="agent",
                    birth_name=f"Personne {index}",
                    first_names="Test",
                )
            )
        except SlotTaken as error:
            taken.append(error)
        except Exception as error:  # noqa: BLE001 (collected and asserted below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(index,)) for index in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(booked) == 10 and len(taken) == PEOPLE - 10
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 10
    assert sorted(Appointment.objects.values_list("starts_at", flat=True)) == [slot.starts_at for slot in slots]
    assert {str(error.messages[0]) for error in taken} == {"Ce créneau vient d'être pris : choisissez-en un autre."}


@pytest.mark.django_db
def test_the_database_refuses_a_second_booking_of_the_same_slot():
    site, motif = make_site(counters=1), make_motif()
    start = at(next_weekday(), 9)
    make_appointment(site, motif, start)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_appointment(site, motif, start, birth_name="Autre")


@pytest.mark.django_db
def test_a_cancelled_appointment_frees_its_slot_in_the_database():
    site, motif = make_site(counters=1), make_motif()
    start = at(next_weekday(), 9)
    first = make_appointment(site, motif, start)
    Appointment.objects.filter(pk=first.pk).update(status=AppointmentStatus.CANCELLED, cancelled_at=start)
    make_appointment(site, motif, start, birth_name="Autre")
    assert Appointment.objects.holding().count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db
def test_postgresql_refuses_overlapping_ranges_on_one_counter():
    site = make_site(counters=2)
    motif = make_motif(duration=30)
    start = at(next_weekday(), 9)
    make_appointment(site, motif, start)
    with pytest.raises(IntegrityError, match="booking_appointment_no_overlap"), transaction.atomic():
        make_appointment(site, motif, start + datetime.timedelta(minutes=15), birth_name="Chevauche")
    # The same range on another counter, and the next slot on the same one, are fine.
    other = site.counters.order_by("-pk").first()
    make_appointment(site, motif, start + datetime.timedelta(minutes=15), counter=other, birth_name="Ailleurs")
    make_appointment(site, motif, start + datetime.timedelta(minutes=30), birth_name="Suivant")
