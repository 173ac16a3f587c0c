"""Reading a number in clear: the single door through which every reveal goes (and is logged)."""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from cafcases.audit.models import AccessAction
from cafcases.audit.services import access_log_record


class RevealPurpose(models.TextChoices):
    IDENTITY_CHECK = "identity_check", _("Vérification d'identité avec la personne")
    PARTNER_REQUEST = "partner_request", _("Demande d'un organisme partenaire")
    LETTER = "letter", _("Courrier à la personne")
    OTHER = "other", _("Autre motif")


@transaction.atomic
def number_reveal(*, identifier, user, purpose, ip_address=None, request=None):
    """Return the number in clear for this user and purpose, after writing it to the access log.

    Screens call this and nothing else to show a number in clear, so that accountability (the access log,
    décret 2019-341) is added in one place. The log line carries the person, never the number. The request, when
    given, supplies the client's address behind a trusted proxy (cafcases.audit.ip).
    """
    access_log_record(
        action=AccessAction.REVEAL,
        purpose=purpose,
        request=request,
        user=user,
        person=identifier.person,
        ip_address=ip_address,
        detail=identifier.get_kind_display(),
    )
    return identifier.number.formatted
