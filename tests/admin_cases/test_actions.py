"""Changelist actions make a move on a selection: applied where allowed, each refused case reported."""

import pytest

from cafcases import services
from cafcases.models import Case, CaseStatus
from tests.admin_cases.helpers import case_url, open_case


def run_action(client, action, cases):
    response = client.post(
        case_url(view="changelist"),
        {"action": action, "_selected_action": [case.pk for case in cases], "index": "0"},
        follow=True,
    )
    assert response.status_code == 200
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def statuses(cases):
    return [Case.objects.get(pk=case.pk).status for case in cases]


@pytest.mark.django_db
def test_a_mixed_selection_is_applied_where_allowed_and_each_refusal_reported(client, world):
    ready = [open_case(world.caf), open_case(world.caf)]
    already = open_case(world.caf, CaseStatus.WAITING_NUMBER_ISSUED)
    foreign = open_case(world.other_caf)  # out of the agent's sight: never touched
    client.force_login(world.caf_agent)

    messages = run_action(client, "move_issue_waiting_number", [*ready, already, foreign])

    assert statuses([*ready, already, foreign]) == [
        CaseStatus.WAITING_NUMBER_ISSUED,
        CaseStatus.WAITING_NUMBER_ISSUED,
        CaseStatus.WAITING_NUMBER_ISSUED,
        CaseStatus.NIA_ONLY,
    ]
    assert messages[0] == ("success", "2 dossiers traités.")
    assert messages[1:] == [
        (
            "warning",
            f"Dossier n° {already.pk} non traité : Action impossible : « Attribuer le numéro d'attente CAF » "
            "ne se fait pas à l'étape « Numéro d'attente CAF attribué ».",
        )
    ]
    assert all(case.events.filter(move="issue_waiting_number", by=world.caf_agent).exists() for case in ready)


@pytest.mark.django_db
def test_a_move_of_the_other_caisse_is_refused_case_by_case(client, world):
    cases = [open_case(world.caf, CaseStatus.WAITING_NUMBER_ISSUED) for _ in range(2)]
    client.force_login(world.caf_agent)  # requesting the papers is the CPAM's move

    messages = run_action(client, "move_request_documents", cases)

    assert statuses(cases) == [CaseStatus.WAITING_NUMBER_ISSUED] * 2
    assert messages[0] == ("info", "Aucun dossier traité.")
    assert [level for level, _ in messages[1:]] == ["warning", "warning"]
    assert all("revient à l'autre caisse" in text for _, text in messages[1:])


@pytest.mark.django_db
def test_a_service_guard_refuses_a_case_of_the_selection(client, world):
    complete = open_case(world.caf, CaseStatus.DOCUMENTS_REQUESTED)
    for document in complete.documents.all():
        services.document_set_status(document=document, status="verified", by=None)
    missing = open_case(world.caf, CaseStatus.DOCUMENTS_REQUESTED)
    client.force_login(world.cpam_agent)

    messages = run_action(client, "move_mark_documents_complete", [complete, missing])

    assert statuses([complete, missing]) == [CaseStatus.DOCUMENTS_COMPLETE, CaseStatus.DOCUMENTS_REQUESTED]
    assert messages[0] == ("success", "1 dossier traité.")
    assert messages[1][0] == "warning"
    assert f"Dossier n° {missing.pk} non traité : Les pièces ne sont pas toutes vérifiées" in messages[1][1]


@pytest.mark.django_db
def test_the_actions_offered_are_the_moves_that_need_no_input(client, world):
    open_case(world.caf)
    client.force_login(world.caf_agent)

    response = client.get(case_url(view="changelist"))

    actions = [name for name, _ in response.context["action_form"].fields["action"].choices if name]
    assert actions == [
        "move_issue_waiting_number",
        "move_request_documents",
        "move_mark_documents_complete",
        "move_send_for_certification",
        "move_mark_awaiting_country",
        "move_close_certified",
    ]
