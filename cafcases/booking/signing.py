"""The link in a confirmation lets its holder cancel or move one appointment: signed, so that it cannot be forged."""

from django.core import signing

SALT = "cafcases.booking.manage"


def manage_token(appointment):
    """A signature over the appointment id and its creation time: a reused id never inherits an old link."""
    return signing.dumps([appointment.pk, int(appointment.created_at.timestamp())], salt=SALT, compress=False)


def appointment_from_token(token, queryset):
    """The appointment the token was made for; None for a tampered, foreign or outdated token."""
    try:
        pk, created = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    appointment = queryset.filter(pk=pk).first()
    if appointment is None or int(appointment.created_at.timestamp()) != created:
        return None
    return appointment
