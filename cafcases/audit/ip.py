"""The client's IP address, the same for the access log and for the lockout of failed logins (django-axes)."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or, behind ``TRUSTED_PROXY_COUNT`` reverse proxies, the address the outermost one saw.

    Only proxies we run append to X-Forwarded-For: the entry they added is read from the right, so that a client
    cannot choose its address by sending the header itself.
    """
    if request is None:
        return None
    return _valid(_raw_client_ip(request))


def _raw_client_ip(request):
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def _valid(address):
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
