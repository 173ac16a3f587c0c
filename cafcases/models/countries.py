"""INSEE's official country table, with the certification delay each country's civil registry takes."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CountryQuerySet(models.QuerySet):
    def current_states(self):
        return self.filter(is_state=True)

    def by_iso2(self, iso2):
        """The country for an ISO alpha-2 code; where INSEE has several rows for one code, the state wins."""
        return self.filter(iso2=iso2.upper()).order_by("-is_state", "code").first()


class Country(models.Model):
    code = models.CharField(
        _("code INSEE"), max_length=5, primary_key=True, help_text=_("Code officiel géographique, 99xxx.")
    )
    iso2 = models.CharField(_("code ISO alpha-2"), max_length=2, blank=True, db_index=True)
    iso3 = models.CharField(_("code ISO alpha-3"), max_length=3, blank=True)
    iso_numeric = models.CharField(_("code ISO numérique"), max_length=3, blank=True)
    name = models.CharField(_("nom"), max_length=100)
    official_name = models.CharField(_("nom officiel"), max_length=200, blank=True)
    is_state = models.BooleanField(
        _("État"), default=True, help_text=_("Décoché pour un territoire doté de son propre code INSEE.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("pays de rattachement"),
        on_delete=models.PROTECT,  # reference data: a territory's state is never deleted
        null=True,
        blank=True,
        related_name="territories",
    )
    is_eu_eea_or_switzerland = models.BooleanField(
        _("UE, EEE ou Suisse"),
        default=False,
        help_text=_("Les actes de ces pays ne demandent pas de traduction assermentée."),
    )
    certification_delay_days = models.PositiveSmallIntegerField(
        _("délai de référence de certification (jours)"),
        default=120,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("Délai cible entre l'envoi du dossier et la réponse de l'état civil du pays."),
    )

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("pays")
        verbose_name_plural = _("pays")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__startswith="99"),
                name="country_code_is_insee_abroad_code",
                violation_error_message=_("Un code pays INSEE commence par 99."),
            ),
            models.CheckConstraint(
                condition=models.Q(certification_delay_days__gte=1, certification_delay_days__lte=730),
                name="country_certification_delay_range",
                violation_error_message=_("Le délai de certification doit être compris entre 1 et 730 jours."),
            ),
        ]

    def __str__(self):
        return self.name
