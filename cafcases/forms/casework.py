"""Forms of the case page for work that does not change the stage."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cafcases.models import (
    Channel,
    ContactChannel,
    ContactOutcome,
    DocumentStatus,
    RequestOutcome,
    User,
)
from cafcases.services.access import RevealPurpose

# No preselected outcome: "person reached" or "identity confirmed" by default would be recorded by mistake.
BLANK = [("", "---------")]


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("Canal"), choices=ContactChannel.choices)
    outcome = forms.ChoiceField(label=_("Résultat"), choices=BLANK + ContactOutcome.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note interne"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class DocumentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nouvel état"), choices=DocumentStatus.choices)
    reason = forms.CharField(label=_("Motif du refus"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("status") == DocumentStatus.REJECTED and not data.get("reason", "").strip():
            self.add_error("reason", _("Indiquez le motif du refus de la pièce."))
        return data


class ChaseForm(forms.Form):
    channel = forms.ChoiceField(label=_("Canal"), choices=Channel.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Réponse"), choices=BLANK + RequestOutcome.choices)
    answered_on = forms.DateField(label=_("Reçue le"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    comment = forms.CharField(label=_("Commentaire"), required=False, max_length=500)


class AssignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    agent = forms.ModelChoiceField(label=_("Agent"), queryset=User.objects.none())

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = User.objects.filter(organisation=organisation, is_active=True).order_by(
            "last_name", "first_name"
        )


class RevealForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Motif"), choices=RevealPurpose.choices)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher une personne"),
        max_length=100,
        help_text=_("NIA, numéro d'attente ou NIR (avec ou sans clé), numéro allocataire, ou nom."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
