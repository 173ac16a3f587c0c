"""The case page: identity, masked numbers and the one-number reveal, the record of work, the moves offered."""

import re
from types import SimpleNamespace
from unittest import mock

import pytest
from django.urls import reverse

from cafcases import services, workflow
from cafcases.models import CaseStatus as S
from cafcases.models import Channel, ContactChannel, ContactOutcome, IdentifierKind
from cafcases.services.access import RevealPurpose, number_reveal
from tests.views.helpers import action_moves, case_url, open_case


@pytest.fixture(scope="module")
def worked(module_world):
    """A case sent for certification, with a contact, a note, a chase and a rejected paper."""
    w = module_world
    case = open_case(w.caf, S.SENT_FOR_CERTIFICATION, birth_name="Mansouri", first_names="Yasmina")
    services.contact_record(
        case=case, channel=ContactChannel.PHONE, outcome=ContactOutcome.NO_ANSWER, note="Messagerie", by=w.cpam_agent
    )
    services.note_add(case=case, text="Acte reçu par courrier, à scanner", by=w.cpam_agent)
    request = case.certification_requests.get()
    services.chase_add(request=request, channel=Channel.EMAIL, note="Première relance", by=w.cpam_agent)
    case.refresh_from_db()
    numbers = {identifier.kind: identifier for identifier in case.person.identifiers.all()}
    return SimpleNamespace(case=case, nia=numbers[IdentifierKind.NIA], waiting=numbers[IdentifierKind.CAF_WAITING])


def clear_forms(identifier):
    return {identifier.value, identifier.formatted}


def test_the_page_shows_identity_timeline_papers_requests_contacts_notes(login, world, worked):
    response = login(world.cpam_agent).get(case_url(worked.case))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Mansouri",
        "Yasmina",
        "Envoyer en certification",  # an event of the timeline
        "Dossier ouvert",
        "Extrait d&#x27;acte de naissance avec filiation",  # a paper of the checklist
        "SANDIA (CNAV, Tours)",  # the certification request
        "Première relance",  # its chase
        "Messagerie",  # the contact attempt
        "Acte reçu par courrier, à scanner",  # the note
        worked.case.caf.code,
        worked.case.cpam.code,
    ]:
        assert text in html, text
    assert response["Cache-Control"].startswith("max-age=0")  # never_cache: a shared screen keeps no copy


def test_numbers_are_masked_by_default(login, world, worked):
    html = login(world.caf_agent).get(case_url(worked.case)).content.decode()
    for identifier in (worked.nia, worked.waiting):
        assert identifier.masked in html
        for clear in clear_forms(identifier):
            assert clear not in html
        assert reverse("case_reveal", kwargs={"pk": worked.case.pk, "identifier_pk": identifier.pk}) in html


def test_afficher_reveals_exactly_one_number_through_number_reveal(login, world, worked):
    client = login(world.caf_agent)
    url = reverse("case_reveal", kwargs={"pk": worked.case.pk, "identifier_pk": worked.nia.pk})
    with mock.patch("cafcases.views.cases.number_reveal", wraps=number_reveal) as reveal:
        response = client.post(url, {"purpose": RevealPurpose.IDENTITY_CHECK})
    assert response.status_code == 200
    reveal.assert_called_once()
    kwargs = reveal.call_args.kwargs
    assert kwargs["identifier"] == worked.nia
    assert kwargs["user"] == world.caf_agent and kwargs["purpose"] == RevealPurpose.IDENTITY_CHECK
    html = response.content.decode()
    assert f'id="revealed-{worked.nia.pk}">{worked.nia.formatted}<' in html
    for clear in clear_forms(worked.waiting):
        assert clear not in html
    assert worked.waiting.masked in html
    # Reloading the page hides it again.
    assert worked.nia.formatted not in client.get(case_url(worked.case)).content.decode()


@pytest.mark.parametrize("purpose", [None, "", "curiosity"])
def test_no_reveal_without_a_valid_purpose(login, world, worked, purpose):
    url = reverse("case_reveal", kwargs={"pk": worked.case.pk, "identifier_pk": worked.nia.pk})
    data = {} if purpose is None else {"purpose": purpose}
    with mock.patch("cafcases.views.cases.number_reveal") as reveal:
        response = login(world.caf_agent).post(url, data)
    assert response.status_code == 400
    reveal.assert_not_called()
    assert worked.nia.formatted not in response.content.decode()


def test_reveal_is_a_post(login, world, worked):
    url = reverse("case_reveal", kwargs={"pk": worked.case.pk, "identifier_pk": worked.nia.pk})
    assert login(world.caf_agent).get(url, {"purpose": "letter"}).status_code == 405


STAGES = [S.NIA_ONLY, S.WAITING_NUMBER_ISSUED, S.DOCUMENTS_COMPLETE, S.SENT_FOR_CERTIFICATION, S.CERTIFIED, S.CLOSED]


@pytest.fixture(scope="module")
def staged(module_world):
    return {status: open_case(module_world.caf, status) for status in STAGES}


@pytest.mark.parametrize("status", STAGES)
def test_buttons_are_exactly_the_allowed_moves(login, world, staged, status):
    case = staged[status]
    offered = {}
    for user in (world.caf_agent, world.cpam_agent, world.caf_supervisor, world.national_admin):
        html = login(user).get(case_url(case)).content.decode()
        offered[user.username] = action_moves(html, case)
        assert offered[user.username] == {move.name for move in workflow.allowed_moves(case, user)}, user
    # The table gives each side its own work: the two agents are offered different buttons at every stage.
    assert offered["agent-caf"] != offered["agent-cpam"] or status == S.CLOSED
    if status == S.CLOSED:
        assert offered["agent-caf"] == set() and offered["superviseur-caf"] == {"reopen"}


def test_the_first_move_of_the_acting_side_is_the_primary_button(login, world, staged):
    html = login(world.caf_agent).get(case_url(staged[S.NIA_ONLY])).content.decode()
    assert 'class="button button--primary">Attribuer le numéro d&#x27;attente CAF<' in html


def selected(html, name):
    select = re.search(rf'<select name="{re.escape(name)}".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="([^"]*)"[^>]*selected', select).group(1)


def test_forms_show_the_current_state_and_preselect_no_consequential_choice(login, world, worked):
    html = login(world.cpam_agent).get(case_url(worked.case)).content.decode()
    document = worked.case.documents.first()
    assert document.status == "verified" and selected(html, f"doc{document.pk}-status") == "verified"
    request_ = worked.case.certification_requests.get()
    for name in ("close-reason", "reject_certification-outcome", "contact-outcome", f"answer{request_.pk}-outcome"):
        assert selected(html, name) == "", name
    # Fields read in the order they are filled: the reason, then the comment that explains it.
    assert html.index('name="close-reason"') < html.index('name="close-comment"')
    assert "15/06/1990 (Algérie)" in html


def test_closing_without_a_reason_is_refused(login, world, staged):
    case = staged[S.NIA_ONLY]
    data = {"close-version": case.version, "close-reason": "", "close-comment": "Doublon probable"}
    response = login(world.caf_agent).post(reverse("case_move", kwargs={"pk": case.pk, "move_name": "close"}), data)
    assert response.status_code == 400
    close_form = {move.name: form for move, form in response.context["moves"]}["close"]
    assert close_form.errors["reason"]
    assert "Doublon probable" in response.content.decode()
