"""import_certifications: certified NIRs recorded through the services, whatever the state of the person's case."""

import csv
import datetime

import pytest

from cafcases.models import (
    Case,
    CaseStatus,
    EventKind,
    Identifier,
    IdentifierKind,
    IdentifierStatus,
)
from tests.factories import CaseFactory, IdentifierFactory, PersonFactory, case_in_status

from .conftest import DATA, registry_state, run

pytestmark = pytest.mark.django_db

FILE = DATA / "certifications.csv"


# The NIAs of the file by order number: women born in June 1990 in Algeria, the factories' default person.
NIAS = {51: "890069935205144", 52: "890069935205243", 54: "890069935205441", 56: "890069935205639"}
NIAS[57] = "890069935205738"


@pytest.fixture
def people(caf):
    """The people the file speaks of: see the comments of each line below."""

    def person_with_nia(order, **kwargs):
        person = PersonFactory(caf=caf, **kwargs)
        IdentifierFactory(person=person, value=NIAS[order])
        return person

    opened = person_with_nia(51)  # line 2: an open case
    CaseFactory(caf=caf, person=opened)
    by_waiting_number = person_with_nia(52)  # line 3: found by their CAF waiting number
    CaseFactory(caf=caf, person=by_waiting_number)
    IdentifierFactory(person=by_waiting_number, kind=IdentifierKind.CAF_WAITING, value="290069935295126")
    conflicting = person_with_nia(54)  # lines 5–8: their NIR is somebody else's, or the row is invalid
    CaseFactory(caf=caf, person=conflicting)
    nir_holder = PersonFactory(caf=caf)
    IdentifierFactory(person=nir_holder, kind=IdentifierKind.NIR, value="290069935205450")
    closed = person_with_nia(56)  # line 9: their only case is closed
    case_in_status(CaseStatus.CLOSED, caf=caf, person=closed)
    without_case = person_with_nia(57)  # line 10: never had a case
    return {
        "opened": opened,
        "by_waiting_number": by_waiting_number,
        "conflicting": conflicting,
        "nir_holder": nir_holder,
        "closed": closed,
        "without_case": without_case,
    }


def read_report(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    return rows[0], {int(line): (status, column, reason) for line, status, column, reason in rows[1:]}


def nir_of(person):
    return person.identifiers.filter(kind=IdentifierKind.NIR).values_list("value", "certified_on").first()


def test_each_kind_of_row(people, tmp_path):
    report = tmp_path / "rapport.csv"

    result = run("import_certifications", FILE, "--report", report)

    assert result.code == 1
    assert "NIR enregistrés sur un dossier ouvert : 2" in result.out
    assert "NIR enregistrés et notés sur un dossier clos : 1" in result.out
    assert "NIR enregistrés sur une personne sans dossier : 1" in result.out
    assert "Déjà faits : 1" in result.out
    header, lines = read_report(report)
    assert header == ["ligne", "statut", "colonne", "motif"]
    assert sorted(lines) == [4, 5, 6, 7, 8, 9, 10, 11, 12]

    # Line 2: the open case is certified, the NIA superseded.
    opened = people["opened"]
    assert nir_of(opened) == ("290069935205153", datetime.date(2025, 1, 10))
    assert opened.cases.get().status == CaseStatus.CERTIFIED
    assert opened.identifiers.get(kind=IdentifierKind.NIA).status == IdentifierStatus.SUPERSEDED
    # Line 3: found by their waiting number.
    assert nir_of(people["by_waiting_number"])[0] == "290069935205252"
    assert people["by_waiting_number"].cases.get().status == CaseStatus.CERTIFIED
    # Line 4: nobody holds that number.
    assert lines[4] == ("non trouvé", "nia", "Aucune personne ne détient ce numéro.")
    # Line 5: the NIR is another person's.
    assert lines[5][0:2] == ("conflit", "nir") and lines[5][2].startswith("Conflit : ce NIR est déjà enregistré")
    assert people["conflicting"].cases.get().status == CaseStatus.NIA_ONLY
    # Lines 6–8: invalid rows.
    assert lines[6] == ("invalide", "nir", "La clé ne correspond pas au numéro (clé attendue : 50).")
    assert lines[7][0:2] == ("invalide", "nir") and "(NIA)" in lines[7][2]
    assert lines[8] == ("invalide", "date_certification", "La date « 31/02/2024 » n'existe pas.")
    # Line 9: the closed case stays closed, its timeline tells that the NIR arrived.
    closed_case = people["closed"].cases.get()
    assert nir_of(people["closed"])[0] == "290069935205648"
    assert closed_case.status == CaseStatus.CLOSED
    note = closed_case.events.get(kind=EventKind.IDENTIFIER)
    assert note.by is None and "après la clôture" in note.summary and "certifications.csv" in note.comment
    assert lines[9][0] == "dossier clos" and f"n° {closed_case.pk}" in lines[9][2]
    # Line 10: recorded on a person without a case, and reported.
    assert nir_of(people["without_case"])[0] == "290069935205747"
    assert lines[10][0] == "sans dossier"
    assert not Case.objects.filter(person=people["without_case"]).exists()
    # Line 11: line 2 again; line 12: no date.
    assert lines[11] == ("déjà fait", "nir", "Ce NIR est déjà enregistré pour cette personne.")
    assert lines[12] == ("invalide", "date_certification", "Champ obligatoire vide.")


def test_running_the_file_again_changes_nothing(people):
    run("import_certifications", FILE)
    before = registry_state()

    again = run("import_certifications", FILE)

    assert again.code == 1  # the invalid, unmatched and conflicting rows are still there
    assert "NIR enregistrés sur un dossier ouvert : 0" in again.out
    assert "Déjà faits : 5" in again.out
    assert registry_state() == before


def test_a_clean_file_exits_with_0_then_0_again(people, tmp_path):
    lines = FILE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "certifications.csv"
    path.write_text("\n".join([lines[0], lines[1], lines[2]]) + "\n", encoding="utf-8")

    assert run("import_certifications", path).code == 0
    again = run("import_certifications", path)
    assert again.code == 0 and "Déjà faits : 2" in again.out


def test_dry_run_goes_through_the_services_and_keeps_nothing(people):
    before = registry_state()

    result = run("import_certifications", FILE, "--dry-run")

    assert result.code == 1
    assert "Simulation (--dry-run)" in result.out and "NIR enregistrés sur un dossier ouvert : 2" in result.out
    assert registry_state() == before
    assert not Identifier.objects.filter(kind=IdentifierKind.NIR).exclude(person=people["nir_holder"]).exists()


def test_an_unreadable_file_exits_with_2(caf, tmp_path):
    path = tmp_path / "certifications.csv"
    path.write_bytes(
        "nia;nir;date_certification\n8 90 06 99 352 051 44;2 90 06 99 352 051 53;10/01/2025;é\n".encode("latin-1")
    )
    assert run("import_certifications", path).code == 2
    path.write_text("nia;nir\n", encoding="utf-8")
    result = run("import_certifications", path)
    assert result.code == 2 and "date_certification" in result.err
