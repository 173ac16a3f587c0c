"""Every move through its form on the case page; what is refused, and how a stale page is handled."""

import re

import pytest

from cafcases import workflow
from cafcases.models import CaseStatus as S
from cafcases.models import EventKind, IdentifierKind
from tests.views.helpers import case_url, fresh, messages_of, move_url, nir_for, open_case, verify_papers


def spaced(value):
    return f"{value[0]} {value[1:3]} {value[3:5]} {value[5:10]} {value[10:13]} {value[13:]}"


# move, the stage it starts from, who makes it, the form's fields, the stage it leads to.
MOVES = [
    ("issue_waiting_number", S.NIA_ONLY, "caf_agent", {}, S.WAITING_NUMBER_ISSUED),
    ("request_documents", S.WAITING_NUMBER_ISSUED, "cpam_agent", {"comment": ""}, S.DOCUMENTS_REQUESTED),
    ("mark_documents_complete", S.DOCUMENTS_REQUESTED, "cpam_agent", {"comment": "Tout est là"}, S.DOCUMENTS_COMPLETE),
    (
        "mark_documents_incomplete",
        S.DOCUMENTS_COMPLETE,
        "cpam_agent",
        {"comment": "Acte illisible"},
        S.DOCUMENTS_REQUESTED,
    ),
    (
        "send_for_certification",
        S.DOCUMENTS_COMPLETE,
        "cpam_agent",
        {"channel": "portal", "reference": "SANDIA-2025-42"},
        S.SENT_FOR_CERTIFICATION,
    ),
    (
        "mark_awaiting_country",
        S.SENT_FOR_CERTIFICATION,
        "cpam_agent",
        {"channel": "diplomatic", "reference": "", "authority": "consulate"},
        S.AWAITING_COUNTRY,
    ),
    (
        "reject_certification",
        S.AWAITING_COUNTRY,
        "cpam_agent",
        {"outcome": "no_record", "comment": "Aucun acte trouvé"},
        S.DOCUMENTS_REQUESTED,
    ),
    ("record_certified_nir", S.SENT_FOR_CERTIFICATION, "cpam_agent", {"certified_on": ""}, S.CERTIFIED),
    ("close_certified", S.CERTIFIED, "caf_agent", {"comment": ""}, S.CLOSED),
    ("close", S.WAITING_NUMBER_ISSUED, "cpam_agent", {"reason": "left_france", "comment": "Parti"}, S.CLOSED),
    ("reopen", S.CLOSED, "caf_supervisor", {"comment": "Clos par erreur"}, S.NIA_ONLY),
]


def move_data(case, move_name, fields):
    data = {f"{move_name}-version": fresh(case).version}
    data.update({f"{move_name}-{name}": value for name, value in fields.items()})
    return data


def test_every_move_of_the_table_is_exercised():
    assert {row[0] for row in MOVES} == set(workflow.MOVES)


@pytest.mark.parametrize(("move_name", "start", "who", "fields", "target"), MOVES, ids=[row[0] for row in MOVES])
def test_each_move_through_its_form(login, world, move_name, start, who, fields, target):
    case = open_case(world.caf, start)
    if move_name == "mark_documents_complete":
        verify_papers(case)
    fields = dict(fields)
    if move_name == "record_certified_nir":
        fields["nir"] = spaced(nir_for(case.person))[:-3]  # with spaces and without the key
    user = getattr(world, who)
    client = login(user)
    response = client.post(move_url(case, move_name), move_data(case, move_name, fields), follow=True)
    assert response.redirect_chain == [(case_url(case), 302)]
    assert fresh(case).status == target
    label = workflow.MOVES[move_name].label
    assert any(message.startswith(f"{label} : fait") for message in messages_of(response)), messages_of(response)
    event = case.events.filter(kind=EventKind.TRANSITION).first()
    assert (event.move, event.by, event.to_status) == (move_name, user, target)
    if fields.get("comment"):
        assert event.comment == fields["comment"]


def test_the_waiting_number_message_shows_the_number_masked(login, world):
    case = open_case(world.caf)
    response = login(world.caf_agent).post(
        move_url(case, "issue_waiting_number"), move_data(case, "issue_waiting_number", {}), follow=True
    )
    waiting = case.person.identifiers.get(kind=IdentifierKind.CAF_WAITING)
    assert f"Attribuer le numéro d'attente CAF : fait ({waiting.masked})." in messages_of(response)
    assert waiting.formatted not in response.content.decode()


