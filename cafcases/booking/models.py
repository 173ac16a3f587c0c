"""Appointments: sites and their counters, weekly opening periods, closures, motifs, and the appointments themselves."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from cafcases.models import Case, Organisation, Person
from cafcases.models.organisations import department_validator
from cafcases.models.people import Language


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class SiteQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_user(self, user):
        """Sites whose agenda a user works: their caisse's (every site for national administrators)."""
        if user.is_superuser or getattr(user, "is_national_admin", False):
            return self
        if user.organisation_id is None:
            return self.none()
        return self.filter(caisse_id=user.organisation_id)

    def near(self, query):
        """Public search: a full postcode finds its department's sites; two or three characters are a department."""
        query = (query or "").strip().upper().replace(" ", "")
        if not query:
            return self.none()
        if len(query) == 5 and query.isdigit():
            department = query[:3] if query.startswith("97") else query[:2]
            if query.startswith("20"):  # Corsica: 200xx–201xx is 2A, 202xx–206xx is 2B
                department = "2A" if query < "20200" else "2B"
            return self.filter(models.Q(postcode=query) | models.Q(department=department))
        return self.filter(department=query)


class Site(models.Model):
    """An agency where people are received (or called): it belongs to one caisse."""

    caisse = models.ForeignKey(
        Organisation,
        verbose_name=_("caisse"),
        on_delete=models.PROTECT,  # appointments given at a site stay accountable to its caisse
        related_name="booking_sites",
    )
    name = models.CharField(_("nom de l'accueil"), max_length=150)
    address = models.CharField(_("adresse"), max_length=250)
    postcode = models.CharField(_("code postal"), max_length=5)
    city = models.CharField(_("commune"), max_length=150)
    department = models.CharField(_("département"), max_length=3, validators=[department_validator])
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("ouvert à la prise de rendez-vous"), default=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("accueil")
        verbose_name_plural = _("accueils")
        ordering = ["department", "name", "id"]
        indexes = [models.Index(fields=["department", "is_active"], name="booking_site_department")]

    def __str__(self):
        return f"{self.name} ({self.city})"

    @property
    def holiday_subdivision(self):
        """The `holidays` subdivision: Alsace-Moselle (57, 67, 68 share the local law) and overseas departments."""
        if self.department in ("57", "67", "68"):
            return "57"
        if self.department in ("971", "972", "973", "974", "976"):
            return self.department
        return None


class Counter(models.Model):
    """What holds appointments at a site: a counter, or an agent's own agenda."""

    site = models.ForeignKey(Site, verbose_name=_("accueil"), on_delete=models.PROTECT, related_name="counters")
    name = models.CharField(_("nom"), max_length=100)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="booking_counters",
        help_text=_("Vide pour un guichet tenu à tour de rôle."),
    )
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("guichet")
        verbose_name_plural = _("guichets")
        ordering = ["site_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "name"],
                name="booking_counter_unique_name_per_site",
                violation_error_message=_("Cet accueil a déjà un guichet de ce nom."),
            )
        ]

    def __str__(self):
        return f"{self.name} — {self.site.name}"


