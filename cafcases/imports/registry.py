"""Classification of valid rows against the registry and against the rows above them in the file.

A valid row is, in this order:

- rejected when its NIA, or its beneficiary number, already appeared in a valid row above (the first one wins);
- already present when its NIA is held by the same person: same caisse, same beneficiary number (both blank counts
  as the same), same folded birth name, same birth year; a case is then opened if they never had one and their NIA
  is still active (follow-up);
- a conflict when its NIA is held by anybody else;
- attached to a person found at this caisse by beneficiary number when that person holds no NIA, has no certified
  NIR and has the same birth name and year (follow-up); a conflict when found but different;
- new otherwise.
"""

from types import SimpleNamespace

from django.db import connection
from django.utils.translation import gettext as _

from cafcases.models import Case, Identifier, IdentifierKind, IdentifierStatus, Person

from .files import Problem
from .rows import BENEFICIARY_NUMBER


def _batches(values, size):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def fetch(model, key, columns, values, *, unique, **filters):
    """(key, *columns) of the rows of model whose key is among values and whose fields equal filters (a list: any of).

    PostgreSQL: one index probe per value, the values sent as one string. A long ``= ANY(…)`` list or a join lets the
    planner scan the whole table, which it does when its statistics lag behind a large import; a lateral subquery
    with LIMIT or OFFSET cannot be turned into a scan. Elsewhere: ``IN`` by batches (SQLite takes 999 parameters).
    """
    values = list(values)
    if not values:
        return []
    if connection.vendor != "postgresql":
        rows = []
        conditions = {f"{name}__in" if isinstance(value, list) else name: value for name, value in filters.items()}
        for batch in _batches(values, connection.features.max_query_params - 10):
            rows += model.objects.filter(**{f"{key}__in": batch}, **conditions).values_list(key, *columns)
        return rows
    meta, quote = model._meta, connection.ops.quote_name

    def column(name):
        return quote(meta.pk.column if name == "pk" else meta.get_field(name).column)

    conditions = [f"{column(key)} = w.v"]
    conditions += [f"{column(name)} = {'ANY(%s)' if isinstance(v, list) else '%s'}" for name, v in filters.items()]
    texts = [str(value) for value in values]
    if any("," in text for text in texts):
        raise ValueError("Registry lookups take numbers and ids, which never contain a comma.")
    cast = "::bigint[]" if isinstance(values[0], int) else ""
    sql = (
        f"SELECT w.v, t.* FROM unnest(string_to_array(%s, ','){cast}) AS w(v) CROSS JOIN LATERAL ("
        f"SELECT {', '.join(column(name) for name in columns)} FROM {quote(meta.db_table)} "
        f"WHERE {' AND '.join(conditions)} {'LIMIT 1' if unique else 'OFFSET 0'}) AS t"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [",".join(texts), *filters.values()])
        return cursor.fetchall()


def people_by_id(ids):
    """What classification needs of these people: caisse, number, folded name, year, NIAs, NIR, cases."""
    ids = sorted(ids)
    people = {}
    fields = ("caf_id", "beneficiary_number", "birth_name_key", "birth_year")
    for pk, caf_id, number, name_key, year in fetch(Person, "pk", fields, ids, unique=True):
        people[pk] = SimpleNamespace(
            pk=pk, caf_id=caf_id, number=number, name_key=name_key, year=year, nias={}, nir=False, cases=[]
        )
    kinds = [IdentifierKind.NIA.value, IdentifierKind.NIR.value]
    for person_id, kind, value, status in fetch(
        Identifier, "person_id", ("kind", "value", "status"), ids, unique=False, kind=kinds
    ):
        if kind == IdentifierKind.NIA:
            people[person_id].nias[value] = status
        elif status == IdentifierStatus.ACTIVE:
            people[person_id].nir = True
    for person_id, case_id, status in fetch(Case, "person_id", ("pk", "status"), ids, unique=False):
        people[person_id].cases.append((case_id, status))
    return people


