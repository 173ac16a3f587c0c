"""The value parsers: their fast paths give the answers of phonenumbers and of Django's EmailValidator."""

import datetime

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from hypothesis import given, settings
from hypothesis import strategies as st

from cafcases.imports.fields import parse_benefits, parse_birth_date, parse_date, parse_email, parse_phone
from cafcases.imports.rows import CountryTable

TODAY = datetime.date(2026, 3, 15)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/03/1990", (1990, 3, 15)),
        ("5/3/1990", (1990, 3, 5)),
        ("03/1990", (1990, 3, None)),
        ("1990", (1990, None, None)),
        ("29/02/2024", (2024, 2, 29)),
        ("15/03/2026", (2026, 3, 15)),
        ("03/2026", (2026, 3, None)),
        ("2026", (2026, None, None)),
    ],
)
def test_birth_dates_full_or_partial(value, expected):
    assert parse_birth_date(value, TODAY) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("31/02/1990", "n'existe pas"),
        ("29/02/2023", "n'existe pas"),
        ("13/1990", "n'existe pas"),
        ("00/1990", "n'existe pas"),
        ("16/03/2026", "futur"),
        ("04/2026", "futur"),
        ("2027", "futur"),
        ("1889", "antérieure à 1890"),
        ("1990-03-15", "illisible"),
        ("15/03/90", "illisible"),
        ("vers 1990", "illisible"),
    ],
)
def test_impossible_future_or_unreadable_birth_dates(value, reason):
    with pytest.raises(ValueError, match=reason):
        parse_birth_date(value, TODAY)


def test_certification_dates():
    assert parse_date("10/01/2025", TODAY) == datetime.date(2025, 1, 10)
    for value in ("31/02/2025", "16/03/2026", "2025", "01/2025"):
        with pytest.raises(ValueError):
            parse_date(value, TODAY)


def reference_phone(value):
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def ours(value):
    try:
        return parse_phone(value)
    except ValueError:
        return None


@settings(max_examples=2000, deadline=None)
@given(
    prefix=st.sampled_from(["0", "+33", "0033", "+33 ", "0033 "]),
    digits=st.text(alphabet="0123456789", min_size=9, max_size=9),
    separator=st.sampled_from(["", " ", ".", "-"]),
)
def test_french_fast_path_agrees_with_phonenumbers(prefix, digits, separator):
    value = prefix + separator.join(digits[i : i + 2] for i in range(0, 9, 2))
    assert ours(value) == reference_phone(value)


@pytest.mark.parametrize(
    "value",
    [
        "06 12 34 56 78",
        "0612345678",
        "+33 6 12 34 56 78",
        "0033612345678",
        "06.12.34.56.78",
        "612345678",
        "06 00",
        "+213 5 51 23 45 67",
        "+44 7400 123456",
        "+1 202 555 0101",
        "00 213 551 23 45 67",
        "pas un numéro",
        "+33 (0)6 12 34 56 78",
    ],
)
def test_other_shapes_go_through_phonenumbers(value):
    assert ours(value) == reference_phone(value)


@pytest.mark.parametrize(
    "value",
    [
        "jean.dupont@exemple.invalid",
        "a@b",
        "a@localhost",
        "sans-arobase",
        "x@-exemple.fr",
        "été@exemple.fr",
        "a..b@exemple.fr",
        '"quoted"@exemple.fr',
        "a@[127.0.0.1]",
        "a@exemple.fr.",
        "a@b@c.fr",
        "a@xn--bcher-kva.de",
    ],
)
def test_email_agrees_with_django(value):
    try:
        EmailValidator()(value)
        expected = True
    except ValidationError:
        expected = False
    try:
        parse_email(value, 254)
        got = True
    except ValueError:
        got = False
    assert got is expected


def test_benefits():
    assert parse_benefits("rsa, Aide_Logement,,rsa") == ("aide_logement", "rsa")
    with pytest.raises(ValueError, match="allocation_chomage"):
        parse_benefits("rsa,allocation_chomage")


@pytest.mark.django_db
def test_countries_by_insee_or_iso_code_the_state_first():
    countries = CountryTable.load()
    assert countries.lookup("99134") == countries.lookup("ES") == countries.lookup("es") == "99134"
    assert countries.lookup("99313") == "99313"  # a territory by its own INSEE code
    assert countries.lookup("PT") == "99139"
    assert countries.lookup("99999") is None and countries.lookup("XX") is None and countries.lookup("E") is None


@given(birth_name=st.text(max_size=30), usage_name=st.text(max_size=30), first_names=st.text(max_size=30))
@settings(max_examples=300, deadline=None)
def test_search_keys_agree_with_the_model(birth_name, usage_name, first_names):
    from types import SimpleNamespace

    from cafcases.imports.rows import search_keys
    from cafcases.models import Person

    holder = SimpleNamespace(birth_name=birth_name, usage_name=usage_name, first_names=first_names)
    Person.refresh_search_keys(holder)

    assert search_keys(birth_name, usage_name, first_names) == (
        holder.birth_name_key,
        holder.first_names_key,
        holder.search_text,
    )
