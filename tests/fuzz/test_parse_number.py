"""parse_number under any input: it answers a valid number or its own error, and never quotes the number back."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cafcases.identifiers import SocialNumber, normalise_input, parse_number
from tests.fuzz.strategies import HOSTILE_STRINGS, NUMBERISH, echoes, near_numbers, valid_numbers

FUZZ = settings(max_examples=200, database=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(value):
    """The SocialNumber, or the messages of the ValidationError: anything else escapes and fails the test."""
    try:
        return parse_number(value)
    except ValidationError as error:
        return error.messages


@FUZZ
@given(st.one_of(st.text(max_size=60), NUMBERISH, st.sampled_from(HOSTILE_STRINGS)))
def test_any_text_gives_a_number_or_a_validation_error(value):
    result = outcome(value)
    if isinstance(result, SocialNumber):
        assert len(result.value) == 15
        assert parse_number(result.value) == result
    else:
        assert len(result) == 1 and result[0]


@FUZZ
@given(st.one_of(near_numbers(), NUMBERISH.filter(lambda value: len(normalise_input(value)) >= 13)))
def test_an_error_never_quotes_the_number(value):
    result = outcome(value)
    if not isinstance(result, SocialNumber):
        assert not echoes(result[0], normalise_input(value)), (result[0], value)
        assert normalise_input(value)[:13] not in result[0]


@FUZZ
@given(valid_numbers())
def test_every_written_form_of_a_valid_number_gives_it_back(number):
    body = number.value[:13]
    for written in (number.value, number.formatted, body, body.lower(), number.formatted.replace(" ", ".")):
        assert parse_number(written) == number
    assert str(number) == number.masked and not echoes(repr(number), number.value)


@FUZZ
@given(valid_numbers(), st.integers(min_value=0, max_value=99))
def test_a_wrong_key_is_refused_without_quoting_the_number(number, key):
    if f"{key:02d}" == number.key:
        return
    with pytest.raises(ValidationError) as caught:
        parse_number(number.value[:13] + f"{key:02d}")
    assert caught.value.code == "key"
    assert not echoes(caught.value.messages[0], number.value)


@pytest.mark.parametrize("value", [None, 185033306312310, b"185033306312310", ["1"], object()])
def test_anything_but_text_is_a_type_error(value):
    with pytest.raises(TypeError):
        parse_number(value)
