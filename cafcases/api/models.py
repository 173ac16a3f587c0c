"""Partner systems (the CAF login portal) and the tokens they call the API with."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cafcases.models import Case, Organisation, Person


class ApiClientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ApiClient(models.Model):
    """A partner system calling the API with one token, scoped to a caisse or national (no caisse)."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    caisse = models.ForeignKey(
        Organisation,
        verbose_name=_("caisse"),
        on_delete=models.PROTECT,  # the access log names the client: its caisse must stay readable
        null=True,
        blank=True,
        related_name="api_clients",
        help_text=_("Vide pour un client national, qui voit toutes les caisses."),
    )
    is_active = models.BooleanField(_("actif"), default=True, help_text=_("Décochez pour refuser ce jeton."))
    # The token is "<prefix>.<secret>": the prefix finds the row, the SHA-256 of the whole token proves it.
    # The token itself is stored nowhere (OWASP ASVS 3.5.2): it is shown once, when created.
    token_prefix = models.CharField(_("préfixe du jeton"), max_length=16, unique=True, editable=False)
    token_hash = models.CharField(_("empreinte du jeton"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernier appel"), null=True, blank=True, editable=False)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client de l'API")
        verbose_name_plural = _("clients de l'API")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_national(self):
        return self.caisse_id is None

    def visible_people(self):
        """People this client may resolve: its caisse's (beneficiaries, department, cases), or everyone if national."""
        if self.caisse is None:
            return Person.objects.all()
        return Person.objects.filter(
            models.Q(pk__in=Person.objects.for_organisation(self.caisse).values("pk"))
            | models.Q(pk__in=Case.objects.for_organisation(self.caisse).values("person_id"))
        )
