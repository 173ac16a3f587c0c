"""import_people: every kind of row, the report, the exit codes, idempotence and the dry run."""

import csv
import datetime
from io import StringIO

import pytest
from django.utils import timezone

from cafcases import clocks
from cafcases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    ClosingReason,
    EventKind,
    Identifier,
    IdentifierKind,
    IdentifierStatus,
    Person,
    Side,
)
from cafcases.services import case_close
from tests.factories import CaseFactory, IdentifierFactory, OrganisationFactory, PersonFactory

from .conftest import DATA, registry_state, run

pytestmark = pytest.mark.django_db

VALID = DATA / "people_valid.csv"
INVALID = DATA / "people_invalid.csv"


def import_people(path, *args, caisse="CAF-59"):
    return run("import_people", path, "--caisse", caisse, *args)


def read_report(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def test_a_valid_file_creates_people_numbers_and_cases(caf):
    result = import_people(VALID)

    assert result.code == 0, result.err
    assert "Personnes créées (avec leur NIA et un dossier) : 6" in result.out
    assert "Toutes les lignes sont valides." in result.out
    assert Person.objects.count() == Identifier.objects.count() == Case.objects.count() == 6
    karim = Person.objects.get(beneficiary_number="7000001")
    assert (karim.birth_name, karim.first_names, karim.sex) == ("BENALI", "Karim", "M")
    assert (karim.birth_year, karim.birth_month, karim.birth_day) == (1990, 3, 15)
    assert karim.birth_country_id == "99352"
    assert karim.phone == "+33612345678"
    assert karim.email == "karim.benali@exemple.invalid"
    assert (karim.address, karim.postcode, karim.city) == ("12 rue de Paris", "59000", "Lille")
    assert karim.caf == caf
    # Bulk inserts skip save(): the search keys must still be those of the model.
    assert (karim.birth_name_key, karim.search_text) == ("benali", " benali karim")
    assert Person.objects.search_name("benali kar").get() == karim

    nia = karim.identifiers.get()
    assert (nia.kind, nia.value, nia.status) == (IdentifierKind.NIA, "790039935200196", IdentifierStatus.ACTIVE)
    assert nia.issuing_organisation.code == "CPAM-59"
    assert nia.issued_on is None and nia.recorded_by is None

    case = karim.cases.get()
    assert (case.status, case.side, case.caf, case.cpam.code) == (CaseStatus.NIA_ONLY, Side.CAF, caf, "CPAM-59")
    assert case.benefits_at_risk == ["aide_logement", "rsa"]
    assert case.closed_at is None and case.version == 1
    opened = case.events.get()
    assert (opened.kind, opened.by, opened.summary) == (EventKind.OPENED, None, "Dossier ouvert")
    assert "people_valid.csv" in opened.comment


def test_partial_dates_iso_countries_and_phones(caf):
    import_people(VALID)

    leila = Person.objects.get(beneficiary_number="7000002")
    assert (leila.usage_name, leila.birth_year, leila.birth_month, leila.birth_day) == ("Martin", 1985, 6, None)
    assert leila.birth_country_id == "99352"  # DZ
    ahmad = Person.objects.get(beneficiary_number="7000003")
    assert (ahmad.birth_month, ahmad.birth_day, ahmad.birth_country_id) == (None, None, "99212")
    assert ahmad.phone == "+33751234567"
    maria = Person.objects.get(beneficiary_number="7000004")
    assert maria.birth_country_id == "99134"  # ES: Spain, not its territories in North Africa (99313)
    assert maria.birth_country.name == "Espagne"
    assert maria.phone == "+33698765432"
    olena = Person.objects.get(beneficiary_number="7000006")
    assert olena.birth_country_id == "99155"  # "ua": ISO codes in any case
    assert olena.phone == "+380501234567"
    assert olena.cases.get().benefits_at_risk == ["complement_mode_garde", "prime_noel"]
    yonas = Person.objects.get(first_names="Yonas")
    assert yonas.beneficiary_number == "" and yonas.caf == caf


def test_cases_get_the_clocks_and_priority_that_refresh_clocks_would_store(caf):
    import_people(VALID)

    for case in Case.objects.select_related("person"):
        stored = {field: getattr(case, field) for field in clocks.CLOCK_FIELDS}
        clocks.refresh_clocks([case], timezone.localdate())
        assert {field: getattr(case, field) for field in clocks.CLOCK_FIELDS} == stored
    rsa_and_housing = Case.objects.get(person__beneficiary_number="7000001")
    assert rsa_and_housing.priority == 45 and rsa_and_housing.next_deadline is None
    assert rsa_and_housing.forecast_certified_on == timezone.localdate() + datetime.timedelta(days=120)


def test_running_the_same_file_again_changes_nothing(caf):
    assert import_people(VALID).code == 0
    before = registry_state()

    again = import_people(VALID)

    assert again.code == 0
    assert "Personnes créées (avec leur NIA et un dossier) : 0" in again.out
    assert "Déjà présentes : 6" in again.out
    assert "Lignes rejetées : 0" in again.out
    assert registry_state() == before


def test_dry_run_validates_and_reports_without_writing(caf, tmp_path):
    report = tmp_path / "rapport.csv"
    result = import_people(INVALID, "--dry-run", "--report", report)

    assert result.code == 1
    assert "Simulation (--dry-run) : rien n'a été enregistré." in result.out
    # Lines 8 and 19 conflict only with people of the other test: here they would be created.
    assert "Personnes créées (avec leur NIA et un dossier) : 3" in result.out
    assert "15 ligne(s) seraient rejetées." in result.err
    assert Person.objects.count() == Identifier.objects.count() == Case.objects.count() == 0
    assert len(read_report(report)) > 2

    valid = import_people(VALID, "--dry-run")
    assert valid.code == 0 and "Personnes créées (avec leur NIA et un dossier) : 6" in valid.out
    assert Person.objects.count() == 0


def test_comma_separated_without_bom_with_quoted_benefits(caf):
    result = import_people(DATA / "people_comma.csv")

    assert result.code == 0, result.out
    assert "séparateur « , »" in result.out
    mehdi = Person.objects.get(beneficiary_number="7200001")
    assert mehdi.birth_country_id == "99350"
    assert mehdi.cases.get().benefits_at_risk == ["prime_noel", "rsa"]
    assert Person.objects.get(first_names="Fatoumata").birth_country_id == "99330"  # GN


def test_every_kind_of_bad_row_is_reported_and_the_valid_rows_imported(caf, tmp_path):
    # Line 8: the NIA of somebody else; line 19: a beneficiary number held at this caisse with another NIA.
    other = PersonFactory(caf=caf, birth_name="Autre", beneficiary_number="7654321")
    IdentifierFactory(person=other, value="891049935101628")
    holder = PersonFactory(caf=caf, birth_name="Zerrouki", beneficiary_number="7000999")
    IdentifierFactory(person=holder)
    report = tmp_path / "rapport.csv"

    result = import_people(INVALID, "--report", report)

    assert result.code == 1
    assert "17 ligne(s) rejetée(s) ; les autres sont importées." in result.err
    assert "Personnes créées (avec leur NIA et un dossier) : 1" in result.out
    assert Person.objects.filter(beneficiary_number="7100002").count() == 1
    rows = read_report(report)
    assert rows[0] == ["ligne", "numero_allocataire", "colonne", "motif"]
    by_line = {}
    for line, number, column, reason in rows[1:]:
        by_line.setdefault(int(line), []).append((number, column, reason))
    assert sorted(by_line) == list(range(3, 20))
    assert by_line[3] == [("7100003", "nia", "La clé ne correspond pas au numéro (clé attendue : 19).")]
    assert by_line[4] == [("7100004", "date_naissance", "La date de naissance « 31/02/1999 » n'existe pas.")]
    assert by_line[5] == [("7100005", "date_naissance", "La date de naissance « 15/07/2087 » est dans le futur.")]
    assert by_line[6][0][1] == "pays_naissance" and "« XX » inconnu" in by_line[6][0][2]
    assert by_line[7] == [("7100002", "nia", "NIA en double dans le fichier : déjà à la ligne 2.")]
    assert by_line[8][0][1] == "nia" and by_line[8][0][2].startswith("Conflit : ce NIA appartient déjà")
    assert f"fiche n° {other.pk}" in by_line[8][0][2]
    assert by_line[9] == [("7100009", "prenoms", "Champ obligatoire vide.")]
    assert by_line[10] == [("7100010", "nia", "Ce numéro n'est pas un NIA : un NIA commence par 7 ou 8 (ici 1).")]
    assert by_line[11] == [("7100011", "nia", "Le NIA commence par 8 (F) alors que le sexe indiqué est M.")]
    assert by_line[12][0][1] == "nia" and "(96)" in by_line[12][0][2] and "(1995)" in by_line[12][0][2]
    assert by_line[13] == [("7100013", "telephone", "Téléphone invalide.")]
    assert by_line[14] == [("7100014", "email", "Adresse électronique invalide.")]
    assert by_line[15][0][:2] == ("71000", "numero_allocataire")
    assert by_line[16][0][1] == "prestations" and "allocation_chomage" in by_line[16][0][2]
    # One report line per problem of a row with several.
    assert [column for _number, column, _reason in by_line[17]] == ["sexe", "date_naissance", "pays_naissance", "nia"]
    assert by_line[18] == [
        ("7100018", "nia", "Le mois de naissance du NIA (03) ne correspond pas à la date de naissance (04).")
    ]
    assert by_line[19][0][1] == "numero_allocataire" and "autre NIA" in by_line[19][0][2]
    assert "Motifs par colonne :" in result.out


def test_a_latin1_file_is_refused_whole(caf, tmp_path):
    report = tmp_path / "rapport.csv"
    result = import_people(DATA / "people_latin1.csv", "--report", report)

    assert result.code == 2
    assert "n'est pas encodé en UTF-8" in result.err and "ligne 2" in result.err
    assert Person.objects.count() == 0
    assert read_report(report)[1][0] == "2"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("nom_naissance;prenoms;sexe;date_naissance;nia\n", "pays_naissance"),
        ("", "vide"),
        ('nia;nom_naissance;prenoms;sexe;date_naissance;pays_naissance\n"8 90;x\n', "CSV"),
    ],
)
def test_a_file_without_its_mandatory_columns_is_refused(caf, tmp_path, content, message):
    path = tmp_path / "personnes.csv"
    path.write_text(content, encoding="utf-8")
    result = import_people(path)
    assert result.code == 2 and message in result.err
    assert Person.objects.count() == 0


