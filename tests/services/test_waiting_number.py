"""The CAF waiting-number generator: valid, never already in the registry, never twice under concurrency."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cafcases.identifiers import build_number, parse_number
from cafcases.models import Identifier, IdentifierKind, IdentifierStatus
from cafcases.services import identifier_issue_waiting_number
from tests.factories import OrganisationFactory, PersonFactory, UserFactory


@pytest.mark.django_db
def test_waiting_number_follows_the_person():
    person = PersonFactory(sex="F", birth_year=1993, birth_month=4, birth_country_id="99206")
    agent = UserFactory(organisation=person.caf)
    identifier = identifier_issue_waiting_number(person=person, organisation=person.caf, by=agent)
    number = parse_number(identifier.value)
    assert identifier.kind == IdentifierKind.CAF_WAITING
    assert identifier.status == IdentifierStatus.ACTIVE
    assert identifier.recorded_by == agent
    assert identifier.issuing_organisation == person.caf
    assert identifier.issued_on is not None
    assert (number.value[0], number.birth_year, number.birth_month, number.country_code) == ("2", "93", 4, "99206")
    assert 900 <= int(number.order) <= 999


@pytest.mark.django_db
def test_unknown_birth_month_gets_a_fictive_month():
    person = PersonFactory(sex="M", birth_year=1985, birth_month=None, birth_day=None)
    number = parse_number(identifier_issue_waiting_number(person=person, organisation=person.caf, by=None).value)
    assert number.value.startswith("185")
    assert number.birth_month is None


@pytest.mark.django_db
def test_born_in_france_uses_the_commune():
    person = PersonFactory(born_in_france=True, sex="M", birth_year=1985, birth_month=3)
    number = parse_number(identifier_issue_waiting_number(person=person, organisation=person.caf, by=None).value)
    assert (number.department, number.commune) == ("33", "063")


@pytest.mark.django_db
def test_unknown_birth_place_is_refused_with_a_clear_message():
    person = PersonFactory(birth_country=None, birth_commune_code="")
    with pytest.raises(ValidationError, match="lieu de naissance est inconnu"):
        identifier_issue_waiting_number(person=person, organisation=person.caf, by=None)
    assert not person.identifiers.exists()


@pytest.mark.django_db
def test_a_second_active_waiting_number_is_refused():
    person = PersonFactory()
    identifier_issue_waiting_number(person=person, organisation=person.caf, by=None)
    with pytest.raises(ValidationError, match="déjà un numéro d'attente"):
        identifier_issue_waiting_number(person=person, organisation=person.caf, by=None)
    assert person.identifiers.count() == 1


@pytest.mark.django_db
def test_never_returns_a_number_already_in_the_registry(settings):
    settings.CAF_WAITING_ORDER_RANGE = (900, 902)
    twin_a, twin_b = PersonFactory.create_batch(2, sex="M", birth_year=1990, birth_month=1, birth_country_id="99212")
    holder = PersonFactory()
    # Orders 900 and 901 of that body are already held (as a NIR of somebody else): only 902 is left.
    for order in (900, 901):
        value = build_number(sex="M", birth_year=1990, birth_month=1, place="99212", order=order).value
        Identifier.objects.create(person=holder if order == 900 else twin_b, kind=IdentifierKind.NIR, value=value)
    issued = identifier_issue_waiting_number(person=twin_a, organisation=twin_a.caf, by=None)
    assert issued.value[10:13] == "902"
    other = PersonFactory(sex="M", birth_year=1990, birth_month=1, birth_country_id="99212")
    with pytest.raises(ValidationError, match="Plus aucun numéro"):
        identifier_issue_waiting_number(person=other, organisation=other.caf, by=None)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_agents_never_get_the_same_number(settings):
    """Eight agents issue at once for eight people with the same birth data and a range of exactly eight."""
    workers = 8
    settings.CAF_WAITING_ORDER_RANGE = (900, 900 + workers - 1)
    caf = OrganisationFactory()
    people = PersonFactory.create_batch(
        workers, caf=caf, sex="F", birth_year=2001, birth_month=9, birth_country_id="99206"
    )
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def issue(person):
        try:
            barrier.wait(timeout=10)
            results.append(identifier_issue_waiting_number(person=person, organisation=caf, by=None).value)
        except Exception as error:  # noqa: BLE001 (collected and asserted below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(results) == workers
    assert len(set(results)) == workers
    assert Identifier.objects.filter(kind=IdentifierKind.CAF_WAITING).count() == workers