class Registry:
    """Classifies the valid rows of one file, chunk by chunk, remembering the rows already seen."""

    def __init__(self, caisse):
        self.caisse = caisse
        self.nia_lines, self.number_lines = {}, {}

    def classify(self, rows):
        """(new rows, follow-ups (row, person, attach the NIA?), number already present, problems)."""
        candidates, problems = self._first_occurrences(rows)
        holders = dict(fetch(Identifier, "value", ("person_id",), [row.nia for row in candidates], unique=True))
        numbers = [row.beneficiary_number for row in candidates if row.beneficiary_number]
        # Found by number alone, the caisse compared here: with both in one lookup PostgreSQL may combine the caisse's
        # index (every person of the caisse) with the number's when its statistics lag behind a large import.
        numbered = {
            number: pk
            for number, pk, caf_id in fetch(Person, "beneficiary_number", ("pk", "caf_id"), numbers, unique=False)
            if caf_id == self.caisse.pk
        }
        people = people_by_id(set(holders.values()) | set(numbered.values()))
        new, follow_ups, present = [], [], 0
        for row in candidates:
            if row.nia in holders:
                person = people[holders[row.nia]]
                why = self._differences(row, person, same_caisse=True)
                if why:
                    reason = _("Conflit : ce NIA appartient déjà à une autre personne (fiche n° %(person)s : %(why)s).")
                    problems.append(self._conflict(row, "nia", reason, person, why))
                elif not person.cases and person.nias.get(row.nia) == IdentifierStatus.ACTIVE:
                    follow_ups.append((row, person, False))
                else:
                    present += 1
            elif row.beneficiary_number in numbered:
                person = people[numbered[row.beneficiary_number]]
                problem = self._number_conflict(row, person)
                if problem:
                    problems.append(problem)
                else:
                    follow_ups.append((row, person, True))
            else:
                new.append(row)
        return new, follow_ups, present, problems

    def _first_occurrences(self, rows):
        """The rows whose NIA and beneficiary number no valid row above carries; problems for the others."""
        candidates, problems = [], []
        for row in rows:
            first = self.nia_lines.get(row.nia)
            if first is not None:
                reason = _("NIA en double dans le fichier : déjà à la ligne %(line)s.") % {"line": first}
                problems.append(Problem(row.line, row.beneficiary_number, "nia", reason))
                continue
            first = self.number_lines.get(row.beneficiary_number) if row.beneficiary_number else None
            if first is not None:
                reason = _("Numéro allocataire en double dans le fichier : déjà à la ligne %(line)s.") % {"line": first}
                problems.append(Problem(row.line, row.beneficiary_number, BENEFICIARY_NUMBER, reason))
                continue
            self.nia_lines[row.nia] = row.line
            if row.beneficiary_number:
                self.number_lines[row.beneficiary_number] = row.line
            candidates.append(row)
        return candidates, problems

    def _number_conflict(self, row, person):
        """Why the NIA cannot be attached to the person holding the row's beneficiary number, or None."""
        if person.nias:
            reason = _(
                "Conflit : ce numéro allocataire appartient à une personne qui a un autre NIA (fiche n° %(person)s)."
            )
            return self._conflict(row, BENEFICIARY_NUMBER, reason, person)
        why = self._differences(row, person, same_caisse=False)
        if why:
            reason = _(
                "Conflit : ce numéro allocataire appartient à une autre personne (fiche n° %(person)s : %(why)s)."
            )
            return self._conflict(row, BENEFICIARY_NUMBER, reason, person, why)
        if person.nir:
            reason = _("Conflit : la personne de ce numéro allocataire a déjà un NIR certifié (fiche n° %(person)s).")
            return self._conflict(row, BENEFICIARY_NUMBER, reason, person)
        return None

    def _differences(self, row, person, *, same_caisse):
        why = []
        if same_caisse and person.caf_id != self.caisse.pk:
            why.append(_("autre caisse"))
        elif same_caisse and person.number != row.beneficiary_number:
            why.append(_("autre numéro allocataire"))
        if person.name_key != row.birth_name_key:
            why.append(_("autre nom de naissance"))
        if person.year != row.birth_year:
            why.append(_("autre année de naissance"))
        return ", ".join(str(reason) for reason in why)

    @staticmethod
    def _conflict(row, column, reason, person, why=""):
        return Problem(row.line, row.beneficiary_number, column, reason % {"person": person.pk, "why": why})