def test_unknown_caisse_or_missing_file_exit_with_2(caf, tmp_path):
    assert import_people(VALID, caisse="CAF-75").code == 2
    assert "CAF-75" in import_people(VALID, caisse="CAF-75").err
    cpam_only = OrganisationFactory(department="33")
    assert "Aucune CPAM" in import_people(VALID, caisse=cpam_only.code).err
    missing = import_people(tmp_path / "absent.csv")
    assert missing.code == 2 and "Impossible de lire le fichier" in missing.err
    nowhere = import_people(VALID, "--report", tmp_path / "absent" / "rapport.csv")
    assert nowhere.code == 2 and "Le dossier du rapport" in nowhere.err
    assert Person.objects.count() == 0


def test_a_person_known_by_nia_without_a_case_gets_one(caf):
    karim = PersonFactory(
        caf=caf, beneficiary_number="7000001", birth_name="Benali", sex="M", birth_year=1990, birth_month=3
    )
    IdentifierFactory(person=karim, value="790039935200196")

    result = import_people(VALID)

    assert result.code == 0
    assert "Dossiers ouverts pour des personnes existantes : 1" in result.out
    assert "Personnes créées (avec leur NIA et un dossier) : 5" in result.out
    case = karim.cases.get()
    assert case.status == CaseStatus.NIA_ONLY and case.benefits_at_risk == ["aide_logement", "rsa"]
    assert Person.objects.filter(beneficiary_number="7000001").count() == 1


