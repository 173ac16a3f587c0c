"""Work on a case that does not change its stage: assignment, papers, requests and chases, contacts, notes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cafcases.clocks import CLOCK_FIELDS, refresh_clocks
from cafcases.models import (
    Benefit,
    CaseDocument,
    CaseNote,
    Chase,
    ContactAttempt,
    ContactChannel,
    ContactOutcome,
    DocumentStatus,
    EventKind,
    OrganisationKind,
    Person,
    RequestOutcome,
)
from cafcases.models.casework import FAILED_PHONE_OUTCOMES

from .cases import _request_create, _sync, case_lock, case_save
from .events import event_record


@transaction.atomic
def case_assign(*, case, agent, by, expected_version=None):
    """Give the case to an agent of the caisse that acts at its stage."""
    locked = case_lock(case, expected_version)
    if not agent.is_active or agent.organisation_id not in (locked.caf_id, locked.cpam_id):
        raise ValidationError(_("Cet agent n'appartient pas à une caisse de ce dossier."), code="agent_caisse")
    if agent.organisation.kind != locked.side:
        raise ValidationError(
            _("À cette étape, c'est à la %(side)s d'agir : choisissez un agent de cette caisse.")
            % {"side": locked.get_side_display()},
            code="agent_side",
        )
    previous = locked.assigned_to
    locked.assigned_to = agent
    summary = (
        _("Réattribué de %(old)s à %(new)s") % {"old": previous, "new": agent}
        if previous
        else _("Attribué à %(agent)s") % {"agent": agent}
    )
    event_record(case=locked, kind=EventKind.ASSIGNMENT, by=by, summary=summary)
    case_save(locked)
    _sync(case, locked)
    return locked


@transaction.atomic
def case_unassign(*, case, by, expected_version=None):
    locked = case_lock(case, expected_version)
    if locked.assigned_to_id is None:
        return locked
    event_record(
        case=locked, kind=EventKind.ASSIGNMENT, by=by, summary=_("Retiré à %(agent)s") % {"agent": locked.assigned_to}
    )
    locked.assigned_to = None
    case_save(locked)
    _sync(case, locked)
    return locked


@transaction.atomic
def case_change_cpam(*, case, cpam, by, expected_version=None):
    """A supervisor moves the case to another CPAM (the caller checks the role)."""
    if cpam.kind != OrganisationKind.CPAM:
        raise ValidationError(_("Choisissez une CPAM."), code="not_cpam")
    locked = case_lock(case, expected_version)
    if locked.cpam_id == cpam.pk:
        return locked
    old = locked.cpam
    locked.cpam = cpam
    if locked.assigned_to and locked.assigned_to.organisation_id == old.pk:
        locked.assigned_to = None
    event_record(
        case=locked,
        kind=EventKind.CHANGE,
        by=by,
        summary=_("CPAM changée : %(old)s → %(new)s") % {"old": old.code, "new": cpam.code},
    )
    case_save(locked)
    _sync(case, locked)
    return locked


@transaction.atomic
def case_set_benefits(*, case, benefits, by, expected_version=None):
    unknown = set(benefits) - set(Benefit.values)
    if unknown:
        raise ValidationError(_("Prestation inconnue : %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    locked = case_lock(case, expected_version)
    locked.benefits_at_risk = sorted(set(benefits))
    labels = ", ".join(str(Benefit(code).label) for code in locked.benefits_at_risk) or _("aucune")
    event_record(
        case=locked, kind=EventKind.CHANGE, by=by, summary=_("Prestations en jeu : %(labels)s") % {"labels": labels}
    )
    case_save(locked)
    _sync(case, locked)
    return locked


DOCUMENT_DATE_FIELD = {
    DocumentStatus.REQUESTED: "requested_on",
    DocumentStatus.RECEIVED: "received_on",
    DocumentStatus.VERIFIED: "verified_on",
    DocumentStatus.REJECTED: "rejected_on",
}


@transaction.atomic
def document_set_status(*, document, status, by, on=None, reason=""):
    """Requested → received → verified, or rejected with a reason (then requested again)."""
    if status not in DocumentStatus.values:
        raise ValidationError(_("État de pièce inconnu."), code="status")
    if status == DocumentStatus.REJECTED and not reason.strip():
        raise ValidationError(_("Indiquez le motif du refus de la pièce."), code="reason")
    document = CaseDocument.objects.select_for_update().select_related("case").get(pk=document.pk)
    document.status = status
    setattr(document, DOCUMENT_DATE_FIELD[status], on or timezone.localdate())
    document.rejection_reason = reason.strip() if status == DocumentStatus.REJECTED else ""
    document.save()
    summary = f"{document.get_kind_display()} : {document.get_status_display().lower()}"
    event_record(case=document.case, kind=EventKind.DOCUMENT, by=by, summary=summary, comment=document.rejection_reason)
    document.case.save(update_fields=["last_event_at"])
    return document


@transaction.atomic
def document_add(*, case, kind, by):
    """Ask for one more document than the track's checklist (for example a consulate's certificate)."""
    document, created = CaseDocument.objects.get_or_create(
        case=case, kind=kind, defaults={"requested_on": timezone.localdate()}
    )
    if created:
        event_record(
            case=case,
            kind=EventKind.DOCUMENT,
            by=by,
            summary=_("Pièce demandée : %(kind)s") % {"kind": document.get_kind_display()},
        )
        case.save(update_fields=["last_event_at"])
    return document


@transaction.atomic
def certification_request_create(*, case, authority, country, channel, by, reference="", sent_on=None):
    """Record one more request (a consulate, a second registry) besides those the moves create."""
    locked = case_lock(case)
    request = _request_create(
        locked,
        authority=authority,
        country=country,
        channel=channel,
        reference=reference,
        by=by,
        sent_on=sent_on or timezone.localdate(),
    )
    event_record(case=locked, kind=EventKind.REQUEST, by=by, summary=_("Demande envoyée : %(r)s") % {"r": request})
    case_save(locked)
    _sync(case, locked)
    return request


@transaction.atomic
def certification_request_answer(*, request, outcome, by, answered_on=None, comment=""):
    """Record an authority's answer; the NIR itself is recorded with case_record_certified_nir."""
    if outcome not in RequestOutcome.values:
        raise ValidationError(_("Réponse inconnue."), code="outcome")
    locked = case_lock(request.case)
    request.refresh_from_db()
    if request.answered_on is not None:
        raise ValidationError(_("Cette demande a déjà reçu une réponse."), code="answered")
    answered_on = answered_on or timezone.localdate()
    if answered_on < request.sent_on:
        raise ValidationError(_("La réponse ne peut pas précéder l'envoi de la demande."), code="date")
    request.answered_on = answered_on
    request.outcome = outcome
    request.save(update_fields=["answered_on", "outcome"])
    event_record(
        case=locked,
        kind=EventKind.REQUEST,
        by=by,
        summary=_("Réponse de %(authority)s : %(outcome)s")
        % {"authority": request.get_authority_display(), "outcome": request.get_outcome_display()},
        comment=comment,
    )
    case_save(locked)
    return request


