"""Letters from the workspace: one case's letter, letters to the queue's current selection, a batch's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cafcases.letters.services import letter_batch_create, letter_batch_run
from cafcases.models import Case, LetterBatch, OrganisationKind
from cafcases.views.exports import queue_selection
from cafcases.views.queue import TABS

# How often (seconds) a batch's page reloads itself while the batch runs: an HTTP Refresh header, no script.
REFRESH_SECONDS = 3


def batches_for(user):
    if user.is_superuser or user.is_national_admin:
        return LetterBatch.objects.all()
    if user.organisation_id is None:
        return LetterBatch.objects.none()
    return LetterBatch.objects.filter(caisse_id=user.organisation_id)


def _start(request, *, caisse, cases, description):
    try:
        batch = letter_batch_create(caisse=caisse, by=request.user, cases=cases, description=description)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    if not batch.in_background:
        batch = letter_batch_run(batch=batch)
    return batch


@login_required
@require_POST
def case_letter(request, pk):
    """The letter of one case, produced at once; the page then offers the PDF."""
    case = get_object_or_404(Case.objects.for_user(request.user).select_related("caf"), pk=pk)
    batch = _start(
        request,
        caisse=case.caf,
        cases=Case.objects.filter(pk=case.pk),
        description=_("Dossier n° %(id)s") % {"id": case.pk},
    )
    if batch is None:
        return redirect("case_detail", pk=case.pk)
    return redirect("letter_batch", batch_id=batch.pk)


@login_required
@require_POST
def queue_letters(request):
    """Letters to every case of the queue's tab and filters (the query string), as for the exports."""
    organisation, tab, filters, cases = queue_selection(request)
    if organisation.kind != OrganisationKind.CAF:
        messages.error(request, _("Les courriers partent de la CAF du dossier : choisissez une CAF."))
        return redirect("queue")
    batch = _start(
        request,
        caisse=organisation,
        cases=cases,
        description=_("%(caisse)s, onglet « %(tab)s »%(filtered)s")
        % {"caisse": organisation.code, "tab": TABS[tab], "filtered": _(", filtré") if filters.active else ""},
    )
    if batch is None:
        return redirect("queue")
    return redirect("letter_batch", batch_id=batch.pk)


@login_required
def letter_batch(request, batch_id):
    batch = get_object_or_404(batches_for(request.user).select_related("caisse", "created_by"), pk=batch_id)
    response = render(request, "letters/batch.html", {"batch": batch})
    if batch.is_running:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@login_required
def letter_batch_file(request, batch_id, kind):
    batch = get_object_or_404(batches_for(request.user), pk=batch_id)
    file = {"pdf": batch.pdf, "csv": batch.csv}.get(kind)
    if not file:
        raise Http404
    content_type = "application/pdf" if kind == "pdf" else "text/csv; charset=utf-8"
    name = f"courriers-{batch.pk}.{kind}"
    return FileResponse(file.open("rb"), as_attachment=True, filename=name, content_type=content_type)
