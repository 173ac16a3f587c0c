"""The transition table, walked pair by pair: every allowed move works and records its event, every other one raises."""

import inspect

import pytest
from django.core.exceptions import ValidationError

from cafcases import workflow
from cafcases.models import Case, CaseStatus, ClosingReason, EventKind, Side
from cafcases.services import MOVE_SERVICES
from tests.factories import OrganisationFactory, UserFactory, case_in_status, nir_for, verify_all_documents

COMMENT = "Vu avec la personne au guichet"
PAIRS = [(status, name) for status in CaseStatus.values for name in workflow.MOVES]


def test_stored_status_values_are_the_contract():
    assert CaseStatus.values == [
        "nia_only",
        "waiting_number_issued",
        "documents_requested",
        "documents_complete",
        "sent_for_certification",
        "awaiting_country",
        "certified",
        "closed",
    ]


def test_every_status_has_a_side_and_only_closed_has_none():
    assert set(workflow.SIDE_OF_STATUS) == set(CaseStatus.values)
    assert {status for status, side in workflow.SIDE_OF_STATUS.items() if side == Side.NONE} == {CaseStatus.CLOSED}
    assert workflow.SIDE_OF_STATUS[CaseStatus.NIA_ONLY] == Side.CAF
    assert workflow.SIDE_OF_STATUS[CaseStatus.DOCUMENTS_REQUESTED] == Side.CPAM


def test_every_move_has_a_service_and_sane_sources():
    assert set(MOVE_SERVICES) == set(workflow.MOVES)
    for move in workflow.MOVES.values():
        assert move.sources, move.name
        assert set(move.sources) <= set(CaseStatus.values), move.name
        assert move.target is None or move.target in CaseStatus.values, move.name
    # Every open status can be left, and a closed case only by reopening it.
    assert {status for status in CaseStatus.values if workflow.moves_from(status)} == set(CaseStatus.values)
    assert [move.name for move in workflow.moves_from(CaseStatus.CLOSED)] == ["reopen"]


def test_unknown_move_is_refused_in_french():
    with pytest.raises(workflow.CaseTransitionError, match="Action inconnue : « envoler »"):
        workflow.get_move("envoler")


def _kwargs(name, case):
    """The minimal arguments each move's service needs besides case and by."""
    kwargs = {
        "record_certified_nir": {"nir": nir_for(case.person)},
        "close": {"reason": ClosingReason.DUPLICATE},
    }.get(name, {})
    if "comment" in inspect.signature(MOVE_SERVICES[name]).parameters:
        kwargs["comment"] = COMMENT
    return kwargs


def _snapshot(case):
    row = Case.objects.get(pk=case.pk)
    return row.status, row.version, set(row.events.values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "name"), PAIRS, ids=[f"{status}-{name}" for status, name in PAIRS])
def test_each_move_from_each_status(status, name, frozen_now):
    case = case_in_status(status)
    agent = UserFactory(organisation=case.cpam, supervisor=True)
    if name == "mark_documents_complete":
        verify_all_documents(case)  # the move's guard; a no-op where there are no documents
    kwargs = _kwargs(name, case)
    move = workflow.MOVES[name]
    status_before, version_before, events_before = _snapshot(case)

    if status in move.sources:
        MOVE_SERVICES[name](case=case, by=agent, **kwargs)
        # A reopened case resumes where its numbers say; case_in_status closes it from nia_only.
        target = move.target or CaseStatus.NIA_ONLY
        row = Case.objects.get(pk=case.pk)
        assert (row.status, row.side) == (target, workflow.SIDE_OF_STATUS[target])
        assert row.version == version_before + 1
        assert (case.status, case.version) == (row.status, row.version)  # the caller's instance follows
        new_events = list(row.events.exclude(pk__in=events_before))
        assert len(new_events) == 1
        event = new_events[0]
        assert event.kind == EventKind.TRANSITION
        assert (event.from_status, event.to_status, event.move) == (status, target, name)
        assert event.by == agent
        assert event.at == frozen_now == row.last_event_at
        assert event.comment == kwargs.get("comment", "")
        assert event.summary == str(move.label)
    else:
        with pytest.raises(ValidationError) as raised:
            MOVE_SERVICES[name](case=case, by=agent, **kwargs)
        if (status, name) == (CaseStatus.CERTIFIED, "record_certified_nir"):
            # Recording the same NIR again is a no-op (tested apart); another NIR is a conflict.
            assert "Conflit" in raised.value.messages[0]
        else:
            assert isinstance(raised.value, workflow.CaseTransitionError)
            assert raised.value.messages == [
                f"Action impossible : « {move.label} » ne se fait pas à l'étape « {CaseStatus(status).label} »."
            ]
        assert _snapshot(case) == (status_before, version_before, events_before)


