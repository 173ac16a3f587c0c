"""The second factor: enrolment of an authenticator app (QR code), then a TOTP code after each password login."""

import base64
import io
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from cafcases.audit.forms import TokenForm

DEVICE_NAME = "application d'authentification"
WRONG_CODE = _("Code incorrect ou expiré. Attendez le code suivant et recommencez.")


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _with_next(url_name, request):
    return f"{reverse(url_name)}?{urlencode({'next': _next_url(request)})}"


def qr_code_data_uri(text):
    """An SVG QR code as a data: URI, shown by an <img> (no inline script or style for the CSP)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@never_cache
@login_required
def otp_enrol(request):
    """Pair an authenticator app with the account: a QR code (and its key), confirmed by a first code."""
    user = request.user
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return redirect(_with_next("otp_verify", request))
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Double authentification activée."))
            return redirect(_next_url(request))
        form.add_error("token", WRONG_CODE)
    key = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_code": qr_code_data_uri(device.config_url),
        "key": " ".join(key[index : index + 4] for index in range(0, len(key), 4)),
        "next": _next_url(request),
    }
    return render(request, "registration/otp_enrol.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
def otp_verify(request):
    """The code of the authenticator app, asked after the password; throttled by django-otp after failures."""
    if not TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        return redirect(_with_next("otp_enrol", request))
    form = TokenForm(request.POST or None)
    if form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", WRONG_CODE)
    context = {"form": form, "next": _next_url(request)}
    return render(request, "registration/otp_verify.html", context, status=400 if form.errors else 200)
