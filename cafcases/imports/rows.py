"""Validation of one row of the people file: pure Python, no database, so that it can run beside the writes.

Every problem of a row is reported (one report line each), in the order of the columns; the checks that compare two
columns (sex and birth date against the NIA) run only when both columns are valid on their own.
"""

import datetime
import functools

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cafcases import identifiers
from cafcases.models import Person
from cafcases.text import search_key

from .fields import parse_benefits, parse_birth_date, parse_email, parse_phone
from .files import Problem

BENEFICIARY_NUMBER = "numero_allocataire"
REQUIRED_COLUMNS = ("nom_naissance", "prenoms", "sexe", "date_naissance", "pays_naissance", "nia")
COLUMNS = (
    BENEFICIARY_NUMBER,
    "nom_naissance",
    "nom_usage",
    "prenoms",
    "sexe",
    "date_naissance",
    "pays_naissance",
    "nia",
    "telephone",
    "email",
    "adresse",
    "code_postal",
    "commune",
    "prestations",
)
REPORT_HEADER = ("ligne", BENEFICIARY_NUMBER, "colonne", "motif")
# Free-text columns: (file column, model field) checked against the field's maximum length.
_TEXT_COLUMNS = (
    ("nom_naissance", "birth_name"),
    ("nom_usage", "usage_name"),
    ("prenoms", "first_names"),
    ("adresse", "address"),
    ("code_postal", "postcode"),
    ("commune", "city"),
)
_SEXES = frozenset({"M", "F"})


class PersonRow:
    """A valid row: the person's values in their database form, and what to match and create with them."""

    __slots__ = (
        "line",
        "beneficiary_number",
        "nia",
        "birth_name",
        "usage_name",
        "first_names",
        "sex",
        "birth_year",
        "birth_month",
        "birth_day",
        "country",
        "phone",
        "email",
        "address",
        "postcode",
        "city",
        "benefits",
        "birth_name_key",
        "first_names_key",
        "search_text",
    )

    def __init__(self, **values):
        for name, value in values.items():
            setattr(self, name, value)


# Names repeat a lot in a caisse's file (first names above all): each is folded once.
_folded = functools.lru_cache(maxsize=1 << 16)(search_key)


def search_keys(birth_name, usage_name, first_names):
    """The keys the model's own ``refresh_search_keys`` computes, since bulk inserts skip ``save()``
    (tests/imports/test_fields.py checks that both agree)."""
    birth_name_key, first_names_key = _folded(birth_name), _folded(first_names)
    search_text = " " + " ".join(key for key in (birth_name_key, _folded(usage_name), first_names_key) if key)
    return birth_name_key, first_names_key, search_text


class CountryTable:
    """INSEE codes (99xxx) and ISO alpha-2 codes → INSEE code, loaded once; where ISO is ambiguous the state wins."""

    def __init__(self, rows):
        """rows: (code, iso2, is_state) for every country."""
        self.codes = {code for code, _iso2, _is_state in rows}
        self.by_iso2 = {}
        # The order of Country.objects.by_iso2: states first, then by code.
        for code, iso2, _is_state in sorted(rows, key=lambda row: (not row[2], row[0])):
            if iso2:
                self.by_iso2.setdefault(iso2.upper(), code)

    @classmethod
    def load(cls):
        from cafcases.models import Country

        return cls(list(Country.objects.values_list("code", "iso2", "is_state")))

    def lookup(self, value):
        if value in self.codes:
            return value
        return self.by_iso2.get(value.upper()) if len(value) == 2 else None


