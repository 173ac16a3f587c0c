"""Who must show a second factor, and idle sessions that end after SESSION_COOKIE_AGE seconds without a request."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.urls import Resolver404, resolve, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

# Pages a signed-in user reaches before the second factor: signing out, and the second factor's own pages.
EXEMPT_URL_NAMES = {"login", "logout", "otp_verify", "otp_enrol", "health"}
IDLE_KEY = "_idle_seen"
IDLE_REFRESH_SECONDS = 60


def second_factor_required(request):
    """Supervisors, national administrators and superusers everywhere; everybody on the admin site."""
    if not settings.OTP_REQUIRED:
        return False
    user = request.user
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_supervisor or user.is_national_admin:
        return True
    return request.path_info.startswith(reverse("admin:index"))


def _exempt(request):
    try:
        return resolve(request.path_info).url_name in EXEMPT_URL_NAMES
    except Resolver404:
        return False


class SecondFactorMiddleware:
    """Sends a user who must show a TOTP code, and has not this session, to verification (or to enrolment)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if second_factor_required(request) and not request.user.is_verified() and not _exempt(request):
            enrolled = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists()
            return redirect_to_login(request.get_full_path(), reverse("otp_verify" if enrolled else "otp_enrol"))
        return self.get_response(request)


@receiver(user_logged_in)
def start_idle_clock(sender, request, user, **kwargs):
    """The login saves the session anyway: the idle clock starts there, not with a write on the next request."""
    if request is not None and hasattr(request, "session"):
        request.session[IDLE_KEY] = int(time.time())


class SessionIdleMiddleware:
    """Renews a signed-in session's expiry when it is used, at most once a minute (not a write per request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(IDLE_KEY, 0) >= IDLE_REFRESH_SECONDS:
                session[IDLE_KEY] = now  # a modified session is saved with a fresh SESSION_COOKIE_AGE
        return self.get_response(request)