@pytest.mark.parametrize(
    ("who", "move_name", "start"),
    [
        ("cpam_agent", "issue_waiting_number", S.NIA_ONLY),  # the CAF's move
        ("caf_agent", "request_documents", S.WAITING_NUMBER_ISSUED),  # the CPAM's move
        ("caf_agent", "reopen", S.CLOSED),  # supervisors only
    ],
)
def test_a_forbidden_move_is_403(login, world, who, move_name, start):
    case = open_case(world.caf, start)
    response = login(getattr(world, who)).post(
        move_url(case, move_name), move_data(case, move_name, {"comment": "Essai"})
    )
    assert response.status_code == 403
    assert fresh(case).status == start


def test_an_unknown_move_is_404(login, world):
    case = open_case(world.caf)
    response = login(world.caf_agent).post(move_url(case, "teleport"), {"teleport-version": case.version})
    assert response.status_code == 404


def test_a_move_is_a_post(login, world):
    case = open_case(world.caf)
    assert login(world.caf_agent).get(move_url(case, "issue_waiting_number")).status_code == 405


def test_a_move_needing_a_comment_is_refused_without_one(login, world):
    case = open_case(world.caf, S.DOCUMENTS_COMPLETE)
    response = login(world.cpam_agent).post(
        move_url(case, "mark_documents_incomplete"), move_data(case, "mark_documents_incomplete", {"comment": " "})
    )
    assert response.status_code == 400
    assert response.context["moves"][0][1].errors["comment"]
    assert fresh(case).status == S.DOCUMENTS_COMPLETE


def test_a_refused_move_shows_why(login, world):
    case = open_case(world.caf, S.DOCUMENTS_REQUESTED)  # papers not verified yet
    response = login(world.cpam_agent).post(
        move_url(case, "mark_documents_complete"), move_data(case, "mark_documents_complete", {"comment": ""})
    )
    assert response.status_code == 400
    assert "Les pièces ne sont pas toutes vérifiées" in response.content.decode()
    assert fresh(case).status == S.DOCUMENTS_REQUESTED


def test_a_move_from_another_stage_says_why(login, world):
    case = open_case(world.caf, S.DOCUMENTS_REQUESTED)
    response = login(world.cpam_agent).post(
        move_url(case, "send_for_certification"), move_data(case, "send_for_certification", {"channel": "portal"})
    )
    assert response.status_code == 400
    # The move's form is not on the page at this stage: the reason must reach the agent through the message.
    assert any("ne se fait pas à l'étape" in message for message in messages_of(response))
    assert fresh(case).status == S.DOCUMENTS_REQUESTED


def test_a_nia_is_not_a_certified_nir(login, world):
    case = open_case(world.caf, S.SENT_FOR_CERTIFICATION)
    nia = case.person.identifiers.get(kind=IdentifierKind.NIA).value
    response = login(world.cpam_agent).post(
        move_url(case, "record_certified_nir"), move_data(case, "record_certified_nir", {"nir": nia})
    )
    assert response.status_code == 400
    assert "Un NIR définitif commence par 1 ou 2" in response.content.decode()
    assert fresh(case).status == S.SENT_FOR_CERTIFICATION


def hidden_version(html, prefix):
    return int(re.search(rf'name="{prefix}-version" value="(\d+)"', html).group(1))


def test_a_stale_page_gets_409_the_fresh_case_and_keeps_what_was_typed(login, world):
    case = open_case(world.caf, S.WAITING_NUMBER_ISSUED)
    client = login(world.cpam_agent)
    page = client.get(case_url(case)).content.decode()
    seen_version = hidden_version(page, "close")
    # Meanwhile a colleague asks for the papers.
    login(world.cpam_agent2).post(
        move_url(case, "request_documents"), move_data(case, "request_documents", {"comment": ""})
    )
    client = login(world.cpam_agent)
    typed = "La personne est repartie au Maroc, confirmé par téléphone"
    data = {"close-version": seen_version, "close-reason": "left_france", "close-comment": typed}
    response = client.post(move_url(case, "close"), data)
    assert response.status_code == 409
    assert any("a été modifié par quelqu'un d'autre" in message for message in messages_of(response))
    html = response.content.decode()
    assert "Pièces demandées" in html  # the fresh case
    assert typed in html  # what the agent typed is still there
    assert fresh(case).status == S.DOCUMENTS_REQUESTED
    # Sending the form again, as the page now shows it, closes the case: the form carries the fresh version.
    assert hidden_version(html, "close") == fresh(case).version
    data["close-version"] = hidden_version(html, "close")
    assert client.post(move_url(case, "close"), data).status_code == 302
    assert fresh(case).status == S.CLOSED