class OpeningPeriod(models.Model):
    """A weekly recurring opening, for a whole site (every counter) or for one counter."""

    site = models.ForeignKey(Site, verbose_name=_("accueil"), on_delete=models.CASCADE, related_name="periods")
    counter = models.ForeignKey(
        Counter,
        verbose_name=_("guichet"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="periods",
        help_text=_("Vide : tous les guichets de l'accueil."),
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    start_time = models.TimeField(_("de"))
    end_time = models.TimeField(_("à"))
    valid_from = models.DateField(_("à partir du"), default=timezone.localdate)
    valid_until = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("plage d'ouverture")
        verbose_name_plural = _("plages d'ouverture")
        ordering = ["site_id", "weekday", "start_time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="booking_period_ends_after_start",
                violation_error_message=_("Une plage d'ouverture finit après son début."),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="booking_period_valid_range",
                violation_error_message=_("La fin de validité ne peut précéder son début."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self):
        super().clean()
        if self.counter_id and self.site_id and self.counter.site_id != self.site_id:
            raise ValidationError({"counter": _("Ce guichet appartient à un autre accueil.")})


class Closure(models.Model):
    """Days a site (or one counter) takes no appointment: works, training, an agent's leave."""

    site = models.ForeignKey(Site, verbose_name=_("accueil"), on_delete=models.CASCADE, related_name="closures")
    counter = models.ForeignKey(
        Counter,
        verbose_name=_("guichet"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        help_text=_("Vide : tout l'accueil est fermé."),
    )
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au (inclus)"))
    reason = models.CharField(_("motif"), max_length=200)

    class Meta:
        verbose_name = _("fermeture")
        verbose_name_plural = _("fermetures")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="booking_closure_valid_range",
                violation_error_message=_("Une fermeture finit le jour de son début ou après."),
            )
        ]

    def __str__(self):
        return f"{self.reason} ({self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y})"


class MotifKind(models.TextChoices):
    WAITING_NUMBER = "waiting_number", _("Obtenir un numéro d'attente CAF")
    DOCUMENTS = "documents", _("Apporter des pièces")
    FOLLOW_UP = "follow_up", _("Suivi du dossier")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("À l'accueil")
    PHONE = "phone", _("Par téléphone")


class BookableBy(models.TextChoices):
    AGENTS = "agents", _("Les agents seulement")
    PUBLIC = "public", _("Le public et les agents")


class MotifQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def public(self):
        return self.active().filter(bookable_by=BookableBy.PUBLIC)


class Motif(models.Model):
    kind = models.CharField(_("type"), max_length=20, choices=MotifKind.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    label = models.CharField(_("libellé"), max_length=150)
    label_en = models.CharField(_("libellé en anglais"), max_length=150, help_text=_("Montré au public en anglais."))
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), default=20, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    bookable_by = models.CharField(_("réservable par"), max_length=10, choices=BookableBy.choices)
    min_notice_hours = models.PositiveSmallIntegerField(_("délai minimum (heures)"), default=2)
    max_notice_days = models.PositiveSmallIntegerField(_("délai maximum (jours)"), default=30)
    is_active = models.BooleanField(_("actif"), default=True)

    objects = MotifQuerySet.as_manager()

    class Meta:
        verbose_name = _("motif de rendez-vous")
        verbose_name_plural = _("motifs de rendez-vous")
        ordering = ["kind", "mode", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5, duration_minutes__lte=240),
                name="booking_motif_duration_range",
                violation_error_message=_("Un rendez-vous dure de 5 à 240 minutes."),
            ),
            models.CheckConstraint(
                condition=models.Q(max_notice_days__gte=1),
                name="booking_motif_max_notice_positive",
                violation_error_message=_("Le délai maximum est d'au moins un jour."),
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.get_mode_display()})"

    def label_for(self, language):
        return self.label_en if language == Language.ENGLISH and self.label_en else self.label

    @property
    def is_phone(self):
        return self.mode == Mode.PHONE


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Réservé")
    SEEN = "seen", _("Reçu")
    NO_SHOW = "no_show", _("Absent")
    EXCUSED = "excused", _("Absence excusée")
    CANCELLED = "cancelled", _("Annulé")


# What an agent records once the appointment time has come (cancelling is a separate action).
ATTENDANCE_STATUSES = (AppointmentStatus.SEEN, AppointmentStatus.NO_SHOW, AppointmentStatus.EXCUSED)


class BookingChannel(models.TextChoices):
    AGENT = "agent", _("Par un agent")
    PUBLIC = "public", _("En ligne par la personne")


class AppointmentQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(site__in=Site.objects.for_user(user))

    def holding(self):
        """Appointments that hold their slot: everything but cancelled ones."""
        return self.exclude(status=AppointmentStatus.CANCELLED)

    def to_record(self, now):
        """ "À renseigner": past appointments nobody marked yet."""
        return self.filter(status=AppointmentStatus.BOOKED, ends_at__lte=now)

    def unmatched(self):
        return self.filter(person__isnull=True)

    def with_related(self):
        return self.select_related("site", "counter__agent", "motif", "person", "case")


