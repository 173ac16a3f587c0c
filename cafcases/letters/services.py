"""Letter batches requested from the screens: for one case, or for a selection of the queue."""

import io
import logging
import tempfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cafcases.models import Case, LetterBatch, LetterBatchStatus

from .batch import contact_note, mailing_order, record_letters, write_letters

logger = logging.getLogger(__name__)


@transaction.atomic
def letter_batch_create(*, caisse, by, cases, description) -> LetterBatch:
    """Select the cases to write to (those with a postal address, in La Poste's order); run a small batch at once,
    queue a big one for the background worker."""
    selected = cases.count()
    case_ids = mailing_order(cases)
    if not case_ids:
        raise ValidationError(
            _("Aucun courrier à produire : aucune personne sélectionnée n'a d'adresse postale."), code="no_address"
        )
    batch = LetterBatch.objects.create(
        caisse=caisse,
        created_by=by,
        description=str(description)[:300],
        case_ids=case_ids,
        letters_total=len(case_ids),
        skipped=selected - len(case_ids),
        in_background=len(case_ids) > settings.LETTERS_INLINE_MAX,
    )
    if batch.in_background:
        from .tasks import run_letter_batch

        transaction.on_commit(lambda: run_letter_batch.enqueue(batch.pk))
    return batch


def letter_batch_run(*, batch) -> LetterBatch:
    """Produce the batch's PDF and CSV, then keep them and log the letters in one transaction; idempotent."""
    claimed = LetterBatch.objects.filter(pk=batch.pk, status=LetterBatchStatus.QUEUED).update(
        status=LetterBatchStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:  # already run (a task retried, a double click): nothing is written twice
        batch.refresh_from_db()
        return batch
    batch.refresh_from_db()
    name = f"courriers-{batch.caisse.code}-{batch.pk}"

    def progress(done):
        LetterBatch.objects.filter(pk=batch.pk).update(letters_done=done)

    try:
        with tempfile.TemporaryFile() as pdf, tempfile.TemporaryFile() as csv:
            # A French spreadsheet opens a ";"-separated UTF-8 file with a BOM as it is.
            csv_text = io.TextIOWrapper(csv, encoding="utf-8-sig", newline="", write_through=True)
            written = write_letters(
                batch.case_ids,
                scope=Case.objects.filter(caf=batch.caisse),
                caisse=batch.caisse,
                pdf_stream=pdf,
                csv_stream=csv_text,
                progress=progress,
            )
            with transaction.atomic():
                record_letters(written, by=batch.created_by, note=contact_note(_("lot n° %s") % batch.pk))
                pdf.seek(0)
                csv.seek(0)
                batch.pdf.save(f"{name}.pdf", File(pdf), save=False)
                batch.csv.save(f"{name}.csv", File(csv), save=False)
                batch.letters_done = len(written)
                batch.status = LetterBatchStatus.DONE
                batch.finished_at = timezone.now()
                batch.save()
    except Exception as error:
        logger.exception("Letter batch %s failed", batch.pk)
        batch.refresh_from_db()
        batch.status = LetterBatchStatus.FAILED
        batch.finished_at = timezone.now()
        batch.message = _("Le lot n'a pas pu être produit (%(error)s) : aucun courrier n'est enregistré.") % {
            "error": type(error).__name__
        }
        batch.save()
    return batch
