from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cafcases.models import Case, CaseEvent, Identifier, Person
from tests.factories import OrganisationFactory

DATA = Path(__file__).resolve().parent / "data"


def run(command, *args, stdout=None):
    """Run a management command as the shell would: its exit code, what it printed and its error message."""
    out, err = stdout or StringIO(), StringIO()
    try:
        call_command(command, *[str(arg) for arg in args], stdout=out, stderr=err)
        code = 0
    except CommandError as error:
        code, message = error.returncode, str(error)
        err.write(message)
    return SimpleNamespace(code=code, out=out.getvalue(), err=err.getvalue())


def registry_state():
    """Everything the imports write, as sorted text without ids or timestamps: equal states, equal lists."""
    people = Person.objects.values_list(
        "birth_name",
        "usage_name",
        "first_names",
        "sex",
        "birth_year",
        "birth_month",
        "birth_day",
        "birth_country_id",
        "phone",
        "email",
        "address",
        "caf__code",
        "beneficiary_number",
        "search_text",
    )
    numbers = Identifier.objects.values_list("person__beneficiary_number", "kind", "value", "status", "certified_on")
    cases = Case.objects.values_list(
        "person__identifiers__value", "status", "side", "caf__code", "cpam__code", "priority", "benefits_at_risk"
    )
    events = CaseEvent.objects.values_list("case__person__identifiers__value", "kind", "summary", "to_status")
    return [sorted(map(str, rows)) for rows in (people, numbers, cases, events)]


@pytest.fixture
def caf(db):
    """CAF-59 and its CPAM, as the imports expect them."""
    caisse = OrganisationFactory(department="59")
    OrganisationFactory(cpam=True, department="59")
    return caisse
