"""Admins of what is recorded on a case: certification requests (with chases) and read-only lists."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cafcases import services
from cafcases.models import (
    Case,
    CaseDocument,
    CaseEvent,
    CaseNote,
    CertificationRequest,
    Chase,
    ContactAttempt,
)

from .base import BigTableAdmin
from .service_forms import AddOnlyInline, ServiceFormSet, ServiceFormsMixin, ServiceRefused, scope_to_cases


class ChaseForm(forms.ModelForm):
    sent_on = forms.DateField(label=_("envoyée le"), initial=timezone.localdate, widget=admin.widgets.AdminDateWidget)


class ChaseFormSet(ServiceFormSet):
    def save_row(self, request, form):
        data = form.cleaned_data
        return services.chase_add(
            request=self.instance, channel=data["channel"], sent_on=data["sent_on"], note=data["note"], by=request.user
        )


class ChaseInline(AddOnlyInline):
    model = Chase
    form = ChaseForm
    formset = ChaseFormSet
    fields = ["sent_on", "channel", "note", "created_by"]
    readonly_fields = ["created_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


class CertificationRequestForm(forms.ModelForm):
    user = None
    answer_comment = forms.CharField(
        label=_("Commentaire sur la réponse"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            case = cleaned_data.get("case")
            if case is not None and not Case.objects.for_user(self.user).filter(pk=case.pk).exists():
                self.add_error("case", _("Ce dossier ne relève pas de votre caisse."))
        elif cleaned_data.get("answered_on") and not cleaned_data.get("outcome"):
            self.add_error("outcome", _("Indiquez la réponse reçue."))
        elif cleaned_data.get("outcome") and not cleaned_data.get("answered_on"):
            cleaned_data["answered_on"] = timezone.localdate()
        return cleaned_data


class CaseScopedAdmin(BigTableAdmin):
    """Rows of the cases the user's caisse sees; searched by case number."""

    case_path = "case"
    search_help_text = _("Un numéro de dossier.")

    def get_queryset(self, request):
        return scope_to_cases(super().get_queryset(request), request.user, self.case_path)

    def get_search_fields(self, request):
        return [f"{self.case_path}__id"]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip().lstrip("#").removeprefix("n°").strip()
        if not term:
            return queryset, False
        if not term.isdigit():
            return queryset.none(), False
        return queryset.filter(**{f"{self.case_path}_id": int(term)}), False


@admin.register(CertificationRequest)
class CertificationRequestAdmin(ServiceFormsMixin, CaseScopedAdmin):
    form = CertificationRequestForm
    list_display = ["__str__", "case", "authority", "country", "sent_on", "expected_on", "answered_on", "outcome"]
    list_filter = ["authority", "outcome", "channel", ("answered_on", admin.EmptyFieldListFilter)]
    list_select_related = ["case", "country"]
    autocomplete_fields = ["case", "country"]
    inlines = [ChaseInline]
    request_fields = ["case", "authority", "country", "channel", "reference", "sent_on"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": self.request_fields})]
        return [
            (None, {"fields": [*self.request_fields, "expected_on", "created_by"]}),
            (_("Réponse"), {"fields": ["outcome", "answered_on", *(["answer_comment"] if not obj.outcome else [])]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        readonly = [*self.request_fields, "expected_on", "created_by"]
        return [*readonly, "outcome", "answered_on"] if obj.outcome else readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            form.base_fields["sent_on"].required = False
            form.base_fields["sent_on"].help_text = _("Vide : aujourd'hui.")
        return form

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if not change:
                created = services.certification_request_create(
                    case=data["case"],
                    authority=data["authority"],
                    country=data["country"],
                    channel=data["channel"],
                    reference=data["reference"],
                    sent_on=data["sent_on"],
                    by=request.user,
                )
                for field in CertificationRequest._meta.concrete_fields:
                    setattr(obj, field.attname, getattr(created, field.attname))
                obj._state.adding = False
            elif "outcome" in form.changed_data and data["outcome"]:
                services.certification_request_answer(
                    request=obj,
                    outcome=data["outcome"],
                    answered_on=data["answered_on"],
                    comment=data["answer_comment"],
                    by=request.user,
                )
        except ValidationError as error:
            raise ServiceRefused(error) from error

    def has_delete_permission(self, request, obj=None):
        return False


# --- Read-only admins: every model has its page, its rows change through the case ---------------------------------


class ReadOnlyCaseworkAdmin(CaseScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyCaseworkAdmin):
    list_display = ["at", "case", "kind", "summary", "to_status", "by"]
    list_filter = ["kind", "to_status"]
    list_select_related = ["case", "by"]


@admin.register(CaseDocument)
class CaseDocumentAdmin(ReadOnlyCaseworkAdmin):
    list_display = ["case", "kind", "status", "requested_on", "received_on", "verified_on", "rejected_on"]
    list_filter = ["kind", "status"]
    list_select_related = ["case"]


@admin.register(ContactAttempt)
class ContactAttemptAdmin(ReadOnlyCaseworkAdmin):
    list_display = ["at", "case", "channel", "outcome", "note", "by"]
    list_filter = ["channel", "outcome"]
    list_select_related = ["case", "by"]


@admin.register(CaseNote)
class CaseNoteAdmin(ReadOnlyCaseworkAdmin):
    list_display = ["at", "case", "__str__", "by"]
    list_select_related = ["case", "by"]


@admin.register(Chase)
class ChaseAdmin(ReadOnlyCaseworkAdmin):
    case_path = "request__case"
    list_display = ["sent_on", "request", "case", "channel", "note", "created_by"]
    list_filter = ["channel"]
    list_select_related = ["request", "request__case", "created_by"]

    @admin.display(description=_("dossier"), ordering="request__case")
    def case(self, obj):
        return obj.request.case
