"""Searching people and numbers in the admin, and numbers never shown in clear."""

import pytest
from django.utils import timezone

from cafcases.models import Identifier, IdentifierKind, IdentifierStatus, Person
from tests.admin.helpers import admin_url, form_data, give_numbers
from tests.factories import IdentifierFactory, PersonFactory, UserFactory


@pytest.fixture
def eleonore(db):
    """Éléonore Lefèvre: an active NIA, an active NIR and a superseded NIA, beneficiary number 7654321."""
    person = PersonFactory(birth_name="Lefèvre", first_names="Éléonore Marie", beneficiary_number="7654321")
    give_numbers(person, 3)
    return person


@pytest.fixture
def others(db):
    """People who must not come up when Éléonore is searched for, each with an active and a superseded NIA."""
    people = [
        PersonFactory(birth_name="Martin", first_names="Éléna", beneficiary_number="7654320"),
        PersonFactory(birth_name="Léonard", first_names="Eléa", beneficiary_number="1234567"),
        PersonFactory(birth_name="Dupont", first_names="Claire"),
    ]
    for person in people:
        give_numbers(person, 2)
    return people


def number(person, kind=IdentifierKind.NIA, status=IdentifierStatus.ACTIVE):
    return person.identifiers.get(kind=kind, status=status).number


def search(client, model, query):
    response = client.get(admin_url(model, "changelist"), {"q": query})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.fixture
def logged_in(client, national_admin):
    client.force_login(national_admin)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        pytest.param(lambda p: number(p).formatted, id="NIA with spaces"),
        pytest.param(lambda p: number(p).value, id="NIA without spaces"),
        pytest.param(lambda p: number(p).body, id="13-character body without key"),
        pytest.param(lambda p: number(p).formatted.replace(" ", "."), id="NIA with dots"),
        pytest.param(lambda p: number(p, IdentifierKind.NIR).formatted, id="NIR"),
        pytest.param(lambda p: number(p, status=IdentifierStatus.SUPERSEDED).formatted, id="superseded NIA"),
        pytest.param(lambda p: "7654321", id="beneficiary number"),
        pytest.param(lambda p: "765 43 21", id="beneficiary number with spaces"),
        pytest.param(lambda p: "eleo", id="first-name prefix without accents"),
        pytest.param(lambda p: "ÉLÉO", id="first-name prefix in capitals"),
        pytest.param(lambda p: "lefe", id="birth-name prefix"),
        pytest.param(lambda p: "éléonore lefèvre", id="first name then birth name"),
        pytest.param(lambda p: "Lefevre Eleonore", id="birth name then first name"),
        pytest.param(lambda p: "  lefevre   marie ", id="extra spaces"),
    ],
)
def test_person_search_finds_eleonore(logged_in, eleonore, others, query):
    assert search(logged_in, Person, query(eleonore)) == [eleonore]


@pytest.mark.django_db
def test_person_search_by_a_name_shared_by_several_people(logged_in, eleonore, others):
    assert set(search(logged_in, Person, "ele")) == {eleonore, others[0], others[1]}
    assert set(search(logged_in, Person, "cla")) == {others[2]}
    assert set(search(logged_in, Person, "le")) == {eleonore, others[1]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        pytest.param(lambda p: number(p).value[:13] + "00", id="wrong key"),
        pytest.param(lambda p: number(p).value[:10] + "999", id="body nobody holds"),
        pytest.param(lambda p: "7654329", id="beneficiary number nobody holds"),
        pytest.param(lambda p: "leonore", id="a word that does not start a name"),
        pytest.param(lambda p: "eleonore dupont", id="a name of two different people"),
    ],
)
def test_person_search_finds_nobody(logged_in, eleonore, others, query):
    assert search(logged_in, Person, query(eleonore)) == []


@pytest.mark.django_db
def test_person_changelist_without_search_lists_everyone(logged_in, eleonore, others):
    response = logged_in.get(admin_url(Person, "changelist"), {"q": "   "})

    assert set(response.context["cl"].result_list) == {eleonore, *others}


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["formatted", "value", "body"])
def test_identifier_search_by_a_number_finds_only_that_one(logged_in, eleonore, others, form):
    wanted = eleonore.identifiers.get(status=IdentifierStatus.SUPERSEDED)

    assert search(logged_in, Identifier, getattr(wanted.number, form)) == [wanted]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Lefèvre", "7654321", "8 90 06 99 352 999"])
