"""Tests of cafcases.identifiers: parsing, validation, building and masking of social-security numbers (no database)."""

import dataclasses
import logging

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from cafcases.identifiers import (
    SocialNumber,
    build_number,
    compute_key,
    looks_like_number,
    normalise_input,
    parse_number,
)

# gettext needs settings; the module is pure Python, so run without a project settings module when there is none.
if not django_settings.configured:
    django_settings.configure(USE_I18N=False)


def with_key(body: str) -> str:
    """Append the key, computed independently of the module under test."""
    digits = body[:5] + body[5:7].replace("2A", "19").replace("2B", "18") + body[7:]
    return body + f"{97 - int(digits) % 97:02d}"


# value, formatted, sex, birth_month, department, country_code, is_provisional
WORKED_EXAMPLES = [
    ("1 85 03 33 063 123 10", "1 85 03 33 063 123 10", "M", 3, "33", None, False),
    ("2 90 06 2A 004 045 49", "2 90 06 2A 004 045 49", "F", 6, "2A", None, False),
    ("7 98 04 99 212 031 10", "7 98 04 99 212 031 10", "M", 4, "99", "99212", True),
    ("8 01 09 99 206 002 55", "8 01 09 99 206 002 55", "F", 9, "99", "99206", True),
    ("2 75 05 97 411 088 86", "2 75 05 974 11 088 86", "F", 5, "974", None, False),
]


@pytest.mark.parametrize(
    ("raw", "formatted", "sex", "birth_month", "department", "country_code", "is_provisional"), WORKED_EXAMPLES
)
def test_worked_examples(raw, formatted, sex, birth_month, department, country_code, is_provisional):
    sn = parse_number(raw)
    assert sn.value == raw.replace(" ", "")
    assert sn.body == sn.value[:13]
    assert sn.key == sn.value[13:]
    assert sn.formatted == formatted
    assert sn.sex == sex
    assert sn.birth_month == birth_month
    assert sn.department == department
    assert sn.country_code == country_code
    assert sn.is_provisional is is_provisional
    assert sn.birth_year == raw[2:4]
    assert sn.order == sn.value[10:13]


@pytest.mark.parametrize("raw", [example[0] for example in WORKED_EXAMPLES])
def test_body_without_key_gets_its_key(raw):
    value = raw.replace(" ", "")
    assert parse_number(value[:13]).value == value
    assert parse_number(raw[:-3]).value == value
    assert compute_key(value[:13]) == value[13:]


def test_worked_example_parts():
    bordeaux = parse_number("1 85 03 33 063 123 10")
    assert (bordeaux.commune, bordeaux.order, bordeaux.key) == ("063", "123", "10")
    reunion = parse_number("2 75 05 97 411 088 86")
    assert (reunion.department, reunion.commune) == ("974", "11")
    afghanistan = parse_number("7 98 04 99 212 031 10")
    assert (afghanistan.commune, afghanistan.country_code) == ("212", "99212")


@pytest.mark.parametrize(
    "raw",
    [
        "2 90 06 2a 004 045 49",
        "290062a00404549",
        "2.90.06.2A.004.045.49",
        "2-90-06-2A-004-045-49",
        "2\t90\t06\t2A\t004\t045\t49",
        "2\u00a090\u00a006\u00a02A\u00a0004\u00a0045\u00a049",
        "2\u202f90 06 2A 004 045 49",
        "  290062A00404549  ",
        "2 90 06 2a 004 045",
    ],
)
def test_separators_and_case_are_tolerated(raw):
    assert parse_number(raw).value == "290062A00404549"


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("01", 1),
        ("12", 12),
        ("20", None),
        ("25", None),
        ("30", None),
        ("31", 1),
        ("36", 6),
        ("42", 12),
        ("50", None),
        ("99", None),
    ],
)
def test_real_fictive_and_pseudo_fictive_months(month, expected):
    assert parse_number(with_key(f"185{month}33063123")).birth_month == expected


@pytest.mark.parametrize(
    ("body", "department", "commune", "country_code", "formatted"),
    [
        ("1850333063123", "33", "063", None, "1 85 03 33 063 123"),
        ("1850301001123", "01", "001", None, "1 85 03 01 001 123"),
        ("1850395001123", "95", "001", None, "1 85 03 95 001 123"),
        ("1500320004001", "20", "004", None, "1 50 03 20 004 001"),  # legacy Corsica
        ("290062B033045", "2B", "033", None, "2 90 06 2B 033 045"),
        ("2750597101088", "971", "01", None, "2 75 05 971 01 088"),
        ("2750597611088", "976", "11", None, "2 75 05 976 11 088"),
        ("2750598818088", "988", "18", None, "2 75 05 988 18 088"),
        ("1850399352123", "99", "352", "99352", "1 85 03 99 352 123"),
        ("1850399999123", "99", "999", "99999", "1 85 03 99 999 123"),  # unknown country is not an error
    ],
)
def test_places(body, department, commune, country_code, formatted):
    sn = parse_number(body)
    assert sn.department == department
    assert sn.commune == commune
    assert sn.country_code == country_code
    assert sn.formatted == f"{formatted} {sn.key}"


