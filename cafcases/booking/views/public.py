"""Booking by the public at /rendez-vous/: no account, no NIR, in French or English.

Every answer is the same whether or not the person is known to the CAF: the page never reveals who exists.
"""

import datetime
import functools
import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from cafcases.booking.forms import PublicBookingForm, SiteSearchForm, SlotChoiceForm
from cafcases.booking.models import Appointment, AppointmentStatus, Motif, Site
from cafcases.booking.services import SlotTaken, appointment_book_public, appointment_cancel, appointment_move
from cafcases.booking.signing import appointment_from_token, manage_token
from cafcases.booking.slots import by_day, parse_slot_key, site_slots

logger = logging.getLogger(__name__)

WEEKS_AHEAD = 8


def public_language(view):
    """Public pages speak the visitor's language (the switch's cookie, else the browser's); staff pages stay French."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        language = translation.get_language_from_request(request)
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = view(request, *args, **kwargs)
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
            response.headers["Vary"] = "Cookie, Accept-Language"
            return response

    return never_cache(wrapper)


def _language(request):
    return "en" if request.LANGUAGE_CODE.startswith("en") else "fr"


def _site(pk):
    return get_object_or_404(Site.objects.active().select_related("caisse"), pk=pk)


def _motif(pk):
    return get_object_or_404(Motif.objects.public(), pk=pk)


def _week(request):
    try:
        return max(0, min(int(request.GET.get("semaine", 0)), WEEKS_AHEAD - 1))
    except ValueError:
        return 0


def _slot_days(site, motif, week, *, except_start=None):
    first_day = timezone.localdate() + datetime.timedelta(days=7 * week)
    slots = [slot for slot in site_slots(site, motif, first_day=first_day, days=7) if slot.starts_at != except_start]
    return by_day(slots, distinct_times=True)


@public_language
def public_start(request):
    """Step 1: find a site by postcode or department."""
    form = SiteSearchForm(request.GET or None)
    sites = None
    if form.is_bound and form.is_valid():
        sites = list(Site.objects.active().near(form.cleaned_data["q"]))
    return render(request, "booking/public_start.html", {"form": form, "sites": sites})


@public_language
def public_motifs(request, site):
    """Step 2: what the appointment is for (the motifs the public may book)."""
    site = _site(site)
    motifs = list(Motif.objects.public())
    for motif in motifs:
        motif.public_label = motif.label_for(_language(request))
    return render(request, "booking/public_motifs.html", {"site": site, "motifs": motifs})


@public_language
def public_slots(request, site, motif):
    """Step 3: a week of free times; the counter is chosen when booking."""
    site, motif = _site(site), _motif(motif)
    week = _week(request)
    return render(
        request,
        "booking/public_slots.html",
        {
            "site": site,
            "motif": motif,
            "motif_label": motif.label_for(_language(request)),
            "days": _slot_days(site, motif, week),
            "week": week,
            "previous_week": week - 1 if week > 0 else None,
            "next_week": week + 1 if week + 1 < WEEKS_AHEAD else None,
            "slot_form_action": False,
        },
    )


def _rate_limited(request, phone):
    """Per IP and per phone number: a few bookings an hour is what a person needs, not what a robot wants."""
    limited = is_ratelimited(
        request, group="booking-ip", key="ip", rate=settings.BOOKING_RATE_PER_IP, method="POST", increment=True
    )
    if phone:
        limited = (
            is_ratelimited(
                request,
                group="booking-phone",
                key=lambda _group, _request: phone.as_e164,
                rate=settings.BOOKING_RATE_PER_PHONE,
                method="POST",
                increment=True,
            )
            or limited
        )
    return limited


@public_language
def public_book(request, site, motif):
    """Step 4: who is coming; then book, or show fresh slots when someone was faster."""
    site, motif = _site(site), _motif(motif)
    language = _language(request)
    context = {"site": site, "motif": motif, "motif_label": motif.label_for(language)}
    if request.method == "POST":
        form = PublicBookingForm(request.POST)
        if form.is_valid():
            if _rate_limited(request, form.cleaned_data.get("phone")):
                return render(request, "booking/public_limited.html", context, status=429)
            _counter, starts_at = form.cleaned_data["slot"]
            try:
                appointment = appointment_book_public(
                    site=site, motif=motif, starts_at=starts_at, language=language, **form.booker()
                )
            except SlotTaken as error:
                messages.error(request, " ".join(error.messages))
                return redirect(reverse("booking:public_slots", args=[site.pk, motif.pk]))
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                return redirect("booking:public_confirmation", token=manage_token(appointment))
    else:
        # The public picks a time; a counter free at that time is chosen when booking.
        form = PublicBookingForm(initial={"slot": f"0|{request.GET.get('creneau', '')}"})
    try:
        _counter, starts_at = parse_slot_key(form["slot"].value())
    except ValueError:
        return redirect("booking:public_slots", site=site.pk, motif=motif.pk)
    return render(
        request,
        "booking/public_book.html",
        {**context, "form": form, "starts_at": starts_at},
    )


def _from_token(token):
    appointment = appointment_from_token(token, Appointment.objects.with_related())
    if appointment is None:
        raise Http404(_("Ce lien n'est pas valide."))
    return appointment


def _manage_context(request, appointment, token):
    language = _language(request)
    return {
        "appointment": appointment,
        "token": token,
        "motif_label": appointment.motif.label_for(language),
        "may_change": appointment.status == AppointmentStatus.BOOKED and appointment.starts_at > timezone.now(),
    }


@public_language
def public_confirmation(request, token):
    appointment = _from_token(token)
    return render(
        request, "booking/public_confirmation.html", _manage_context(request, appointment, token) | {"confirmed": True}
    )


@public_language
def manage(request, token):
    """What the signed link opens: the appointment, and buttons to cancel or move it."""
    appointment = _from_token(token)
    if request.method == "POST":
        try:
            appointment_cancel(appointment=appointment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Votre rendez-vous est annulé."))
        return redirect("booking:manage", token=token)
    return render(request, "booking/public_confirmation.html", _manage_context(request, appointment, token))


@public_language
def manage_move(request, token):
    appointment = _from_token(token)
    if appointment.status != AppointmentStatus.BOOKED or appointment.starts_at <= timezone.now():
        messages.error(request, _("Ce rendez-vous n'est plus modifiable."))
        return redirect("booking:manage", token=token)
    if request.method == "POST":
        form = SlotChoiceForm(request.POST)
        if form.is_valid():
            _counter, starts_at = form.cleaned_data["slot"]
            try:
                appointment_move(appointment=appointment, starts_at=starts_at)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Votre rendez-vous est déplacé."))
                return redirect("booking:manage", token=token)
    week = _week(request)
    return render(
        request,
        "booking/public_move.html",
        _manage_context(request, appointment, token)
        | {
            "days": _slot_days(appointment.site, appointment.motif, week, except_start=appointment.starts_at),
            "week": week,
            "previous_week": week - 1 if week > 0 else None,
            "next_week": week + 1 if week + 1 < WEEKS_AHEAD else None,
        },
    )
