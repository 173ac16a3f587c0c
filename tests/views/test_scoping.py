"""Every workspace URL that carries an object id answers 404 for another caisse's object, whoever asks.

The URLs come from the resolver, so that a new one is covered the day it is added.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from cafcases.models import CaseStatus, IdentifierKind
from tests.views.helpers import fresh, open_case, workspace_patterns

OBJECT_URLS = [(name, keys) for name, keys in workspace_patterns() if any(key.endswith("pk") for key in keys)]
ROLES = ["agent", "supervisor", "national_admin"]
CAISSES = ["own_caf", "own_cpam", "other"]
# Who asks, by role and by the case's caisse; "other": staff of the CAF and of the CPAM of another department.
ASKERS = {
    ("agent", "own_caf"): ["caf_agent"],
    ("agent", "own_cpam"): ["cpam_agent"],
    ("agent", "other"): ["caf_agent", "cpam_agent"],
    ("supervisor", "own_caf"): ["caf_supervisor"],
    ("supervisor", "own_cpam"): ["cpam_supervisor"],
    ("supervisor", "other"): ["caf_supervisor", "cpam_supervisor"],
    ("national_admin", "own_caf"): ["national_admin"],
    ("national_admin", "own_cpam"): ["national_admin"],
    ("national_admin", "other"): ["national_admin"],
}


def test_the_object_urls_are_discovered():
    names = {name for name, _keys in OBJECT_URLS}
    assert {"case_detail", "case_move", "case_document", "case_chase", "case_answer", "case_reveal"} <= names
    assert len(names) == len(OBJECT_URLS) >= 10


def bundle(case, assignee):
    """A case sent for certification with its paper, request and number, and a valid body for every form."""
    document = case.documents.first()
    request_ = case.certification_requests.get()
    identifier = case.person.identifiers.get(kind=IdentifierKind.NIA)
    kwargs = {
        "pk": case.pk,
        "move_name": "close",
        "document_pk": document.pk,
        "request_pk": request_.pk,
        "identifier_pk": identifier.pk,
    }
    return SimpleNamespace(case=case, kwargs=kwargs, document=document, request=request_, assignee=assignee)


@pytest.fixture(scope="module")
def cases(module_world):
    w = module_world
    return {
        "own": bundle(open_case(w.caf, CaseStatus.SENT_FOR_CERTIFICATION), w.cpam_agent),
        "other": bundle(open_case(w.other_caf, CaseStatus.SENT_FOR_CERTIFICATION), w.other_supervisor),
    }


def body(target):
    """What the pages' forms would send: valid, so that allowed requests redirect instead of rendering."""
    version = fresh(target.case).version
    return {
        "close-version": version,
        "close-reason": "duplicate",
        "close-comment": "Doublon",
        "contact-channel": "sms",
        "contact-outcome": "sent",
        "note-text": "Vu",
        f"doc{target.document.pk}-status": "received",
        f"chase{target.request.pk}-channel": "email",
        f"answer{target.request.pk}-outcome": "no_record",
        "assign-version": version,
        "assign-agent": target.assignee.pk,
        "version": version,
        "purpose": "letter",
    }


def ask(client, name, keys, target, **override):
    """GET the URL, or POST the forms' body where the view takes only POST (a GET would answer 405)."""
    url = reverse(name, kwargs={key: override.get(key, target.kwargs[key]) for key in keys})
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, body(target))
    return response


@pytest.mark.parametrize("caisse", CAISSES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "keys"), OBJECT_URLS, ids=[name for name, _keys in OBJECT_URLS])
def test_scoping_matrix(login, world, cases, name, keys, role, caisse):
    target = cases["other" if caisse == "other" else "own"]
    expect_404 = caisse == "other" and role != "national_admin"
    for asker in ASKERS[role, caisse]:
        response = ask(login(getattr(world, asker)), name, keys, target)
        if expect_404:
            assert response.status_code == 404, (asker, response.status_code)
        else:
            assert response.status_code not in (404, 405) and response.status_code < 500, (asker, response.status_code)


SUB_OBJECTS = [(name, keys) for name, keys in OBJECT_URLS if len([key for key in keys if key.endswith("pk")]) > 1]


@pytest.mark.parametrize(("name", "keys"), SUB_OBJECTS, ids=[name for name, _keys in SUB_OBJECTS])
@pytest.mark.parametrize("asker", ["caf_agent", "national_admin"])
def test_my_case_with_another_cases_paper_request_or_number_is_404(login, world, cases, name, keys, asker):
    foreign = {key: value for key, value in cases["other"].kwargs.items() if key != "pk"}
    response = ask(login(getattr(world, asker)), name, keys, cases["own"], **foreign)
    assert response.status_code == 404
