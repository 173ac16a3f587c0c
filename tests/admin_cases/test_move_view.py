"""The move views: who may make a move, on which case, and what the agent sees when a service refuses it."""

import html

import pytest

from cafcases import services
from cafcases.models import CaseStatus, IdentifierKind
from tests.admin_cases.helpers import case_url, move_url, open_case


def snapshot(case):
    case.refresh_from_db()
    return (case.status, case.version, case.events.count(), case.person.identifiers.count())


@pytest.mark.django_db
def test_a_move_of_the_other_caisse_is_forbidden(client, world):
    case = open_case(world.caf)
    client.force_login(world.cpam_agent)  # the CPAM sees the case, but issuing the waiting number is the CAF's move

    assert client.get(case_url(case)).status_code == 200
    assert client.get(move_url(case, "issue_waiting_number")).status_code == 403
    assert client.post(move_url(case, "issue_waiting_number"), {"version": case.version}).status_code == 403
    assert snapshot(case)[0] == CaseStatus.NIA_ONLY


@pytest.mark.django_db
def test_a_supervisor_move_is_forbidden_to_an_agent(client, world):
    case = open_case(world.caf)
    services.case_close(case=case, by=None, reason="duplicate", comment="Doublon")
    client.force_login(world.caf_agent)

    assert client.get(move_url(case, "reopen")).status_code == 403
    client.force_login(world.caf_supervisor)
    assert client.get(move_url(case, "reopen")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("move", ["issue_waiting_number", "close", "no_such_move"])
def test_a_case_of_another_caisse_is_not_found(client, world, move):
    case = open_case(world.caf)
    client.force_login(world.other_agent)

    assert client.get(move_url(case, move)).status_code == 404
    assert client.post(move_url(case, move), {"version": case.version}).status_code == 404
    assert client.get(move_url(case, "issue_waiting_number").replace(f"/{case.pk}/", "/abc/")).status_code == 404


@pytest.mark.django_db
def test_a_move_the_table_does_not_allow_now_sends_back_to_the_case(client, world):
    case = open_case(world.caf, CaseStatus.WAITING_NUMBER_ISSUED)
    client.force_login(world.caf_agent)

    response = client.get(move_url(case, "issue_waiting_number"), follow=True)

    assert response.redirect_chain == [(case_url(case), 302)]
    assert any("ne se fait pas à l'étape" in str(message) for message in response.context["messages"])


@pytest.mark.django_db
def test_a_stale_version_changes_nothing_and_shows_the_fresh_case(client, world):
    case = open_case(world.caf)
    client.force_login(world.caf_agent)
    loaded = client.get(move_url(case, "close")).context["form"].initial["version"]
    services.case_set_benefits(case=case, benefits=["rsa"], by=world.caf_supervisor)  # someone else, meanwhile
    before = snapshot(case)

    response = client.post(
        move_url(case, "close"), {"version": loaded, "reason": "left_france", "comment": "Parti au Canada"}
    )

    assert response.status_code == 200
    assert snapshot(case) == before
    page = html.unescape(response.content.decode())  # form errors come escaped by Jinja2: &#39;, not &#x27;
    assert "modifié par quelqu'un d'autre" in page
    assert "Parti au Canada" in page  # what the agent typed is kept
    form = response.context["form"]
    assert form["version"].value() == str(before[1])  # sending again applies to the case as it is now
    assert form["reason"].value() == "left_france"
    assert response.context["recent_events"][0].summary.startswith("Prestations en jeu")

    again = client.post(
        move_url(case, "close"), {"version": form["version"].value(), "reason": "left_france", "comment": "Parti"}
    )
    assert again.status_code == 302
    assert snapshot(case)[0] == CaseStatus.CLOSED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("nir", "message"),
    [
        ("1 90 06 99 352 0", "caractères"),
        ("7 98 04 99 212 031 10", "NIA"),
        ("1 85 03 33 063 123 11", "clé"),
    ],
)
def test_a_bad_nir_is_a_form_error(client, world, nir, message):
    case = open_case(world.caf, CaseStatus.AWAITING_COUNTRY)
    client.force_login(world.cpam_agent)
    before = snapshot(case)

    response = client.post(
        move_url(case, "record_certified_nir"), {"version": case.version, "nir": nir, "certified_on": "01/03/2025"}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["nir"]
    assert message in " ".join(errors["nir"]).lower() or message in " ".join(errors["nir"])
    assert snapshot(case) == before


@pytest.mark.django_db
def test_the_nir_of_another_person_is_a_conflict_that_changes_nothing(client, world):
    case = open_case(world.caf, CaseStatus.AWAITING_COUNTRY)
    other = open_case(world.caf, CaseStatus.CERTIFIED)
    taken = other.person.identifiers.get(kind=IdentifierKind.NIR).value
    client.force_login(world.cpam_agent)
    before = snapshot(case)

    response = client.post(
        move_url(case, "record_certified_nir"), {"version": case.version, "nir": taken, "certified_on": "01/03/2025"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Conflit : ce NIR est déjà enregistré pour une autre personne (fiche n° {other.person_id})."
    ]
    assert snapshot(case) == before
    # The number only comes back in the field the agent typed it in, to be corrected.
    assert response.content.decode().count(taken) == 1
    assert f'value="{taken}"' in response.content.decode()


@pytest.mark.django_db
def test_a_move_that_needs_a_comment_asks_for_it(client, world):
    case = open_case(world.caf, CaseStatus.DOCUMENTS_COMPLETE)
    client.force_login(world.cpam_agent)

    response = client.post(move_url(case, "mark_documents_incomplete"), {"version": case.version, "comment": " "})

    assert response.status_code == 200
    assert "comment" in response.context["form"].errors
    assert snapshot(case)[0] == CaseStatus.DOCUMENTS_COMPLETE


@pytest.mark.django_db
def test_a_service_guard_is_shown_on_the_form(client, world):
    case = open_case(world.caf, CaseStatus.DOCUMENTS_REQUESTED)
    client.force_login(world.cpam_agent)

    response = client.post(move_url(case, "mark_documents_complete"), {"version": case.version})

    assert response.status_code == 200
    assert "Les pièces ne sont pas toutes vérifiées" in response.context["form"].non_field_errors()[0]
    assert snapshot(case)[0] == CaseStatus.DOCUMENTS_REQUESTED


@pytest.mark.django_db
def test_the_move_forms_render_for_every_move_an_agent_sees(client, world):
    case = open_case(world.caf, CaseStatus.AWAITING_COUNTRY)
    client.force_login(world.cpam_agent)

    moves = client.get(case_url(case)).context["case_panel"]["moves"]

    assert [move["name"] for move in moves] == ["reject_certification", "record_certified_nir", "close"]
    for move in moves:
        response = client.get(move["url"])
        assert response.status_code == 200
        assert response.context["move"].name == move["name"]
