"""The moves of a case in the admin: the panel of the change page, one small form per move, and changelist actions.

The transition table (``cafcases.workflow``) says which moves exist and who may make them; each move is made by its
service (``cafcases.services.MOVE_SERVICES``), which checks the table again, the case's version, and applies it.
"""

import inspect

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BLANK_CHOICE_DASH
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cafcases import identifiers, workflow
from cafcases.models import Authority, Channel, ClosingReason, Identifier, RequestOutcome
from cafcases.services import MOVE_SERVICES, StaleCaseError

# Moves an action of the changelist makes on a selection: those that need nothing typed.
ACTION_MOVES = [
    "issue_waiting_number",
    "request_documents",
    "mark_documents_complete",
    "send_for_certification",
    "mark_awaiting_country",
    "close_certified",
]
ACTION_LIMIT = 500  # cases per action: beyond, the agent narrows the selection with the filters
REFUSALS_SHOWN = 20  # refused cases reported one by one; the rest are counted


class MoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def service_kwargs(self):
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class NirForm(MoveForm):
    nir = forms.CharField(
        label=_("NIR certifié"),
        max_length=30,
        help_text=_("15 caractères, ou les 13 premiers sans la clé ; espaces et points acceptés."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "vTextField"}),
    )
    certified_on = forms.DateField(label=_("Certifié le"), initial=timezone.localdate, widget=AdminDateWidget)

    def clean_nir(self):
        try:
            number = identifiers.parse_number(self.cleaned_data["nir"])
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        if number.is_provisional:
            raise ValidationError(_("Un NIR définitif commence par 1 ou 2 : ce numéro est un NIA (7 ou 8)."))
        return number.value

    def clean_certified_on(self):
        certified_on = self.cleaned_data["certified_on"]
        if certified_on > timezone.localdate():
            raise ValidationError(_("La date de certification est dans le futur."))
        return certified_on


def _channel_field(initial):
    return forms.ChoiceField(label=_("Canal"), choices=Channel.choices, initial=initial)


def _reference_field():
    return forms.CharField(
        label=_("Référence"), max_length=100, required=False, widget=forms.TextInput(attrs={"class": "vTextField"})
    )


# Fields each move asks for besides its comment (the comment follows the service's signature).
MOVE_FIELDS = {
    "record_certified_nir": dict,
    "close": lambda: {
        "reason": forms.ChoiceField(
            label=_("Motif de clôture"),
            choices=BLANK_CHOICE_DASH
            + [choice for choice in ClosingReason.choices if choice[0] != ClosingReason.CERTIFIED_AND_MIGRATED],
        )
    },
    "send_for_certification": lambda: {"channel": _channel_field(Channel.PORTAL), "reference": _reference_field()},
    "mark_awaiting_country": lambda: {
        "authority": forms.ChoiceField(
            label=_("Destinataire"),
            choices=[
                (authority.value, authority.label) for authority in (Authority.COUNTRY_REGISTRY, Authority.CONSULATE)
            ],
        ),
        "channel": _channel_field(Channel.DIPLOMATIC),
        "reference": _reference_field(),
    },
    "reject_certification": lambda: {
        "outcome": forms.ChoiceField(
            label=_("Réponse reçue"),
            choices=BLANK_CHOICE_DASH
            + [choice for choice in RequestOutcome.choices if choice[0] != RequestOutcome.CONFIRMED],
        )
    },
}


def move_form_class(move):
    base = NirForm if move.name == "record_certified_nir" else MoveForm
    fields = MOVE_FIELDS.get(move.name, dict)()
    if "comment" in inspect.signature(MOVE_SERVICES[move.name]).parameters:
        fields["comment"] = forms.CharField(
            label=_("Commentaire"),
            required=move.needs_comment,
            widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
            help_text=_("Obligatoire pour cette action.") if move.needs_comment else "",
        )
    return type(f"{move.name.title().replace('_', '')}Form", (base,), fields)


def masked_numbers(case):
    """The person's numbers, masked: never a number in clear on a page."""
    return [
        {"kind": number.get_kind_display(), "masked": number.masked, "status": number.get_status_display()}
        for number in Identifier.objects.filter(person_id=case.person_id).order_by("created_at", "id")
    ]


def _success_message(move, case, result):
    message = gettext("Dossier n° %(id)s : « %(move)s » fait, étape « %(status)s ».") % {
        "id": case.pk,
        "move": move.label,
        "status": case.get_status_display(),
    }
    if isinstance(result, Identifier):
        message += " " + gettext("Numéro enregistré : %(number)s.") % {"number": result}
    return message


def _move_action(name):
    move = workflow.MOVES[name]

    def action(modeladmin, request, queryset):
        modeladmin.make_move_on_selection(request, queryset, move)

    action.__name__ = f"move_{name}"
    return admin.action(description=move.label, permissions=["change"])(action)


