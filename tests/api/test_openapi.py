"""The OpenAPI description partners build their client from."""

import pytest

from cafcases.models import CaseStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_it_describes_the_resolve_endpoint_and_its_answers(schema):
    operation = schema["paths"]["/api/v1/identifiers/resolve"]["post"]
    assert set(operation["responses"]) == {"200", "400", "401", "404", "429"}
    assert operation["security"] == [{"ClientToken": []}]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ResolveIn"}
    assert list(schema["paths"]) == ["/api/v1/identifiers/resolve"]  # numbers never in a path
    assert schema["components"]["securitySchemes"]["ClientToken"] == {"type": "http", "scheme": "bearer"}


def test_it_documents_the_answer_and_its_canonical_number(schema):
    components = schema["components"]["schemas"]
    answer = components["ResolveOut"]
    assert set(answer["properties"]) == {"number", "kind", "status", "use_number", "case_status"}
    assert "15 caractères" in answer["properties"]["number"]["description"]
    assert components["IdentifierKind"]["enum"] == ["NIA", "CAF_WAITING", "NIR"]
    assert components["IdentifierStatus"]["enum"] == ["active", "superseded", "revoked"]
    assert components["CaseStatus"]["enum"] == CaseStatus.values
    assert components["ErrorOut"]["required"] == ["detail"]


def test_no_interactive_docs_page(client):
    # It would load scripts from a CDN, which the Content-Security-Policy refuses.
    assert client.get("/api/v1/docs").status_code == 404