@pytest.mark.django_db
@pytest.mark.parametrize("name", [name for name, move in workflow.MOVES.items() if move.needs_comment])
def test_moves_that_need_a_comment_refuse_a_blank_one(name):
    source = {
        "mark_documents_incomplete": CaseStatus.DOCUMENTS_COMPLETE,
        "reject_certification": CaseStatus.AWAITING_COUNTRY,
        "close": CaseStatus.DOCUMENTS_REQUESTED,
        "reopen": CaseStatus.CLOSED,
    }[name]
    case = case_in_status(source)
    before = _snapshot(case)
    kwargs = {**_kwargs(name, case), "comment": "   "}
    with pytest.raises(ValidationError, match="commentaire est obligatoire"):
        MOVE_SERVICES[name](case=case, by=None, **kwargs)
    assert _snapshot(case) == before


# What each kind of user may do at each stage (caf/cpam: agents; +sup: their supervisors).
CAF_MOVES = {
    CaseStatus.NIA_ONLY: ["issue_waiting_number", "record_certified_nir", "close"],
    CaseStatus.WAITING_NUMBER_ISSUED: ["record_certified_nir", "close"],
    CaseStatus.DOCUMENTS_REQUESTED: ["record_certified_nir", "close"],
    CaseStatus.DOCUMENTS_COMPLETE: ["record_certified_nir", "close"],
    CaseStatus.SENT_FOR_CERTIFICATION: ["record_certified_nir", "close"],
    CaseStatus.AWAITING_COUNTRY: ["record_certified_nir", "close"],
    CaseStatus.CERTIFIED: ["close_certified", "close"],
    CaseStatus.CLOSED: [],
}
CPAM_MOVES = {
    CaseStatus.NIA_ONLY: ["record_certified_nir", "close"],
    CaseStatus.WAITING_NUMBER_ISSUED: ["request_documents", "record_certified_nir", "close"],
    CaseStatus.DOCUMENTS_REQUESTED: ["mark_documents_complete", "record_certified_nir", "close"],
    CaseStatus.DOCUMENTS_COMPLETE: [
        "mark_documents_incomplete",
        "send_for_certification",
        "record_certified_nir",
        "close",
    ],
    CaseStatus.SENT_FOR_CERTIFICATION: [
        "mark_awaiting_country",
        "reject_certification",
        "record_certified_nir",
        "close",
    ],
    CaseStatus.AWAITING_COUNTRY: ["reject_certification", "record_certified_nir", "close"],
    CaseStatus.CERTIFIED: ["close"],
    CaseStatus.CLOSED: [],
}


@pytest.fixture
def people_of_caisses(db):
    caf = OrganisationFactory()
    cpam = OrganisationFactory(cpam=True, department=caf.department)
    other_caf = OrganisationFactory()
    other_cpam = OrganisationFactory(cpam=True, department=other_caf.department)
    return {
        "caisses": (caf, cpam),
        "caf_agent": UserFactory(organisation=caf),
        "caf_supervisor": UserFactory(organisation=caf, supervisor=True),
        "cpam_agent": UserFactory(organisation=cpam),
        "cpam_supervisor": UserFactory(organisation=cpam, supervisor=True),
        "national_admin": UserFactory(national_admin=True),
        "other_caf_supervisor": UserFactory(organisation=other_caf, supervisor=True),
        "other_cpam_agent": UserFactory(organisation=other_cpam),
    }


@pytest.mark.parametrize("status", CaseStatus.values)
def test_allowed_moves_by_role_and_caisse(status, people_of_caisses):
    caf, cpam = people_of_caisses["caisses"]
    case = Case(status=status, caf=caf, cpam=cpam)
    reopen = ["reopen"] if status == CaseStatus.CLOSED else []
    expected = {
        "caf_agent": CAF_MOVES[status],
        "caf_supervisor": CAF_MOVES[status] + reopen,
        "cpam_agent": CPAM_MOVES[status],
        "cpam_supervisor": CPAM_MOVES[status] + reopen,
        "national_admin": [move.name for move in workflow.moves_from(status)],
        "other_caf_supervisor": [],
        "other_cpam_agent": [],
    }
    for role, names in expected.items():
        user = people_of_caisses[role]
        assert [move.name for move in workflow.allowed_moves(case, user)] == names, role
        for name, move in workflow.MOVES.items():
            # user_may_make ignores the stage: allowed_moves combines it with the table's sources.
            may = workflow.user_may_make(user, case, move)
            assert may == (name in names) or status not in move.sources, (role, name)
