"""The case admin: a case, its timeline, papers, certification requests, contacts and notes, worked through services.

Every change goes through a service of ``cafcases.services``. A service that refuses a change raises a
ValidationError; the change form is then shown again with that message on the form (or on the inline row) and nothing
is saved: the admin's transaction is rolled back, see ``ServiceFormsMixin``. Moves are made from the panel of the
change page and from the changelist's actions (``case_moves.py``).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cafcases import services
from cafcases.audit.admin import HistoryAdminMixin
from cafcases.models import (
    Benefit,
    Case,
    Organisation,
    Person,
)

from .base import BigTableAdmin, user_is_national
from .case_filters import (
    AssignedFilter,
    BirthCountryFilter,
    CollapsedRelatedFilter,
    OverdueFilter,
    PriorityBandFilter,
    StaleFilter,
)
from .case_inlines import (
    AddDocumentInline,
    CaseDocumentInline,
    CaseEventInline,
    CaseNoteInline,
    CertificationRequestInline,
    ContactAttemptInline,
)
from .case_moves import CaseMovesMixin
from .service_forms import ServiceFormsMixin, ServiceRefused, may_supervise


class CaseForm(forms.ModelForm):
    user = None  # set by ServiceFormsMixin.get_form
    benefits = forms.MultipleChoiceField(
        label=_("Prestations en jeu"),
        choices=Benefit.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Les prestations non rétroactives (RSA, prime à la naissance, aide au logement) pèsent le plus."),
    )
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Case
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("benefits", list(self.instance.benefits_at_risk))
        self.initial.setdefault("loaded_version", self.instance.version)
        if "cpam" in self.fields and self.instance.pk is None:
            self.fields["cpam"].required = False
            self.fields["cpam"].help_text = _("Vide : la CPAM du département de la CAF.")

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            self._clean_new_case(cleaned_data)
        elif "assigned_to" in self.changed_data and not may_supervise(self.user):
            agent, current = cleaned_data.get("assigned_to"), self.instance.assigned_to_id
            if agent not in (None, self.user) or current not in (None, self.user.pk):
                self.add_error(
                    "assigned_to", _("Seul un superviseur attribue un dossier à un autre agent ou le lui retire.")
                )
        return cleaned_data

    def _clean_new_case(self, cleaned_data):
        person, caf = cleaned_data.get("person"), cleaned_data.get("caf")
        if person and not Person.objects.for_user(self.user).filter(pk=person.pk).exists():
            self.add_error("person", _("Cette personne ne relève pas de votre caisse."))
        if caf is None or user_is_national(self.user):
            return
        organisation = self.user.organisation
        if organisation.is_caf and caf != organisation:
            self.add_error("caf", _("Ouvrez le dossier dans votre CAF."))
        elif organisation.is_cpam:
            cpam = cleaned_data.get("cpam") or Organisation.objects.cpam_for_department(caf.department)
            if cpam != organisation:
                self.add_error("caf", _("Ce dossier ne serait pas suivi par votre CPAM."))


def _copy_case(target, source):
    for field in Case._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.adding = False
    target._state.db = source._state.db


STATE_FIELDS = ["status", "side", "priority", "version", "opened_at", "last_event_at", "closed_at", "closing_reason"]
CLOCK_FIELDS = [
    "next_deadline",
    "papers_due_on",
    "nia_valid_until",
    "certification_expected_on",
    "forecast_certified_on",
]


@admin.register(Case)
class CaseAdmin(HistoryAdminMixin, ServiceFormsMixin, CaseMovesMixin, BigTableAdmin):
    form = CaseForm
    list_display = [
        "number",
        "person_name",
        "status",
        "acting_side",
        "agent",
        "priority",
        "deadline",
        "caf_code",
        "cpam_code",
    ]
    list_display_links = ["number", "person_name"]
    # The queue's order (most urgent first), which an index per caisse serves (case_caf_queue_order).
    ordering = ["-priority", F("next_deadline").asc(nulls_last=True), "id"]
    list_select_related = ["person", "assigned_to", "caf", "cpam"]
    list_filter = [
        "status",
        ("caf", CollapsedRelatedFilter),
        ("cpam", CollapsedRelatedFilter),
        "track",
        ("person__birth_country", BirthCountryFilter),
        OverdueFilter,
        PriorityBandFilter,
        StaleFilter,
        AssignedFilter,
    ]
    search_fields = ["person__birth_name_key"]  # replaced by Person.objects.find, see get_search_results
    search_help_text = _(
        "Un numéro de la personne (NIA, numéro d'attente, NIR, avec ou sans clé), son numéro allocataire ou son nom."
    )
    autocomplete_fields = ["person", "assigned_to", "caf", "cpam"]
    inlines = [
        CaseDocumentInline,
        AddDocumentInline,
        CertificationRequestInline,
        ContactAttemptInline,
        CaseNoteInline,
        CaseEventInline,
    ]

    @admin.display(description=_("n°"), ordering="id")
    def number(self, obj):
        return obj.pk

    @admin.display(description=_("personne"), ordering="person__birth_name_key")
    def person_name(self, obj):
        return obj.person.display_name

    @admin.display(description=_("agit"), ordering="side")
    def acting_side(self, obj):
        return obj.get_side_display()

    @admin.display(description=_("échéance"), ordering="next_deadline")
    def deadline(self, obj):
        return obj.next_deadline.strftime("%d/%m/%Y") if obj.next_deadline else "—"

    @admin.display(description=_("agent"), ordering="assigned_to__last_name")
    def agent(self, obj):
        agent = obj.assigned_to
        return (agent.get_full_name() or agent.username) if agent else "—"

    @admin.display(description=_("CAF"), ordering="caf__code")
    def caf_code(self, obj):
        return obj.caf.code

    @admin.display(description=_("CPAM"), ordering="cpam__code")
    def cpam_code(self, obj):
        return obj.cpam.code

    def get_queryset(self, request):
        queryset = super().get_queryset(request).for_user(request.user)
        return queryset.select_related("person", "caf", "cpam", "assigned_to")

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(person__in=Person.objects.find(search_term)), False

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            fields = ["person", "caf", *(["cpam"] if may_supervise(request.user) else []), "benefits"]
            return [(None, {"fields": fields})]
        return [
            (None, {"fields": ["person", ("caf", "cpam"), "track", "assigned_to", "benefits", "loaded_version"]}),
            (_("Étape"), {"fields": [("status", "side"), ("priority", "version"), ("opened_at", "last_event_at")]}),
            (_("Échéances"), {"fields": CLOCK_FIELDS}),
            (
                _("Clôture"),
                {"fields": [("closed_at", "closing_reason")], "classes": ["collapse"] if obj.is_open else []},
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # State changes only through the moves; the person, the CAF and the track are those of the opening.
        readonly = ["person", "caf", "track", *STATE_FIELDS, *CLOCK_FIELDS]
        if not may_supervise(request.user):
            readonly.append("cpam")
        return readonly

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        organisation = request.user.organisation
        if organisation is not None and organisation.is_caf:
            initial.setdefault("caf", organisation.pk)
        return initial

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                self._save_changes(request, obj, form)
            else:
                case = services.case_open(
                    person=data["person"],
                    caf=data["caf"],
                    cpam=data.get("cpam"),
                    benefits_at_risk=data["benefits"],
                    by=request.user,
                )
                _copy_case(obj, case)
        except ValidationError as error:
            raise ServiceRefused(error) from error

    def _save_changes(self, request, case, form):
        data, changed = form.cleaned_data, form.changed_data
        versions = iter([data.get("loaded_version")])  # the first service checks it; the row stays locked after
        if "benefits" in changed:
            services.case_set_benefits(
                case=case, benefits=data["benefits"], by=request.user, expected_version=next(versions, None)
            )
        if "cpam" in changed:
            services.case_change_cpam(
                case=case, cpam=data["cpam"], by=request.user, expected_version=next(versions, None)
            )
        if "assigned_to" in changed:
            if data["assigned_to"] is None:
                services.case_unassign(case=case, by=request.user, expected_version=next(versions, None))
            else:
                services.case_assign(
                    case=case, agent=data["assigned_to"], by=request.user, expected_version=next(versions, None)
                )

    def response_post_save_add(self, request, obj):
        # A new case is worked straight away: back to its page, where its moves are.
        return HttpResponseRedirect(reverse("admin:cafcases_case_change", args=[obj.pk]))

    def has_delete_permission(self, request, obj=None):
        return False  # a case is evidence of what was done for the person: it is closed, never deleted


# --- Certification requests and their chases ----------------------------------------------------------------------
