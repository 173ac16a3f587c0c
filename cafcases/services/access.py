"""Reading a number in clear: the single door through which every reveal goes (and is logged)."""

import logging

from django.db import models
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class RevealPurpose(models.TextChoices):
    IDENTITY_CHECK = "identity_check", _("Vérification d'identité avec la personne")
    PARTNER_REQUEST = "partner_request", _("Demande d'un organisme partenaire")
    LETTER = "letter", _("Courrier à la personne")
    OTHER = "other", _("Autre motif")


def number_reveal(*, identifier, user, purpose, ip_address=None):
    """Return the number in clear for this user and purpose.

    Screens call this and nothing else to show a number in clear, so that accountability (the access log,
    décret 2019-341) is added in one place. Logged here without the number itself.
    """
    logger.info(
        "Numéro affiché en clair : identifiant=%s personne=%s utilisateur=%s motif=%s",
        identifier.pk,
        identifier.person_id,
        user.pk,
        purpose,
    )
    return identifier.number.formatted
