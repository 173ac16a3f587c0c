"""The inlines of the case change page: timeline, papers, requests, contacts and notes."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from cafcases import services
from cafcases.models import (
    CaseDocument,
    CaseEvent,
    CaseNote,
    CertificationRequest,
    ContactAttempt,
    DocumentStatus,
)

from .service_forms import AddOnlyInline, ReadOnlyInline, ServiceFormSet, ServiceInline

TIMELINE_LIMIT = 100  # newest events on the change page; the whole timeline is in the events' changelist


class TimelineFormSet(ServiceFormSet):
    def get_queryset(self):
        if not hasattr(self, "_newest"):
            self._newest = super().get_queryset()[:TIMELINE_LIMIT]
        return self._newest


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    formset = TimelineFormSet
    fields = ["at", "kind", "summary", "comment", "by"]
    readonly_fields = fields
    verbose_name_plural = _("historique (les 100 derniers événements)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class DocumentForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        rejected = cleaned_data.get("status") == DocumentStatus.REJECTED
        if rejected and not cleaned_data.get("rejection_reason", "").strip():
            self.add_error("rejection_reason", _("Indiquez le motif du refus de la pièce."))
        return cleaned_data


class DocumentFormSet(ServiceFormSet):
    def save_row(self, request, form):
        return services.document_set_status(
            document=form.instance,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data.get("rejection_reason", ""),
            by=request.user,
        )


class CaseDocumentInline(ServiceInline):
    model = CaseDocument
    form = DocumentForm
    formset = DocumentFormSet
    fields = ["kind", "status", "rejection_reason", "requested_on", "received_on", "verified_on", "rejected_on"]
    readonly_fields = ["kind", "requested_on", "received_on", "verified_on", "rejected_on"]

    def has_add_permission(self, request, obj=None):
        return False


class AddDocumentFormSet(ServiceFormSet):
    def save_row(self, request, form):
        return services.document_add(case=self.instance, kind=form.cleaned_data["kind"], by=request.user)


class AddDocumentInline(ServiceInline):
    """One more paper than the track's checklist (a consulate's certificate, for instance)."""

    model = CaseDocument
    formset = AddDocumentFormSet
    fields = ["kind"]
    verbose_name = _("pièce justificative")
    verbose_name_plural = _("demander une pièce supplémentaire")

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


class CertificationRequestInline(ReadOnlyInline):
    model = CertificationRequest
    fields = ["authority", "country", "channel", "reference", "sent_on", "expected_on", "answered_on", "outcome"]
    readonly_fields = [*fields, "chase_count"]
    fields = [*fields, "chase_count"]
    show_change_link = True  # the request's own page: its chases and its answer

    @admin.display(description=_("relances"))
    def chase_count(self, obj):
        return obj.chase_count

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country").annotate(chase_count=Count("chases"))


class ContactFormSet(ServiceFormSet):
    def save_row(self, request, form):
        data = form.cleaned_data
        return services.contact_record(
            case=self.instance, channel=data["channel"], outcome=data["outcome"], note=data["note"], by=request.user
        )


class ContactAttemptInline(AddOnlyInline):
    model = ContactAttempt
    formset = ContactFormSet
    fields = ["at", "channel", "outcome", "note", "by"]
    readonly_fields = ["at", "by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class NoteFormSet(ServiceFormSet):
    def save_row(self, request, form):
        return services.note_add(case=self.instance, text=form.cleaned_data["text"], by=request.user)


class CaseNoteInline(AddOnlyInline):
    model = CaseNote
    formset = NoteFormSet
    fields = ["at", "text", "by"]
    readonly_fields = ["at", "by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 60})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


# --- List filters -------------------------------------------------------------------------------------------------
