"""Query-count guards: the queue (every tab) and the case page cost the same with 5 or 50 of everything."""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from cafcases import services
from cafcases.models import (
    Case,
    CaseEvent,
    CaseNote,
    CaseStatus,
    Channel,
    Chase,
    ContactAttempt,
    ContactChannel,
    ContactOutcome,
    Country,
    DocumentKind,
    EventKind,
    Identifier,
    IdentifierKind,
    IdentifierStatus,
    Person,
)
from cafcases.views.queue import TABS
from tests.factories import nia_for
from tests.views.helpers import case_url, count_queries, open_case, overdue_nia_date

QUEUE = reverse("queue")


def clone_cases(case, count, agents=(None,)):
    """``count`` copies of ``case`` for new people born in various countries, assigned in turn to ``agents``."""
    person = case.person
    skip = {"id", "created_at", "updated_at", "beneficiary_number"}
    person_fields = {
        f.attname: getattr(person, f.attname) for f in Person._meta.concrete_fields if f.attname not in skip
    }
    countries = itertools.cycle(Country.objects.order_by("code").values_list("code", flat=True)[:20])
    people = Person.objects.bulk_create(
        [
            Person(**{**person_fields, "birth_name": f"Copie {index}", "birth_country_id": next(countries)})
            for index in range(count)
        ]
    )
    case_fields = {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields if f.attname != "id"}
    turns = itertools.cycle(agents)
    Case.objects.bulk_create(
        [
            Case(**{**case_fields, "person_id": clone.pk, "assigned_to_id": getattr(next(turns), "pk", None)})
            for clone in people
        ]
    )


def fill_queue(world, count):
    """``count`` cases in every tab of the CPAM supervisor's queue, one of each built through the services."""
    w, overdue = world, overdue_nia_date()
    templates = [
        (open_case(w.caf, CaseStatus.WAITING_NUMBER_ISSUED, nia_issued_on=overdue), (None,)),  # to take, late
        (
            open_case(w.caf, CaseStatus.WAITING_NUMBER_ISSUED, nia_issued_on=overdue, assigned_to=w.cpam_supervisor),
            (w.cpam_supervisor,),
        ),  # mine
        (
            open_case(w.caf, CaseStatus.DOCUMENTS_REQUESTED, assigned_to=w.cpam_agent),
            (w.cpam_agent, w.cpam_agent2, w.cpam_supervisor),
        ),  # waiting on a third party, various agents
        (open_case(w.caf, CaseStatus.CLOSED), (None,)),  # done
    ]
    for case, agents in templates:
        clone_cases(case, count - 1, agents)


def queue_costs(client):
    costs = {}
    for slug in TABS:
        queries, _sql, response = count_queries(client, f"{QUEUE}?onglet={slug}")
        costs[slug] = (queries, len(response.context["cases"]))
    return costs


def test_the_queue_costs_the_same_with_5_and_50_rows(login, world):
    fill_queue(world, 5)
    client = login(world.cpam_supervisor)
    small = queue_costs(client)
    fill_queue(world, 46)  # 51 of each: more than a page
    big = queue_costs(client)
    for slug in TABS:
        assert big[slug][0] == small[slug][0], (slug, small[slug], big[slug])
        assert big[slug][1] > small[slug][1] or big[slug][1] == 50, slug
    assert {rows for _queries, rows in big.values()} >= {50}


def load_case(case, count, agent):
    """``count`` contacts, notes, events, chases, numbers and earlier cases; papers: 3, or every kind for 50."""
    now = timezone.now()
    ContactAttempt.objects.bulk_create(
        [
            ContactAttempt(case=case, channel=ContactChannel.SMS, outcome=ContactOutcome.SENT, note=f"{i}", by=agent)
            for i in range(count)
        ]
    )
    CaseNote.objects.bulk_create([CaseNote(case=case, text=f"Note {i}", by=agent) for i in range(count)])
    CaseEvent.objects.bulk_create(
        [CaseEvent(case=case, kind=EventKind.NOTE, summary=f"Événement {i}", by=agent) for i in range(count)]
    )
    for _ in range(max(1, count // 10)):
        request = services.certification_request_create(
            case=case, authority="consulate", country=case.person.birth_country, channel=Channel.EMAIL, by=agent
        )
        Chase.objects.bulk_create(
            [Chase(request=request, channel=Channel.POST, sent_on=now.date(), created_by=agent) for _ in range(10)]
        )
    Identifier.objects.bulk_create(
        [
            Identifier(
                person=case.person,
                kind=IdentifierKind.NIA,
                value=nia_for(case.person),
                status=IdentifierStatus.SUPERSEDED,
                superseded_at=now,
            )
            for _ in range(count // 5)
        ]
    )
    earlier = Case.objects.filter(pk=case.pk).values()[0]
    del earlier["id"]
    earlier.update(status=CaseStatus.CLOSED, side="", closed_at=now, closing_reason="duplicate", assigned_to_id=None)
    Case.objects.bulk_create([Case(**earlier) for _ in range(count // 5)])
    if count >= 50:
        for kind in (DocumentKind.SWORN_TRANSLATION, DocumentKind.OFPRA_CERTIFICATE):
            services.document_add(case=case, kind=kind, by=agent)


@pytest.mark.parametrize("who", ["cpam_agent", "caf_supervisor"])
def test_the_case_page_costs_the_same_with_5_and_50_of_everything(login, world, who):
    small, big = (
        open_case(world.caf, CaseStatus.DOCUMENTS_REQUESTED, born_in_france=True, assigned_to=world.cpam_agent)
        for _ in range(2)
    )
    load_case(small, 5, world.cpam_agent)
    load_case(big, 50, world.cpam_agent2)
    client = login(getattr(world, who))
    small_queries, _sql, small_page = count_queries(client, case_url(small))
    big_queries, _sql, big_page = count_queries(client, case_url(big))
    assert big_queries == small_queries
    assert len(big_page.context["documents"]) == 5 > len(small_page.context["documents"])
    assert len(big_page.context["contacts"]) == 50 and len(big_page.context["events"]) > 50
    assert len(big_page.context["identifiers"]) == 12 and len(big_page.context["other_cases"]) == 10
