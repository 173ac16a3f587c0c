"""Person.objects.find: any number ever held, a beneficiary number, or a name."""

import pytest
from django.utils import timezone

from cafcases.models import IdentifierKind, IdentifierStatus, Person
from tests.factories import IdentifierFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_with_numbers():
    person = PersonFactory(birth_name="Haddad", usage_name="Martin", first_names="Éléonore Amina")
    old = IdentifierFactory(person=person, status=IdentifierStatus.SUPERSEDED, superseded_at=timezone.now())
    IdentifierFactory(person=person, kind=IdentifierKind.NIA)
    PersonFactory(birth_name="Hadj", first_names="Karim")
    return person, old


def spaced(value, with_key=True):
    parts = [value[0], value[1:3], value[3:5], value[5:7], value[7:10], value[10:13]]
    if with_key:
        parts.append(value[13:])
    return " ".join(parts)


def test_finds_by_a_superseded_number_with_or_without_key(person_with_numbers):
    person, old = person_with_numbers
    assert list(Person.objects.find(old.value)) == [person]
    assert list(Person.objects.find(spaced(old.value))) == [person]
    assert list(Person.objects.find(spaced(old.value, with_key=False))) == [person]
    assert list(Person.objects.find(old.value.replace(" ", "")[:13])) == [person]
    dotted = ".".join(spaced(old.value).split())
    assert list(Person.objects.find(dotted)) == [person]


def test_a_number_with_a_wrong_key_finds_nobody(person_with_numbers):
    _person, old = person_with_numbers
    wrong_key = f"{(int(old.value[13:]) % 97) + 1:02d}"
    assert not Person.objects.find(old.value[:13] + wrong_key).exists()


def test_finds_by_beneficiary_number(person_with_numbers):
    person, _old = person_with_numbers
    assert list(Person.objects.find(person.beneficiary_number)) == [person]


@pytest.mark.parametrize(
    "query", ["hadd", "HADDAD", "martin", "eleo", "ÉLÉONORE", "amina", "Amina Haddad", "haddad amina"]
)
def test_finds_by_name_ignoring_accents_case_and_order(person_with_numbers, query):
    person, _old = person_with_numbers
    assert list(Person.objects.find(query)) == [person]


def test_a_prefix_shared_by_two_names_finds_both(person_with_numbers):
    assert Person.objects.find("had").count() == 2


@pytest.mark.parametrize("query", ["", "   ", "%", "_", "'; drop table x; --", "x" * 500])
def test_odd_queries_find_nobody_without_error(person_with_numbers, query):
    assert not Person.objects.find(query).exists()


def test_search_keys_follow_a_rename(person_with_numbers):
    person, _old = person_with_numbers
    person.usage_name = "Lefèvre"
    person.save(update_fields=["usage_name"])
    assert list(Person.objects.find("lefevre")) == [person]
    assert not Person.objects.find("martin").exists()