ERRORS = [
    ("", "length"),
    ("   ", "length"),
    ("185033306312", "length"),
    ("18503330631231", "length"),
    ("1850333063123100", "length"),
    ("1 85 03 33 063 123 10 1", "length"),
    ("1850333063X2310", "character"),
    ("X850333063123", "character"),
    ("18503330631231O", "character"),
    ("185033306312３", "character"),  # a full-width digit is not an ASCII digit
    ("1 85 03 2C 063 123", "character"),
    ("1 85 03 A2 063 123", "character"),
    ("1 85 03 3A 063 123", "character"),
    ("1 85 03 33 2A3 123", "character"),
    *[(with_key(f"{digit}850333063123"), "sex") for digit in "034569"],
    *[(f"{digit}850333063123", "sex") for digit in "034569"],
    *[(with_key(f"185{month}33063123"), "month") for month in ("00", "13", "19", "43", "49")],
    (with_key("1850396063123"), "department"),
    (with_key("1850300063123"), "department"),
    (with_key("1850333063000"), "order"),
    ("1850333063000", "order"),
    ("1 85 03 33 063 123 11", "key"),
    ("1 85 03 33 063 123 00", "key"),
    ("1 85 03 33 063 123 98", "key"),
    ("2 90 06 2B 004 045 49", "key"),  # 2A and 2B give different keys
    ("2 90 06 20 004 045 49", "key"),
]


@pytest.mark.parametrize(("raw", "code"), ERRORS)
def test_errors_have_their_code_and_never_show_the_number(raw, code):
    with pytest.raises(ValidationError) as info:
        parse_number(raw)
    error = info.value
    assert error.code == code
    message = error.messages[0]
    assert message
    normalised = normalise_input(raw)
    if len(normalised) >= 5:
        assert normalised not in message
        assert normalised[:13] not in message
        assert raw.strip() not in message


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("185033306312", "(ici 12)"),
        ("", "(ici 0)"),
        ("1851333063123", "« 13 »"),
        ("5850333063123", "1, 2, 7 ou 8"),
        ("1850396063123", "« 96 »"),
        ("1850333063000", "« 000 »"),
        ("1 85 03 33 063 123 11", "clé attendue : 10"),
        ("1850333063X23", "« X »"),
    ],
)
def test_messages_name_what_is_wrong(raw, fragment):
    with pytest.raises(ValidationError) as info:
        parse_number(raw)
    assert fragment in info.value.messages[0]


def test_non_string_input_is_a_type_error():
    with pytest.raises(TypeError):
        parse_number(185033306312310)
    with pytest.raises(TypeError):
        parse_number(None)


def test_compute_key():
    assert compute_key("2900 62a 004045") == "49"
    assert compute_key("290062B004045") == with_key("290062B004045")[13:]
    with pytest.raises(ValidationError) as info:
        compute_key("185033306312")
    assert info.value.code == "length"


def test_normalise_input():
    assert normalise_input(" 2.90-06\t2a\u00a0004 045 49 ") == "290062A00404549"
    assert normalise_input("Dupont-Martin") == "DUPONTMARTIN"
    assert normalise_input("") == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1 85 03 33 063 123 10", True),
        ("1850333063123", True),
        ("2 90 06 2a 004 045", True),
        ("5.85.03.33.063.123", True),  # the shape only: validity is parse_number's job
        ("185033306312", False),
        ("18503330631231", False),
        ("1850333063X23", False),
        ("12A0333063123", False),
        ("Dupont", False),
        ("", False),
    ],
)
def test_looks_like_number(value, expected):
    assert looks_like_number(value) is expected


