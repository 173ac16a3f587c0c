"""CSV and XLSX exports of the queue and of the dashboard's tables: content, masking, permission, bounded memory."""

import io
import itertools
import logging
import zipfile
from xml.etree import ElementTree

import pytest
import xlsxwriter
from django.contrib.auth.models import Permission
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse

from cafcases import exports
from cafcases.audit.models import AccessAction, AccessLog
from cafcases.models import IdentifierKind, User
from tests.dashboard.story import TODAY

pytestmark = pytest.mark.django_db

QUEUE_CSV = reverse("queue_export", kwargs={"fmt": "csv"})
QUEUE_XLSX = reverse("queue_export", kwargs={"fmt": "xlsx"})
PAPERS_REQUESTED = {"onglet": "tous", "statut": "documents_requested"}  # K4, K5, K6
NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def csv_text(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "Excel reads UTF-8 only after a byte order mark"
    return text[1:]


def csv_rows(response):
    return [line.split(";") for line in csv_text(response).splitlines()]


def column_index(reference):
    letters = "".join(char for char in reference if char.isalpha())
    return sum((ord(char) - 64) * 26**power for power, char in enumerate(reversed(letters))) - 1


def xlsx_rows(response):
    """The first sheet's cells as text, "" where empty (XlsxWriter's constant_memory mode writes strings inline)."""
    assert isinstance(response, FileResponse)
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.find("x:sheetData", NS):
        cells = {column_index(cell.get("r")): "".join(cell.itertext()) for cell in row.findall("x:c", NS)}
        rows.append([cells.get(index, "") for index in range(max(cells) + 1)])
    return rows


def grant_clear_numbers(user):
    user.user_permissions.add(Permission.objects.get(codename="export_numbers_in_clear"))
    return User.objects.get(pk=user.pk)  # permissions are cached on the instance


def numbers_of(case, kind):
    identifier = case.person.identifiers.get(kind=kind, status="active")
    return identifier.masked, identifier.formatted


def test_the_queue_as_csv_with_its_filters_and_numbers_masked(story, login):
    response = login(story.supervisor).get(QUEUE_CSV, PAPERS_REQUESTED)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="dossiers-{story.caf.code}-tous-')
    text = csv_text(response)
    header, *rows = [line.split(";") for line in text.splitlines()]
    assert header[:3] == ["N° de dossier", "Nom de naissance", "Nom d'usage"]
    assert header[-3:] == ["NIA", "Numéro d'attente CAF", "NIR"]
    assert sorted(int(row[0]) for row in rows) == sorted(c.pk for c in (story.cases.K4, story.cases.K5, story.cases.K6))
    k5 = next(row for row in rows if int(row[0]) == story.cases.K5.pk)
    masked, clear = numbers_of(story.cases.K5, IdentifierKind.NIA)
    assert k5[header.index("NIA")] == masked
    assert clear not in text and clear.replace(" ", "") not in text
    assert k5[header.index("Pièces attendues avant le")] == "15/03/2025"
    assert k5[header.index("Étape")] == "Pièces demandées"


def test_numbers_in_clear_with_the_permission_and_one_access_log_line(story, login, caplog):
    supervisor = grant_clear_numbers(story.supervisor)
    with caplog.at_level(logging.DEBUG):
        header, *rows = csv_rows(login(supervisor).get(QUEUE_CSV, PAPERS_REQUESTED))
    k5 = next(row for row in rows if int(row[0]) == story.cases.K5.pk)
    masked, clear = numbers_of(story.cases.K5, IdentifierKind.NIA)
    assert k5[header.index("NIA")] == clear
    waiting_masked, waiting_clear = numbers_of(story.cases.K5, IdentifierKind.CAF_WAITING)
    assert k5[header.index("Numéro d'attente CAF")] == waiting_clear
    [line] = AccessLog.objects.all()
    assert (line.action, line.user, line.count, line.ip_address) == (AccessAction.EXPORT, supervisor, 3, "127.0.0.1")
    assert line.person is None and clear not in line.detail
    assert clear not in caplog.text and clear.replace(" ", "") not in caplog.text  # never a number in the logs


def test_the_queue_as_xlsx(story, login):
    response = login(story.supervisor).get(QUEUE_XLSX, PAPERS_REQUESTED)
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    header, *rows = xlsx_rows(response)
    assert header[0] == "N° de dossier" and header[-1] == "NIR"
    assert len(rows) == 3
    masked, clear = numbers_of(story.cases.K4, IdentifierKind.NIA)
    assert [masked] == [row[header.index("NIA")] for row in rows if row[0] == str(story.cases.K4.pk)]


def test_agents_may_not_export(story, login):
    client = login(story.alice)
    assert client.get(QUEUE_CSV).status_code == 403
    assert client.get(reverse("dashboard_export", kwargs={"table": "etapes", "fmt": "csv"})).status_code == 403


def test_unknown_formats_and_tables(story, login):
    client = login(story.supervisor)
    assert client.get(reverse("queue_export", kwargs={"fmt": "pdf"})).status_code == 404
    assert client.get(reverse("dashboard_export", kwargs={"table": "inconnu", "fmt": "csv"})).status_code == 404


def test_a_dashboard_table_as_csv(story, login):
    url = reverse("dashboard_export", kwargs={"table": "pays", "fmt": "csv"})
    header, algeria, afghanistan = csv_rows(login(story.supervisor).get(url))
    assert header[0] == "Pays de naissance"
    assert algeria == ["Algérie", "120", "4", "145,0", "223,0", "25,0", "2", "1", "160"]
    assert afghanistan == ["Afghanistan", "180", "2", "70,0", "78,0", "-110,0", "0", "0", ""]


def test_a_dashboard_table_as_xlsx(story, login):
    url = reverse("dashboard_export", kwargs={"table": "activite", "fmt": "xlsx"})
    header, *weeks = xlsx_rows(login(story.supervisor).get(url))
    assert header == ["Semaine du", "Ouverts", "Numéros d'attente attribués", "Envoyés en certification"] + [
        "NIR certifiés",
        "Clos",
    ]
    assert len(weeks) == 26
    assert weeks[-1][1:] == ["0", "0", "0", "0", "0"]  # this week (assignments are not milestones)
    assert weeks[-2][1:] == ["1", "0", "0", "0", "1"]  # K17 opened and closed


def test_the_national_dashboard_exports_every_caisse(story, login):
    url = reverse("dashboard_export", kwargs={"table": "etapes", "fmt": "csv"})
    response = login(story.national_admin).get(url)
    assert f"pilotage-etapes-national-{TODAY:%Y%m%d}.csv" in response["Content-Disposition"]
    rows = dict(csv_rows(response)[1:])
    assert rows["NIR certifié"] == "4" and rows["Total"] == "20"


def test_formulas_are_neutralised_in_csv():
    assert exports._csv_value("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert exports._csv_value(-12.5) == "-12,5"


def test_csv_rows_are_streamed_lazily():
    """An endless row source still yields its first chunk: nothing is collected before sending."""
    rows = ([n, "x"] for n in itertools.count())
    response = exports.csv_response(filename="x.csv", header=["n", "x"], rows=rows)
    first = next(iter(response.streaming_content)).decode()
    assert first == "\ufeffn;x\r\n"
    second = next(iter(response.streaming_content)).decode()
    assert second.startswith("0;x\r\n1;x\r\n") and second.count("\r\n") == exports.CSV_ROWS_PER_WRITE


def test_cases_are_read_by_chunks_and_the_workbook_in_constant_memory(story, login, monkeypatch):
    chunk_sizes, workbook_options = [], []
    original_iterator, original_workbook = QuerySet.iterator, xlsxwriter.Workbook

    def spy_iterator(self, chunk_size=None):
        chunk_sizes.append(chunk_size)
        return original_iterator(self, chunk_size=chunk_size)

    def spy_workbook(handle, options):
        workbook_options.append(options)
        return original_workbook(handle, options)

    monkeypatch.setattr(QuerySet, "iterator", spy_iterator)
    monkeypatch.setattr(xlsxwriter, "Workbook", spy_workbook)
    client = login(story.supervisor)
    csv_rows(client.get(QUEUE_CSV, {"onglet": "tous"}))
    xlsx_rows(client.get(QUEUE_XLSX, {"onglet": "tous"}))
    assert chunk_sizes == [exports.CHUNK_SIZE, exports.CHUNK_SIZE]
    assert workbook_options == [{"constant_memory": True, "strings_to_formulas": False}]
