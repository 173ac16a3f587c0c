"""Reconciliation: a file of certified NIRs (``nia``, ``nir``, ``date_certification``) recorded through the services.

Each row finds its person by the number in the ``nia`` column, whichever number they hold or held (an NIA, a CAF
waiting number, even an old one: every number keeps pointing to its person), then:

- the person has an open case: ``case_record_certified_nir`` records the NIR, supersedes their provisional numbers and
  moves the case to "certified";
- their cases are all closed: the NIR is recorded on the person (``identifier_record_nir``) and noted on the timeline of
  the last closed case (an "identifier" event), which stays closed;
- they never had a case: the NIR is recorded on the person, and the row is reported so that an agent looks at it.

A row whose NIR the person already holds is "already done" and changes nothing, so that running a file twice, or
again after an interruption, gives the state of a single clean run. Each row is its own transaction. Nothing here
writes a number in clear into the report or on screen: rows are named by their line.
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cafcases.identifiers import parse_number
from cafcases.models import Case, CaseStatus, EventKind, Identifier, IdentifierKind
from cafcases.services import case_record_certified_nir, identifier_record_nir
from cafcases.services.events import event_record

from .fields import parse_date
from .files import EXIT_OK, EXIT_REJECTED, Problem, read_table

COLUMNS = ("nia", "nir", "date_certification")
REPORT_HEADER = ("ligne", "statut", "colonne", "motif")

# Statuses in the report; the first three reject the row (exit code 1), the others are notes.
INVALID = gettext_lazy("invalide")
UNMATCHED = gettext_lazy("non trouvé")
CONFLICT = gettext_lazy("conflit")
ALREADY_DONE = gettext_lazy("déjà fait")
CLOSED_CASE = gettext_lazy("dossier clos")
NO_CASE = gettext_lazy("sans dossier")
REJECTIONS = (INVALID, UNMATCHED, CONFLICT)


@dataclass
class CertificationSummary:
    rows: int = 0
    recorded: int = 0  # on an open case
    already_done: int = 0
    on_closed_case: int = 0
    without_case: int = 0
    problems: list = field(default_factory=list)  # rejections and notes, by line
    dry_run: bool = False
    delimiter: str = ";"
    seconds: float = 0.0

    @property
    def rejected(self):
        return len({problem.line for problem in self.problems if problem.key in {str(s) for s in REJECTIONS}})

    @property
    def exit_code(self):
        return EXIT_REJECTED if self.rejected else EXIT_OK


class CertificationImport:
    """``run()`` reads the file and records each row (all rolled back with dry_run); FileError when unreadable."""

    def __init__(self, path, *, dry_run=False, progress=None):
        self.path, self.dry_run, self.progress = path, dry_run, progress
        self.comment = _("Import du fichier « %(file)s ».") % {"file": Path(path).name}

    def run(self):
        started = time.monotonic()
        table = read_table(self.path, required=COLUMNS, known=COLUMNS)
        summary = CertificationSummary(rows=len(table), dry_run=self.dry_run, delimiter=table.delimiter)
        progress = self.progress(len(table)) if self.progress else None
        today = timezone.localdate()
        with transaction.atomic():
            for done, (line, cells) in enumerate(table.rows, start=1):
                raw = {name: cells[i].strip() if i < len(cells) else "" for name, i in table.columns.items()}
                self.process(line, raw, today, summary)
                if progress:
                    progress.update(done)
            # A dry run goes through the very same services, then forgets everything.
            transaction.set_rollback(self.dry_run)
        if progress:
            progress.finish(len(table))
        summary.seconds = time.monotonic() - started
        return summary

    @staticmethod
    def _report(summary, line, status, column, reason):
        summary.problems.append(Problem(line, str(status), column, str(reason)))

    def _parse(self, line, raw, today, summary):
        """(held number, NIR, date) or None after reporting every problem of the row."""
        values, invalid = {}, False
        for column in COLUMNS:
            if not raw[column]:
                self._report(summary, line, INVALID, column, _("Champ obligatoire vide."))
                invalid = True
                continue
            try:
                if column == "date_certification":
                    values[column] = parse_date(raw[column], today)
                else:
                    values[column] = parse_number(raw[column])
            except ValidationError as error:
                self._report(summary, line, INVALID, column, error.messages[0])
                invalid = True
            except ValueError as error:
                self._report(summary, line, INVALID, column, error)
                invalid = True
        nir = values.get("nir")
        if nir is not None and nir.is_provisional:
            reason = _("Un NIR définitif commence par 1 ou 2 ; ce numéro commence par %(digit)s (NIA).")
            self._report(summary, line, INVALID, "nir", reason % {"digit": nir.value[0]})
            invalid = True
        return None if invalid else (values["nia"].value, nir.value, values["date_certification"])

    def process(self, line, raw, today, summary):
        parsed = self._parse(line, raw, today, summary)
        if parsed is None:
            return
        held, nir, certified_on = parsed
        holder = Identifier.objects.filter(value=held).select_related("person").first()
        if holder is None:
            self._report(summary, line, UNMATCHED, "nia", _("Aucune personne ne détient ce numéro."))
            return
        person = holder.person
        if Identifier.objects.filter(value=nir, person=person, kind=IdentifierKind.NIR).exists():
            summary.already_done += 1
            self._report(summary, line, ALREADY_DONE, "nir", _("Ce NIR est déjà enregistré pour cette personne."))
            return
        cases = list(Case.objects.filter(person=person).order_by("-opened_at", "-pk"))
        open_case = next((case for case in cases if case.status != CaseStatus.CLOSED), None)
        try:
            with transaction.atomic():
                if open_case is not None:
                    case_record_certified_nir(case=open_case, nir=nir, by=None, certified_on=certified_on)
                else:
                    identifier_record_nir(person=person, nir=nir, by=None, certified_on=certified_on)
                    if cases:
                        self._note_on_closed_case(cases[0])
        except ValidationError as error:
            status = CONFLICT if error.code in ("conflict", "provisional") else INVALID
            self._report(summary, line, status, "nir", error.messages[0])
            return
        if open_case is not None:
            summary.recorded += 1
        elif cases:
            summary.on_closed_case += 1
            reason = _(
                "Dossier n° %(case)s clos : NIR enregistré sur la personne et noté dans l'historique du dossier."
            )
            self._report(summary, line, CLOSED_CASE, "nia", reason % {"case": cases[0].pk})
        else:
            summary.without_case += 1
            reason = _("Personne sans dossier (fiche n° %(person)s) : NIR enregistré sur la personne.")
            self._report(summary, line, NO_CASE, "nia", reason % {"person": person.pk})

    def _note_on_closed_case(self, case):
        """The closed case's timeline tells that its person's NIR arrived after the closing; the case stays closed."""
        event_record(
            case=case,
            kind=EventKind.IDENTIFIER,
            by=None,
            summary=_("NIR certifié reçu après la clôture du dossier et enregistré sur la personne"),
            comment=self.comment,
        )
        Case.objects.filter(pk=case.pk).update(last_event_at=case.last_event_at, version=F("version") + 1)