def test_a_closed_case_is_not_reopened_nor_duplicated(caf):
    import_people(VALID)
    case = Case.objects.get(person__beneficiary_number="7000001")
    case_close(case=case, by=None, reason=ClosingReason.LEFT_FRANCE, comment="Parti")

    result = import_people(VALID)

    assert result.code == 0 and "Déjà présentes : 6" in result.out
    assert Case.objects.filter(person=case.person).count() == 1


def test_an_nia_is_attached_to_the_person_found_by_beneficiary_number(caf):
    karim = PersonFactory(
        caf=caf, beneficiary_number="7000001", birth_name="BENALI", sex="M", birth_year=1990, birth_month=3
    )

    result = import_people(VALID)

    assert result.code == 0
    assert "NIA ajoutés à des personnes existantes : 1" in result.out
    assert karim.identifiers.get().value == "790039935200196"
    assert karim.cases.get().status == CaseStatus.NIA_ONLY
    assert import_people(VALID).code == 0  # and then it is simply present


def test_an_nia_held_at_another_caisse_is_a_conflict(caf):
    elsewhere = PersonFactory(caf=OrganisationFactory(department="33"), birth_name="BENALI", birth_year=1990)
    IdentifierFactory(person=elsewhere, value="790039935200196")

    result = import_people(VALID)

    assert result.code == 1
    assert "autre caisse" in result.out
    assert not Person.objects.filter(beneficiary_number="7000001").exists()


