"""The append-only access log of numbers read in clear, and the change history of people, numbers and cases."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register

from cafcases.models import Case, Identifier, Person


class AccessAction(models.TextChoices):
    REVEAL = "reveal", _("Numéro affiché en clair")
    EXPORT = "export", _("Export de numéros en clair")
    API = "api", _("Réponse de l'API")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an access log row from the application."""


APPEND_ONLY_MESSAGE = _("Le journal des accès ne se modifie pas et ne s'efface pas (seule la purge légale le fait).")


class AccessLogQuerySet(models.QuerySet):
    # Bulk writes would bypass the model's save() and delete(): refused as well. The purge goes through raw SQL
    # (cafcases.audit.services.access_log_purge), which PostgreSQL's trigger checks again.
    def update(self, **kwargs):
        raise AppendOnlyError(str(APPEND_ONLY_MESSAGE))

    def delete(self):
        raise AppendOnlyError(str(APPEND_ONLY_MESSAGE))

    update.queryset_only = True
    delete.queryset_only = True


class AccessLog(models.Model):
    """One reading of numbers in clear: who, when, which person, why, from where (décret 2019-341)."""

    created_at = models.DateTimeField(_("le"), default=timezone.now, db_index=True, editable=False)
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    purpose = models.CharField(_("motif"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        on_delete=models.PROTECT,  # who read a number must stay known as long as the line is kept
        null=True,
        blank=True,
        related_name="+",
    )
    api_client_name = models.CharField(_("client de l'API"), max_length=100, blank=True)
    person = models.ForeignKey(
        Person,
        verbose_name=_("personne"),
        on_delete=models.PROTECT,  # whose number was read is the point of the line
        null=True,
        blank=True,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    count = models.PositiveIntegerField(_("nombre de personnes"), default=1)
    detail = models.CharField(_("précision"), max_length=255, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("accès à un numéro en clair")
        verbose_name_plural = _("journal des accès aux numéros")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "-created_at"], name="audit_accesslog_person")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AccessAction.values),
                name="audit_accesslog_action_known",
                violation_error_message=_("Action inconnue dans le journal des accès."),
            ),
            models.CheckConstraint(
                condition=~models.Q(user__isnull=True, api_client_name=""),
                name="audit_accesslog_has_an_author",
                violation_error_message=_("Une ligne du journal dit qui a lu : un utilisateur ou un client de l'API."),
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} — {self.created_at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(str(APPEND_ONLY_MESSAGE))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(str(APPEND_ONLY_MESSAGE))


# Change history (django-simple-history). The historical tables live in this app's migrations, so that the main app's
# migrations stay the other team's. Bulk imports (bulk_create / bulk_update) bypass it: they are traced by their
# import report instead. Derived search keys are left out: they change with the names they come from.
register(Person, app="cafcases.audit", excluded_fields=["birth_name_key", "first_names_key", "search_text"])
register(Identifier, app="cafcases.audit")
register(Case, app="cafcases.audit", excluded_fields=["priority", "last_event_at"])
