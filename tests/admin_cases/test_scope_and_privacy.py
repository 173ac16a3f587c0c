"""Who sees which case, how a case is found, and that no number is ever shown in clear."""

import pytest

from cafcases.models import (
    CaseDocument,
    CaseEvent,
    CaseNote,
    CaseStatus,
    CertificationRequest,
    Chase,
    ContactAttempt,
    IdentifierKind,
)
from tests.admin_cases.helpers import add_work, admin_url, case_url, open_case


def listed(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["caf_agent", "cpam_agent", "caf_supervisor", "cpam_supervisor"])
def test_caisse_staff_see_only_their_caisse_cases(client, world, who):
    mine = open_case(world.caf, CaseStatus.SENT_FOR_CERTIFICATION)
    theirs = open_case(world.other_caf, CaseStatus.SENT_FOR_CERTIFICATION)
    add_work(mine, 1)
    add_work(theirs, 1)
    client.force_login(getattr(world, who))

    assert listed(client, case_url(view="changelist")) == {mine}
    assert client.get(case_url(theirs)).status_code == 302  # "does not exist", back to the index
    for model in [CaseEvent, CaseDocument, ContactAttempt, CaseNote, CertificationRequest]:
        rows = listed(client, admin_url(model, "changelist"))
        assert rows and {row.case for row in rows} == {mine}, model
    assert {chase.request.case for chase in listed(client, admin_url(Chase, "changelist"))} == {mine}
    other_request = theirs.certification_requests.first()
    assert client.get(admin_url(CertificationRequest, "change", other_request.pk)).status_code == 302


@pytest.mark.django_db
def test_a_national_admin_sees_every_caisse(client, world, national_admin):
    cases = {open_case(world.caf), open_case(world.other_caf)}
    client.force_login(national_admin)

    assert listed(client, case_url(view="changelist")) == cases


@pytest.mark.django_db
def test_a_case_is_found_by_any_number_or_name(client, world):
    case = open_case(world.caf, CaseStatus.CERTIFIED, birth_name="Benali", first_names="Yasmina")
    other = open_case(world.caf, birth_name="Bernard", first_names="Yves")
    hidden = open_case(world.other_caf, birth_name="Benali", first_names="Yasmina")
    client.force_login(world.caf_agent)
    changelist = case_url(view="changelist")
    numbers = {number.kind: number for number in case.person.identifiers.all()}

    assert listed(client, changelist, q="benali") == {case}
    assert listed(client, changelist, q="yasm ben") == {case}
    assert listed(client, changelist, q="b") == {case, other}
    assert listed(client, changelist, q=numbers[IdentifierKind.NIA].number.formatted) == {case}
    assert listed(client, changelist, q=numbers[IdentifierKind.CAF_WAITING].value[:13]) == {case}
    assert listed(client, changelist, q=numbers[IdentifierKind.NIR].value) == {case}
    assert listed(client, changelist, q=case.person.beneficiary_number) == {case}
    assert listed(client, changelist, q=hidden.person.beneficiary_number) == set()
    assert listed(client, changelist, q="1 23 45") == set()


def clear_forms(number):
    return {number.value, number.value[:13], number.number.formatted, number.number.formatted[:-3]}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["caf_agent", "cpam_agent"])
def test_no_number_is_shown_in_clear(client, world, who):
    case = add_work(open_case(world.caf, CaseStatus.CERTIFIED), 2)
    client.force_login(getattr(world, who))
    numbers = list(case.person.identifiers.all())
    assert {number.kind for number in numbers} == {IdentifierKind.NIA, IdentifierKind.CAF_WAITING, IdentifierKind.NIR}

    pages = [
        case_url(case),
        case_url(view="changelist"),
        admin_url(CaseEvent, "changelist"),
        admin_url(CaseEvent, "change", case.events.first().pk),
        admin_url(CertificationRequest, "change", case.certification_requests.first().pk),
        f"/admin/cafcases/case/{case.pk}/move/close/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for number in numbers:
            for clear in clear_forms(number):
                assert clear not in html, f"{number.get_kind_display()} in clear on {url}"
    html = client.get(case_url(case)).content.decode()
    assert all(number.masked in html for number in numbers)
