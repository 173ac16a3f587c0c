"""Writing a batch of letters: the PDF, the CSV of what was sent, and one contact per letter in the case's log.

Bounded memory whatever the size: the cases are read by chunks of ids (never all people at once), each page is
drawn and the CSV row written as they come. The contacts are recorded once the PDF is complete, set-based (one insert
of contacts, one of timeline events and one update of the cases per chunk), in one transaction: a batch that fails
midway records nothing, and no letter is logged as sent that was never printed.
"""

import csv
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cafcases.models import Case, CaseEvent, ContactAttempt, ContactChannel, ContactOutcome, EventKind
from cafcases.services.casework import contact_record

from .pdf import TITLES, LetterPdf, letter_language

CHUNK_SIZE = 1000
CSV_HEADER = ("dossier", "nom", "adresse", "code_postal", "commune", "langue", "date")
# What a letter needs of its case and person: read with .only() so that 10,000 cases stay light.
CASE_FIELDS = (
    "id",
    "caf_id",
    "person__sex",
    "person__birth_name",
    "person__usage_name",
    "person__first_names",
    "person__address",
    "person__postcode",
    "person__city",
    "person__preferred_language",
    "person__beneficiary_number",
)


@dataclass(slots=True)
class Letter:
    case_id: int
    language: str
    sex: str
    name: str
    address: str
    postcode: str
    city: str
    beneficiary_number: str

    @property
    def address_lines(self):
        # La Poste's standard: the last line is "POSTCODE TOWN" in capitals, no comma.
        return [self.name, *[part.strip() for part in self.address.split("\n") if part.strip()], self.town_line]

    @property
    def town_line(self):
        return f"{self.postcode} {self.city.upper()}".strip()


def letter_for(case):
    person = case.person
    language = letter_language(person.preferred_language)
    surname = (person.usage_name or person.birth_name).upper()
    title = TITLES[language].get(person.sex, "")
    return Letter(
        case_id=case.pk,
        language=language,
        sex=person.sex if person.sex in ("F", "M") else "",
        name=" ".join(part for part in (title, person.first_names, surname) if part),
        address=person.address,
        postcode=person.postcode,
        city=person.city,
        beneficiary_number=person.beneficiary_number,
    )


def with_postal_address(cases):
    """Cases whose person has a postal address: a letter needs one."""
    return cases.exclude(person__address="").exclude(person__postcode="")


def mailing_order(cases):
    """The case ids in the order La Poste sorts mail (postcode, then name): a presorted batch costs less."""
    return list(
        with_postal_address(cases)
        .order_by("person__postcode", "person__birth_name_key", "pk")
        .values_list("pk", flat=True)
    )


def _chunks(values, size):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def contact_note(reference):
    return _("Courrier « numéro d'attente CAF et rendez-vous » envoyé (%(reference)s).") % {"reference": reference}


def record_letters(case_ids, *, by, note, chunk_size=CHUNK_SIZE):
    """One contact "letter sent" per case, and its timeline event; set-based beyond a single case."""
    if len(case_ids) == 1:
        contact_record(
            case=Case.objects.select_related("person").get(pk=case_ids[0]),
            channel=ContactChannel.LETTER,
            outcome=ContactOutcome.SENT,
            by=by,
            note=note,
        )
        return
    now = timezone.now()
    with translation.override("fr"):  # the timeline is read by French agents
        summary = str(ContactAttempt(channel=ContactChannel.LETTER, outcome=ContactOutcome.SENT))
    for ids in _chunks(case_ids, chunk_size):
        ContactAttempt.objects.bulk_create(
            ContactAttempt(case_id=pk, channel=ContactChannel.LETTER, outcome=ContactOutcome.SENT, note=note, by=by)
            for pk in ids
        )
        CaseEvent.objects.bulk_create(
            CaseEvent(case_id=pk, kind=EventKind.CONTACT, by=by, summary=summary, comment=note) for pk in ids
        )
        Case.objects.filter(pk__in=ids).update(last_event_at=now)


def write_letters(
    case_ids,
    *,
    scope,
    caisse,
    pdf_stream,
    csv_stream,
    today=None,
    progress=None,
    chunk_size=CHUNK_SIZE,
):
    """Write a page and a CSV row per case of ``case_ids`` found in ``scope``; return the ids written.

    The caller then logs them with ``record_letters``, in the transaction that keeps the files.

    ``progress(done)`` is called after each chunk (outside any transaction, so that a progress page sees it).
    """
    today = today or timezone.localdate()
    pdf = LetterPdf(pdf_stream, caisse=caisse, booking_url=settings.PUBLIC_BOOKING_URL, today=today)
    writer = csv.writer(csv_stream, delimiter=";")
    writer.writerow(CSV_HEADER)
    written = []
    date = today.isoformat()
    for ids in _chunks(case_ids, chunk_size):
        cases = scope.filter(pk__in=ids).select_related("person").only(*CASE_FIELDS).in_bulk()
        for pk in ids:
            case = cases.get(pk)
            if case is None:  # moved out of the caisse's reach since it was selected
                continue
            letter = letter_for(case)
            pdf.add(letter)
            address = " ".join(part.strip() for part in letter.address.split("\n"))
            writer.writerow((pk, letter.name, address, letter.postcode, letter.city, letter.language, date))
            written.append(pk)
        if progress:
            progress(len(written))
    pdf.close()
    return written
