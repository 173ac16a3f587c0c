"""The case page and the actions agents take on it (thin views: scope, form, one service, message, redirect)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cafcases import workflow
from cafcases.forms.casework import (
    AnswerForm,
    AssignForm,
    ChaseForm,
    ContactForm,
    DocumentStatusForm,
    NoteForm,
    RevealForm,
)
from cafcases.forms.moves import move_form
from cafcases.models import Case, CaseDocument, CertificationRequest, Chase, Identifier, Side
from cafcases.services import (
    MOVE_SERVICES,
    StaleCaseError,
    case_assign,
    case_unassign,
    certification_request_answer,
    chase_add,
    contact_record,
    document_set_status,
    note_add,
)
from cafcases.services.access import number_reveal

TIMELINE_LIMIT = 100
APPOINTMENTS_LIMIT = 10


def scoped_case(request, pk):
    """The case if this user's caisse may see it; 404 otherwise (never 403: no hint that it exists)."""
    queryset = Case.objects.for_user(request.user).select_related(
        "person__birth_country", "person__nationality", "person__caf", "caf", "cpam", "assigned_to"
    )
    return get_object_or_404(queryset, pk=pk)


def acting_organisation(case):
    """The caisse whose agents work the case at its stage (None once it is closed)."""
    return case.caf if case.side == Side.CAF else case.cpam if case.side == Side.CPAM else None


def may_assign(user, case):
    """The acting caisse hands its cases out to its own agents; the watching caisse does not (national admins do)."""
    organisation = acting_organisation(case)
    if organisation is None:
        return False
    return user.is_superuser or user.is_national_admin or user.organisation_id == organisation.pk


def case_page(request, case, *, bound=None, revealed=None, status=200):
    """Render the case page; ``bound`` holds forms to show with what the agent typed (errors, conflicts)."""
    bound = bound or {}
    user = request.user
    moves = [
        (move, bound.get(move.name) or move_form(move, initial={"version": case.version}, prefix=move.name))
        for move in workflow.allowed_moves(case, user)
    ]
    person = case.person
    identifiers = list(person.identifiers.select_related("issuing_organisation").order_by("created_at", "pk"))
    for identifier in identifiers:
        identifier.clear = (revealed or {}).get(identifier.pk)
    requests = list(
        case.certification_requests.select_related("country").prefetch_related(
            Prefetch("chases", queryset=Chase.objects.order_by("sent_on", "pk"))
        )
    )
    documents = list(case.documents.order_by("kind"))
    today = timezone.localdate()
    context = {
        "case": case,
        "person": person,
        "today": today,
        "moves": moves,
        "identifiers": identifiers,
        "reveal_form": bound.get("reveal") or RevealForm(),
        "events": list(case.events.select_related("by")[:TIMELINE_LIMIT]),
        "documents": [
            (
                document,
                # The select shows the paper's current state, not "requested" for a paper already verified.
                bound.get(f"doc{document.pk}")
                or DocumentStatusForm(prefix=f"doc{document.pk}", initial={"status": document.status}),
            )
            for document in documents
        ],
        "requests": [
            (
                request_,
                bound.get(f"chase{request_.pk}") or ChaseForm(prefix=f"chase{request_.pk}"),
                bound.get(f"answer{request_.pk}") or AnswerForm(prefix=f"answer{request_.pk}"),
            )
            for request_ in requests
        ],
        "appointments": list(
            case.appointments.select_related("site", "motif").order_by("-starts_at")[:APPOINTMENTS_LIMIT]
        ),
        "contacts": list(case.contacts.select_related("by")[:50]),
        "notes": list(case.notes.select_related("by")[:50]),
        "contact_form": bound.get("contact") or ContactForm(prefix="contact"),
        "note_form": bound.get("note") or NoteForm(prefix="note"),
        "assign_form": bound.get("assign")
        or (
            AssignForm(organisation=acting_organisation(case), initial={"version": case.version}, prefix="assign")
            if may_assign(user, case)
            else None
        ),
        "may_work": case.is_open,
        "other_cases": list(
            Case.objects.for_user(user).filter(person=person).exclude(pk=case.pk).order_by("-opened_at")
        ),
    }
    return render(request, "cases/detail.html", context, status=status)


@never_cache
@login_required
def case_detail(request, pk):
    return case_page(request, scoped_case(request, pk))


def _with_version(form, version):
    """The agent's form as they typed it, but carrying the version just read: sending it again is then accepted."""
    if "version" in form.fields:
        data = form.data.copy()
        data[form.add_prefix("version")] = version
        form.data = data
    return form


def _refused(request, case, form, error, key):
    """Show the page again with the agent's input kept; a conflict gets the fresh case and status 409."""
    if isinstance(error, StaleCaseError):
        messages.error(request, " ".join(error.messages))
        fresh = scoped_case(request, case.pk)
        return case_page(request, fresh, bound={key: _with_version(form, fresh.version)}, status=409)
    for message in error.messages:
        form.add_error(None, message)
    # The reason goes in the message too: the form may not be on the page (a move of another stage, an answered
    # request's chase or answer), and a refusal must never be silent.
    messages.error(request, _("L'action n'a pas été faite : %(reason)s") % {"reason": " ".join(error.messages)})
    return case_page(request, case, bound={key: form}, status=400)