def test_build_number():
    sn = build_number(sex="M", birth_year=1998, birth_month=4, place="99212", order=31, provisional=True)
    assert sn.formatted == "7 98 04 99 212 031 10"
    sn = build_number(sex="F", birth_year=1990, birth_month=6, place="2a004", order=45)
    assert sn.value == "290062A00404549"
    sn = build_number(sex="F", birth_year=1975, birth_month=5, place="97411", order=88)
    assert (sn.value, sn.department, sn.commune) == ("275059741108886", "974", "11")
    sn = build_number(sex="F", birth_year=2001, birth_month=None, place="99206", order=2, provisional=True)
    assert (sn.value[:5], sn.birth_year, sn.birth_month, sn.sex) == ("80120", "01", None, "F")
    assert build_number(sex="M", birth_year=1985, birth_month=3, place="33063", order=123).is_provisional is False


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"sex": "X"}, "sex"),
        ({"sex": "1"}, "sex"),
        ({"birth_month": 0}, "month"),
        ({"birth_month": 13}, "month"),
        ({"place": "96001"}, "department"),
        ({"place": "3306"}, "department"),
        ({"place": "330631"}, "department"),
        ({"place": "33A63"}, "character"),
        ({"order": 0}, "order"),
        ({"order": 1000}, "order"),
    ],
)
def test_build_number_refuses_invalid_parts(changes, code):
    parts = {"sex": "M", "birth_year": 1985, "birth_month": 3, "place": "33063", "order": 123} | changes
    with pytest.raises(ValidationError) as info:
        build_number(**parts)
    assert info.value.code == code


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("7 98 04 99 212 031 10", "7 98 •• •• ••• ••• ••"),
        ("1 85 03 33 063 123 10", "1 85 •• •• ••• ••• ••"),
        ("2 75 05 97 411 088 86", "2 75 •• •• ••• ••• ••"),  # same shape overseas
    ],
)
def test_masked_str_and_repr_do_not_leak(raw, masked):
    sn = parse_number(raw)
    assert sn.masked == masked
    assert str(sn) == masked
    assert f"{sn}" == masked
    record = logging.LogRecord("cafcases", logging.INFO, __file__, 1, "number %s", (sn,), None)
    assert record.getMessage() == f"number {masked}"
    for shown in (repr(sn), str(sn), repr([sn]), repr({"number": sn})):
        assert sn.value not in shown
        assert sn.body not in shown
        assert sn.formatted not in shown
        assert sn.value[3:13] not in shown


def test_frozen_and_hashable():
    sn = parse_number("1 85 03 33 063 123 10")
    with pytest.raises(dataclasses.FrozenInstanceError):
        sn.value = "290062A00404549"
    with pytest.raises(AttributeError):
        sn.sex = "F"
    with pytest.raises(AttributeError):
        sn.masked = "1 85 03 33 063 123 10"
    # A frozen slotted dataclass raises TypeError on Python 3.11 for names that are not fields, AttributeError later.
    with pytest.raises((AttributeError, TypeError)):
        sn.extra = 1
    assert not hasattr(sn, "__dict__")
    assert sn == parse_number("1850333063123")
    assert len({sn, parse_number("1.85.03.33.063.123.10")}) == 1


def test_parse_number_validates_once(monkeypatch):
    # The import parses tens of thousands of numbers: a second validation in __post_init__ cost a sixth of its time.
    from cafcases import identifiers

    calls = []
    canonical = identifiers._canonical
    monkeypatch.setattr(identifiers, "_canonical", lambda value: calls.append(value) or canonical(value))
    number = parse_number("1 85 03 33 063 123 10")
    assert calls == ["185033306312310"]
    assert (number.sex, number.birth_year, number.birth_month, number.formatted) == (
        "M",
        "85",
        3,
        "1 85 03 33 063 123 10",
    )


def test_direct_construction_is_validated():
    assert SocialNumber("185033306312310") == parse_number("185033306312310")
    with pytest.raises(ValidationError):
        SocialNumber("185033306312311")
    with pytest.raises(ValueError):
        SocialNumber("1850333063123")


# Valid bodies, built field by field.
metropolitan = st.tuples(st.integers(1, 95), st.integers(0, 999)).map(lambda p: f"{p[0]:02d}{p[1]:03d}")
corsica = st.tuples(st.sampled_from(["2A", "2B"]), st.integers(0, 999)).map(lambda p: f"{p[0]}{p[1]:03d}")
overseas = st.tuples(st.sampled_from(["97", "98"]), st.integers(0, 999)).map(lambda p: f"{p[0]}{p[1]:03d}")
abroad = st.integers(0, 999).map(lambda country: f"99{country:03d}")
months = st.one_of(st.integers(1, 12), st.integers(20, 42), st.integers(50, 99))
bodies = st.builds(
    lambda sex, year, month, place, order: f"{sex}{year:02d}{month:02d}{place}{order:03d}",
    st.sampled_from("1278"),
    st.integers(0, 99),
    months,
    st.one_of(metropolitan, corsica, overseas, abroad),
    st.integers(1, 999),
)


@settings(max_examples=200, deadline=None)
@given(bodies)
def test_valid_bodies_parse_and_round_trip(body):
    value = with_key(body)
    sn = parse_number(value)
    assert sn.value == value
    assert (sn.body, sn.key) == (body, value[13:])
    assert compute_key(body) == value[13:]
    assert parse_number(sn.formatted).value == value
    assert parse_number(body).value == value
    assert parse_number(body.lower()).value == value
    assert looks_like_number(sn.formatted)
    assert sn.masked.startswith(f"{body[0]} {body[1:3]} ")
    assert value not in repr(sn)


@settings(max_examples=200, deadline=None)
@given(bodies, st.data())
def test_any_single_digit_change_is_refused(body, data):
    value = with_key(body)
    positions = [position for position in range(15) if value[position].isdigit()]
    position = data.draw(st.sampled_from(positions))
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != value[position]]))
    changed = value[:position] + digit + value[position + 1 :]
    with pytest.raises(ValidationError):
        parse_number(changed)
