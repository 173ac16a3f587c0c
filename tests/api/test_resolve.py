"""POST /api/v1/identifiers/resolve: what each kind of number answers, for whom, and what it never says."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cafcases.audit.models import AccessLog
from cafcases.identifiers import parse_number
from cafcases.models import CaseStatus, IdentifierKind, IdentifierStatus
from tests.api.conftest import RESOLVE_URL
from tests.factories import IdentifierFactory, PersonFactory, case_in_status


def spaced(value):
    """The number as a letter prints it: grouped with spaces."""
    return parse_number(value).formatted


def test_nia_of_a_person_with_only_a_nia(resolve, partners):
    nia = partners.number(partners.nia_only, IdentifierKind.NIA)
    response = resolve(spaced(nia), partners.caf_token)
    assert response.status_code == 200
    assert response.json() == {
        "number": nia,
        "kind": "NIA",
        "status": "active",
        "use_number": None,
        "case_status": CaseStatus.NIA_ONLY,
    }


def test_waiting_number_is_what_to_log_in_with_until_certification(resolve, partners):
    waiting = partners.number(partners.waiting, IdentifierKind.CAF_WAITING)
    nia = partners.number(partners.waiting, IdentifierKind.NIA)
    answer = resolve(waiting, partners.caf_token).json()
    assert answer == {
        "number": waiting,
        "kind": "CAF_WAITING",
        "status": "active",
        "use_number": waiting,
        "case_status": CaseStatus.WAITING_NUMBER_ISSUED,
    }
    # The NIA a letter still quotes leads to the same login number.
    assert resolve(nia, partners.caf_token).json()["use_number"] == waiting


def test_the_nir_once_certified(resolve, partners):
    nir = partners.number(partners.certified, IdentifierKind.NIR)
    answer = resolve(nir, partners.caf_token).json()
    assert answer == {
        "number": nir,
        "kind": "NIR",
        "status": "active",
        "use_number": nir,
        "case_status": CaseStatus.CLOSED,  # no open case: the latest one
    }


@pytest.mark.parametrize("kind", [IdentifierKind.NIA, IdentifierKind.CAF_WAITING])
def test_a_superseded_number_points_to_the_nir(resolve, partners, kind):
    old = partners.number(partners.certified, kind)
    answer = resolve(old, partners.caf_token).json()
    assert answer["kind"] == kind
    assert answer["status"] == IdentifierStatus.SUPERSEDED
    assert answer["use_number"] == partners.number(partners.certified, IdentifierKind.NIR)


def test_the_open_case_wins_over_a_later_closed_one(resolve, partners):
    nia = partners.number(partners.reopened, IdentifierKind.NIA)
    assert resolve(nia, partners.caf_token).json()["case_status"] == CaseStatus.NIA_ONLY
    assert partners.reopened.cases.filter(status=CaseStatus.CLOSED).exists()


def test_no_case_and_a_revoked_number(resolve, partners):
    active = partners.number(partners.no_case, IdentifierKind.NIA, status=IdentifierStatus.ACTIVE)
    answer = resolve(active, partners.caf_token).json()
    assert answer["case_status"] is None
    assert answer["use_number"] is None
    revoked = resolve(partners.revoked.value, partners.caf_token).json()
    assert revoked["status"] == "revoked"
    assert revoked["number"] == partners.revoked.value


def test_a_body_without_its_key_is_resolved_to_the_canonical_number(resolve, partners):
    nia = partners.number(partners.nia_only, IdentifierKind.NIA)
    answer = resolve(nia[:13].lower(), partners.caf_token).json()
    assert answer["number"] == nia and len(answer["number"]) == 15


def test_unknown_number_is_404(resolve, partners):
    response = resolve("1 85 03 33 063 123 10", partners.national_token)
    assert response.status_code == 404
    assert response.json() == {"detail": "Numéro inconnu."}


def test_another_caisses_person_is_404_like_an_unknown_number(resolve, partners):
    nia = partners.number(partners.nia_only, IdentifierKind.NIA)
    response = resolve(nia, partners.other_token)
    assert response.status_code == 404
    assert response.json() == resolve("1 85 03 33 063 123 10", partners.other_token).json()


def test_the_cpam_resolves_the_people_of_its_department_and_its_cases(resolve, partners):
    nia = partners.number(partners.nia_only, IdentifierKind.NIA)
    assert resolve(nia, partners.cpam_token).status_code == 200
    # A person of another department whose case the CPAM works.
    moved = case_in_status(CaseStatus.NIA_ONLY, caf=partners.other_caf, cpam=partners.cpam).person
    assert resolve(moved.identifiers.get().value, partners.cpam_token).status_code == 200
    assert resolve(moved.identifiers.get().value, partners.caf_token).status_code == 404


def test_a_caf_client_sees_a_case_of_its_own_for_a_person_filed_elsewhere(resolve, partners):
    person = PersonFactory(caf=partners.other_caf)
    case_in_status(CaseStatus.NIA_ONLY, person=person, caf=partners.caf)
    assert resolve(person.identifiers.get().value, partners.caf_token).status_code == 200


def test_a_national_client_sees_every_caisse(resolve, partners):
    elsewhere = IdentifierFactory(person=PersonFactory(caf=partners.other_caf))
    assert resolve(elsewhere.value, partners.national_token).status_code == 200
    assert resolve(elsewhere.value, partners.other_token).status_code == 200
    assert resolve(elsewhere.value, partners.caf_token).status_code == 404


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("123", "Le numéro doit comporter 13 ou 15 caractères (ici 3)."),
        ("3 85 03 33 063 123", "Le premier chiffre doit être 1, 2, 7 ou 8 (ici 3)."),
        ("1 85 03 33 063 123 11", "La clé ne correspond pas au numéro (clé attendue : 10)."),
        ("", "Le numéro doit comporter 13 ou 15 caractères (ici 0)."),
    ],
)
def test_malformed_number_is_400_with_the_reason(resolve, partners, number, message):
    response = resolve(number, partners.caf_token)
    assert response.status_code == 400
    assert response.json() == {"detail": message}


@pytest.mark.parametrize(
    "body",
    ["", "not json", "[1, 2]", '{"numero": "185033306312310"}', '{"number": 185033306312310}', '{"number": null}'],
)
def test_a_body_that_is_not_the_expected_object_is_400_without_echo(client, partners, body):
    response = client.post(
        RESOLVE_URL, body, content_type="application/json", headers={"Authorization": f"Bearer {partners.caf_token}"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": 'Corps de requête invalide : un objet JSON {"number": "…"} est attendu.'}
    assert b"185033306312310" not in response.content


def test_an_overlong_number_is_400_without_echo(resolve, partners):
    response = resolve("1" * 5000, partners.caf_token)
    assert response.status_code == 400
    assert "1111" not in response.json()["detail"]


def test_only_post(client, partners):
    response = client.get(RESOLVE_URL, headers={"Authorization": f"Bearer {partners.caf_token}"})
    assert response.status_code == 405


def test_no_csrf_token_needed_for_a_partner(partners):
    from django.test import Client

    nia = partners.number(partners.nia_only, IdentifierKind.NIA)
    response = Client(enforce_csrf_checks=True).post(
        RESOLVE_URL,
        {"number": nia},
        content_type="application/json",
        headers={"Authorization": f"Bearer {partners.caf_token}"},
    )
    assert response.status_code == 200


def test_every_call_is_in_the_access_log_without_the_number(resolve, partners):
    nia = partners.number(partners.nia_only, IdentifierKind.NIA)
    before = AccessLog.objects.count()
    resolve(nia, partners.caf_token)
    resolve("1 85 03 33 063 123 10", partners.caf_token)
    resolve("123", partners.caf_token)
    resolve(nia)  # no token: nobody to account for
    lines = list(AccessLog.objects.order_by("pk")[before:])
    assert [(line.action, line.purpose, line.api_client_name) for line in lines] == [
        ("api", "resolution", "Portail caf")
    ] * 3
    assert [line.person for line in lines] == [partners.nia_only, None, None]
    assert [line.ip_address for line in lines] == ["127.0.0.1"] * 3
    assert all(line.user is None for line in lines)
    for line in lines:
        assert nia not in line.detail and nia[:13] not in line.detail


def test_resolving_costs_the_same_queries_whatever_the_person_holds(resolve, partners):
    few = partners.number(partners.nia_only, IdentifierKind.NIA)
    many = partners.number(partners.certified, IdentifierKind.NIR)
    counts = []
    for number in (few, many):
        with CaptureQueriesContext(connection) as context:
            assert resolve(number, partners.caf_token).status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1]
    # The client and its caisse, its last use, the person's numbers, their case status, the access log line.
    assert counts[0] == 5, [query["sql"] for query in context.captured_queries]
