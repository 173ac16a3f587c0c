"""Case moves: one service per move of the transition table (cafcases/workflow.py).

Each one locks the case row, checks the move against the table and the case's version, applies its effects,
appends a timeline event in the same transaction and bumps the version. ``by`` is the user acting, or None for
batch and system operations. Permissions are the callers' business (``workflow.user_may_make``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cafcases import clocks, workflow
from cafcases.models import (
    Authority,
    Benefit,
    Case,
    CaseDocument,
    CaseStatus,
    CertificationRequest,
    ClosingReason,
    DocumentKind,
    DocumentStatus,
    EventKind,
    Identifier,
    IdentifierKind,
    IdentifierStatus,
    Organisation,
    OrganisationKind,
    RequestOutcome,
    Track,
)
from cafcases.models.cases import track_for_person

from .events import event_record
from .identifiers import identifier_issue_waiting_number, identifier_record_nir


class StaleCaseError(ValidationError):
    """The case changed since the agent loaded it."""


def case_lock(case, expected_version=None):
    """Lock the case row for this transaction and check that nobody changed it since ``expected_version``."""
    locked = Case.objects.select_for_update(of=("self",)).select_related("person").get(pk=case.pk)
    if expected_version is not None and locked.version != int(expected_version):
        raise StaleCaseError(
            _(
                "Ce dossier a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert : "
                "relisez-le puis recommencez."
            ),
            code="stale",
        )
    return locked


def case_save(case):
    """Refresh the clocks and priority, bump the version and save (inside the caller's transaction)."""
    clocks.refresh_clocks([case], timezone.localdate())
    case.version += 1
    case.save()


def _sync(stale, fresh):
    # The caller's instance reflects the change too, so that it can be used without a refetch.
    for field in Case._meta.concrete_fields:
        setattr(stale, field.attname, getattr(fresh, field.attname))


def _move(case, name, *, by, comment="", expected_version=None, target=None):
    """Lock, check, switch status and side (unassigning on a change of side), and record the event."""
    locked = case_lock(case, expected_version)
    move = workflow.check_move(locked, name)
    if move.needs_comment and not comment.strip():
        raise ValidationError(_("Un commentaire est obligatoire pour cette action."), code="comment")
    from_status = locked.status
    locked.status = target or move.target
    new_side = workflow.SIDE_OF_STATUS[locked.status]
    if new_side != locked.side:
        locked.assigned_to = None
    locked.side = new_side
    event_record(
        case=locked,
        kind=EventKind.TRANSITION,
        by=by,
        summary=move.label,
        comment=comment,
        from_status=from_status,
        to_status=locked.status,
        move=name,
    )
    return locked


@transaction.atomic
def case_open(*, person, caf, by, cpam=None, track=None, benefits_at_risk=(), comment=""):
    """Open a case at ``nia_only``; its CPAM is by default the CPAM of the CAF's department."""
    unknown = set(benefits_at_risk) - set(Benefit.values)
    if unknown:
        raise ValidationError(
            _("Prestation inconnue : %(codes)s.") % {"codes": ", ".join(sorted(unknown))}, code="benefit"
        )
    if caf.kind != OrganisationKind.CAF or (cpam is not None and cpam.kind != OrganisationKind.CPAM):
        raise ValidationError(_("Un dossier appartient à une CAF et à une CPAM."), code="caisse_kind")
    cpam = cpam or Organisation.objects.cpam_for_department(caf.department)
    if cpam is None:
        raise ValidationError(
            _("Aucune CPAM n'est enregistrée pour le département %(department)s.") % {"department": caf.department},
            code="no_cpam",
        )
    case = Case(
        person=person,
        caf=caf,
        cpam=cpam,
        track=track or track_for_person(person),
        benefits_at_risk=sorted(set(benefits_at_risk)),
        status=CaseStatus.NIA_ONLY,
        side=workflow.SIDE_OF_STATUS[CaseStatus.NIA_ONLY],
    )
    clocks.refresh_clocks([case], timezone.localdate())
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as error:
        raise ValidationError(_("Cette personne a déjà un dossier ouvert."), code="open_case_exists") from error
    event_record(case=case, kind=EventKind.OPENED, by=by, summary=_("Dossier ouvert"), comment=comment)
    return case


@transaction.atomic
def case_issue_waiting_number(*, case, by, expected_version=None) -> Identifier:
    """NIA only → waiting number issued: generate the person's CAF waiting number so they can log in again."""
    locked = _move(case, "issue_waiting_number", by=by, expected_version=expected_version)
    identifier = identifier_issue_waiting_number(person=locked.person, organisation=locked.caf, by=by)
    case_save(locked)
    _sync(case, locked)
    return identifier


def document_checklist(case):
    """The civil-status documents the track calls for (DOMAIN.md, step 3)."""
    person = case.person
    if case.track == Track.REFUGEE:
        # OFPRA reconstructs a refugee's civil status: its certificate replaces the foreign birth certificate.
        return [DocumentKind.OFPRA_CERTIFICATE, DocumentKind.IDENTITY_DOCUMENT, DocumentKind.RESIDENCE_PERMIT]
    kinds = [DocumentKind.BIRTH_CERTIFICATE]
    country = person.birth_country
    if country is not None and not country.is_eu_eea_or_switzerland:
        kinds.append(DocumentKind.SWORN_TRANSLATION)
    return [*kinds, DocumentKind.IDENTITY_DOCUMENT, DocumentKind.RESIDENCE_PERMIT]


def _start_papers_clock(case, today):
    case.papers_due_on = clocks.papers_due(today)


@transaction.atomic
def case_request_documents(*, case, by, expected_version=None, comment="") -> Case:
    """Waiting number issued → documents requested: the track's checklist, due in 3 months."""
    locked = _move(case, "request_documents", by=by, expected_version=expected_version, comment=comment)
    today = timezone.localdate()
    existing = set(locked.documents.values_list("kind", flat=True))
    CaseDocument.objects.bulk_create(
        [
            CaseDocument(case=locked, kind=kind, status=DocumentStatus.REQUESTED, requested_on=today)
            for kind in document_checklist(locked)
            if kind not in existing
        ]
    )
    _start_papers_clock(locked, today)
    case_save(locked)
    _sync(case, locked)
    return locked


@transaction.atomic
def case_mark_documents_complete(*, case, by, expected_version=None, comment="") -> Case:
    """Documents requested → complete, once every document of the checklist is verified."""
    locked = _move(case, "mark_documents_complete", by=by, expected_version=expected_version, comment=comment)
    missing = [
        str(document.get_kind_display())
        for document in locked.documents.all()
        if document.status != DocumentStatus.VERIFIED
    ]
    if missing or not locked.documents.exists():
        raise ValidationError(
            _("Les pièces ne sont pas toutes vérifiées : %(missing)s.")
            % {"missing": ", ".join(missing) or _("aucune pièce demandée")},
            code="documents_missing",
        )
    case_save(locked)
    _sync(case, locked)
    return locked


@transaction.atomic
def case_mark_documents_incomplete(*, case, by, comment, expected_version=None) -> Case:
    """Documents complete → requested again (something is missing): a new 3-month deadline."""
    locked = _move(case, "mark_documents_incomplete", by=by, expected_version=expected_version, comment=comment)
    _start_papers_clock(locked, timezone.localdate())
    case_save(locked)
    _sync(case, locked)
    return locked


def _request_create(case, *, authority, channel, reference, by, sent_on=None, country=None):
    """A request expected back after the reference delay; by default about the person's country of birth."""
    country = country or case.person.birth_country
    sent_on = sent_on or timezone.localdate()
    delay = clocks.reference_delay_days(country, case.track)
    return CertificationRequest.objects.create(
        case=case,
        authority=authority,
        country=country,
        channel=channel,
        reference=reference,
        sent_on=sent_on,
        expected_on=sent_on + datetime.timedelta(days=delay),
        created_by=by,
    )


@transaction.atomic
def case_send_for_certification(*, case, by, channel="portal", reference="", sent_on=None, expected_version=None):
    """Documents complete → sent for certification, to SANDIA (or OFPRA on the refugee track)."""
    locked = _move(case, "send_for_certification", by=by, expected_version=expected_version)
    authority = Authority.OFPRA if locked.track == Track.REFUGEE else Authority.SANDIA
    request = _request_create(locked, authority=authority, channel=channel, reference=reference, by=by, sent_on=sent_on)
    case_save(locked)
    _sync(case, locked)
    return request


@transaction.atomic
def case_mark_awaiting_country(
    *,
    case,
    by,
    authority=Authority.COUNTRY_REGISTRY,
    channel="diplomatic",
    reference="",
    sent_on=None,
    expected_version=None,
):
    """Sent for certification → waiting on the country of birth's registry (or its consulate)."""
    locked = _move(case, "mark_awaiting_country", by=by, expected_version=expected_version)
    # Guards: the transaction rolls the move back if one fails.
    if locked.track == Track.REFUGEE:
        raise workflow.CaseTransitionError(
            _("Un réfugié ne peut pas s'adresser à son pays : la certification passe par l'OFPRA."), code="refugee"
        )
    if locked.person.birth_country_id is None:
        raise ValidationError(_("Le pays de naissance n'est pas renseigné."), code="no_country")
    request = _request_create(locked, authority=authority, channel=channel, reference=reference, by=by, sent_on=sent_on)
    case_save(locked)
    _sync(case, locked)
    return request


def _answer_open_requests(case, outcome, answered_on):
    """Close the case's unanswered requests; an answer is never dated before its request was sent."""
    open_requests = case.certification_requests.filter(answered_on__isnull=True)
    open_requests.filter(sent_on__gt=answered_on).update(answered_on=F("sent_on"), outcome=outcome)
    return open_requests.update(answered_on=answered_on, outcome=outcome)


@transaction.atomic
def case_reject_certification(*, case, by, comment, outcome=RequestOutcome.REFUSED, expected_version=None) -> Case:
    """Certification refused or contradictory → documents requested again (to resubmit), 3 more months."""
    if outcome == RequestOutcome.CONFIRMED:
        raise ValidationError(_("Une identité confirmée s'enregistre avec le NIR certifié."), code="outcome")
    locked = _move(case, "reject_certification", by=by, comment=comment, expected_version=expected_version)
    today = timezone.localdate()
    _answer_open_requests(locked, outcome, today)
    _start_papers_clock(locked, today)
    case_save(locked)
    _sync(case, locked)
    return locked


@transaction.atomic
def case_record_certified_nir(*, case, nir, by, certified_on=None, expected_version=None) -> Identifier:
    """Any open state → certified: record the NIR, supersede the NIA and waiting number, answer open requests."""
    # Decided on the locked row, not on the caller's copy: a second agent whose page still shows the previous stage
    # may be recording the same notice.
    locked = case_lock(case, expected_version)
    if locked.status == CaseStatus.CERTIFIED:
        # The same NIR again changes nothing (a notice received twice); another NIR is refused.
        identifier, _created = identifier_record_nir(person=locked.person, nir=nir, by=by, certified_on=certified_on)
        _sync(case, locked)
        return identifier
    locked = _move(case, "record_certified_nir", by=by, expected_version=expected_version)
    identifier, _created = identifier_record_nir(person=locked.person, nir=nir, by=by, certified_on=certified_on)
    _answer_open_requests(locked, RequestOutcome.CONFIRMED, identifier.certified_on)
    case_save(locked)
    _sync(case, locked)
    return identifier


@transaction.atomic
def case_close_certified(*, case, by, expected_version=None, comment="") -> Case:
    """Certified → closed: the CAF account now uses the NIR."""
    locked = _move(case, "close_certified", by=by, expected_version=expected_version, comment=comment)
    locked.closed_at = timezone.now()
    locked.closing_reason = ClosingReason.CERTIFIED_AND_MIGRATED
    case_save(locked)
    _sync(case, locked)
    return locked


@transaction.atomic
def case_close(*, case, by, reason, comment, expected_version=None) -> Case:
    """Any open state → closed for another reason (duplicate, left France, deceased, rejected, abandoned)."""
    if reason not in ClosingReason.values or reason == ClosingReason.CERTIFIED_AND_MIGRATED:
        raise ValidationError(
            _("Motif de clôture invalide : un dossier certifié se clôt par « compte basculé sur le NIR »."),
            code="reason",
        )
    locked = _move(case, "close", by=by, comment=comment, expected_version=expected_version)
    locked.closed_at = timezone.now()
    locked.closing_reason = reason
    # Requests still waiting are moot: they must not stay in the overdue lists.
    _answer_open_requests(locked, RequestOutcome.WITHDRAWN, timezone.localdate())
    case_save(locked)
    _sync(case, locked)
    return locked


def reopen_target(case):
    """Where a reopened case resumes: the stage its numbers show."""
    active = set(
        Identifier.objects.filter(person_id=case.person_id, status=IdentifierStatus.ACTIVE).values_list(
            "kind", flat=True
        )
    )
    if IdentifierKind.NIR in active:
        return CaseStatus.CERTIFIED
    if IdentifierKind.CAF_WAITING in active:
        return CaseStatus.WAITING_NUMBER_ISSUED
    return CaseStatus.NIA_ONLY


@transaction.atomic
def case_reopen(*, case, by, comment, expected_version=None) -> Case:
    """Closed → the stage its numbers show; refused if the person has another open case."""
    locked = _move(
        case, "reopen", by=by, comment=comment, expected_version=expected_version, target=reopen_target(case)
    )
    locked.closed_at = None
    locked.closing_reason = ""
    try:
        with transaction.atomic():
            case_save(locked)
    except IntegrityError as error:
        raise ValidationError(
            _("Cette personne a déjà un autre dossier ouvert : rouvrir celui-ci créerait un doublon."),
            code="open_case_exists",
        ) from error
    _sync(case, locked)
    return locked


# Services by move name, for the admin and the workspace that offer the moves generically.
MOVE_SERVICES = {
    "issue_waiting_number": case_issue_waiting_number,
    "request_documents": case_request_documents,
    "mark_documents_complete": case_mark_documents_complete,
    "mark_documents_incomplete": case_mark_documents_incomplete,
    "send_for_certification": case_send_for_certification,
    "mark_awaiting_country": case_mark_awaiting_country,
    "reject_certification": case_reject_certification,
    "record_certified_nir": case_record_certified_nir,
    "close_certified": case_close_certified,
    "close": case_close,
    "reopen": case_reopen,
}
assert set(MOVE_SERVICES) == set(workflow.MOVES), "every move of the table has its service"
