"""The username django-axes records for a failed login."""

from django.conf import settings

# AccessAttempt.username is a varchar(255): PostgreSQL refuses a longer value (Django's login form does not check the
# username's length before authenticate(), so a hostile overlong username reaches the lockout handler).
RECORDED_USERNAME_LENGTH = 255


def username_from_request(request, credentials=None):
    """The submitted username, cut to what the lockout table holds, so that no input can make the login fail."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field) if request is not None else None
    if username is None:
        return None
    return str(username)[:RECORDED_USERNAME_LENGTH]