def test_identifier_search_by_anything_but_a_held_number_finds_nothing(logged_in, eleonore, query):
    assert search(logged_in, Identifier, query) == []


def assert_numbers_masked(html, identifiers):
    assert identifiers
    for identifier in identifiers:
        number = identifier.number
        assert number.value not in html
        assert number.body not in html
        assert number.formatted not in html
        assert number.masked in html


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["national_admin", "superuser", "agent"])
def test_person_change_page_shows_numbers_masked(client, request, eleonore, who):
    user = UserFactory(organisation=eleonore.caf) if who == "agent" else request.getfixturevalue(who)
    client.force_login(user)

    response = client.get(admin_url(Person, "change", eleonore.pk))

    assert response.status_code == 200
    assert_numbers_masked(response.content.decode(), list(eleonore.identifiers.all()))


@pytest.mark.django_db
def test_identifier_pages_show_numbers_masked(logged_in, eleonore, others):
    identifiers = list(Identifier.objects.all())

    changelist = logged_in.get(admin_url(Identifier, "changelist"))
    assert_numbers_masked(changelist.content.decode(), identifiers)
    for identifier in eleonore.identifiers.all():
        change = logged_in.get(admin_url(Identifier, "change", identifier.pk))
        assert_numbers_masked(change.content.decode(), [identifier])


def add_number_data(client, person, *rows):
    """The person's change form with new numbers typed in the add-a-number inline: rows of (kind, value)."""
    data = form_data(client.get(admin_url(Person, "change", person.pk)))
    data["identifiers-2-TOTAL_FORMS"] = str(len(rows))
    for index, (kind, value) in enumerate(rows):
        data[f"identifiers-2-{index}-kind"] = kind
        data[f"identifiers-2-{index}-value"] = value
        data[f"identifiers-2-{index}-person"] = str(person.pk)
    return data


def new_nia(person):
    return IdentifierFactory.build(person=person).number


@pytest.mark.django_db
def test_a_number_typed_with_spaces_is_recorded_then_shown_masked(logged_in, national_admin, eleonore):
    new = new_nia(eleonore)
    eleonore.identifiers.filter(kind=IdentifierKind.NIA).update(
        status=IdentifierStatus.SUPERSEDED, superseded_at=timezone.now()
    )
    data = add_number_data(logged_in, eleonore, (IdentifierKind.NIA, new.formatted))

    response = logged_in.post(admin_url(Person, "change", eleonore.pk), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    recorded = eleonore.identifiers.get(value=new.value)
    assert (recorded.status, recorded.recorded_by) == (IdentifierStatus.ACTIVE, national_admin)
    html = logged_in.get(admin_url(Person, "change", eleonore.pk)).content.decode()
    assert_numbers_masked(html, [recorded])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param(
            lambda p: [(IdentifierKind.NIA, new_nia(p).body + "00")], "La clé ne correspond pas", id="bad key"
        ),
        pytest.param(
            lambda p: [(IdentifierKind.CAF_WAITING, new_nia(p).formatted)], "commence par 1 ou 2", id="NIA as waiting"
        ),
        pytest.param(
            lambda p: [(IdentifierKind.NIA, number(p, IdentifierKind.NIR).value)], "appartient déjà", id="held number"
        ),
        pytest.param(
            lambda p: [(IdentifierKind.NIA, new_nia(p).formatted)], "déjà un numéro actif de ce type", id="2nd NIA"
        ),
        pytest.param(
            lambda p: [(IdentifierKind.CAF_WAITING, "2" + new_nia(p).value[1:13]) for _ in range(2)],
            "Un seul nouveau numéro par type",
            id="two of one kind",
        ),
    ],
)
def test_a_wrong_number_is_refused_with_a_message(logged_in, eleonore, rows, message):
    before = set(eleonore.identifiers.all())
    data = add_number_data(logged_in, eleonore, *rows(eleonore))

    response = logged_in.post(admin_url(Person, "change", eleonore.pk), data)

    assert response.status_code == 200
    assert message in " ".join(str(error) for error in response.context["errors"])
    assert set(eleonore.identifiers.all()) == before
