"""Taking work from the queue: "Prendre le suivant" and bulk assignment."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from cafcases.models import Case, EventKind

from .casework import case_assign
from .events import event_record

# On SQLite, how many candidates one press tries before giving up (each try is one compare-and-swap UPDATE).
SQLITE_CANDIDATES = 20


def _record_taken(case, agent):
    event_record(case=case, kind=EventKind.ASSIGNMENT, by=agent, summary=_("Pris par %(agent)s") % {"agent": agent})


def case_take_next(*, agent):
    """Assign the most urgent unassigned case of the agent's caisse and side to them; None when there is none.

    PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` lets N agents press at once and each get a different case
    without waiting on each other. SQLite (one writer at a time): a compare-and-swap UPDATE on "still unassigned".
    """
    organisation = agent.organisation
    if organisation is None:
        raise ValidationError(_("Choisissez une caisse : un administrateur national n'a pas de file d'attente."))
    candidates = Case.objects.to_take(organisation).queue_order()
    if connection.vendor == "postgresql":
        with transaction.atomic():
            case = candidates.select_for_update(skip_locked=True, of=("self",)).select_related("person").first()
            if case is None:
                return None
            case.assigned_to = agent
            _record_taken(case, agent)
            # Taking a case moves no clock and no priority input: saving only what changed skips case_save's clock
            # refresh, whose country statistics read every recent answer (a cost that grew with the volume).
            case.version += 1
            case.save(update_fields=["assigned_to", "version", "last_event_at"])
            return case
    for pk in candidates.values_list("pk", flat=True)[:SQLITE_CANDIDATES]:
        with transaction.atomic():
            won = Case.objects.filter(pk=pk, assigned_to__isnull=True).update(
                assigned_to=agent, version=F("version") + 1
            )
            if won:
                case = Case.objects.select_related("person").get(pk=pk)
                _record_taken(case, agent)
                case.save(update_fields=["last_event_at"])
                return case
    return None


def case_bulk_assign(*, cases, agent, by):
    """A supervisor hands several cases to one agent; returns (assigned, [(case, reason), …] refused)."""
    assigned, refused = [], []
    for case in cases:
        try:
            assigned.append(case_assign(case=case, agent=agent, by=by))
        except ValidationError as error:
            refused.append((case, " ".join(error.messages)))
    return assigned, refused