@never_cache
@login_required
@require_POST
def case_move(request, pk, move_name):
    case = scoped_case(request, pk)
    move = workflow.MOVES.get(move_name)
    if move is None:
        raise Http404
    if not workflow.user_may_make(request.user, case, move):
        raise PermissionDenied
    form = move_form(move, request.POST, prefix=move.name)
    if not form.is_valid():
        return case_page(request, case, bound={move.name: form}, status=400)
    try:
        result = MOVE_SERVICES[move.name](case=case, by=request.user, **form.service_kwargs())
    except ValidationError as error:
        return _refused(request, case, form, error, move.name)
    if isinstance(result, Identifier):
        messages.success(request, _("%(move)s : fait (%(number)s).") % {"move": move.label, "number": result.masked})
    else:
        messages.success(request, _("%(move)s : fait.") % {"move": move.label})
    return redirect("case_detail", pk=case.pk)


def _work(request, pk, key, form_class, action, success, **form_kwargs):
    """The shared shape of the case page's small forms: validate, call one service, message, redirect."""
    case = scoped_case(request, pk)
    form = form_class(request.POST, prefix=key, **form_kwargs)
    if not form.is_valid():
        return case_page(request, case, bound={key: form}, status=400)
    try:
        action(case, form.cleaned_data)
    except ValidationError as error:
        return _refused(request, case, form, error, key)
    messages.success(request, success)
    return redirect("case_detail", pk=case.pk)


@never_cache
@login_required
@require_POST
def case_contact(request, pk):
    return _work(
        request,
        pk,
        "contact",
        ContactForm,
        lambda case, data: contact_record(case=case, by=request.user, **data),
        _("Tentative de contact enregistrée."),
    )


@never_cache
@login_required
@require_POST
def case_note(request, pk):
    return _work(
        request,
        pk,
        "note",
        NoteForm,
        lambda case, data: note_add(case=case, text=data["text"], by=request.user),
        _("Note ajoutée."),
    )


@never_cache
@login_required
@require_POST
def case_document(request, pk, document_pk):
    case = scoped_case(request, pk)
    document = get_object_or_404(CaseDocument, pk=document_pk, case=case)
    return _work(
        request,
        pk,
        f"doc{document.pk}",
        DocumentStatusForm,
        lambda case, data: document_set_status(
            document=document, status=data["status"], reason=data["reason"], by=request.user
        ),
        _("Pièce mise à jour."),
    )


def _scoped_request(case, request_pk):
    return get_object_or_404(CertificationRequest, pk=request_pk, case=case)


@never_cache
@login_required
@require_POST
def case_chase(request, pk, request_pk):
    certification_request = _scoped_request(scoped_case(request, pk), request_pk)
    return _work(
        request,
        pk,
        f"chase{request_pk}",
        ChaseForm,
        lambda case, data: chase_add(request=certification_request, by=request.user, **data),
        _("Relance enregistrée."),
    )


@never_cache
@login_required
@require_POST
def case_answer(request, pk, request_pk):
    certification_request = _scoped_request(scoped_case(request, pk), request_pk)
    return _work(
        request,
        pk,
        f"answer{request_pk}",
        AnswerForm,
        lambda case, data: certification_request_answer(request=certification_request, by=request.user, **data),
        _("Réponse enregistrée."),
    )


@never_cache
@login_required
@require_POST
def case_assign_view(request, pk):
    case = scoped_case(request, pk)
    if not may_assign(request.user, case):
        raise PermissionDenied
    return _work(
        request,
        pk,
        "assign",
        AssignForm,
        lambda case, data: case_assign(
            case=case, agent=data["agent"], by=request.user, expected_version=data["version"]
        ),
        _("Dossier attribué."),
        organisation=acting_organisation(case),
    )


@never_cache
@login_required
@require_POST
def case_unassign_view(request, pk):
    case = scoped_case(request, pk)
    if not may_assign(request.user, case):
        raise PermissionDenied
    version = request.POST.get("version", "")
    if not version.isdigit():
        raise BadRequest
    try:
        case_unassign(case=case, by=request.user, expected_version=int(version))
    except StaleCaseError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("case_detail", pk=case.pk)
    messages.success(request, _("Le dossier n'est plus attribué."))
    return redirect("case_detail", pk=case.pk)


@never_cache
@login_required
@require_POST
def case_reveal(request, pk, identifier_pk):
    """Show one number in clear on the page, for a stated purpose; it goes through number_reveal."""
    case = scoped_case(request, pk)
    identifier = get_object_or_404(Identifier, pk=identifier_pk, person_id=case.person_id)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return case_page(request, case, bound={"reveal": form}, status=400)
    value = number_reveal(
        identifier=identifier,
        user=request.user,
        purpose=form.cleaned_data["purpose"],
        request=request,
    )
    return case_page(request, case, revealed={identifier.pk: value})
