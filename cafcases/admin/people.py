from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cafcases import identifiers
from cafcases.models import Identifier, Person

from .base import BigTableAdmin, user_is_national


class IdentifierInline(admin.TabularInline):
    model = Identifier
    fk_name = "person"
    extra = 0
    can_delete = False  # a number points to its person forever
    # Existing numbers are shown masked and cannot be rewritten: a number points to its person forever.
    fields = ["kind", "masked_value", "status", "issuing_organisation", "issued_on", "certified_on", "superseded_at"]
    readonly_fields = fields
    verbose_name = _("numéro")
    verbose_name_plural = _("numéros détenus")

    @admin.display(description=_("numéro (masqué)"))
    def masked_value(self, obj):
        return obj.masked

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("issuing_organisation")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AddIdentifierInline(admin.TabularInline):
    """A blank row to record a number the person holds; it is validated by the number rules."""

    model = Identifier
    fk_name = "person"
    extra = 0
    fields = ["kind", "value", "issuing_organisation", "issued_on", "certified_on"]
    autocomplete_fields = ["issuing_organisation"]
    verbose_name = _("nouveau numéro")
    verbose_name_plural = _("ajouter un numéro")

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


@admin.register(Person)
class PersonAdmin(BigTableAdmin):
    list_display = [
        "display_name",
        "birth_date_display",
        "birth_country",
        "caf",
        "beneficiary_number",
        "protection_status",
    ]
    list_filter = ["protection_status", "sex", "preferred_language", "caf"]
    list_select_related = ["caf", "birth_country"]
    search_fields = ["birth_name_key"]  # replaced by Person.objects.find, see get_search_results
    search_help_text = _("Un numéro (NIA, numéro d'attente, NIR, avec ou sans clé), un numéro allocataire ou un nom.")
    autocomplete_fields = ["caf", "birth_country", "nationality"]
    inlines = [IdentifierInline, AddIdentifierInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (_("Identité"), {"fields": ["birth_name", "usage_name", "first_names", "sex"]}),
        (
            _("Naissance"),
            {
                "fields": [
                    ("birth_day", "birth_month", "birth_year"),
                    "birth_country",
                    "birth_place",
                    "birth_commune_code",
                    "nationality",
                ]
            },
        ),
        (_("Situation"), {"fields": ["protection_status", "preferred_language", ("caf", "beneficiary_number")]}),
        (_("Coordonnées"), {"fields": [("phone", "phone_alt"), "email", "address", ("postcode", "city")]}),
        (_("Suivi"), {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description=_("nom"), ordering="birth_name_key")
    def display_name(self, obj):
        return obj.display_name

    @admin.display(description=_("naissance"))
    def birth_date_display(self, obj):
        return obj.birth_date_display

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.find(search_term), False


@admin.register(Identifier)
class IdentifierAdmin(BigTableAdmin):
    list_display = ["masked_value", "kind", "status", "person", "issuing_organisation", "issued_on"]
    list_filter = ["kind", "status"]
    list_select_related = ["person", "issuing_organisation"]
    search_fields = ["value"]
    search_help_text = _("Un numéro complet, avec ou sans clé.")
    fields = [
        "person",
        "kind",
        "masked_value",
        "status",
        "issuing_organisation",
        "issued_on",
        "certified_on",
        "superseded_at",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("numéro"))
    def masked_value(self, obj):
        return obj.masked

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if user_is_national(request.user):
            return queryset
        return queryset.filter(person__in=Person.objects.for_user(request.user))

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        try:
            value = identifiers.parse_number(search_term).value
        except ValidationError:
            return queryset.none(), False
        return queryset.filter(value=value), False

    def has_add_permission(self, request):
        return False  # numbers are recorded on their person, or by the case services

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
