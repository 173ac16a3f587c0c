"""What agents record while working a case: papers, certification requests and chases, contacts, notes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case
from .countries import Country


def acting_user_field():
    """Who recorded it; empty for batch and system operations. PROTECT: it is part of the audit trail."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )


class DocumentKind(models.TextChoices):
    BIRTH_CERTIFICATE = "birth_certificate", _("Extrait d'acte de naissance avec filiation")
    SWORN_TRANSLATION = "sworn_translation", _("Traduction assermentée")
    IDENTITY_DOCUMENT = "identity_document", _("Pièce d'identité")
    RESIDENCE_PERMIT = "residence_permit", _("Titre de séjour")
    OFPRA_CERTIFICATE = "ofpra_certificate", _("Certificat OFPRA")


class DocumentStatus(models.TextChoices):
    REQUESTED = "requested", _("Demandée")
    RECEIVED = "received", _("Reçue")
    VERIFIED = "verified", _("Vérifiée")
    REJECTED = "rejected", _("Refusée")


class CaseDocument(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("pièce"), max_length=30, choices=DocumentKind.choices)
    status = models.CharField(
        _("état"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.REQUESTED
    )
    requested_on = models.DateField(_("demandée le"), null=True, blank=True)
    received_on = models.DateField(_("reçue le"), null=True, blank=True)
    verified_on = models.DateField(_("vérifiée le"), null=True, blank=True)
    rejected_on = models.DateField(_("refusée le"), null=True, blank=True)
    rejection_reason = models.CharField(_("motif du refus"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")
        ordering = ["case", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                name="case_document_once_per_kind",
                violation_error_message=_("Cette pièce figure déjà dans la liste du dossier."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=DocumentStatus.REJECTED) | ~models.Q(rejection_reason=""),
                name="case_document_rejection_has_reason",
                violation_error_message=_("Une pièce refusée doit porter le motif du refus."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.get_status_display()}"


class Authority(models.TextChoices):
    SANDIA = "sandia", _("SANDIA (CNAV, Tours)")
    COUNTRY_REGISTRY = "country_registry", _("État civil du pays de naissance")
    CONSULATE = "consulate", _("Consulat")
    OFPRA = "ofpra", _("OFPRA")


class Channel(models.TextChoices):
    EMAIL = "email", _("Courriel")
    POST = "post", _("Courrier")
    PORTAL = "portal", _("Portail")
    DIPLOMATIC = "diplomatic", _("Valise diplomatique")


class RequestOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Identité confirmée")
    DOCUMENTS_NEEDED = "documents_needed", _("Pièces complémentaires demandées")
    CONTRADICTORY = "contradictory", _("Éléments contradictoires")
    NO_RECORD = "no_record", _("Aucun acte trouvé")
    REFUSED = "refused", _("Refus")
    WITHDRAWN = "withdrawn", _("Sans objet (dossier clos)")


class CertificationRequestQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(answered_on__isnull=True)

    def overdue(self, today):
        return self.unanswered().filter(expected_on__lt=today)


class CertificationRequest(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="certification_requests"
    )
    authority = models.CharField(_("destinataire"), max_length=20, choices=Authority.choices)
    country = models.ForeignKey(
        Country, verbose_name=_("pays"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("canal"), max_length=12, choices=Channel.choices, default=Channel.PORTAL)
    reference = models.CharField(_("référence"), max_length=100, blank=True)
    sent_on = models.DateField(_("envoyée le"))
    expected_on = models.DateField(_("réponse attendue le"))
    answered_on = models.DateField(_("réponse reçue le"), null=True, blank=True)
    outcome = models.CharField(_("réponse"), max_length=20, choices=RequestOutcome.choices, blank=True)
    created_by = acting_user_field()

    objects = CertificationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de certification")
        verbose_name_plural = _("demandes de certification")
        ordering = ["case", "sent_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expected_on__gte=models.F("sent_on")),
                name="certification_request_expected_after_sent",
                violation_error_message=_("La réponse ne peut pas être attendue avant l'envoi."),
            ),
            models.CheckConstraint(
                condition=models.Q(answered_on__isnull=True, outcome="")
                | (models.Q(answered_on__isnull=False) & ~models.Q(outcome="")),
                name="certification_request_answer_has_outcome",
                violation_error_message=_("Une réponse porte une date et un résultat."),
            ),
        ]
        indexes = [
            models.Index(
                "expected_on", name="certification_request_open", condition=models.Q(answered_on__isnull=True)
            ),
            models.Index("country", "answered_on", name="certification_request_delays"),
        ]

    def __str__(self):
        return f"{self.get_authority_display()} — {self.sent_on:%d/%m/%Y}"

    def is_overdue(self, today):
        return self.answered_on is None and self.expected_on < today


class Chase(models.Model):
    """A reminder ("relance") sent to an authority that has not answered."""

    request = models.ForeignKey(
        CertificationRequest, verbose_name=_("demande"), on_delete=models.PROTECT, related_name="chases"
    )
    sent_on = models.DateField(_("envoyée le"))
    channel = models.CharField(_("canal"), max_length=12, choices=Channel.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = acting_user_field()

    class Meta:
        verbose_name = _("relance")
        verbose_name_plural = _("relances")
        ordering = ["request", "sent_on", "id"]

    def __str__(self):
        return _("Relance du %(date)s") % {"date": self.sent_on.strftime("%d/%m/%Y")}


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Téléphone")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Courriel")
    LETTER = "letter", _("Courrier")
    COUNTER = "counter", _("Accueil")


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("Personne jointe")
    NO_ANSWER = "no_answer", _("Pas de réponse")
    UNREACHABLE = "unreachable", _("Numéro injoignable ou erreur opérateur")
    WRONG_NUMBER = "wrong_number", _("Mauvais numéro")
    BOUNCED = "bounced", _("Courriel revenu en erreur")
    SENT = "sent", _("Envoyé")
    UNDELIVERED = "undelivered", _("Message non remis")


# Outcomes of a phone call that count towards flagging the number unreachable.
FAILED_PHONE_OUTCOMES = [ContactOutcome.NO_ANSWER, ContactOutcome.UNREACHABLE, ContactOutcome.WRONG_NUMBER]


class ContactAttempt(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="contacts")
    at = models.DateTimeField(_("le"), auto_now_add=True)
    channel = models.CharField(_("canal"), max_length=10, choices=ContactChannel.choices)
    outcome = models.CharField(_("résultat"), max_length=15, choices=ContactOutcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = acting_user_field()

    class Meta:
        verbose_name = _("tentative de contact")
        verbose_name_plural = _("tentatives de contact")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_channel_display()} — {self.get_outcome_display()}"


class CaseNote(models.Model):
    """A private note between agents; never shown to the person."""

    case = models.ForeignKey(Case, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="notes")
    at = models.DateTimeField(_("le"), auto_now_add=True)
    by = acting_user_field()
    text = models.TextField(_("note"))

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes internes")
        ordering = ["-at", "-id"]

    def __str__(self):
        return self.text[:60]
