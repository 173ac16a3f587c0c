"""Caisses (CAF and CPAM) and the people who work in them."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Departments as INSEE writes them: 01–95 with 2A/2B for Corsica, 971–976 overseas.
department_validator = RegexValidator(
    r"^(0[1-9]|1[0-9]|2[AB1-9]|[3-8][0-9]|9[0-5]|97[1-6])$",
    _("Saisissez un code de département valide (01 à 95, 2A, 2B ou 971 à 976)."),
)


class OrganisationKind(models.TextChoices):
    CAF = "CAF", _("Caisse d'allocations familiales")
    CPAM = "CPAM", _("Caisse primaire d'assurance maladie")


class OrganisationQuerySet(models.QuerySet):
    def cafs(self):
        return self.filter(kind=OrganisationKind.CAF)

    def cpams(self):
        return self.filter(kind=OrganisationKind.CPAM)

    def cpam_for_department(self, department):
        """The CPAM of a department: by default, the one that works a CAF's cases."""
        return self.cpams().filter(department=department).first()


class Organisation(models.Model):
    kind = models.CharField(_("type"), max_length=4, choices=OrganisationKind.choices)
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^(CAF|CPAM)-[0-9A-Z]{2,3}$", _("Le code s'écrit comme « CAF-59 »."))],
        help_text=_("Par exemple « CAF-59 » ou « CPAM-33 »."),
    )
    name = models.CharField(_("nom"), max_length=200)
    department = models.CharField(_("département"), max_length=3, validators=[department_validator])
    address = models.TextField(_("adresse postale"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("caisse")
        verbose_name_plural = _("caisses")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "department"],
                name="organisation_one_per_kind_and_department",
                violation_error_message=_("Ce département a déjà une caisse de ce type."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind=OrganisationKind.CAF, code__startswith="CAF-")
                | models.Q(kind=OrganisationKind.CPAM, code__startswith="CPAM-"),
                name="organisation_code_matches_kind",
                violation_error_message=_("Le code de la caisse doit commencer par son type (CAF- ou CPAM-)."),
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def is_caf(self):
        return self.kind == OrganisationKind.CAF

    @property
    def is_cpam(self):
        return self.kind == OrganisationKind.CPAM


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    SUPERVISOR = "supervisor", _("Superviseur")
    NATIONAL_ADMIN = "national_admin", _("Administrateur national")


class CafcasesUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # A superuser belongs to no caisse: only the national role allows that (user_caisse_staff_have_organisation).
        extra_fields.setdefault("role", Role.NATIONAL_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """An agent, a supervisor (both belong to one caisse) or a national administrator (no caisse)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("caisse"),
        on_delete=models.PROTECT,  # accounts are part of the audit trail: a caisse with staff cannot vanish
        null=True,
        blank=True,
        related_name="members",
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.AGENT)

    objects = CafcasesUserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role=Role.NATIONAL_ADMIN) | models.Q(organisation__isnull=False),
                name="user_caisse_staff_have_organisation",
                violation_error_message=_("Un agent ou un superviseur doit être rattaché à une caisse."),
            ),
        ]

    def __str__(self):
        full_name = self.get_full_name()
        return f"{full_name} ({self.username})" if full_name else self.username

    @property
    def is_national_admin(self):
        return self.role == Role.NATIONAL_ADMIN

    @property
    def is_supervisor(self):
        return self.role == Role.SUPERVISOR

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "role" in update_fields:
            # The role decides the permissions: keep the user in exactly their role's group.
            from cafcases.roles import sync_user_group

            sync_user_group(self)