@transaction.atomic
def chase_add(*, request, channel, by, sent_on=None, note=""):
    """Record a reminder ("relance") to an authority that has not answered."""
    if request.answered_on is not None:
        raise ValidationError(_("Cette demande a déjà reçu une réponse : inutile de relancer."), code="answered")
    chase = Chase.objects.create(
        request=request, channel=channel, sent_on=sent_on or timezone.localdate(), note=note, created_by=by
    )
    event_record(
        case=request.case,
        kind=EventKind.CHASE,
        by=by,
        summary=_("Relance de %(authority)s (%(channel)s)")
        % {"authority": request.get_authority_display(), "channel": chase.get_channel_display()},
        comment=note,
    )
    request.case.save(update_fields=["last_event_at"])
    return chase


def _consecutive_failed_calls(case):
    failed = 0
    for outcome in ContactAttempt.objects.filter(
        case__person_id=case.person_id, channel=ContactChannel.PHONE
    ).values_list("outcome", flat=True)[:50]:
        if outcome not in FAILED_PHONE_OUTCOMES:
            break
        failed += 1
    return failed


@transaction.atomic
def contact_record(*, case, channel, outcome, by, note=""):
    """Log an attempt to reach the person; repeated failed calls or an undelivered SMS flag the phone unreachable."""
    if channel not in ContactChannel.values or outcome not in ContactOutcome.values:
        raise ValidationError(_("Canal ou résultat de contact inconnu."), code="contact")
    attempt = ContactAttempt.objects.create(case=case, channel=channel, outcome=outcome, note=note, by=by)
    event_record(case=case, kind=EventKind.CONTACT, by=by, summary=str(attempt), comment=note)
    person = Person.objects.select_for_update().get(pk=case.person_id)
    unreachable = person.phone_unreachable
    if channel == ContactChannel.PHONE:
        if outcome == ContactOutcome.REACHED:
            unreachable = False
        elif _consecutive_failed_calls(case) >= settings.CONTACT_UNREACHABLE_AFTER:
            unreachable = True
    elif channel == ContactChannel.SMS and outcome == ContactOutcome.UNDELIVERED:
        # The operator could not deliver a text to the number: calling it will not work either.
        unreachable = True
    flag_changed = unreachable != person.phone_unreachable
    if flag_changed:
        person.phone_unreachable = unreachable
        person.save(update_fields=["phone_unreachable", "updated_at"])
        event_record(
            case=case,
            kind=EventKind.CONTACT,
            by=by,
            summary=_("Téléphone signalé injoignable : écrire plutôt qu'appeler")
            if unreachable
            else _("Téléphone de nouveau joignable"),
        )
    case.person.phone_unreachable = unreachable
    fields = ["last_event_at"]
    if flag_changed:
        # Reachability weighs in the priority; a contact is not a change of the case, so the version stays.
        refresh_clocks([case], timezone.localdate())
        fields += CLOCK_FIELDS
    case.save(update_fields=fields)
    return attempt


@transaction.atomic
def note_add(*, case, text, by):
    if not text.strip():
        raise ValidationError(_("La note est vide."), code="empty")
    note = CaseNote.objects.create(case=case, text=text.strip(), by=by)
    event_record(case=case, kind=EventKind.NOTE, by=by, summary=_("Note ajoutée"))
    case.save(update_fields=["last_event_at"])
    return note
