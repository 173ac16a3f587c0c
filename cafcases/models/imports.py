"""Mass operations run from the screens: an uploaded import file checked then imported, a batch of letters."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation


class ImportJobStatus(models.TextChoices):
    CHECK_QUEUED = "check_queued", _("Vérification en attente")
    CHECKING = "checking", _("Vérification en cours")
    CHECKED = "checked", _("Vérifié : à confirmer")
    IMPORT_QUEUED = "import_queued", _("Import en attente")
    IMPORTING = "importing", _("Import en cours")
    DONE = "done", _("Importé")
    FAILED = "failed", _("Échec")


class ImportJob(models.Model):
    """A people file uploaded in the admin: checked first (dry run), imported once someone confirms."""

    caisse = models.ForeignKey(
        Organisation,
        verbose_name=_("caisse"),
        on_delete=models.PROTECT,  # who imported what into which caisse is part of the audit trail
        related_name="+",
        limit_choices_to={"kind": "CAF"},
    )
    file = models.FileField(_("fichier"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=ImportJobStatus.choices, default=ImportJobStatus.CHECK_QUEUED
    )
    in_background = models.BooleanField(_("en tâche de fond"), default=False)
    rows_total = models.PositiveIntegerField(_("lignes"), default=0)
    rows_processed = models.PositiveIntegerField(_("lignes traitées"), default=0)
    rows_imported = models.PositiveIntegerField(_("personnes créées"), default=0)
    rows_present = models.PositiveIntegerField(_("déjà présentes"), default=0)
    rows_rejected = models.PositiveIntegerField(_("lignes rejetées"), default=0)
    numbers_attached = models.PositiveIntegerField(_("NIA ajoutés"), default=0)
    cases_opened = models.PositiveIntegerField(_("dossiers ouverts"), default=0)
    problems = models.JSONField(_("premiers motifs de rejet"), default=list, blank=True, editable=False)
    problems_count = models.PositiveIntegerField(_("motifs de rejet"), default=0)
    report = models.FileField(_("rapport complet"), upload_to="imports/reports/%Y/%m/", blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        on_delete=models.PROTECT,  # part of the audit trail
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmé par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import de personnes")
        verbose_name_plural = _("imports de personnes")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.file_name or self.file.name} — {self.get_status_display()}"

    @property
    def is_running(self):
        return self.status in RUNNING_IMPORT_STATUSES

    @property
    def percent(self):
        return min(100, round(100 * self.rows_processed / self.rows_total)) if self.rows_total else 0


RUNNING_IMPORT_STATUSES = (
    ImportJobStatus.CHECK_QUEUED,
    ImportJobStatus.CHECKING,
    ImportJobStatus.IMPORT_QUEUED,
    ImportJobStatus.IMPORTING,
)


class LetterBatchStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")


class LetterBatch(models.Model):
    """Letters to one person or to a selection of cases: one PDF and a CSV of what was sent."""

    caisse = models.ForeignKey(
        Organisation, verbose_name=_("caisse"), on_delete=models.PROTECT, related_name="+"
    )  # the letterhead, and who sent what: part of the audit trail
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.CharField(_("sélection"), max_length=300, blank=True)
    case_ids = models.JSONField(_("dossiers"), default=list, blank=True, editable=False)
    status = models.CharField(
        _("état"), max_length=10, choices=LetterBatchStatus.choices, default=LetterBatchStatus.QUEUED
    )
    in_background = models.BooleanField(_("en tâche de fond"), default=False)
    letters_total = models.PositiveIntegerField(_("courriers"), default=0)
    letters_done = models.PositiveIntegerField(_("courriers produits"), default=0)
    skipped = models.PositiveIntegerField(_("sans adresse postale"), default=0)
    pdf = models.FileField(_("PDF"), upload_to="letters/%Y/%m/", blank=True)
    csv = models.FileField(_("liste des envois"), upload_to="letters/%Y/%m/", blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("lot de courriers")
        verbose_name_plural = _("lots de courriers")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.description or self.caisse.code} — {self.get_status_display()}"

    @property
    def is_running(self):
        return self.status in (LetterBatchStatus.QUEUED, LetterBatchStatus.RUNNING)

    @property
    def percent(self):
        return min(100, round(100 * self.letters_done / self.letters_total)) if self.letters_total else 0
