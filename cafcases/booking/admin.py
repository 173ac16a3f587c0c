"""Setting up appointments: sites with their counters, opening periods and closures; motifs; appointments."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cafcases.admin.base import BigTableAdmin, user_is_national

from .models import Appointment, Closure, Counter, Motif, OpeningPeriod, Site


class CaisseScopedAdmin(admin.ModelAdmin):
    """Staff of a caisse set up their own sites only; national administrators see every site."""

    site_path = "site__caisse"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if user_is_national(request.user):
            return queryset
        return queryset.filter(**{self.site_path: request.user.organisation_id})


class CounterInline(admin.TabularInline):
    model = Counter
    extra = 0
    fields = ["name", "agent", "is_active"]
    # Read-only here so that the page costs the same for 2 counters or 20 (a widget per row queries its user);
    # the counter's own page sets the agent.
    readonly_fields = ["agent"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agent", "site")


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    extra = 0
    fields = ["weekday", "start_time", "end_time", "valid_from", "valid_until", "counter"]
    readonly_fields = ["counter"]  # a period for one counter is added from the period list (see CounterInline)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("counter__site")


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0
    fields = ["starts_on", "ends_on", "reason", "counter"]
    readonly_fields = ["counter"]  # a closure of one counter is added from the closure list

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("counter__site")


@admin.register(Site)
class SiteAdmin(CaisseScopedAdmin):
    site_path = "caisse"
    list_display = ["name", "city", "postcode", "department", "caisse", "is_active"]
    list_filter = ["is_active", "department"]
    search_fields = ["name", "city", "postcode"]
    list_select_related = ["caisse"]
    raw_id_fields = ["caisse"]
    inlines = [CounterInline, OpeningPeriodInline, ClosureInline]


@admin.register(Counter)
class CounterAdmin(CaisseScopedAdmin):
    list_display = ["name", "site", "agent", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "site__name"]
    list_select_related = ["site", "agent"]
    raw_id_fields = ["site", "agent"]


@admin.register(OpeningPeriod)
class OpeningPeriodAdmin(CaisseScopedAdmin):
    list_display = ["__str__", "site", "counter", "valid_from", "valid_until"]
    list_filter = ["weekday"]
    search_fields = ["site__name"]
    list_select_related = ["site", "counter__site"]
    raw_id_fields = ["site", "counter"]


@admin.register(Closure)
class ClosureAdmin(CaisseScopedAdmin):
    list_display = ["reason", "site", "counter", "starts_on", "ends_on"]
    list_filter = ["starts_on"]
    search_fields = ["reason", "site__name"]
    list_select_related = ["site", "counter__site"]
    raw_id_fields = ["site", "counter"]


@admin.register(Motif)
class MotifAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "mode", "duration_minutes", "bookable_by", "is_active"]
    list_filter = ["kind", "mode", "bookable_by", "is_active"]
    search_fields = ["label", "label_en"]


@admin.register(Appointment)
class AppointmentAdmin(CaisseScopedAdmin, BigTableAdmin):
    site_path = "site__caisse"
    list_display = ["starts_at", "who_display", "site", "counter", "motif", "status", "channel"]
    list_filter = ["status", "channel", "language"]
    search_fields = ["birth_name", "person__birth_name_key"]
    date_hierarchy = None
    list_select_related = ["site", "counter__site", "motif", "person"]
    raw_id_fields = ["site", "counter", "person", "case"]
    readonly_fields = [
        "channel",
        "booked_by",
        "created_at",
        "cancelled_at",
        "attendance_recorded_at",
        "attendance_recorded_by",
        "language",
    ]
    fields = [
        "site",
        "counter",
        "motif",
        "starts_at",
        "ends_at",
        "status",
        "person",
        "case",
        "birth_name",
        "first_names",
        "birth_date",
        "phone",
        "email",
        "beneficiary_number",
        *readonly_fields,
    ]

    @admin.display(description=_("personne"))
    def who_display(self, appointment):
        return appointment.who