class Appointment(models.Model):
    site = models.ForeignKey(Site, verbose_name=_("accueil"), on_delete=models.PROTECT, related_name="appointments")
    counter = models.ForeignKey(
        Counter, verbose_name=_("guichet"), on_delete=models.PROTECT, related_name="appointments"
    )  # PROTECT: an agenda's history stays readable
    motif = models.ForeignKey(Motif, verbose_name=_("motif"), on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    status = models.CharField(
        _("statut"), max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("personne"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        help_text=_("Vide tant qu'un agent n'a pas rattaché la réservation en ligne à une personne."),
    )
    case = models.ForeignKey(
        Case, verbose_name=_("dossier"), on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    # What the person typed when booking online; kept as given, so that the agent can check it at the appointment.
    birth_name = models.CharField(_("nom de naissance"), max_length=150, blank=True)
    first_names = models.CharField(_("prénoms"), max_length=200, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    phone = PhoneNumberField(_("téléphone"), blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    beneficiary_number = models.CharField(_("numéro allocataire"), max_length=7, blank=True)
    # The NIA given online is never stored in clear nor shown back: only a keyed digest, to compare at the counter.
    nia_digest = models.CharField(_("empreinte du NIA donné"), max_length=64, blank=True, editable=False)
    language = models.CharField(_("langue"), max_length=2, choices=Language.choices, default=Language.FRENCH)
    channel = models.CharField(_("pris"), max_length=10, choices=BookingChannel.choices)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pris par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("pris le"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(_("présence notée le"), null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("présence notée par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reminded_for = models.DateTimeField(
        _("rappel envoyé pour"), null=True, blank=True, editable=False
    )  # the start time the last reminder announced: moving the appointment makes a new reminder due

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        ordering = ["starts_at", "counter_id", "id"]
        constraints = [
            # No double booking on either database; PostgreSQL also refuses overlapping ranges (migration 0002).
            models.UniqueConstraint(
                fields=["counter", "starts_at"],
                condition=~models.Q(status=AppointmentStatus.CANCELLED),
                name="booking_appointment_one_per_slot",
                violation_error_message=_("Ce créneau vient d'être pris."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="booking_appointment_ends_after_start",
                violation_error_message=_("Un rendez-vous finit après son début."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AppointmentStatus.values),
                name="booking_appointment_status_values",
                violation_error_message=_("Statut de rendez-vous inconnu."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=AppointmentStatus.CANCELLED) | models.Q(cancelled_at__isnull=False),
                name="booking_appointment_cancelled_has_date",
                violation_error_message=_("Un rendez-vous annulé porte sa date d'annulation."),
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(birth_name=""),
                name="booking_appointment_has_someone",
                violation_error_message=_("Un rendez-vous est pris pour une personne connue ou un nom donné."),
            ),
        ]
        indexes = [
            models.Index(fields=["site", "starts_at"], name="booking_appt_site_start"),
            models.Index(
                fields=["site", "ends_at"],
                name="booking_appt_to_record",
                condition=models.Q(status=AppointmentStatus.BOOKED),
            ),
            models.Index(fields=["starts_at"], name="booking_appt_booked_start", condition=models.Q(status="booked")),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{local:%d/%m/%Y %H:%M} — {self.who}"

    @property
    def who(self):
        if self.person_id:
            return self.person.display_name
        return f"{self.birth_name.upper()} {self.first_names}".strip()

    @property
    def is_booked(self):
        return self.status == AppointmentStatus.BOOKED

    @property
    def is_unmatched(self):
        return self.person_id is None

    def contact_phone(self):
        """The number to text or call: the one given when booking, else the person's."""
        if self.phone:
            return self.phone
        if self.person_id and self.person.phone and not self.person.phone_unreachable:
            return self.person.phone
        return None

    def contact_email(self):
        return self.email or (self.person.email if self.person_id else "")
