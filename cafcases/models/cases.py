"""A case carries one person from a provisional number to a certified NIR."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation, OrganisationKind
from .people import Person, ProtectionStatus


class CaseStatus(models.TextChoices):
    # Stored values are a contract: imports, partner systems and the API rely on them.
    NIA_ONLY = "nia_only", _("NIA seul")
    WAITING_NUMBER_ISSUED = "waiting_number_issued", _("Numéro d'attente CAF attribué")
    DOCUMENTS_REQUESTED = "documents_requested", _("Pièces demandées")
    DOCUMENTS_COMPLETE = "documents_complete", _("Pièces complètes")
    SENT_FOR_CERTIFICATION = "sent_for_certification", _("Envoyé en certification")
    AWAITING_COUNTRY = "awaiting_country", _("En attente du pays")
    CERTIFIED = "certified", _("NIR certifié")
    CLOSED = "closed", _("Clos")


OPEN_STATUSES = [status for status in CaseStatus.values if status != CaseStatus.CLOSED]


class Side(models.TextChoices):
    """Which caisse acts at the current stage; the other one watches."""

    CAF = "CAF", _("CAF")
    CPAM = "CPAM", _("CPAM")
    NONE = "", _("Personne (dossier clos)")


class Track(models.TextChoices):
    STANDARD = "standard", _("Standard (SANDIA et pays d'origine)")
    REFUGEE = "refugee", _("Réfugié (OFPRA)")
    ASYLUM_SEEKER = "asylum_seeker", _("Demandeur d'asile")


class Benefit(models.TextChoices):
    # Codes shared with the import file's `prestations` column.
    RSA = "rsa", _("RSA")
    HOUSING_AID = "aide_logement", _("Aide au logement")
    BIRTH_GRANT = "prime_naissance", _("Prime à la naissance")
    ACTIVITY_BONUS = "prime_activite", _("Prime d'activité")
    CHILDCARE_SUPPLEMENT = "complement_mode_garde", _("Complément de libre choix du mode de garde")
    CHRISTMAS_BONUS = "prime_noel", _("Prime de Noël")
    OTHER = "autre", _("Autre")


class ClosingReason(models.TextChoices):
    CERTIFIED_AND_MIGRATED = "certified_and_migrated", _("Certifié et compte basculé sur le NIR")
    DUPLICATE = "duplicate", _("Doublon")
    LEFT_FRANCE = "left_france", _("A quitté la France")
    DECEASED = "deceased", _("Décédé")
    REJECTED = "rejected", _("Certification refusée")
    ABANDONED = "abandoned", _("Abandonné")


class PriorityBand(models.TextChoices):
    HIGH = "high", _("Haute")
    MEDIUM = "medium", _("Moyenne")
    LOW = "low", _("Basse")


# Lower bounds of the bands, on the score of cafcases.priority.
PRIORITY_BANDS = {PriorityBand.HIGH: 60, PriorityBand.MEDIUM: 30, PriorityBand.LOW: 0}


def track_for_person(person):
    return {
        ProtectionStatus.REFUGEE: Track.REFUGEE,
        ProtectionStatus.ASYLUM_SEEKER: Track.ASYLUM_SEEKER,
    }.get(person.protection_status, Track.STANDARD)


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=CaseStatus.CLOSED)

    def closed(self):
        return self.filter(status=CaseStatus.CLOSED)

    def for_organisation(self, organisation):
        """Both caisses see a case throughout: its CAF and its CPAM."""
        if organisation is None:
            return self.none()
        if organisation.kind == OrganisationKind.CAF:
            return self.filter(caf=organisation)
        return self.filter(cpam=organisation)

    def for_user(self, user):
        if user.is_superuser or getattr(user, "is_national_admin", False):
            return self
        return self.for_organisation(user.organisation)

    def on_side_of(self, organisation):
        """Cases whose current stage is for this caisse to act on."""
        return self.for_organisation(organisation).filter(side=organisation.kind)

    def to_take(self, organisation):
        return self.on_side_of(organisation).filter(assigned_to__isnull=True)

    def overdue(self, today):
        return self.open().filter(next_deadline__lt=today)

    def stale(self, now):
        return self.open().filter(last_event_at__lt=now - datetime.timedelta(days=settings.CASE_STALE_AFTER_DAYS))

    def waiting_on_third_party(self):
        return self.filter(status__in=THIRD_PARTY_STATUSES)

    def in_priority_band(self, band):
        bounds = sorted(PRIORITY_BANDS.values())
        low = PRIORITY_BANDS[band]
        higher = [bound for bound in bounds if bound > low]
        queryset = self.filter(priority__gte=low)
        return queryset.filter(priority__lt=higher[0]) if higher else queryset

    def queue_order(self):
        """Most urgent first: priority, then the nearest deadline (cases without one last), then the oldest."""
        return self.order_by("-priority", models.F("next_deadline").asc(nulls_last=True), "id")

    def after(self, cursor):
        return keyset_after(self, cursor)


# Stages where the case waits on the person (papers) or on the certification authorities.
THIRD_PARTY_STATUSES = [
    CaseStatus.DOCUMENTS_REQUESTED,
    CaseStatus.SENT_FOR_CERTIFICATION,
    CaseStatus.AWAITING_COUNTRY,
]


class Case(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("personne"), on_delete=models.PROTECT, related_name="cases"
    )  # PROTECT: a case is evidence of what was done for the person
    caf = models.ForeignKey(
        Organisation,
        verbose_name=_("CAF"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": OrganisationKind.CAF},
        related_name="caf_cases",
        db_index=False,  # case_caf_queue_order leads with it
    )
    cpam = models.ForeignKey(
        Organisation,
        verbose_name=_("CPAM"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": OrganisationKind.CPAM},
        related_name="cpam_cases",
        db_index=False,  # case_cpam_queue_order leads with it
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent en charge"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    status = models.CharField(_("étape"), max_length=30, choices=CaseStatus.choices, default=CaseStatus.NIA_ONLY)
    side = models.CharField(
        _("caisse qui agit"), max_length=4, choices=Side.choices, default=Side.CAF, editable=False
    )  # derived from status by cafcases.workflow, stored so that the queue's partial indexes can use it
    track = models.CharField(_("parcours"), max_length=20, choices=Track.choices, default=Track.STANDARD)
    benefits_at_risk = models.JSONField(_("prestations en jeu"), default=list, blank=True)
    priority = models.PositiveSmallIntegerField(_("priorité"), default=0, editable=False)
    opened_at = models.DateTimeField(_("ouvert le"), auto_now_add=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True, editable=False)
    closing_reason = models.CharField(
        _("motif de clôture"), max_length=30, choices=ClosingReason.choices, blank=True, editable=False
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Legal clocks, kept by cafcases.clocks on every change so that lists filter and sort on them.
    papers_due_on = models.DateField(_("pièces attendues avant le"), null=True, blank=True, editable=False)
    nia_valid_until = models.DateField(_("NIA valable jusqu'au"), null=True, blank=True, editable=False)
    certification_expected_on = models.DateField(
        _("réponse de certification attendue le"), null=True, blank=True, editable=False
    )
    forecast_certified_on = models.DateField(_("certification prévue vers le"), null=True, blank=True, editable=False)
    next_deadline = models.DateField(_("prochaine échéance"), null=True, blank=True, editable=False)
    last_event_at = models.DateTimeField(_("dernier événement"), auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-priority", "id"]
        # Granted one by one (no role has it): exports show NIA and NIR masked otherwise (cafcases.exports).
        permissions = [("export_numbers_in_clear", "Exporter les numéros en clair")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=~models.Q(status=CaseStatus.CLOSED),
                name="case_one_open_case_per_person",
                violation_error_message=_("Cette personne a déjà un dossier ouvert."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CaseStatus.values),
                name="case_status_values",
                violation_error_message=_("Étape de dossier inconnue."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status=CaseStatus.CLOSED, closed_at__isnull=False)
                    & ~models.Q(closing_reason="")
                    & models.Q(side=Side.NONE)
                )
                | (
                    ~models.Q(status=CaseStatus.CLOSED)
                    & models.Q(closed_at__isnull=True, closing_reason="")
                    & ~models.Q(side=Side.NONE)
                ),
                name="case_closed_has_date_and_reason",
                violation_error_message=_(
                    "Un dossier clos porte une date et un motif de clôture ; un dossier ouvert, non."
                ),
            ),
        ]
        indexes = [
            # A caisse's cases in the queue's order (the tabs other than "À prendre", the admin's list): at
            # 1,000,000 cases the admin's first page took 280 ms of sorting without it (docs/PERFORMANCE.md).
            models.Index("caf", models.F("priority").desc(), "next_deadline", "id", name="case_caf_queue_order"),
            models.Index("cpam", models.F("priority").desc(), "next_deadline", "id", name="case_cpam_queue_order"),
            # "À prendre": unassigned open cases of a caisse on its side, most urgent first.
            models.Index(
                "caf",
                models.F("priority").desc(),
                "next_deadline",
                "id",
                name="case_caf_to_take",
                condition=models.Q(assigned_to__isnull=True, side=Side.CAF),
            ),
            models.Index(
                "cpam",
                models.F("priority").desc(),
                "next_deadline",
                "id",
                name="case_cpam_to_take",
                condition=models.Q(assigned_to__isnull=True, side=Side.CPAM),
            ),
            models.Index(
                "assigned_to",
                models.F("priority").desc(),
                "next_deadline",
                "id",
                name="case_assigned_open",
                condition=~models.Q(status=CaseStatus.CLOSED),
            ),
            # Open cases by deadline; the side last, so that "En retard" (overdue cases on the caisse's side) is read
            # from the index alone: 5 ms -> 0.4 ms at 1,000,000 cases (docs/PERFORMANCE.md).
            models.Index(
                "caf",
                "next_deadline",
                "side",
                name="case_caf_deadline_side",
                condition=~models.Q(status=CaseStatus.CLOSED),
            ),
            models.Index(
                "cpam",
                "next_deadline",
                "side",
                name="case_cpam_deadline_side",
                condition=~models.Q(status=CaseStatus.CLOSED),
            ),
            models.Index("caf", "status", name="case_caf_status"),
            models.Index("cpam", "status", name="case_cpam_status"),
            models.Index("last_event_at", name="case_last_event", condition=~models.Q(status=CaseStatus.CLOSED)),
        ]

    def __str__(self):
        return _("Dossier n° %(id)s") % {"id": self.pk}

    @property
    def is_open(self):
        return self.status != CaseStatus.CLOSED

    @property
    def priority_band(self):
        for band, low in PRIORITY_BANDS.items():
            if self.priority >= low:
                return band
        return PriorityBand.LOW

    def get_benefits_at_risk_display(self):
        labels = dict(Benefit.choices)
        return ", ".join(str(labels.get(code, code)) for code in self.benefits_at_risk)


class EventKind(models.TextChoices):
    OPENED = "opened", _("Ouverture")
    TRANSITION = "transition", _("Changement d'étape")
    ASSIGNMENT = "assignment", _("Attribution")
    DOCUMENT = "document", _("Pièce justificative")
    REQUEST = "request", _("Demande de certification")
    CHASE = "chase", _("Relance")
    CONTACT = "contact", _("Contact avec la personne")
    NOTE = "note", _("Note")
    IDENTIFIER = "identifier", _("Numéro")
    CHANGE = "change", _("Modification")
    APPOINTMENT = "appointment", _("Rendez-vous")


class CaseEvent(models.Model):
    """The case's timeline: appended in the same transaction as the change it records, never edited."""

    case = models.ForeignKey(Case, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vide pour un traitement de masse ou du système."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(_("de l'étape"), max_length=30, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("à l'étape"), max_length=30, choices=CaseStatus.choices, blank=True)
    move = models.CharField(_("action"), max_length=40, blank=True)
    summary = models.CharField(_("résumé"), max_length=300, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("historique du dossier")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"], name="case_event_timeline")]

    def __str__(self):
        return self.summary or self.get_kind_display()


def keyset_after(queryset, cursor):
    """Rows after ``cursor`` = (priority, next_deadline or None, id) in queue order, without OFFSET."""
    priority, deadline, pk = cursor
    Q = models.Q
    if deadline is None:
        same_priority_after = Q(priority=priority, next_deadline__isnull=True, pk__gt=pk)
    else:
        same_priority_after = Q(priority=priority) & (
            Q(next_deadline__gt=deadline) | Q(next_deadline__isnull=True) | Q(next_deadline=deadline, pk__gt=pk)
        )
    return queryset.filter(Q(priority__lt=priority) | same_priority_after)