class CaseMovesMixin:
    """For the case's ModelAdmin: the moves panel, the move views and the move actions."""

    actions = [_move_action(name) for name in ACTION_MOVES]
    change_form_template = "admin/cafcases/case/change_form.html"
    move_form_template = "admin/cafcases/case/move_form.html"

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/move/<str:move_name>/",
                self.admin_site.admin_view(self.move_view),
                name="cafcases_case_move",
            )
        ]
        return urls + super().get_urls()

    def move_url(self, case, move):
        return reverse(f"{self.admin_site.name}:cafcases_case_move", args=[case.pk, move.name])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["case_panel"] = self.case_panel(request, obj) if obj is not None else None
        return super().render_change_form(request, context, add, change, form_url, obj)

    def case_panel(self, request, case):
        may_change = self.has_change_permission(request, case)
        moves = workflow.allowed_moves(case, request.user) if may_change else []
        return {
            "case": case,
            "numbers": masked_numbers(case),
            "moves": [{"label": move.label, "url": self.move_url(case, move), "name": move.name} for move in moves],
        }

    def move_view(self, request, object_id, move_name):
        case = self.get_object(request, unquote(object_id))
        move = workflow.MOVES.get(move_name)
        if case is None or move is None:
            raise Http404(gettext("Ce dossier n'existe pas ou ne relève pas de votre caisse."))
        if not self.has_change_permission(request, case) or not workflow.user_may_make(request.user, case, move):
            raise PermissionDenied
        change_url = reverse(f"{self.admin_site.name}:cafcases_case_change", args=[case.pk])
        form_class = move_form_class(move)
        stale = False
        if request.method == "POST":
            form = form_class(request.POST)
            if form.is_valid():
                try:
                    service = MOVE_SERVICES[move.name]
                    version = form.cleaned_data["version"]
                    result = service(case=case, by=request.user, expected_version=version, **form.service_kwargs())
                except StaleCaseError as error:
                    # Show the case as it is now, keep what the agent typed; sending again applies it to this version.
                    stale = True
                    case = self.get_object(request, unquote(object_id))
                    if case is None:
                        raise Http404(gettext("Ce dossier ne relève plus de votre caisse.")) from error
                    data = request.POST.copy()
                    data["version"] = str(case.version)
                    form = form_class(data)
                    form.is_valid()
                    form.add_error(None, error)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.message_user(request, _success_message(move, case, result), messages.SUCCESS)
                    self.log_change(request, case, gettext("Action : %(move)s") % {"move": move.label})
                    return HttpResponseRedirect(change_url)
        else:
            if case.status not in move.sources:
                try:
                    workflow.check_move(case, move.name)
                except ValidationError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(change_url)
            form = form_class(initial={"version": case.version})
        context = {
            **self.admin_site.each_context(request),
            "title": move.label,
            "subtitle": str(case),
            "opts": self.opts,
            "case": case,
            "move": move,
            "form": form,
            "adminform": helpers.AdminForm(form, [(None, {"fields": list(form.fields)})], {}, model_admin=self),
            "errors": helpers.AdminErrorList(form, []),
            "media": self.media + form.media,
            "numbers": masked_numbers(case),
            "recent_events": list(case.events.select_related("by")[:5]) if stale else [],
            "stale": stale,
            "change_url": change_url,
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.move_form_template, context)

    def make_move_on_selection(self, request, queryset, move):
        cases = list(queryset[: ACTION_LIMIT + 1])
        if len(cases) > ACTION_LIMIT:
            self.message_user(
                request,
                gettext("Sélection trop grande (plus de %(limit)s dossiers) : affinez-la avec les filtres.")
                % {"limit": ACTION_LIMIT},
                messages.ERROR,
            )
            return
        done, refused = 0, []
        for case in cases:
            reason = self._refusal(request, case, move)
            if reason is None:
                try:
                    MOVE_SERVICES[move.name](case=case, by=request.user, expected_version=case.version)
                except ValidationError as error:
                    reason = " ".join(error.messages)
                else:
                    done += 1
                    self.log_change(request, case, gettext("Action : %(move)s") % {"move": move.label})
                    continue
            refused.append((case, reason))
        if done:
            summary = ngettext("%(count)d dossier traité.", "%(count)d dossiers traités.", done) % {"count": done}
            self.message_user(request, summary, messages.SUCCESS)
        else:
            self.message_user(request, gettext("Aucun dossier traité."), messages.INFO)
        for case, reason in refused[:REFUSALS_SHOWN]:
            self.message_user(
                request,
                gettext("Dossier n° %(id)s non traité : %(reason)s") % {"id": case.pk, "reason": reason},
                messages.WARNING,
            )
        if len(refused) > REFUSALS_SHOWN:
            more = len(refused) - REFUSALS_SHOWN
            self.message_user(
                request,
                ngettext(
                    "… et %(count)d autre dossier non traité.", "… et %(count)d autres dossiers non traités.", more
                )
                % {"count": more},
                messages.WARNING,
            )

    def _refusal(self, request, case, move):
        """Why this user may not make this move on this case now, or None."""
        try:
            workflow.check_move(case, move.name)
        except ValidationError as error:
            return " ".join(error.messages)
        if not workflow.user_may_make(request.user, case, move):
            return gettext("cette action revient à l'autre caisse ou à un superviseur.")
        return None
