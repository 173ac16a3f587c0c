"""Recipes for the case ModelAdmins: `build(rows, related)` makes `rows` rows and returns one to open.

Rows of a child model (events, contacts, notes, chases) share a few cases: a missing select_related still costs one
query per row, since every row is its own instance. A case holds one document of each kind.
"""

import datetime

from django.utils import timezone

from cafcases.models import Country
from cafcases.models.cases import Case, CaseEvent, CaseStatus, EventKind
from cafcases.models.casework import (
    CaseDocument,
    CaseNote,
    CertificationRequest,
    Channel,
    Chase,
    ContactAttempt,
    ContactChannel,
    ContactOutcome,
    DocumentKind,
    DocumentStatus,
)
from tests.factories import CaseFactory, CertificationRequestFactory, DocumentFactory, UserFactory


def _cases(count):
    countries = list(Country.objects.current_states().order_by("code")[:5])
    return [
        CaseFactory(person__birth_name="Martin", person__birth_country=countries[index % len(countries)])
        for index in range(count)
    ]


def _agents(case, count=3):
    return [UserFactory(organisation=case.caf) for _ in range(count)]


def build_cases(rows, related):
    """`rows` open cases of distinct CAFs; the first has `related` contacts and notes."""
    cases = _cases(rows)
    target = cases[0]
    agents = _agents(target)
    for index in range(related):
        by = agents[index % len(agents)]
        ContactAttempt.objects.create(
            case=target, channel=ContactChannel.PHONE, outcome=ContactOutcome.REACHED, note=f"Appel {index}", by=by
        )
        CaseNote.objects.create(case=target, text=f"Note {index}", by=by)
    return target


def build_events(rows, related):
    case = _cases(1)[0]
    agents = _agents(case)
    for index in range(rows - 1):
        CaseEvent.objects.create(case=case, kind=EventKind.NOTE, summary=f"Note {index}", by=agents[index % 3])
    return case.events.first()


def build_documents(rows, related):
    """`rows` documents, every kind for each case (a case holds one document of each kind)."""
    kinds = list(DocumentKind)
    cases = _cases(-(-rows // len(kinds)))
    documents = [
        DocumentFactory(case=cases[index // len(kinds)], kind=kinds[index % len(kinds)]) for index in range(rows)
    ]
    return documents[0]


def build_contacts(rows, related):
    case = _cases(1)[0]
    agents = _agents(case)
    contacts = [
        ContactAttempt.objects.create(
            case=case, channel=ContactChannel.PHONE, outcome=ContactOutcome.NO_ANSWER, by=agents[index % 3]
        )
        for index in range(rows)
    ]
    return contacts[0]


def build_notes(rows, related):
    case = _cases(1)[0]
    agents = _agents(case)
    notes = [CaseNote.objects.create(case=case, text=f"Note {index}", by=agents[index % 3]) for index in range(rows)]
    return notes[0]


def build_requests(rows, related):
    """`rows` open certification requests; the first has `related` chases."""
    requests = [CertificationRequestFactory(case=case) for case in _cases(min(rows, 5))]
    while len(requests) < rows:
        # One open request per case and country: the others were answered.
        requests.append(
            CertificationRequestFactory(case=requests[len(requests) % 5].case, answered_after=len(requests))
        )
    target = requests[0]
    agents = _agents(target.case)
    for index in range(related):
        Chase.objects.create(
            request=target,
            sent_on=timezone.localdate() - datetime.timedelta(days=index),
            channel=Channel.EMAIL,
            created_by=agents[index % 3],
        )
    return target


def build_chases(rows, related):
    requests = [CertificationRequestFactory(case=case) for case in _cases(2)]
    agents = _agents(requests[0].case)
    chases = [
        Chase.objects.create(
            request=requests[index % 2],
            sent_on=timezone.localdate() - datetime.timedelta(days=index),
            channel=Channel.POST,
            created_by=agents[index % 3],
        )
        for index in range(rows)
    ]
    return chases[0]


# model: (build, changelist query strings with list filters)
CASE_RECIPES = {
    Case: (build_cases, [f"status__exact={CaseStatus.NIA_ONLY}", "q=martin"]),
    CaseEvent: (build_events, [f"kind__exact={EventKind.NOTE}"]),
    CaseDocument: (build_documents, [f"status__exact={DocumentStatus.REQUESTED}"]),
    ContactAttempt: (build_contacts, [f"outcome__exact={ContactOutcome.NO_ANSWER}"]),
    CaseNote: (build_notes, []),
    CertificationRequest: (build_requests, ["channel__exact=portal"]),
    Chase: (build_chases, [f"channel__exact={Channel.POST}"]),
}
