"""Messages sent to people (email, SMS), their attachments and their delivery status."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("Courriel")
    SMS = "sms", _("SMS")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("En attente d'envoi")
    SENT = "sent", _("Envoyé")
    DELIVERED = "delivered", _("Remis")
    FAILED = "failed", _("Échec")


class MessageQuerySet(models.QuerySet):
    def about(self, obj):
        """Messages whose subject is this object (an appointment, a case…)."""
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def queued(self):
        return self.filter(status=MessageStatus.QUEUED)


class Message(models.Model):
    channel = models.CharField(_("canal"), max_length=5, choices=MessageChannel.choices)
    to = models.CharField(_("destinataire"), max_length=254, help_text=_("Adresse électronique ou numéro E.164."))
    purpose = models.CharField(_("objet"), max_length=50, help_text=_("Code court : confirmation, rappel…"))
    subject = models.CharField(_("sujet"), max_length=200, blank=True)
    body = models.TextField(_("texte"))
    # The caller's idempotency key ("booking:42:confirmation:sms"): the unique constraint is what makes
    # "never twice" hold when two workers or two requests queue the same message at once.
    dedupe_key = models.CharField(_("clé d'unicité"), max_length=200)
    # What the message is about. Appointments live in another app: a generic relation keeps this app independent.
    # No on_delete is possible on a generic key; the message stays as a record if its subject is deleted.
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("type de l'objet"), on_delete=models.PROTECT, null=True, blank=True
    )
    object_id = models.PositiveBigIntegerField(_("identifiant de l'objet"), null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    # PROTECT on both: a message is evidence that the service told the person something (a convocation before a
    # suspension, a confirmation). SET_NULL would also leave the address and the text as orphaned personal data
    # that no access or erasure request could find again; deleting a person or a case must deal with them first.
    case = models.ForeignKey(
        "cafcases.Case",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    person = models.ForeignKey(
        "cafcases.Person",
        verbose_name=_("personne"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    status = models.CharField(_("état"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    failure_reason = models.CharField(_("motif de l'échec"), max_length=500, blank=True)
    provider_message_id = models.CharField(_("identifiant chez le prestataire"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives d'envoi"), default=0)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    status_at = models.DateTimeField(_("état au"), default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                name="message_dedupe_key_unique",
                violation_error_message=_("Ce message a déjà été mis en file d'envoi."),
            ),
            # Delivery reports find their message by the provider's id on one channel.
            models.UniqueConstraint(
                fields=["channel", "provider_message_id"],
                condition=~models.Q(provider_message_id=""),
                name="message_provider_id_unique",
                violation_error_message=_("Cet identifiant du prestataire désigne déjà un autre message."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=MessageStatus.FAILED) | ~models.Q(failure_reason=""),
                name="message_failure_has_reason",
                violation_error_message=_("Un message en échec doit porter le motif de l'échec."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[MessageStatus.QUEUED, MessageStatus.FAILED])
                | models.Q(sent_at__isnull=False),
                name="message_sent_has_date",
                violation_error_message=_("Un message envoyé ou remis porte sa date d'envoi."),
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=MessageChannel.values),
                name="message_channel_known",
                violation_error_message=_("Canal de message inconnu."),
            ),
        ]
        indexes = [
            models.Index("content_type", "object_id", name="message_about"),
            models.Index("status", "created_at", name="message_status"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} — {self.purpose} — {self.get_status_display()}"


class MessageAttachment(models.Model):
    # CASCADE: an attachment is part of its message and means nothing without it.
    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="attachments"
    )
    filename = models.CharField(_("nom du fichier"), max_length=200)
    mimetype = models.CharField(_("type"), max_length=100)
    content = models.BinaryField(_("contenu"))

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["message", "id"]

    def __str__(self):
        return self.filename
