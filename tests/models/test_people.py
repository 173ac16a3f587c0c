"""The registry's invariants, proven against the database."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cafcases.identifiers import parse_number
from cafcases.models import Identifier, IdentifierKind, IdentifierStatus, Person
from tests.factories import IdentifierFactory, OrganisationFactory, PersonFactory, nia_for

pytestmark = pytest.mark.django_db


def test_a_number_belongs_to_one_person():
    identifier = IdentifierFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        IdentifierFactory(value=identifier.value)


def test_a_number_never_moves_to_another_person():
    identifier = IdentifierFactory()
    other = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Identifier.objects.filter(pk=identifier.pk).update(person=other)
    identifier.refresh_from_db()
    assert identifier.person_id != other.pk


def test_a_number_is_never_rewritten():
    identifier = IdentifierFactory()
    other_value = nia_for(identifier.person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Identifier.objects.filter(pk=identifier.pk).update(value=other_value)


def test_a_number_keeps_its_kind():
    identifier = IdentifierFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Identifier.objects.filter(pk=identifier.pk).update(kind=IdentifierKind.NIR)


def test_status_can_change_under_the_trigger():
    identifier = IdentifierFactory()
    Identifier.objects.filter(pk=identifier.pk).update(status=IdentifierStatus.SUPERSEDED, superseded_at=timezone.now())
    identifier.refresh_from_db()
    assert identifier.status == IdentifierStatus.SUPERSEDED


def test_one_active_identifier_of_each_kind_per_person():
    identifier = IdentifierFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        IdentifierFactory(person=identifier.person)
    # A superseded one may sit beside the active one.
    IdentifierFactory(person=identifier.person, status=IdentifierStatus.SUPERSEDED, superseded_at=timezone.now())
    assert identifier.person.identifiers.count() == 2


@pytest.mark.parametrize(
    ("kind", "first_digit"),
    [
        (IdentifierKind.NIA, "1"),
        (IdentifierKind.NIA, "2"),
        (IdentifierKind.NIR, "7"),
        (IdentifierKind.CAF_WAITING, "8"),
    ],
)
def test_kind_must_agree_with_first_digit(kind, first_digit):
    person = PersonFactory()
    value = first_digit + nia_for(person)[1:13]
    value = parse_number(value).value
    with pytest.raises(IntegrityError), transaction.atomic():
        Identifier.objects.create(person=person, kind=kind, value=value)


def test_superseded_needs_its_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        IdentifierFactory(status=IdentifierStatus.SUPERSEDED, superseded_at=None)


def test_only_a_nir_carries_a_certification_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        IdentifierFactory(certified_on=timezone.localdate())


def test_model_validation_names_the_wrong_first_digit():
    person = PersonFactory()
    identifier = Identifier(person=person, kind=IdentifierKind.NIR, value=nia_for(person))
    with pytest.raises(Exception) as excinfo:
        identifier.full_clean()
    assert "commence par 1 ou 2" in str(excinfo.value)


def test_model_validation_canonicalises_the_number():
    person = PersonFactory()
    value = nia_for(person)
    spaced = " ".join([value[:1], value[1:3], value[3:5], value[5:7], value[7:10], value[10:13]])  # no key
    identifier = Identifier(person=person, kind=IdentifierKind.NIA, value=spaced)
    identifier.full_clean()
    assert identifier.value == value


def test_beneficiary_number_is_unique_per_caf():
    person = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(caf=person.caf, beneficiary_number=person.beneficiary_number)
    # The same number at another CAF is another file.
    PersonFactory(caf=OrganisationFactory(), beneficiary_number=person.beneficiary_number)


def test_many_people_without_beneficiary_number():
    caf = OrganisationFactory()
    PersonFactory(caf=caf, beneficiary_number="")
    PersonFactory(caf=caf, beneficiary_number="")
    assert Person.objects.filter(caf=caf).count() == 2


def test_beneficiary_number_needs_its_caf():
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(caf=None, beneficiary_number="1234567")


@pytest.mark.parametrize(("month", "day"), [(13, None), (0, None), (None, 12), (5, 32)])
def test_partial_birth_dates_are_checked(month, day):
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(birth_month=month, birth_day=day)


def test_partial_birth_date_display():
    assert PersonFactory.build(birth_year=1988, birth_month=None, birth_day=None).birth_date_display == "1988"
    assert PersonFactory.build(birth_year=1988, birth_month=3, birth_day=None).birth_date_display == "03/1988"
    full = PersonFactory.build(birth_year=1988, birth_month=3, birth_day=9)
    assert full.birth_date_display == "09/03/1988"
    assert full.birth_date.isoformat() == "1988-03-09"


def test_impossible_date_is_refused_by_validation():
    person = PersonFactory.build(birth_year=2001, birth_month=2, birth_day=30, caf=None, beneficiary_number="")
    with pytest.raises(Exception) as excinfo:
        person.full_clean()
    assert "n'existe pas" in str(excinfo.value)