def test_the_same_beneficiary_number_twice_in_a_file(caf, tmp_path):
    lines = VALID.read_text(encoding="utf-8-sig").splitlines()
    second = lines[2].replace("7000002", "7000001")
    path = tmp_path / "double.csv"
    path.write_text("\n".join([lines[0], lines[1], second]), encoding="utf-8")

    result = import_people(path)

    assert result.code == 1
    assert "Numéro allocataire en double dans le fichier : déjà à la ligne 2." in result.out
    assert Person.objects.count() == 1


def test_a_person_with_an_open_case_keeps_their_single_case(caf):
    case = CaseFactory(caf=caf, person__beneficiary_number="7000001", person__birth_name="Benali")
    case.person.identifiers.all().delete()
    IdentifierFactory(person=case.person, value="790039935200196")
    case.person.birth_year, case.person.sex = 1990, "M"
    case.person.save()

    assert import_people(VALID).code == 0
    assert Case.objects.filter(person=case.person).count() == 1
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_progress_bar_only_on_a_terminal(caf):
    class Terminal(StringIO):
        def isatty(self):
            return True

    terminal = run("import_people", VALID, "--caisse", "CAF-59", "--dry-run", stdout=Terminal())
    assert "\r" in terminal.out and "[" in terminal.out and "6/6" in terminal.out
    assert "\r" not in import_people(VALID, "--dry-run").out


@pytest.mark.postgresql
def test_a_number_recorded_by_someone_else_meanwhile_leaves_its_row_out_whole(caf, monkeypatch):
    """Another writer records one of the file's NIAs between the classification of a chunk and its write."""
    from cafcases.imports import registry

    classify = registry.Registry.classify
    intruder = PersonFactory(caf=caf, birth_name="Intrus")

    def classify_then_someone_writes(self, rows):
        result = classify(self, rows)
        IdentifierFactory(person=intruder, value="885069935200247")  # Leïla Haddad's NIA, line 3
        return result

    monkeypatch.setattr(registry.Registry, "classify", classify_then_someone_writes)

    result = import_people(VALID)

    assert result.code == 1
    assert "vient d'être enregistré par un autre traitement" in result.out
    assert "Personnes créées (avec leur NIA et un dossier) : 5" in result.out
    assert not Person.objects.filter(beneficiary_number="7000002").exists()  # no person left without their NIA
    assert Person.objects.count() == 6 and Case.objects.count() == 5
