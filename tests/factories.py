"""factory_boy factories; traits give the usual shapes of people and numbers."""

import itertools

import factory
from factory.django import DjangoModelFactory

from cafcases.identifiers import build_number
from cafcases.models import (
    Country,
    Identifier,
    IdentifierKind,
    IdentifierStatus,
    Organisation,
    OrganisationKind,
    Person,
    ProtectionStatus,
    Role,
    Sex,
    User,
)

DEMO_PASSWORD = "mot-de-passe-de-test"  # noqa: S105 (tests only)

_departments = itertools.count(1)


def _department(n):
    # 01–95, skipping 20 (Corsica is 2A/2B): enough distinct departments for any test.
    number = (n % 94) + 1
    return f"{number + 1 if number >= 20 else number:02d}"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    kind = OrganisationKind.CAF
    department = factory.Sequence(_department)
    code = factory.LazyAttribute(lambda o: f"{o.kind}-{o.department}")
    name = factory.LazyAttribute(lambda o: f"{o.kind} du département {o.department}")

    class Params:
        cpam = factory.Trait(kind=OrganisationKind.CPAM)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@caisse.invalid")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.AGENT
    is_staff = True
    password = factory.django.Password(DEMO_PASSWORD)

    class Params:
        supervisor = factory.Trait(role=Role.SUPERVISOR)
        national_admin = factory.Trait(role=Role.NATIONAL_ADMIN, organisation=None)


def country(code):
    return Country.objects.get(code=code)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    birth_name = factory.Faker("last_name")
    first_names = factory.Faker("first_name")
    sex = Sex.FEMALE
    birth_year = 1990
    birth_month = 6
    birth_day = 15
    birth_country = factory.LazyFunction(lambda: country("99352"))  # Algeria
    caf = factory.SubFactory(OrganisationFactory)
    beneficiary_number = factory.Sequence(lambda n: f"{1000000 + n:07d}")
    protection_status = ProtectionStatus.NONE

    class Params:
        refugee = factory.Trait(
            protection_status=ProtectionStatus.REFUGEE, birth_country=factory.LazyFunction(lambda: country("99212"))
        )
        born_in_france = factory.Trait(birth_country=None, birth_commune_code="33063", birth_place="Bordeaux")


_orders = itertools.count(1)


def nia_for(person, order=None):
    """A valid NIA for the person (7/8, their birth year and month, their country)."""
    return build_number(
        sex=person.sex,
        birth_year=person.birth_year,
        birth_month=person.birth_month,
        place=person.birth_country_id or person.birth_commune_code,
        order=order or (next(_orders) % 899) + 1,
        provisional=True,
    ).value


class IdentifierFactory(DjangoModelFactory):
    class Meta:
        model = Identifier

    person = factory.SubFactory(PersonFactory)
    kind = IdentifierKind.NIA
    value = factory.LazyAttribute(lambda i: nia_for(i.person))
    status = IdentifierStatus.ACTIVE
