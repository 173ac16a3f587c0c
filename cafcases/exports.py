"""CSV and XLSX exports of the queue and of the dashboard's tables, in bounded memory whatever the number of rows.

- CSV: a ``StreamingHttpResponse`` over a generator; cases are read with ``QuerySet.iterator(chunk_size=2000)``
  (a server-side cursor on PostgreSQL), so at most one chunk of cases is in memory. ``;`` separator and a UTF-8 byte
  order mark, which is what Excel in French expects.
- XLSX: XlsxWriter in ``constant_memory`` mode (each row is flushed to disk as it is written) into an anonymous
  temporary file, then sent with a ``FileResponse``; the file disappears when the response is closed.

NIA and NIR are masked (``Identifier.masked``) unless the user holds ``cafcases.export_numbers_in_clear``. An export in
clear is recorded by ``export_numbers_logged`` in the access log (cafcases.audit): one line per export with the number
of people, never a number in it (décret 2019-341).
"""

import csv
import datetime
import tempfile

import xlsxwriter
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cafcases.audit.models import AccessAction
from cafcases.audit.services import access_log_record
from cafcases.models import CaseStatus, Identifier, IdentifierKind, Track

CHUNK_SIZE = 2000
CSV_DELIMITER = ";"
CSV_BOM = "\ufeff"
CSV_ROWS_PER_WRITE = 500  # rows joined into one chunk of the streamed response
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP "CSV injection": text a spreadsheet would run
CLEAR_NUMBERS_PERMISSION = "cafcases.export_numbers_in_clear"


def export_numbers_logged(*, user, people_count, ip_address=None, request=None, detail=""):
    """Record in the access log that ``user`` exported the numbers of ``people_count`` people in clear."""
    return access_log_record(
        action=AccessAction.EXPORT,
        purpose="export",
        request=request,
        user=user,
        count=people_count,
        ip_address=ip_address,
        detail=detail,
    )


def may_export_numbers_in_clear(user):
    return user.has_perm(CLEAR_NUMBERS_PERMISSION)


# Queue -------------------------------------------------------------------------------------------------------------

CASE_COLUMNS = [
    _("N° de dossier"),
    _("Nom de naissance"),
    _("Nom d'usage"),
    _("Prénoms"),
    _("Date de naissance"),
    _("Pays de naissance"),
    _("Étape"),
    _("Parcours"),
    _("Priorité"),
    _("Prochaine échéance"),
    _("Pièces attendues avant le"),
    _("NIA valable jusqu'au"),
    _("Agent en charge"),
    _("CAF"),
    _("CPAM"),
    _("Ouvert le"),
    _("Clos le"),
    _("NIA"),
    _("Numéro d'attente CAF"),
    _("NIR"),
]
NUMBER_KINDS = [IdentifierKind.NIA, IdentifierKind.CAF_WAITING, IdentifierKind.NIR]


def cases_for_export(queryset):
    """The queue's cases with what the rows need, read chunk by chunk (one query per chunk, plus its numbers)."""
    numbers = Prefetch(
        "person__identifiers",
        queryset=Identifier.objects.active().filter(kind__in=NUMBER_KINDS).order_by("pk"),
        to_attr="exported_identifiers",
    )
    return (
        queryset.select_related("person__birth_country", "assigned_to", "caf", "cpam")
        .prefetch_related(numbers)
        .iterator(chunk_size=CHUNK_SIZE)
    )


def _number(identifier, clear):
    if not clear:
        return identifier.masked
    try:
        return identifier.formatted
    except ValidationError:  # a number stored before today's rules: never shown in clear by accident
        return identifier.masked


def case_rows(cases, *, clear):
    """One row per case, in CASE_COLUMNS order; ``cases`` is an iterator (see cases_for_export)."""
    # Labels translated once: get_FOO_display() rebuilds its choices dictionary on every call (a third of the time).
    statuses = {value: str(label) for value, label in CaseStatus.choices}
    tracks = {value: str(label) for value, label in Track.choices}
    for case in cases:
        person = case.person
        numbers = {identifier.kind: _number(identifier, clear) for identifier in person.exported_identifiers}
        agent = case.assigned_to
        yield [
            case.pk,
            person.birth_name.upper(),
            person.usage_name.upper(),
            person.first_names,
            person.birth_date_display,
            person.birth_country.name if person.birth_country else "",
            statuses.get(case.status, case.status),
            tracks.get(case.track, case.track),
            case.priority,
            case.next_deadline,
            case.papers_due_on,
            case.nia_valid_until,
            (agent.get_full_name() or agent.username) if agent else "",
            case.caf.code,
            case.cpam.code,
            case.opened_at,
            case.closed_at,
            *[numbers.get(kind, "") for kind in NUMBER_KINDS],
        ]


# Writers -----------------------------------------------------------------------------------------------------------


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object that hands back what csv.writer writes, so that each row can be yielded."""

    def write(self, value):
        return value


def csv_response(*, filename, header, rows):
    """Stream ``rows`` (any iterable, consumed lazily) as a French-Excel CSV attachment."""
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)

    def lines():
        yield CSV_BOM + writer.writerow([str(title) for title in header])
        batch = []
        for row in rows:
            batch.append(writer.writerow([_csv_value(value) for value in row]))
            if len(batch) >= CSV_ROWS_PER_WRITE:
                yield "".join(batch)
                batch = []
        if batch:
            yield "".join(batch)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(*, filename, sheet_name, header, rows):
    """Write ``rows`` to an XLSX file row by row (constant memory), then send the file."""
    # Anonymous, deleted on close: the FileResponse closes it once sent; closed here if writing fails.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        _write_xlsx(handle, sheet_name, header, rows)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def _write_xlsx(handle, sheet_name, header, rows):
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet(str(sheet_name)[:31])
    bold = workbook.add_format({"bold": True})
    formats = {
        "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
        "datetime": workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
        "decimal": workbook.add_format({"num_format": "0.0"}),
    }
    sheet.set_column(0, len(header) - 1, 18)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, [str(title) for title in header], bold)
    for row_index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            _write_cell(sheet, row_index, column, value, formats)
    workbook.close()


def _write_cell(sheet, row, column, value, formats):
    if value is None or value == "":
        return
    if isinstance(value, datetime.datetime):
        sheet.write_datetime(row, column, timezone.localtime(value).replace(tzinfo=None), formats["datetime"])
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, column, value, formats["date"])
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, float):
        sheet.write_number(row, column, value, formats["decimal"])
    elif isinstance(value, int):
        sheet.write_number(row, column, value)
    else:
        sheet.write_string(row, column, str(value))


def export_response(fmt, *, filename, sheet_name, header, rows):
    """The CSV or XLSX response for ``fmt`` ("csv" or "xlsx"); ``filename`` without its extension."""
    if fmt == "xlsx":
        return xlsx_response(filename=f"{filename}.xlsx", sheet_name=sheet_name, header=header, rows=rows)
    return csv_response(filename=f"{filename}.csv", header=header, rows=rows)
