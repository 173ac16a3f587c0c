from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from cafcases import identifiers
from cafcases.audit.admin import HistoryAdminMixin
from cafcases.models import Identifier, Organisation, Person

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


class AddIdentifierForm(forms.ModelForm):
    # Wider than the stored 15 characters: a number is typed or pasted as printed, "8 90 06 99 352 001 23".
    value = forms.CharField(label=_("numéro"), max_length=40)

    class Meta:
        model = Identifier
        fields = ["kind", "value", "issuing_organisation", "issued_on", "certified_on"]

    def clean_value(self):
        return identifiers.parse_number(self.cleaned_data["value"]).value

    def clean(self):
        cleaned_data = super().clean()
        # The inline formset leaves the person out of model validation, so the "one active number per kind"
        # constraint would only be met by the database (an IntegrityError, a 500): check it here.
        kind = cleaned_data.get("kind")
        if (
            kind
            and self.instance.person_id
            and Identifier.objects.active().filter(person_id=self.instance.person_id, kind=kind).exists()
        ):
            self.add_error("kind", _("Cette personne a déjà un numéro actif de ce type."))
        return cleaned_data


class AddIdentifierFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kinds = [form.cleaned_data.get("kind") for form in self.forms if form.has_changed() and form.cleaned_data]
        if len(kinds) != len(set(kinds)):
            raise ValidationError(_("Un seul nouveau numéro par type à la fois : chaque type n'a qu'un numéro actif."))


class AddIdentifierInline(admin.TabularInline):
    """A blank row to record a number the person holds; it is validated by the number rules."""

    model = Identifier
    form = AddIdentifierForm
    formset = AddIdentifierFormSet
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


class WriteInsteadFilter(admin.SimpleListFilter):
    """The "write instead" list: people with an open case whose phone was flagged unreachable."""

    title = _("à joindre par écrit")
    parameter_name = "ecrire"

    def lookups(self, request, model_admin):
        return [("oui", _("Téléphone injoignable, dossier ouvert"))]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.filter(pk__in=Person.objects.write_instead().values("pk"))
        return queryset


@admin.register(Person)
class PersonAdmin(HistoryAdminMixin, BigTableAdmin):
    list_display = [
        "display_name",
        "birth_date_display",
        "birth_country",
        "caf",
        "beneficiary_number",
        "protection_status",
    ]
    list_filter = [WriteInsteadFilter, "protection_status", "sex", "preferred_language", "caf"]
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A caisse's staff keep people within their reach: their own CAF, or (CPAM) the CAFs of their department.
        if db_field.name == "caf" and not user_is_national(request.user):
            organisation = request.user.organisation
            cafs = Organisation.objects.cafs()
            kwargs["queryset"] = (
                cafs.filter(pk=organisation.pk)
                if organisation.is_caf
                else cafs.filter(department=organisation.department)
            )
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        # The CAF list of a caisse's staff is one or two entries: a plain select honours the limit above.
        return fields if user_is_national(request.user) else [name for name in fields if name != "caf"]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.find(search_term), False

    def save_formset(self, request, form, formset, change):
        if formset.model is not Identifier:
            return super().save_formset(request, form, formset, change)
        # A number recorded by hand keeps who recorded it (the field is empty only for mass or system processing).
        for identifier in formset.save(commit=False):
            if identifier.pk is None and identifier.recorded_by_id is None:
                identifier.recorded_by = request.user
            identifier.save()
        formset.save_m2m()


@admin.register(Identifier)
class IdentifierAdmin(HistoryAdminMixin, BigTableAdmin):
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
