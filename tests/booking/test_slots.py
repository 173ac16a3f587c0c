"""Slot generation: opening periods minus holidays, closures, bookings and the motif's notice limits."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from cafcases.booking.slots import free_slots, french_holidays, parse_slot_key, site_slots
from tests.booking.factories import at, make_appointment, make_motif, make_site, next_weekday

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime.date(2026, 3, 2)
FAR_PAST = datetime.datetime(2000, 1, 1, tzinfo=PARIS)
FAR_FUTURE = datetime.datetime(2100, 1, 1, tzinfo=PARIS)


def period(start, end, weekday=0, counter_id=None, valid_from=datetime.date(2020, 1, 1), valid_until=None):
    return SimpleNamespace(
        counter_id=counter_id,
        weekday=weekday,
        start_time=datetime.time(*start),
        end_time=datetime.time(*end),
        valid_from=valid_from,
        valid_until=valid_until,
    )


def closure(starts_on, ends_on=None, counter_id=None):
    return SimpleNamespace(starts_on=starts_on, ends_on=ends_on or starts_on, counter_id=counter_id)


def slots(
    periods,
    *,
    day=MONDAY,
    last_day=None,
    counters=(1,),
    closures=(),
    holidays=(),
    booked=(),
    minutes=30,
    earliest=FAR_PAST,
    latest=FAR_FUTURE,
):
    return free_slots(
        counter_ids=list(counters),
        periods=periods,
        closures=list(closures),
        holidays=set(holidays),
        booked=list(booked),
        duration=datetime.timedelta(minutes=minutes),
        first_day=day,
        last_day=last_day or day,
        earliest=earliest,
        latest=latest,
        tz=PARIS,
    )


def times(found):
    return [f"{slot.starts_at:%H:%M}" for slot in found]


def test_an_opening_is_cut_into_slots_of_the_motif_duration_that_fit():
    assert times(slots([period((9, 0), (10, 45))])) == ["09:00", "09:30", "10:00"]
    assert times(slots([period((9, 0), (10, 0))], minutes=20)) == ["09:00", "09:20", "09:40"]


def test_slots_only_on_the_period_weekday_and_within_its_validity():
    assert slots([period((9, 0), (10, 0), weekday=1)]) == []
    assert slots([period((9, 0), (10, 0), valid_from=MONDAY + datetime.timedelta(days=1))]) == []
    assert slots([period((9, 0), (10, 0), valid_until=MONDAY - datetime.timedelta(days=7))]) == []
    assert times(slots([period((9, 0), (10, 0), valid_until=MONDAY)])) == ["09:00", "09:30"]


def test_overlapping_periods_make_one_opening_without_duplicate_slots():
    found = slots([period((9, 0), (10, 30)), period((10, 0), (11, 0)), period((9, 0), (9, 30))])
    assert times(found) == ["09:00", "09:30", "10:00", "10:30"]


def test_touching_periods_join_and_a_gap_restarts_the_grid():
    assert times(slots([period((9, 0), (9, 45)), period((9, 45), (10, 30))])) == ["09:00", "09:30", "10:00"]
    assert times(slots([period((9, 0), (9, 45)), period((14, 10), (15, 0))])) == ["09:00", "14:10"]


def test_a_counter_period_adds_to_the_site_periods_for_that_counter_only():
    found = slots([period((9, 0), (10, 0)), period((14, 0), (15, 0), counter_id=2)], counters=(1, 2))
    assert [(slot.counter_id, f"{slot.starts_at:%H:%M}") for slot in found] == [
        (1, "09:00"),
        (2, "09:00"),
        (1, "09:30"),
        (2, "09:30"),
        (2, "14:00"),
        (2, "14:30"),
    ]


def test_public_holidays_have_no_slot():
    easter_monday = datetime.date(2026, 4, 6)
    assert easter_monday in french_holidays({2026})
    assert slots([period((9, 0), (10, 0))], day=easter_monday, holidays=french_holidays({2026})) == []


def test_alsace_moselle_has_good_friday_and_saint_stephen():
    good_friday = datetime.date(2026, 4, 3)
    assert good_friday not in french_holidays({2026})
    assert good_friday in french_holidays({2026}, "57")
    friday = [period((9, 0), (10, 0), weekday=4)]
    assert slots(friday, day=good_friday, holidays=french_holidays({2026}, "57")) == []
    assert len(slots(friday, day=good_friday, holidays=french_holidays({2026}))) == 2


def test_site_closures_close_every_counter_and_counter_closures_one():
    periods = [period((9, 0), (10, 0))]
    assert slots(periods, counters=(1, 2), closures=[closure(MONDAY - datetime.timedelta(days=2), MONDAY)]) == []
    found = slots(periods, counters=(1, 2), closures=[closure(MONDAY, counter_id=1)])
    assert {slot.counter_id for slot in found} == {2}


def test_booked_slots_and_overlapping_bookings_are_not_offered():
    booked = [
        (1, datetime.datetime(2026, 3, 2, 9, 0, tzinfo=PARIS), datetime.datetime(2026, 3, 2, 9, 30, tzinfo=PARIS))
    ]
    assert times(slots([period((9, 0), (10, 30))], booked=booked)) == ["09:30", "10:00"]
    # A longer appointment of another motif (9:15–10:15) blocks every slot it overlaps.
    long = [
        (1, datetime.datetime(2026, 3, 2, 9, 15, tzinfo=PARIS), datetime.datetime(2026, 3, 2, 10, 15, tzinfo=PARIS))
    ]
    assert times(slots([period((9, 0), (11, 0))], booked=long)) == ["10:30"]
    # Another counter's booking does not matter.
    assert len(slots([period((9, 0), (10, 0))], counters=(2,), booked=booked)) == 2


def test_notice_limits_bound_the_first_and_last_start():
    earliest = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=PARIS)
    latest = datetime.datetime(2026, 3, 3, 9, 0, tzinfo=PARIS)
    found = slots(
        [period((9, 0), (10, 0)), period((9, 0), (10, 0), weekday=1)],
        last_day=MONDAY + datetime.timedelta(days=1),
        earliest=earliest,
        latest=latest,
    )
    assert [f"{slot.starts_at:%d %H:%M}" for slot in found] == ["02 09:30", "03 09:00"]


def test_daylight_saving_day_keeps_wall_clock_times():
    sunday_change = datetime.date(2026, 3, 29)  # clocks go forward at 2:00
    found = slots([period((9, 0), (10, 0), weekday=6)], day=sunday_change)
    assert times(found) == ["09:00", "09:30"]
    assert found[0].starts_at.utcoffset() == datetime.timedelta(hours=2)


def test_slot_keys_round_trip_and_refuse_garbage():
    found = slots([period((9, 0), (9, 30))])
    assert parse_slot_key(found[0].key) == (1, found[0].starts_at)
    for garbage in ("", "x|y", "1|2026-03-02T09:00:00", "abc"):
        with pytest.raises(ValueError):
            parse_slot_key(garbage)


@pytest.mark.django_db
def test_site_slots_reads_the_database_in_a_fixed_number_of_queries(django_assert_num_queries):
    site = make_site(counters=3)
    motif = make_motif(min_notice_hours=0, max_notice_days=60)
    monday = next_weekday()
    make_appointment(site, motif, at(monday, 9))
    with django_assert_num_queries(4):
        found = site_slots(site, motif, first_day=monday, days=1, now=at(monday, 0))
    # 3 counters × (6 morning + 4 afternoon slots), minus the one booked.
    assert len(found) == 3 * 10 - 1
    assert at(monday, 9) not in [slot.starts_at for slot in found if slot.counter_id == site.counters.first().pk]


@pytest.mark.parametrize(
    ("department", "subdivision"), [("67", "57"), ("68", "57"), ("57", "57"), ("974", "974"), ("59", None)]
)
def test_each_site_takes_the_holidays_of_its_department(department, subdivision):
    from cafcases.booking.models import Site

    assert Site(department=department).holiday_subdivision == subdivision


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "department"), [("20090", "2A"), ("20200", "2B"), ("97400", "974"), ("2a", "2A"), ("67 000", "67")]
)
def test_the_public_finds_sites_by_postcode_or_department_overseas_and_in_corsica(query, department):
    from cafcases.booking.models import Site

    site = make_site(department=department, postcode="00000")
    make_site(department="59")
    assert list(Site.objects.near(query)) == [site]
