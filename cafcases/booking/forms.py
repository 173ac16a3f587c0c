"""Forms of the public booking pages and of the agents' booking, attendance and linking actions."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from cafcases import identifiers

from .models import ATTENDANCE_STATUSES
from .slots import parse_slot_key


class SiteSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Votre code postal ou votre département"),
        max_length=5,
        min_length=2,
        help_text=_("Par exemple 59000 ou 59."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )


class SlotField(forms.CharField):
    """A slot key "counter|start"; the view checks it against the slots offered."""

    def clean(self, value):
        value = super().clean(value)
        try:
            return parse_slot_key(value)
        except ValueError as error:
            raise ValidationError(_("Choisissez un créneau dans la liste."), code="slot") from error


class PublicBookingForm(forms.Form):
    """Who books online: no account, no NIR; a number is optional and only used to find the person's file."""

    slot = SlotField(widget=forms.HiddenInput)
    birth_name = forms.CharField(
        label=_("Nom de naissance"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    first_names = forms.CharField(
        label=_("Prénom(s)"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        help_text=_("Au format JJ/MM/AAAA."),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"autocomplete": "bday", "placeholder": _("JJ/MM/AAAA")}, format="%d/%m/%Y"),
    )
    phone = PhoneNumberField(
        label=_("Téléphone portable"),
        required=False,
        region="FR",
        help_text=_("Pour recevoir la confirmation et le rappel par SMS."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Adresse électronique"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    number = forms.CharField(
        label=_("Numéro allocataire CAF ou numéro provisoire (NIA), si vous en avez un"),
        required=False,
        max_length=25,
        help_text=_("Facultatif. Il nous aide à préparer votre rendez-vous."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate() or value < datetime.date(1900, 1, 1):
            raise ValidationError(_("Vérifiez la date de naissance."), code="birth_date")
        return value

    def clean_number(self):
        """A 7-digit beneficiary number or a NIA; kept apart so that the NIA is never stored in clear."""
        raw = self.cleaned_data["number"].strip()
        if not raw:
            return {}
        compact = identifiers.normalise_input(raw)
        if compact.isdigit() and len(compact) == 7:
            return {"beneficiary_number": compact}
        try:
            value = identifiers.parse_number(raw).value
        except ValidationError as error:
            raise ValidationError(
                _("Ce numéro n'est ni un numéro allocataire (7 chiffres) ni un NIA (13 ou 15 caractères)."),
                code="number",
            ) from error
        return {"nia": value}

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("phone") and not cleaned_data.get("email") and not self.has_error("phone"):
            raise ValidationError(
                _("Donnez un téléphone ou une adresse électronique pour recevoir la confirmation."), code="contact"
            )
        return cleaned_data

    def booker(self):
        data = self.cleaned_data
        return {
            "birth_name": data["birth_name"].strip(),
            "first_names": data["first_names"].strip(),
            "birth_date": data["birth_date"],
            "phone": data.get("phone") or "",
            "email": data.get("email") or "",
            **data["number"],
        }


class SlotChoiceForm(forms.Form):
    slot = SlotField()


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Présence"), choices=[(status.value, status.label) for status in ATTENDANCE_STATUSES]
    )


class LinkSearchForm(forms.Form):
    q = forms.CharField(label=_("Numéro, numéro allocataire ou nom"), max_length=100)


class LinkForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
