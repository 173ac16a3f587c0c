"""One small form per move of the transition table, and the keyword arguments its service takes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cafcases.identifiers import parse_number
from cafcases.models import Authority, Channel, ClosingReason, RequestOutcome

# No preselected choice where the choice has consequences: the agent picks it, or the form says it is missing.
BLANK = [("", "---------")]


class MoveForm(forms.Form):
    """Every move carries the version the agent saw, so that a change made meanwhile is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, move, **kwargs):
        super().__init__(*args, **kwargs)
        self.move = move
        if move.needs_comment:
            self.fields["comment"].required = True
            self.fields["comment"].help_text = _("Obligatoire : expliquez la raison aux collègues.")

    def service_kwargs(self):
        data = self.cleaned_data
        kwargs = {"expected_version": data["version"]}
        if "comment" in self.fields:
            kwargs["comment"] = data.get("comment", "")
        return kwargs


class NoCommentMoveForm(MoveForm):
    """For moves whose service takes no comment (the move itself says it all)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["comment"]


class SendForCertificationForm(MoveForm):
    channel = forms.ChoiceField(label=_("Canal"), choices=Channel.choices, initial=Channel.PORTAL)
    reference = forms.CharField(label=_("Référence de l'envoi"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["comment"]

    def service_kwargs(self):
        return {
            **super().service_kwargs(),
            "channel": self.cleaned_data["channel"],
            "reference": self.cleaned_data["reference"],
        }


class AwaitingCountryForm(SendForCertificationForm):
    authority = forms.ChoiceField(
        label=_("Destinataire"),
        choices=[
            (Authority.COUNTRY_REGISTRY, Authority.COUNTRY_REGISTRY.label),
            (Authority.CONSULATE, Authority.CONSULATE.label),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].initial = Channel.DIPLOMATIC

    def service_kwargs(self):
        return {**super().service_kwargs(), "authority": self.cleaned_data["authority"]}


class RejectCertificationForm(MoveForm):
    outcome = forms.ChoiceField(
        label=_("Réponse reçue"),
        choices=BLANK + [(v, label) for v, label in RequestOutcome.choices if v != RequestOutcome.CONFIRMED],
    )
    field_order = ["outcome", "comment"]

    def service_kwargs(self):
        return {**super().service_kwargs(), "outcome": self.cleaned_data["outcome"]}


class RecordNirForm(MoveForm):
    nir = forms.CharField(
        label=_("NIR certifié"),
        max_length=40,
        help_text=_("15 caractères, ou les 13 premiers : la clé est alors calculée. Espaces acceptés."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "text"}),
    )
    certified_on = forms.DateField(
        label=_("Date de certification"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["comment"]

    def clean_nir(self):
        number = parse_number(self.cleaned_data["nir"])
        if number.is_provisional:
            raise ValidationError(_("Un NIR définitif commence par 1 ou 2 (ce numéro est un NIA)."), code="provisional")
        return number.value

    def service_kwargs(self):
        return {
            **super().service_kwargs(),
            "nir": self.cleaned_data["nir"],
            "certified_on": self.cleaned_data["certified_on"],
        }


class CloseForm(MoveForm):
    reason = forms.ChoiceField(
        label=_("Motif de clôture"),
        choices=BLANK + [(v, label) for v, label in ClosingReason.choices if v != ClosingReason.CERTIFIED_AND_MIGRATED],
    )
    field_order = ["reason", "comment"]

    def service_kwargs(self):
        return {**super().service_kwargs(), "reason": self.cleaned_data["reason"]}


MOVE_FORMS = {
    "issue_waiting_number": NoCommentMoveForm,
    "send_for_certification": SendForCertificationForm,
    "mark_awaiting_country": AwaitingCountryForm,
    "reject_certification": RejectCertificationForm,
    "record_certified_nir": RecordNirForm,
    "close": CloseForm,
}


def move_form(move, *args, **kwargs):
    """The form for this move (a comment and the version by default)."""
    return MOVE_FORMS.get(move.name, MoveForm)(*args, move=move, **kwargs)
