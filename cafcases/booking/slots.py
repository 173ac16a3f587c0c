"""Free appointment slots: weekly opening periods minus closures, public holidays, bookings and notice limits.

`free_slots` is pure (no database, no clock): everything it needs is passed in, so that tests can state the rules.
`site_slots` loads a site's data in a fixed number of queries and calls it.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays as holiday_calendars
from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True, order=True)
class Slot:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    counter_id: int

    @property
    def key(self):
        """What a form posts back: the counter and the start, never anything about a person."""
        return f"{self.counter_id}|{self.starts_at.isoformat()}"


def parse_slot_key(value):
    """(counter id, aware start) from a posted slot key; ValueError if it is not one."""
    counter, _sep, start = (value or "").partition("|")
    starts_at = datetime.datetime.fromisoformat(start)
    if timezone.is_naive(starts_at):
        raise ValueError("naive start")
    return int(counter), starts_at


def french_holidays(years, subdivision=None):
    """Public holidays in France for these years (Alsace-Moselle and overseas departments have their own)."""
    return set(holiday_calendars.France(years=sorted(years), subdiv=subdivision).keys())


def _merge(intervals):
    """Union of (start, end) time intervals: overlapping or touching periods make one opening."""
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _applies(period, day):
    return (
        period.weekday == day.weekday()
        and period.valid_from <= day
        and (period.valid_until is None or day <= period.valid_until)
    )


def _closed(closures, counter_id, day):
    return any(
        closure.starts_on <= day <= closure.ends_on and closure.counter_id in (None, counter_id) for closure in closures
    )


def free_slots(
    *,
    counter_ids,
    periods,
    closures,
    holidays,
    booked,
    duration,
    first_day,
    last_day,
    earliest,
    latest,
    tz=None,
):
    """Every free slot of `duration` for each counter, from `first_day` to `last_day` (dates, inclusive).

    periods: objects with counter_id (None for every counter), weekday, start_time, end_time, valid_from,
    valid_until. closures: objects with counter_id (None for the whole site), starts_on, ends_on. holidays: a set of
    dates. booked: (counter_id, starts_at, ends_at) of appointments that hold their slot. A slot must start no
    earlier than `earliest` and no later than `latest` (the motif's notice limits). Slots follow a grid from each
    opening's start, so that every counter's appointments line up.
    """
    tz = tz or ZoneInfo(settings.TIME_ZONE)
    busy = {}
    for counter_id, starts_at, ends_at in booked:
        busy.setdefault(counter_id, []).append((starts_at, ends_at))
    slots = []
    day = first_day
    while day <= last_day:
        if day not in holidays:
            for counter_id in counter_ids:
                if _closed(closures, counter_id, day):
                    continue
                openings = _merge(
                    (period.start_time, period.end_time)
                    for period in periods
                    if period.counter_id in (None, counter_id) and _applies(period, day)
                )
                for start_time, end_time in openings:
                    start = datetime.datetime.combine(day, start_time, tzinfo=tz)
                    end = datetime.datetime.combine(day, end_time, tzinfo=tz)
                    while start + duration <= end:
                        slot_end = start + duration
                        taken = any(b_start < slot_end and start < b_end for b_start, b_end in busy.get(counter_id, ()))
                        if earliest <= start <= latest and not taken:
                            slots.append(Slot(start, slot_end, counter_id))
                        start = slot_end
        day += datetime.timedelta(days=1)
    return sorted(slots)


def notice_window(motif, now):
    """The earliest and latest start the motif's notice limits allow."""
    return (
        now + datetime.timedelta(hours=motif.min_notice_hours),
        now + datetime.timedelta(days=motif.max_notice_days),
    )


def site_slots(site, motif, *, now=None, first_day=None, days=7, counter=None):
    """Free slots of a site for a motif over `days` days from `first_day` (today by default), in four queries."""
    from .models import Appointment, Closure, Counter, OpeningPeriod

    now = now or timezone.now()
    first_day = first_day or timezone.localdate(now)
    last_day = first_day + datetime.timedelta(days=days - 1)
    counters = Counter.objects.filter(site=site, is_active=True)
    if counter is not None:
        counters = counters.filter(pk=counter.pk)
    counter_ids = list(counters.values_list("pk", flat=True))
    if not counter_ids:
        return []
    periods = list(OpeningPeriod.objects.filter(site=site, valid_from__lte=last_day))
    closures = list(Closure.objects.filter(site=site, starts_on__lte=last_day, ends_on__gte=first_day))
    tz = ZoneInfo(settings.TIME_ZONE)
    day_after = datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)
    day_start = datetime.datetime.combine(first_day, datetime.time(), tzinfo=tz)
    booked = list(
        Appointment.objects.holding()
        .filter(counter_id__in=counter_ids, starts_at__lt=day_after, ends_at__gt=day_start)
        .values_list("counter_id", "starts_at", "ends_at")
    )
    earliest, latest = notice_window(motif, now)
    return free_slots(
        counter_ids=counter_ids,
        periods=periods,
        closures=closures,
        holidays=french_holidays({first_day.year, last_day.year}, site.holiday_subdivision),
        booked=booked,
        duration=datetime.timedelta(minutes=motif.duration_minutes),
        first_day=first_day,
        last_day=last_day,
        earliest=earliest,
        latest=latest,
        tz=tz,
    )


def by_day(slots, *, distinct_times=False):
    """[(date, [slots])] in order; with distinct_times, one slot per start time (the public picks a time)."""
    days = {}
    seen = set()
    for slot in slots:
        local = timezone.localtime(slot.starts_at)
        if distinct_times:
            if slot.starts_at in seen:
                continue
            seen.add(slot.starts_at)
        days.setdefault(local.date(), []).append(slot)
    return sorted(days.items())