class PersonRowParser:
    """Turns the cells of a row into a PersonRow, or into the list of its problems."""

    def __init__(self, columns, countries, today=None):
        self.index = [(name, columns.get(name)) for name in COLUMNS]
        self.countries = countries
        self.today = today or datetime.date.today()
        fields = {field.name: field for field in Person._meta.get_fields() if hasattr(field, "max_length")}
        self.max_lengths = {column: fields[name].max_length for column, name in _TEXT_COLUMNS}
        self.email_max_length = fields["email"].max_length

    def parse(self, line, cells):
        """(PersonRow, []) for a valid row, (None, problems) otherwise."""
        count = len(cells)
        raw = {name: cells[i].strip() if i is not None and i < count else "" for name, i in self.index}
        key = raw[BENEFICIARY_NUMBER]
        problems = []

        def problem(column, reason):
            problems.append(Problem(line, key, column, str(reason)))

        for column in REQUIRED_COLUMNS:
            if not raw[column]:
                problem(column, _("Champ obligatoire vide."))
        if key and not (len(key) == 7 and key.isascii() and key.isdigit()):
            problem(
                BENEFICIARY_NUMBER, _("Le numéro allocataire comporte 7 chiffres (ici « %(value)s »).") % {"value": key}
            )
        for column, max_length in self.max_lengths.items():
            if len(raw[column]) > max_length:
                problem(column, _("Trop long : %(max)s caractères au plus.") % {"max": max_length})
        sex = raw["sexe"].upper()
        if sex and sex not in _SEXES:
            problem("sexe", _("Sexe « %(value)s » invalide : M ou F attendu.") % {"value": raw["sexe"]})
            sex = ""
        birth = None
        if raw["date_naissance"]:
            try:
                birth = parse_birth_date(raw["date_naissance"], self.today)
            except ValueError as error:
                problem("date_naissance", error)
        country = None
        if raw["pays_naissance"]:
            country = self.countries.lookup(raw["pays_naissance"])
            if country is None:
                problem(
                    "pays_naissance",
                    _("Pays de naissance « %(value)s » inconnu : code INSEE 99xxx ou code ISO à deux lettres attendu.")
                    % {"value": raw["pays_naissance"]},
                )
        nia = self._check_nia(raw["nia"], sex, birth, problem) if raw["nia"] else None
        phone = email = ""
        benefits = ()
        if raw["telephone"]:
            try:
                phone = parse_phone(raw["telephone"])
            except ValueError as error:
                problem("telephone", error)
        if raw["email"]:
            try:
                email = parse_email(raw["email"], self.email_max_length)
            except ValueError as error:
                problem("email", error)
        if raw["prestations"]:
            try:
                benefits = parse_benefits(raw["prestations"])
            except ValueError as error:
                problem("prestations", error)
        if problems:
            return None, problems
        birth_name_key, first_names_key, search_text = search_keys(
            raw["nom_naissance"], raw["nom_usage"], raw["prenoms"]
        )
        year, month, day = birth
        row = PersonRow(
            line=line,
            beneficiary_number=key,
            nia=nia,
            birth_name=raw["nom_naissance"],
            usage_name=raw["nom_usage"],
            first_names=raw["prenoms"],
            sex=sex,
            birth_year=year,
            birth_month=month,
            birth_day=day,
            country=country,
            phone=phone,
            email=email,
            address=raw["adresse"],
            postcode=raw["code_postal"],
            city=raw["commune"],
            benefits=benefits,
            birth_name_key=birth_name_key,
            first_names_key=first_names_key,
            search_text=search_text,
        )
        return row, problems

    @staticmethod
    def _check_nia(value, sex, birth, problem):
        """The canonical NIA, after checking that it is one and that it agrees with the sex and the birth date."""
        try:
            number = identifiers.parse_number(value)
        except ValidationError as error:
            problem("nia", error.messages[0])
            return None
        if not number.is_provisional:
            problem(
                "nia",
                _("Ce numéro n'est pas un NIA : un NIA commence par 7 ou 8 (ici %(digit)s).")
                % {"digit": number.value[0]},
            )
            return None
        if sex and number.sex != sex:
            problem(
                "nia",
                _("Le NIA commence par %(digit)s (%(nia_sex)s) alors que le sexe indiqué est %(sex)s.")
                % {"digit": number.value[0], "nia_sex": number.sex, "sex": sex},
            )
        if birth is not None:
            year, month, _day = birth
            if number.birth_year != f"{year % 100:02d}":
                problem(
                    "nia",
                    _("L'année de naissance du NIA (%(nia)s) ne correspond pas à la date de naissance (%(year)s).")
                    % {"nia": number.birth_year, "year": year},
                )
            if month is not None and number.birth_month is not None and number.birth_month != month:
                problem(
                    "nia",
                    _("Le mois de naissance du NIA (%(nia)02d) ne correspond pas à la date de naissance (%(month)02d).")
                    % {"nia": number.birth_month, "month": month},
                )
        return number.value
