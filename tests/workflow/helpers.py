"""Helpers shared by the workflow tests."""

from cafcases.models import Case, Identifier


def state(case):
    """What a refused write must leave untouched: the row, its events and the person's numbers."""
    row = Case.objects.get(pk=case.pk)
    numbers = sorted(Identifier.objects.filter(person_id=row.person_id).values_list("value", "kind", "status"))
    return row.status, row.version, row.side, row.events.count(), numbers
