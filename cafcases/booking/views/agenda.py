"""The agenda of a caisse's sites: by day or week, per site or counter; attendance; linking online bookings."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cafcases.booking.forms import AttendanceForm, LinkForm, LinkSearchForm
from cafcases.booking.models import Appointment, AppointmentStatus, Counter, Site
from cafcases.booking.services import appointment_cancel, appointment_link, appointment_record_attendance
from cafcases.models import Person

TO_RECORD_LIMIT = 200


def _day_bounds(first_day, days):
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime.combine(first_day, datetime.time(), tzinfo=tz)
    return start, start + datetime.timedelta(days=days)


@never_cache
@login_required
def agenda_home(request):
    """The caisse's sites, today's count per site, and how many past appointments wait to be recorded."""
    now = timezone.now()
    start, end = _day_bounds(timezone.localdate(), 1)
    sites = list(Site.objects.for_user(request.user).order_by("name"))
    today = dict(
        Appointment.objects.for_user(request.user)
        .holding()
        .filter(starts_at__gte=start, starts_at__lt=end)
        .values_list("site_id")
        .annotate(count=Count("id"))
        .values_list("site_id", "count")
    )
    for site in sites:
        site.today_count = today.get(site.pk, 0)
    to_record = Appointment.objects.for_user(request.user).to_record(now)
    my_counters = list(Counter.objects.filter(agent=request.user, is_active=True).select_related("site"))
    return render(
        request,
        "booking/agenda_home.html",
        {
            "sites": sites,
            "my_counters": my_counters,
            "to_record_count": to_record[: TO_RECORD_LIMIT + 1].count(),
            "limit": TO_RECORD_LIMIT,
        },
    )


@never_cache
@login_required
def site_agenda(request, pk):
    """One site's appointments for a day or a week (?jour=AAAA-MM-JJ&vue=semaine), optionally one counter's."""
    site = get_object_or_404(Site.objects.for_user(request.user), pk=pk)
    try:
        day = datetime.date.fromisoformat(request.GET.get("jour", ""))
    except ValueError:
        day = timezone.localdate()
    week = request.GET.get("vue") == "semaine"
    if week:
        day -= datetime.timedelta(days=day.weekday())
    span = 7 if week else 1
    counters = list(Counter.objects.filter(site=site).select_related("agent").order_by("name"))
    counter = None
    if request.GET.get("guichet", "").isdigit():
        counter = next((c for c in counters if c.pk == int(request.GET["guichet"])), None)
    start, end = _day_bounds(day, span)
    appointments = Appointment.objects.with_related().filter(site=site, starts_at__gte=start, starts_at__lt=end)
    if counter is not None:
        appointments = appointments.filter(counter=counter)
    by_day = {}
    for appointment in appointments.order_by("starts_at", "counter__name"):
        by_day.setdefault(timezone.localtime(appointment.starts_at).date(), []).append(appointment)
    days = [day + datetime.timedelta(days=offset) for offset in range(span)]
    step = datetime.timedelta(days=span)
    return render(
        request,
        "booking/agenda_site.html",
        {
            "site": site,
            "counters": counters,
            "counter": counter,
            "week": week,
            "day": day,
            "days": [(each, by_day.get(each, [])) for each in days],
            "previous": day - step,
            "next": day + step,
            "today": timezone.localdate(),
        },
    )


@never_cache
@login_required
def to_record(request):
    """ "À renseigner": past appointments of the caisse's sites that nobody marked yet, oldest first."""
    appointments = list(
        Appointment.objects.for_user(request.user)
        .to_record(timezone.now())
        .with_related()
        .order_by("starts_at")[:TO_RECORD_LIMIT]
    )
    return render(
        request,
        "booking/agenda_to_record.html",
        {"appointments": appointments, "attendance_form": AttendanceForm(), "limit": TO_RECORD_LIMIT},
    )


def _scoped(request, pk):
    return get_object_or_404(Appointment.objects.for_user(request.user).with_related(), pk=pk)


def _messages_about(appointment):
    from cafcases.notifications.models import Message

    return list(Message.objects.about(appointment).order_by("-id")[:20])


@never_cache
@login_required
def appointment_detail(request, pk):
    return _detail_page(request, _scoped(request, pk))


def _detail_page(request, appointment, *, search_form=None, candidates=None):
    return render(
        request,
        "booking/agenda_appointment.html",
        {
            "appointment": appointment,
            "attendance_form": AttendanceForm(),
            "may_record": appointment.status != AppointmentStatus.CANCELLED and appointment.starts_at <= timezone.now(),
            "may_cancel": appointment.status == AppointmentStatus.BOOKED,
            "search_form": search_form or LinkSearchForm(),
            "candidates": candidates,
            "sent": _messages_about(appointment),
        },
    )


@login_required
@require_POST
def appointment_attendance(request, pk):
    appointment = _scoped(request, pk)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            appointment_record_attendance(appointment=appointment, status=form.cleaned_data["status"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(who)s : %(status)s.")
                % {"who": appointment.who, "status": AppointmentStatus(form.cleaned_data["status"]).label},
            )
    else:
        messages.error(request, _("Choisissez une présence."))
    if request.POST.get("next") == "to_record":
        return redirect("booking:to_record")
    return redirect("booking:appointment", pk=pk)


@login_required
@require_POST
def appointment_cancel_view(request, pk):
    appointment = _scoped(request, pk)
    try:
        appointment_cancel(appointment=appointment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Rendez-vous annulé : la personne est prévenue."))
    return redirect("booking:appointment", pk=pk)


@login_required
@require_POST
def appointment_link_view(request, pk):
    """Search (the term is posted, never in the URL), then attach the booking to the person found."""
    appointment = _scoped(request, pk)
    people = Person.objects.for_user(request.user)
    if "person" in request.POST:
        form = LinkForm(request.POST)
        person = people.filter(pk=form.cleaned_data["person"]).first() if form.is_valid() else None
        if person is None:
            messages.error(request, _("Personne introuvable."))
            return redirect("booking:appointment", pk=pk)
        try:
            appointment_link(appointment=appointment, person=person, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Rendez-vous rattaché à %(who)s.") % {"who": person.display_name})
        return redirect("booking:appointment", pk=pk)
    search_form = LinkSearchForm(request.POST)
    candidates = list(people.find(search_form.cleaned_data["q"])[:20]) if search_form.is_valid() else []
    return _detail_page(request, appointment, search_form=search_form, candidates=candidates)
