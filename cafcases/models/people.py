"""The national registry of people and of every number each one has held."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from cafcases import identifiers
from cafcases.text import search_key

from .countries import Country
from .organisations import Organisation, OrganisationKind

BENEFICIARY_NUMBER_RE = r"^[0-9]{7}$"


class Sex(models.TextChoices):
    MALE = "M", _("Homme")
    FEMALE = "F", _("Femme")


class Language(models.TextChoices):
    FRENCH = "fr", _("Français")
    ENGLISH = "en", _("Anglais")


class ProtectionStatus(models.TextChoices):
    NONE = "none", _("Aucune")
    REFUGEE = "refugee", _("Réfugié ou protégé (OFPRA)")
    ASYLUM_SEEKER = "asylum_seeker", _("Demandeur d'asile")


def _case_model():
    from .cases import Case

    return Case


class PersonQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        """People a caisse may see: its own beneficiaries (CAF), or those of its department's CAF (CPAM)."""
        if organisation is None:
            return self.none()
        if organisation.kind == OrganisationKind.CAF:
            return self.filter(caf=organisation)
        # A CPAM sees the people of its department's CAF, and anyone with a case it works.
        return self.filter(
            models.Q(caf__department=organisation.department)
            | models.Q(pk__in=_case_model().objects.filter(cpam=organisation).values("person_id"))
        )

    def for_user(self, user):
        if getattr(user, "is_national_admin", False) or user.is_superuser:
            return self
        return self.for_organisation(user.organisation)

    def write_instead(self):
        """People with an open case whose phone is flagged unreachable: write to them instead."""
        return self.filter(phone_unreachable=True, cases__in=_case_model().objects.open()).distinct()

    def find(self, query):
        """Find people by any number they ever held, a CAF beneficiary number, or a name prefix."""
        query = (query or "").strip()
        if not query:
            return self.none()
        if identifiers.looks_like_number(query):
            try:
                value = identifiers.parse_number(query).value
            except ValidationError:
                return self.none()
            return self.filter(pk__in=Identifier.objects.filter(value=value).values("person_id"))
        compact = identifiers.normalise_input(query)
        if compact.isdigit() and len(compact) == 7:
            return self.filter(beneficiary_number=compact)
        return self.search_name(query)

    def search_name(self, query):
        """Every word of the query must start a word of the person's names (birth, usage or first names)."""
        words = search_key(query).split()
        if not words:
            return self.none()
        queryset = self
        for word in words[:6]:
            queryset = queryset.filter(search_text__contains=f" {word}")
        return queryset


