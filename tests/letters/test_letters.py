"""Letters: the PDF's text in French and English, the CSV, the contact log, bounded queries, the command."""

import csv
import io
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cafcases.letters.batch import CSV_HEADER, mailing_order, record_letters, write_letters
from cafcases.models import Case, CaseEvent, CaseStatus, ContactAttempt, EventKind, Language
from tests.factories import UserFactory

from .conftest import addressed_case, pdf_pages

pytestmark = pytest.mark.django_db
BOOKING_URL = "https://rdv.caf.invalid/rendez-vous/"


@pytest.fixture(autouse=True)
def booking_url(settings):
    settings.PUBLIC_BOOKING_URL = BOOKING_URL


def produce(case_ids, caf, **kwargs):
    pdf, out = io.BytesIO(), io.StringIO()
    written = write_letters(case_ids, scope=Case.objects.filter(caf=caf), caisse=caf, pdf_stream=pdf, csv_stream=out)
    return written, pdf.getvalue(), list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))


def test_a_page_per_person_in_their_language_with_the_booking_address(caf):
    amina = addressed_case(caf, birth_name="Benali", first_names="Amina", address="14 rue de l'Hôpital")
    john = addressed_case(caf, language=Language.ENGLISH, sex="M", birth_name="Okafor", first_names="John")

    written, pdf, _rows = produce([amina.pk, john.pk], caf)

    assert written == [amina.pk, john.pk]
    french, english = pdf_pages(pdf)
    assert "Madame Amina BENALI" in french
    assert "14 rue de l'Hôpital" in french and "59000 LILLE" in french
    assert "numéro d'attente CAF" in french and "Prendre rendez-vous" in french
    assert BOOKING_URL in french
    assert "CAF du Nord" in french and "+33 1 99 00 59 01" in french
    assert f"Dossier n° {amina.pk}" in french
    assert "Mr John OKAFOR" in english
    assert "CAF waiting number" in english and "Book an appointment" in english
    assert BOOKING_URL in english
    assert "numéro d'attente" not in english


def test_no_social_security_number_in_the_letters_or_the_csv(caf):
    case = addressed_case(caf)
    nia = case.person.identifiers.get().value

    _written, pdf, rows = produce([case.pk], caf)

    text = "".join(pdf_pages(pdf)).replace(" ", "")
    assert nia not in text and nia[:13] not in text
    assert nia not in str(rows)


def test_the_csv_lists_what_was_sent(caf):
    amina = addressed_case(caf, birth_name="Benali", first_names="Amina", address="3 rue des Lilas")
    john = addressed_case(caf, language=Language.ENGLISH, sex="M", birth_name="Okafor", first_names="John")

    _written, _pdf, rows = produce([amina.pk, john.pk], caf)

    assert rows[0] == list(CSV_HEADER)
    assert rows[1][:6] == [str(amina.pk), "Madame Amina BENALI", "3 rue des Lilas", "59000", "Lille", "fr"]
    assert rows[2][0] == str(john.pk) and rows[2][5] == "en"
    assert len(rows) == 3


def test_cases_of_another_caisse_or_without_address_are_left_out(caf):
    mine = addressed_case(caf)
    no_address = addressed_case(caf, address="")
    other = addressed_case(UserFactory().organisation)

    assert no_address.pk not in mailing_order(Case.objects.all())
    written, pdf, _rows = produce([mine.pk, other.pk], caf)

    assert written == [mine.pk]
    assert len(pdf_pages(pdf)) == 1


def test_mailing_order_sorts_by_postcode_then_name(caf):
    lille = addressed_case(caf, birth_name="Zola", postcode="59000")
    dunkerque = addressed_case(caf, birth_name="Martin", postcode="59140")
    lille_a = addressed_case(caf, birth_name="Adam", postcode="59000")

    assert mailing_order(Case.objects.all()) == [lille_a.pk, lille.pk, dunkerque.pk]


def test_each_letter_is_recorded_in_the_contact_log(caf):
    cases = [addressed_case(caf) for _ in range(3)]
    agent = UserFactory(organisation=caf)

    record_letters([case.pk for case in cases], by=agent, note="lot test")

    contacts = ContactAttempt.objects.filter(case__in=cases)
    assert sorted(contacts.values_list("case_id", "channel", "outcome", "note", "by")) == sorted(
        (case.pk, "letter", "sent", "lot test", agent.pk) for case in cases
    )
    events = CaseEvent.objects.filter(case__in=cases, kind=EventKind.CONTACT)
    assert sorted(events.values_list("case_id", "summary")) == sorted((case.pk, "Courrier — Envoyé") for case in cases)


def test_one_letter_goes_through_the_contact_service(caf):
    case = addressed_case(caf)
    agent = UserFactory(organisation=caf)

    record_letters([case.pk], by=agent, note="lettre")

    contact = ContactAttempt.objects.get(case=case)
    assert (contact.channel, contact.outcome, contact.by, contact.note) == ("letter", "sent", agent, "lettre")
    assert case.events.filter(kind=EventKind.CONTACT, summary="Courrier — Envoyé").count() == 1


def queries_for(caf, count):
    cases = [addressed_case(caf) for _ in range(count)]
    ids = [case.pk for case in cases]
    with CaptureQueriesContext(connection) as context:
        write_letters(
            ids,
            scope=Case.objects.filter(caf=caf),
            caisse=caf,
            pdf_stream=io.BytesIO(),
            csv_stream=io.StringIO(),
            progress=lambda done: None,
        )
        record_letters(ids, by=None, note="n")
    return len(context)


def test_queries_do_not_grow_with_the_number_of_letters(caf):
    assert queries_for(caf, 3) == queries_for(caf, 12)


def test_send_letters_command(caf, tmp_path):
    from django.core.management import call_command

    waiting = addressed_case(caf, birth_name="Durand")
    addressed_case(caf, birth_name="Sans", address="")
    later = addressed_case(caf, birth_name="Apres")
    Case.objects.filter(pk=later.pk).update(status=CaseStatus.DOCUMENTS_REQUESTED)
    out = io.StringIO()

    call_command("send_letters", "--caisse", caf.code, "--out", str(tmp_path), stdout=out)

    pdfs, csvs = list(Path(tmp_path).glob("*.pdf")), list(Path(tmp_path).glob("*.csv"))
    assert len(pdfs) == len(csvs) == 1
    pages = pdf_pages(pdfs[0].read_bytes())
    assert len(pages) == 1 and "DURAND" in pages[0]
    rows = list(csv.reader(io.StringIO(csvs[0].read_text(encoding="utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == [str(waiting.pk)]
    assert ContactAttempt.objects.filter(case=waiting, channel="letter").count() == 1
    assert "1 courrier(s)" in out.getvalue()


def test_send_letters_command_status_and_limit(caf, tmp_path):
    from django.core.management import call_command

    cases = [addressed_case(caf) for _ in range(3)]
    Case.objects.filter(pk=cases[0].pk).update(status=CaseStatus.DOCUMENTS_REQUESTED)

    call_command(
        "send_letters",
        "--caisse",
        caf.code,
        "--status",
        "nia_only",
        "--status",
        "documents_requested",
        "--limit",
        "2",
        "--out",
        str(tmp_path),
        stdout=io.StringIO(),
    )

    assert ContactAttempt.objects.filter(channel="letter").count() == 2
