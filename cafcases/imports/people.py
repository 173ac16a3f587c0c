"""The people import: validate each row, classify it against the registry and the rows before it, write the new ones.

Rows are validated in a background thread (pure Python, see ``rows``) chunk by chunk while the main thread, which
alone touches the database, classifies the previous chunk and writes its new people: on PostgreSQL the database
works on one core while Python validates on the other. The whole write phase is one transaction: a run killed
midway leaves nothing, and running it again gives the state of a clean run. Running the same file twice changes
nothing the second time: every row is then "already present".

How each valid row is classified is described in ``registry``.
"""

import contextlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty, Full, Queue

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cafcases.models import Identifier, IdentifierKind, Person
from cafcases.services import case_open

from .files import EXIT_OK, EXIT_REJECTED, read_table
from .registry import Registry
from .rows import COLUMNS, REQUIRED_COLUMNS, CountryTable, PersonRowParser
from .writers import NewCases, race_problem, writer_for

CHUNK_SIZE = 4000
_DONE = object()


@dataclass
class PeopleSummary:
    rows: int = 0
    created: int = 0
    present: int = 0
    cases_opened: int = 0
    numbers_attached: int = 0
    problems: list = field(default_factory=list)
    dry_run: bool = False
    delimiter: str = ";"
    seconds: float = 0.0

    @property
    def rejected(self):
        return len({problem.line for problem in self.problems})

    @property
    def exit_code(self):
        return EXIT_REJECTED if self.problems else EXIT_OK


def validated_chunks(table, parser, size=CHUNK_SIZE):
    """Yield (number of rows, valid rows, problems) chunk by chunk, validated ahead in a thread."""
    queue, stop = Queue(maxsize=3), threading.Event()
    language = translation.get_language()  # the thread's messages in the caller's language

    def produce():
        try:
            translation.activate(language)
            for start in range(0, len(table.rows), size):
                valid, problems = [], []
                chunk = table.rows[start : start + size]
                for line, cells in chunk:
                    row, row_problems = parser.parse(line, cells)
                    if row is None:
                        problems += row_problems
                    else:
                        valid.append(row)
                while not stop.is_set():
                    try:
                        queue.put((len(chunk), valid, problems), timeout=0.1)
                        break
                    except Full:  # the consumer is busy: check whether it gave up, then offer the chunk again
                        continue
                if stop.is_set():
                    return
            queue.put(_DONE)
        except BaseException as error:  # noqa: BLE001 (handed over to the consumer, which raises it)
            queue.put(error)

    thread = threading.Thread(target=produce, name="import-validation", daemon=True)
    thread.start()
    try:
        while (item := queue.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            with contextlib.suppress(Empty):
                queue.get(timeout=0.05)
        thread.join()


class PeopleImport:
    """``run()`` reads, validates and (unless dry_run) writes the file; FileError when it cannot be read."""

    def __init__(self, path, *, caisse, cpam, dry_run=False, progress=None, chunk_size=CHUNK_SIZE, name=None):
        """path: a file path, or an open binary file (then ``name`` is the file's name for the timeline)."""
        self.path, self.caisse, self.cpam, self.dry_run = path, caisse, cpam, dry_run
        self.progress, self.chunk_size = progress, chunk_size
        self.name = name or Path(getattr(path, "name", path)).name

    def run(self):
        started = time.monotonic()
        table = read_table(self.path, required=REQUIRED_COLUMNS, known=COLUMNS)
        summary = PeopleSummary(rows=len(table), dry_run=self.dry_run, delimiter=table.delimiter)
        today = timezone.localdate()
        parser = PersonRowParser(table.columns, CountryTable.load(), today)
        progress = self.progress(len(table)) if self.progress else None
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # Foreign keys checked statement by statement, while Python validates the next chunk, not all
                    # at the commit; no JIT compilation, which costs more than it saves on these short statements.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET LOCAL jit = off")
                    # The trigram index on the people's names takes new entries in its pending list, merged into
                    # the index when the list is full: a list big enough for the whole file leaves that merge to
                    # autovacuum, after the import (about 40 % of the write statement's time, bench/README.md).
                    cursor.execute("SET LOCAL gin_pending_list_limit = '64MB'")
            comment = _("Import du fichier « %(file)s ».") % {"file": self.name}
            cases = NewCases(self.caisse, self.cpam, today, comment)
            writer = None if self.dry_run else writer_for(cases)
            registry, follow_ups, done = Registry(self.caisse), [], 0
            for count, rows, problems in validated_chunks(table, parser, self.chunk_size):
                summary.problems += problems
                new, chunk_follow_ups, present, conflicts = registry.classify(rows)
                summary.problems += conflicts
                summary.present += present
                follow_ups += chunk_follow_ups
                if writer is not None:
                    left_out = writer.write(new)
                    summary.problems += left_out
                    summary.created += len(new) - len(left_out)
                else:
                    summary.created += len(new)
                done += count
                if progress:
                    progress.update(done)
            if writer is not None:
                writer.close()
            self._follow_up(follow_ups, summary, comment)
        if progress:
            progress.finish(done)
        summary.problems.sort(key=lambda problem: problem.line)
        summary.seconds = time.monotonic() - started
        return summary

    def _follow_up(self, follow_ups, summary, comment):
        """People already in the registry: attach the NIA, open a case for those who never had one."""
        for row, person, attach in follow_ups:
            if self.dry_run:
                summary.numbers_attached += attach
                summary.cases_opened += not person.cases
                continue
            try:
                with transaction.atomic():
                    instance = Person.objects.get(pk=person.pk)
                    if attach:
                        Identifier.objects.create(
                            person=instance, kind=IdentifierKind.NIA, value=row.nia, issuing_organisation=self.cpam
                        )
                    if not person.cases:
                        case_open(
                            person=instance,
                            caf=self.caisse,
                            cpam=self.cpam,
                            by=None,
                            benefits_at_risk=row.benefits,
                            comment=comment,
                        )
            except (ValidationError, IntegrityError):
                summary.problems.append(race_problem(row))
                continue
            summary.numbers_attached += attach
            summary.cases_opened += not person.cases
