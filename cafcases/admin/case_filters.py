"""List filters of the case changelist."""

from django.conf import settings
from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cafcases.models import (
    Case,
    Country,
    Person,
    PriorityBand,
)

COLLAPSED_FILTER = "admin/cafcases/case/collapsed_filter.html"


class CollapsedRelatedFilter(admin.RelatedFieldListFilter):
    template = COLLAPSED_FILTER


class BirthCountryFilter(CollapsedRelatedFilter):
    """The countries people of the registry were born in (one index probe per country), not all 229."""

    def field_choices(self, field, request, model_admin):
        born_there = Person.objects.filter(birth_country=OuterRef("pk"))
        return list(Country.objects.filter(Exists(born_there)).order_by("name").values_list("pk", "name"))


class YesNoFilter(admin.SimpleListFilter):
    def lookups(self, request, model_admin):
        return [("yes", _("Oui")), ("no", _("Non"))]


class OverdueFilter(YesNoFilter):
    title = _("échéance dépassée")
    parameter_name = "overdue"

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.overdue(today)
        if self.value() == "no":
            return queryset.exclude(pk__in=Case.objects.overdue(today).values("pk"))
        return queryset


class StaleFilter(YesNoFilter):
    title = _("dossier inactif")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        days = settings.CASE_STALE_AFTER_DAYS
        return [
            ("yes", _("Oui : aucun événement depuis %(days)s jours") % {"days": days}),
            ("no", _("Non")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.stale(timezone.now())
        if self.value() == "no":
            return queryset.exclude(pk__in=Case.objects.stale(timezone.now()).values("pk"))
        return queryset


class PriorityBandFilter(admin.SimpleListFilter):
    title = _("niveau de priorité")
    parameter_name = "band"

    def lookups(self, request, model_admin):
        return PriorityBand.choices

    def queryset(self, request, queryset):
        if self.value() in PriorityBand.values:
            return queryset.in_priority_band(self.value())
        return queryset


class AssignedFilter(admin.SimpleListFilter):
    title = _("agent en charge")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Moi")), ("nobody", _("Personne (à prendre)")), ("someone", _("Un agent"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.open().filter(assigned_to__isnull=True)
        if self.value() == "someone":
            return queryset.filter(assigned_to__isnull=False)
        return queryset


# --- The case -----------------------------------------------------------------------------------------------------