class Person(models.Model):
    birth_name = models.CharField(_("nom de naissance"), max_length=150)
    usage_name = models.CharField(_("nom d'usage"), max_length=150, blank=True)
    first_names = models.CharField(_("prénoms"), max_length=200)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    # A birth date may be partial in the civil records of many countries: the year, or the year and month.
    birth_year = models.PositiveSmallIntegerField(
        _("année de naissance"), validators=[MinValueValidator(1890), MaxValueValidator(2100)]
    )
    birth_month = models.PositiveSmallIntegerField(
        _("mois de naissance"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    birth_day = models.PositiveSmallIntegerField(
        _("jour de naissance"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    birth_country = models.ForeignKey(
        Country,
        verbose_name=_("pays de naissance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vide pour une personne née en France."),
    )
    birth_place = models.CharField(_("lieu de naissance"), max_length=150, blank=True)
    birth_commune_code = models.CharField(
        _("code commune de naissance"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^([0-9]{2}|2[AB])[0-9]{3}$", _("Code commune INSEE sur 5 caractères."))],
        help_text=_("Code INSEE de la commune, pour une personne née en France."),
    )
    nationality = models.ForeignKey(
        Country,
        verbose_name=_("nationalité"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = PhoneNumberField(_("téléphone"), blank=True)
    phone_alt = PhoneNumberField(_("autre téléphone"), blank=True)
    phone_unreachable = models.BooleanField(
        _("téléphone injoignable"),
        default=False,
        help_text=_("Levé après plusieurs appels sans succès : écrire à la personne plutôt que l'appeler."),
    )
    email = models.EmailField(_("adresse électronique"), blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("commune"), max_length=150, blank=True)
    caf = models.ForeignKey(
        Organisation,
        verbose_name=_("CAF du dossier allocataire"),
        on_delete=models.PROTECT,  # a beneficiary file must keep its caisse for accountability
        null=True,
        blank=True,
        limit_choices_to={"kind": OrganisationKind.CAF},
        related_name="beneficiaries",
    )
    beneficiary_number = models.CharField(
        _("numéro allocataire"),
        max_length=7,
        blank=True,
        db_index=True,
        validators=[RegexValidator(BENEFICIARY_NUMBER_RE, _("Le numéro allocataire comporte 7 chiffres."))],
    )
    preferred_language = models.CharField(
        _("langue de préférence"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    protection_status = models.CharField(
        _("protection internationale"), max_length=20, choices=ProtectionStatus.choices, default=ProtectionStatus.NONE
    )
    # Folded copies of the names for accent- and case-insensitive prefix search (kept in save()).
    birth_name_key = models.CharField(max_length=150, editable=False, db_index=True)
    first_names_key = models.CharField(max_length=200, editable=False)
    # " birth usage first names": every word preceded by a space, so that " word%" means "a word starts so".
    # PostgreSQL serves those searches from a trigram index (migration 0004); SQLite scans, which is fine there.
    search_text = models.TextField(editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["birth_name_key", "first_names_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["caf", "beneficiary_number"],
                condition=~models.Q(beneficiary_number=""),
                name="person_unique_beneficiary_number_per_caf",
                violation_error_message=_("Ce numéro allocataire est déjà attribué dans cette CAF."),
            ),
            models.CheckConstraint(
                condition=models.Q(beneficiary_number="") | models.Q(caf__isnull=False),
                name="person_beneficiary_number_needs_caf",
                violation_error_message=_("Un numéro allocataire n'a de sens qu'avec la CAF qui l'a attribué."),
            ),
            models.CheckConstraint(
                condition=models.Q(birth_month__isnull=True) | models.Q(birth_month__gte=1, birth_month__lte=12),
                name="person_birth_month_range",
                violation_error_message=_("Le mois de naissance doit être compris entre 1 et 12."),
            ),
            models.CheckConstraint(
                condition=models.Q(birth_day__isnull=True)
                | models.Q(birth_day__gte=1, birth_day__lte=31, birth_month__isnull=False),
                name="person_birth_day_needs_month",
                violation_error_message=_("Un jour de naissance demande un mois de naissance (entre 1 et 31)."),
            ),
            models.CheckConstraint(
                condition=models.Q(sex__in=Sex.values),
                name="person_sex_values",
                violation_error_message=_("Le sexe doit être M ou F."),
            ),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.birth_date_display})"

    def save(self, *args, **kwargs):
        self.refresh_search_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"birth_name", "usage_name", "first_names"} & set(update_fields):
            kwargs["update_fields"] = {
                *update_fields,
                "birth_name_key",
                "first_names_key",
                "search_text",
            }
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.birth_month and self.birth_day and self.birth_date is None:
            raise ValidationError({"birth_day": _("Cette date de naissance n'existe pas.")})
        if self.birth_date and self.birth_date > datetime.date.today():
            raise ValidationError({"birth_year": _("La date de naissance est dans le futur.")})

    def refresh_search_keys(self):
        self.birth_name_key = search_key(self.birth_name)
        self.first_names_key = search_key(self.first_names)
        self.search_text = " " + " ".join(
            key for key in (self.birth_name_key, search_key(self.usage_name), self.first_names_key) if key
        )

    @property
    def display_name(self):
        name = self.birth_name.upper()
        if self.usage_name and self.usage_name.casefold() != self.birth_name.casefold():
            name = f"{name} ({self.usage_name.upper()})"
        return f"{name} {self.first_names}"

    @property
    def birth_date(self):
        """The full date of birth when known, else None (partial dates stay in their fields)."""
        if self.birth_month and self.birth_day:
            try:
                return datetime.date(self.birth_year, self.birth_month, self.birth_day)
            except ValueError:
                return None
        return None

    @property
    def birth_date_display(self):
        if self.birth_month and self.birth_day:
            return f"{self.birth_day:02d}/{self.birth_month:02d}/{self.birth_year}"
        if self.birth_month:
            return f"{self.birth_month:02d}/{self.birth_year}"
        return str(self.birth_year)

    @property
    def born_abroad(self):
        return self.birth_country_id is not None and self.birth_country_id != FRANCE_CODE


FRANCE_CODE = "99100"


class IdentifierKind(models.TextChoices):
    NIA = "NIA", _("NIA (numéro provisoire)")
    CAF_WAITING = "CAF_WAITING", _("Numéro d'attente CAF")
    NIR = "NIR", _("NIR (numéro définitif)")


class IdentifierStatus(models.TextChoices):
    ACTIVE = "active", _("Actif")
    SUPERSEDED = "superseded", _("Remplacé")
    REVOKED = "revoked", _("Révoqué")


# First digits each kind may start with (DOMAIN.md, "The three numbers").
FIRST_DIGITS = {
    IdentifierKind.NIA: ("7", "8"),
    IdentifierKind.CAF_WAITING: ("1", "2"),
    IdentifierKind.NIR: ("1", "2"),
}


class IdentifierQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=IdentifierStatus.ACTIVE)


class Identifier(models.Model):
    """A number a person holds or held; it points to that person forever (database trigger)."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("personne"),
        on_delete=models.PROTECT,  # an old number quoted in a letter must always find its person
        related_name="identifiers",
    )
    kind = models.CharField(_("type"), max_length=11, choices=IdentifierKind.choices)
    value = models.CharField(_("numéro"), max_length=15)
    issuing_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("caisse émettrice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_identifiers",
    )
    issued_on = models.DateField(_("attribué le"), null=True, blank=True)
    certified_on = models.DateField(_("certifié le"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=IdentifierStatus.choices, default=IdentifierStatus.ACTIVE
    )
    superseded_at = models.DateTimeField(_("remplacé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        "cafcases.User",
        verbose_name=_("enregistré par"),
        on_delete=models.PROTECT,  # who recorded a number is part of the audit trail
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vide pour un traitement de masse ou du système."),
    )

    objects = IdentifierQuerySet.as_manager()

    class Meta:
        verbose_name = _("numéro")
        verbose_name_plural = _("numéros")
        ordering = ["person_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["value"],
                name="identifier_value_unique",
                violation_error_message=_("Ce numéro appartient déjà à une personne."),
            ),
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=models.Q(status=IdentifierStatus.ACTIVE),
                name="identifier_one_active_per_kind",
                violation_error_message=_("Cette personne a déjà un numéro actif de ce type."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind=IdentifierKind.NIA, value__startswith="7")
                | models.Q(kind=IdentifierKind.NIA, value__startswith="8")
                | models.Q(kind__in=[IdentifierKind.CAF_WAITING, IdentifierKind.NIR], value__startswith="1")
                | models.Q(kind__in=[IdentifierKind.CAF_WAITING, IdentifierKind.NIR], value__startswith="2"),
                name="identifier_kind_matches_first_digit",
                violation_error_message=_(
                    "Un NIA commence par 7 ou 8 ; un numéro d'attente CAF ou un NIR commence par 1 ou 2."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=IdentifierStatus.SUPERSEDED) | models.Q(superseded_at__isnull=False),
                name="identifier_superseded_has_date",
                violation_error_message=_("Un numéro remplacé doit porter sa date de remplacement."),
            ),
            models.CheckConstraint(
                condition=models.Q(certified_on__isnull=True) | models.Q(kind=IdentifierKind.NIR),
                name="identifier_only_nir_is_certified",
                violation_error_message=_("Seul un NIR porte une date de certification."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.masked}"

    @property
    def number(self):
        return identifiers.parse_number(self.value)

    @property
    def masked(self):
        try:
            return self.number.masked
        except ValidationError:
            return "•" * 15

    @property
    def formatted(self):
        return self.number.formatted

    def clean_fields(self, exclude=None):
        # Canonicalise first: agents type numbers with spaces, dots and without the key.
        if self.value and (exclude is None or "value" not in exclude):
            try:
                self.value = identifiers.parse_number(self.value).value
            except ValidationError as error:
                raise ValidationError({"value": error.messages}) from error
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        if self.value and self.kind and not self.value.startswith(FIRST_DIGITS[self.kind]):
            raise ValidationError(
                {
                    "value": _("Un %(kind)s commence par %(digits)s.")
                    % {"kind": self.get_kind_display(), "digits": _(" ou ").join(FIRST_DIGITS[self.kind])}
                }
            )
