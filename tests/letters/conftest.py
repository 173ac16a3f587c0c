import io

import pytest
from pypdf import PdfReader

from cafcases.models import Language
from tests.factories import CaseFactory, OrganisationFactory, PersonFactory


@pytest.fixture
def caf(db):
    return OrganisationFactory(
        department="59",
        name="CAF du Nord",
        address="12 rue de l'Exemple\n59000 Lille",
        phone="+33 1 99 00 59 01",
        email="caf-nord@caisse.invalid",
    )


def addressed_case(caf, *, language=Language.FRENCH, sex="F", address="3 rue des Lilas", **person):
    person = PersonFactory(
        caf=caf,
        sex=sex,
        preferred_language=language,
        address=address,
        postcode=person.pop("postcode", "59000"),
        city=person.pop("city", "Lille"),
        **person,
    )
    return CaseFactory(caf=caf, person=person)


def pdf_pages(data):
    """The text of each page of a PDF."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
