"""Agents book for a case or a person: site of their caisse, motif, free slot (any counter of the site)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cafcases.booking.forms import SlotChoiceForm
from cafcases.booking.models import BookingChannel, Counter, Motif, Site
from cafcases.booking.services import SlotTaken, appointment_book
from cafcases.booking.slots import by_day, site_slots
from cafcases.models import Case, Person

WEEKS_AHEAD = 8


def _pick(queryset, value):
    try:
        return queryset.filter(pk=int(value)).first() if value else None
    except ValueError:
        return None


def _booking_page(request, *, person, case, back_url):
    sites = list(Site.objects.for_user(request.user).active().order_by("name"))
    motifs = list(Motif.objects.active())
    source = request.POST if request.method == "POST" else request.GET
    site = _pick(Site.objects.for_user(request.user).active(), source.get("site")) or (sites[0] if sites else None)
    motif = _pick(Motif.objects.active(), source.get("motif")) or (motifs[0] if motifs else None)
    try:
        week = max(0, min(int(request.GET.get("semaine", 0)), WEEKS_AHEAD - 1))
    except ValueError:
        week = 0
    form = SlotChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and site and motif:
        counter_pk, starts_at = form.cleaned_data["slot"]
        counter = get_object_or_404(Counter, pk=counter_pk, site=site)
        try:
            appointment = appointment_book(
                site=site,
                motif=motif,
                counter=counter,
                starts_at=starts_at,
                channel=BookingChannel.AGENT,
                booked_by=request.user,
                person=person,
                case=case,
                language=person.preferred_language,
            )
        except SlotTaken as error:
            messages.error(request, " ".join(error.messages))
        except ValidationError as error:
            messages.error(
                request, _("Le rendez-vous n'a pas été pris : %(reason)s") % {"reason": " ".join(error.messages)}
            )
        else:
            local = timezone.localtime(appointment.starts_at)
            messages.success(
                request,
                _("Rendez-vous pris le %(date)s à %(time)s (%(counter)s).")
                % {"date": f"{local:%d/%m/%Y}", "time": f"{local:%H:%M}", "counter": counter.name},
            )
            return redirect(back_url)
    days = []
    if site and motif:
        first_day = timezone.localdate() + datetime.timedelta(days=7 * week)
        slots = site_slots(site, motif, first_day=first_day, days=7)
        counters = {counter.pk: counter for counter in Counter.objects.filter(site=site).select_related("agent")}
        days = [(day, [(slot, counters[slot.counter_id]) for slot in day_slots]) for day, day_slots in by_day(slots)]
    upcoming = list(person.appointments.with_related().filter(starts_at__gte=timezone.now()).order_by("starts_at")[:10])
    return render(
        request,
        "booking/agent_book.html",
        {
            "person": person,
            "case": case,
            "back_url": back_url,
            "sites": sites,
            "motifs": motifs,
            "site": site,
            "motif": motif,
            "days": days,
            "week": week,
            "previous_week": week - 1 if week > 0 else None,
            "next_week": week + 1 if week + 1 < WEEKS_AHEAD else None,
            "phone_refused": bool(motif and motif.is_phone and person.phone_unreachable),
            "upcoming": upcoming,
        },
    )


@never_cache
@login_required
def book_for_case(request, pk):
    case = get_object_or_404(Case.objects.for_user(request.user).select_related("person"), pk=pk)
    return _booking_page(request, person=case.person, case=case, back_url=case_url(case))


@never_cache
@login_required
def book_for_person(request, pk):
    person = get_object_or_404(Person.objects.for_user(request.user), pk=pk)
    case = Case.objects.for_user(request.user).open().filter(person=person).first()
    back_url = case_url(case) if case else request.path
    return _booking_page(request, person=person, case=case, back_url=back_url)


def case_url(case):
    from django.urls import reverse

    return reverse("case_detail", args=[case.pk])
