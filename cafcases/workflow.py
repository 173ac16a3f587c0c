"""The transition table: the single source of truth for a case's states, moves and who may make them.

A case follows the journey of DOMAIN.md: NIA only → CAF waiting number issued → documents requested → documents
complete → sent for certification (SANDIA, or OFPRA for refugees) → waiting on the country → NIR certified →
closed, with the moves back (documents incomplete, certification rejected, reopen). Each state has an acting side,
the caisse whose agents take the case from the queue; the other caisse watches. The services in
``cafcases.services.cases`` are the only code that changes a status, always through ``check_move``.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cafcases.models.cases import OPEN_STATUSES, CaseStatus, Side

S = CaseStatus

SIDE_OF_STATUS = {
    S.NIA_ONLY: Side.CAF,  # identify the person, issue the waiting number
    S.WAITING_NUMBER_ISSUED: Side.CPAM,  # ask for the civil-status documents
    S.DOCUMENTS_REQUESTED: Side.CPAM,  # check the papers as they arrive
    S.DOCUMENTS_COMPLETE: Side.CPAM,  # send the file for certification
    S.SENT_FOR_CERTIFICATION: Side.CPAM,  # chase SANDIA / OFPRA
    S.AWAITING_COUNTRY: Side.CPAM,  # chase the country of origin
    S.CERTIFIED: Side.CAF,  # move the CAF account to the NIR, close
    S.CLOSED: Side.NONE,
}


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str | None  # None: decided when the move is made (reopen returns to where the numbers say)
    sides: frozenset  # whose agents may make it; supervisors of those sides too
    supervisor_only: bool = False
    needs_comment: bool = False
    records: str = ""  # what the move records besides its timeline event

    def __str__(self):
        return str(self.label)


CAF = frozenset({Side.CAF})
CPAM = frozenset({Side.CPAM})
BOTH = frozenset({Side.CAF, Side.CPAM})

MOVES = {
    move.name: move
    for move in [
        Move(
            "issue_waiting_number",
            _("Attribuer le numéro d'attente CAF"),
            (S.NIA_ONLY,),
            S.WAITING_NUMBER_ISSUED,
            CAF,
            records="the CAF_WAITING identifier, from the generator",
        ),
        Move(
            "request_documents",
            _("Demander les pièces d'état civil"),
            (S.WAITING_NUMBER_ISSUED,),
            S.DOCUMENTS_REQUESTED,
            CPAM,
            records="the checklist of the track, requested today; papers due in 3 months (art. L161-1-4 CSS)",
        ),
        Move(
            "mark_documents_complete",
            _("Déclarer les pièces complètes"),
            (S.DOCUMENTS_REQUESTED,),
            S.DOCUMENTS_COMPLETE,
            CPAM,
            records="guard: every document of the checklist is verified",
        ),
        Move(
            "mark_documents_incomplete",
            _("Pièces incomplètes : redemander"),
            (S.DOCUMENTS_COMPLETE,),
            S.DOCUMENTS_REQUESTED,
            CPAM,
            needs_comment=True,
            records="a new 3-month papers deadline",
        ),
        Move(
            "send_for_certification",
            _("Envoyer en certification"),
            (S.DOCUMENTS_COMPLETE,),
            S.SENT_FOR_CERTIFICATION,
            CPAM,
            records="a certification request to SANDIA, or to OFPRA on the refugee track",
        ),
        Move(
            "mark_awaiting_country",
            _("Transmis au pays de naissance"),
            (S.SENT_FOR_CERTIFICATION,),
            S.AWAITING_COUNTRY,
            CPAM,
            records="a request to the country's civil registry or consulate (not on the refugee track)",
        ),
        Move(
            "reject_certification",
            _("Certification refusée : redemander des pièces"),
            (S.SENT_FOR_CERTIFICATION, S.AWAITING_COUNTRY),
            S.DOCUMENTS_REQUESTED,
            CPAM,
            needs_comment=True,
            records="the answer on the open requests; a new 3-month papers deadline",
        ),
        Move(
            "record_certified_nir",
            _("Enregistrer le NIR certifié"),
            tuple(status for status in OPEN_STATUSES if status != S.CERTIFIED),
            S.CERTIFIED,
            BOTH,
            records="the NIR identifier; the NIA and waiting number superseded; open requests answered",
        ),
        Move(
            "close_certified",
            _("Clore : compte basculé sur le NIR"),
            (S.CERTIFIED,),
            S.CLOSED,
            CAF,
            records="closing reason certified_and_migrated",
        ),
        Move(
            "close",
            _("Clore le dossier"),
            tuple(OPEN_STATUSES),
            S.CLOSED,
            BOTH,
            needs_comment=True,
            records="a closing reason (duplicate, left France, deceased, rejected, abandoned)",
        ),
        Move(
            "reopen",
            _("Rouvrir le dossier"),
            (S.CLOSED,),
            None,
            BOTH,
            supervisor_only=True,
            needs_comment=True,
            records="the case returns to the stage its numbers show",
        ),
    ]
}


class CaseTransitionError(ValidationError):
    """A move the table does not allow from the case's current state."""


def get_move(name):
    try:
        return MOVES[name]
    except KeyError:
        raise CaseTransitionError(gettext("Action inconnue : « %(name)s ».") % {"name": name}, code="unknown") from None


def check_move(case, name):
    """Return the move if the table allows it from the case's status; raise a clear French error otherwise."""
    move = get_move(name)
    if case.status not in move.sources:
        raise CaseTransitionError(
            gettext("Action impossible : « %(move)s » ne se fait pas à l'étape « %(status)s ».")
            % {"move": move.label, "status": CaseStatus(case.status).label},
            code="not_allowed",
        )
    return move


def user_may_make(user, case, move):
    """Whether this user's role and caisse let them make this move on this case (callers check this)."""
    if user.is_superuser or getattr(user, "is_national_admin", False):
        return True
    organisation_id = user.organisation_id
    if organisation_id not in (case.caf_id, case.cpam_id):
        return False
    if move.supervisor_only and not user.is_supervisor:
        return False
    kind = Side.CAF if organisation_id == case.caf_id else Side.CPAM
    return kind in move.sides


def allowed_moves(case, user):
    """The moves this user may make on this case now, in the table's order."""
    return [move for move in MOVES.values() if case.status in move.sources and user_may_make(user, case, move)]


def moves_from(status):
    return [move for move in MOVES.values() if status in move.sources]
