"""Precomputed dashboard figures: one snapshot per caisse and one for every caisse ("national").

Written by ``cafcases.stats.snapshots`` (from the page on a missing or stale snapshot, and by the
``refresh_dashboard`` command); read by ``cafcases.views.dashboard``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

NATIONAL_SCOPE = "national"


class DashboardSnapshot(models.Model):
    scope = models.CharField(
        _("périmètre"), max_length=20, unique=True, help_text=_("Le code de la caisse, ou « national ».")
    )
    organisation = models.ForeignKey(
        "cafcases.Organisation",
        verbose_name=_("caisse"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vide pour les chiffres de toutes les caisses."),
    )
    computed_at = models.DateTimeField(_("calculé le"))
    duration_ms = models.PositiveIntegerField(_("durée du calcul (ms)"), default=0)
    data = models.JSONField(_("chiffres"))

    class Meta:
        verbose_name = _("instantané du pilotage")
        verbose_name_plural = _("instantanés du pilotage")
        ordering = ["scope"]

    def __str__(self):
        return f"{self.scope} ({self.computed_at:%Y-%m-%d %H:%M})"
