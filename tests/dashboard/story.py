"""A caisse's cases with known dates, built through the services while travelling in time; figures computed by hand.

Today is Monday 10 March 2025, 09:30 in Paris. Every case belongs to ``caf`` (and to ``cpam``, its department's CPAM),
born in Algeria (reference delay set to 120 days) unless noted; Afghanistan's reference is set to 180 days.

====  =====================================================================  ==================  ===================
case  moves (local dates, 09:00 unless noted)                                 status today        stage age (days)
====  =====================================================================  ==================  ===================
K1    opened 08/02/25 23:30; assigned to Alice 10/03 08:00                   nia_only            30 (0–30)
K18   NIA of 20/06/24; opened 07/02/25 00:15; assigned to Bruno 09/03 23:30   nia_only            31 (31–60)
K2    NIA of 01/06/24; opened 01/08/24; assigned to Alice 20/02/25            nia_only            221 (> 180)
K3    NIA of 01/05/24; opened 02/01/25; waiting number 05/01/25 21:00         waiting_number      64 (61–90)
K4    opened 10/01/25; waiting number 18/01; papers asked 20/01              documents_requested 49 (31–60)
K5    opened 01/12/24; waiting number 06/12; papers asked 15/12              documents_requested 85 (61–90)
K6    opened 01/11/24; waiting number 11/11; papers asked 20/11              documents_requested 110 (91–180)
K12   opened 01/11/24; waiting 02/11; papers 03/11; complete 20/11; sent 01/12   sent_for_cert.   99 (91–180)
K13   opened 01/09/24; … sent 01/10/24; to the country 15/10/24              awaiting_country    146 (91–180)
K16   refugee (OFPRA), born in Afghanistan; opened 01/10/24; … sent 01/11/24 sent_for_cert.      129 (91–180)
K8    opened 10/05/24; … sent 01/06/24; NIR 09/10/24 (130 d); Bruno 10/03/25  certified           152 (91–180)
K10   opened 01/02/24; … sent 01/03/24; NIR 06/11/24 (250 d); Bruno 03/03/25  certified           124 (91–180)
K15   Afghanistan; opened 01/08/24; … sent 01/09/24; NIR 20/11/24 (80 d)      certified           110 (91–180)
K7    opened 01/05/24; … sent 20/05/24; NIR 28/08/24 (100 d); closed 02/09   closed
K9    opened 01/06/24; … sent 01/07/24; NIR 08/12/24 (160 d); closed 20/12   closed
K11   opened 01/12/22; … sent 10/01/23; NIR 13/02/24 (outside 12 months)     closed
K14   Afghanistan; opened 01/07/24; … sent 01/08/24; NIR 30/09/24 (60 d)      closed
K17   opened Monday 03/03/25 00:30 (Sunday 23:30 UTC); closed 05/03/25       closed
====  =====================================================================  ==================  ===================

Another CAF's cases (X1 waiting number this week, X2 certified in 10 days, Algeria) must never count for ``caf``.
"""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import time_machine

from cafcases import services
from cafcases.models import ClosingReason, Country
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    nir_for,
    verify_all_documents,
)

PARIS = ZoneInfo("Europe/Paris")
FROZEN_AT = datetime.datetime(2025, 3, 10, 9, 30, tzinfo=PARIS)
TODAY = FROZEN_AT.date()
ALGERIA, AFGHANISTAN = "99352", "99212"


def at(day, month, year, hour=9, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def _move(case, name, by, agent=None):
    if name == "issue":
        services.case_issue_waiting_number(case=case, by=by)
    elif name == "request":
        services.case_request_documents(case=case, by=by)
    elif name == "complete":
        verify_all_documents(case, by=by)
        services.case_mark_documents_complete(case=case, by=by)
    elif name == "send":
        services.case_send_for_certification(case=case, by=by)
    elif name == "country":
        services.case_mark_awaiting_country(case=case, by=by)
    elif name == "certify":
        services.case_record_certified_nir(case=case, nir=nir_for(case.person), by=by)
    elif name == "close_certified":
        services.case_close_certified(case=case, by=by)
    elif name == "close":
        services.case_close(case=case, by=by, reason=ClosingReason.ABANDONED, comment="Sans nouvelles")
    elif name == "assign":
        services.case_assign(case=case, agent=agent, by=agent)
    else:
        raise ValueError(name)


def tell(*, caf, opened, steps=(), country=ALGERIA, nia_issued_on=None, refugee=False, by=None):
    """Open a case at ``opened``, then make each move (name, moment[, agent]) at its moment."""
    person_kwargs = {"caf": caf, "birth_country": Country.objects.get(code=country)}
    if refugee:
        person_kwargs["refugee"] = True
    with time_machine.travel(opened, tick=False):
        person = PersonFactory(**person_kwargs)
        case = CaseFactory(caf=caf, person=person, nia_issued_on=nia_issued_on or opened.date())
    for name, moment, *agent in steps:
        with time_machine.travel(moment, tick=False):
            _move(case, name, by, *agent)
    case.refresh_from_db()
    return case


def certified_path(opened, sent, certified):
    """The moves from opening to a NIR certified straight from "sent for certification" (one request, one answer)."""
    return [
        ("issue", opened + datetime.timedelta(days=1)),
        ("request", opened + datetime.timedelta(days=2)),
        ("complete", opened + datetime.timedelta(days=9)),
        ("send", sent),
        ("certify", certified),
    ]


def build_story():
    Country.objects.filter(code=ALGERIA).update(certification_delay_days=120)
    Country.objects.filter(code=AFGHANISTAN).update(certification_delay_days=180)
    caf = OrganisationFactory()
    cpam = OrganisationFactory(cpam=True, department=caf.department)
    other_caf = OrganisationFactory()
    OrganisationFactory(cpam=True, department=other_caf.department)
    s = SimpleNamespace(caf=caf, cpam=cpam, other_caf=other_caf)
    s.alice = UserFactory(organisation=caf, username="alice", first_name="Alice", last_name="Martin")
    s.bruno = UserFactory(organisation=caf, username="bruno", first_name="Bruno", last_name="Petit")
    s.supervisor = UserFactory(
        organisation=caf, supervisor=True, username="sophie", first_name="Sophie", last_name="Bernard"
    )
    s.cpam_supervisor = UserFactory(organisation=cpam, supervisor=True, username="superviseur-cpam")
    s.other_supervisor = UserFactory(organisation=other_caf, supervisor=True, username="superviseur-autre")
    s.national_admin = UserFactory(national_admin=True, username="national")
    k = s.cases = SimpleNamespace()

    k.K1 = tell(caf=caf, opened=at(8, 2, 2025, 23, 30), steps=[("assign", at(10, 3, 2025, 8), s.alice)])
    k.K18 = tell(
        caf=caf,
        opened=at(7, 2, 2025, 0, 15),
        nia_issued_on=datetime.date(2024, 6, 20),
        steps=[("assign", at(9, 3, 2025, 23, 30), s.bruno)],
    )
    k.K2 = tell(
        caf=caf,
        opened=at(1, 8, 2024),
        nia_issued_on=datetime.date(2024, 6, 1),
        steps=[("assign", at(20, 2, 2025), s.alice)],
    )
    k.K3 = tell(
        caf=caf,
        opened=at(2, 1, 2025),
        nia_issued_on=datetime.date(2024, 5, 1),
        steps=[("issue", at(5, 1, 2025, 21))],
    )
    k.K4 = tell(caf=caf, opened=at(10, 1, 2025), steps=[("issue", at(18, 1, 2025)), ("request", at(20, 1, 2025))])
    k.K5 = tell(caf=caf, opened=at(1, 12, 2024), steps=[("issue", at(6, 12, 2024)), ("request", at(15, 12, 2024))])
    k.K6 = tell(caf=caf, opened=at(1, 11, 2024), steps=[("issue", at(11, 11, 2024)), ("request", at(20, 11, 2024))])
    k.K12 = tell(
        caf=caf,
        opened=at(1, 11, 2024),
        steps=[
            ("issue", at(2, 11, 2024)),
            ("request", at(3, 11, 2024)),
            ("complete", at(20, 11, 2024)),
            ("send", at(1, 12, 2024)),
        ],
    )
    k.K13 = tell(
        caf=caf,
        opened=at(1, 9, 2024),
        steps=[
            ("issue", at(2, 9, 2024)),
            ("request", at(3, 9, 2024)),
            ("complete", at(20, 9, 2024)),
            ("send", at(1, 10, 2024)),
            ("country", at(15, 10, 2024)),
        ],
    )
    k.K16 = tell(
        caf=caf,
        opened=at(1, 10, 2024),
        country=AFGHANISTAN,
        refugee=True,
        steps=[
            ("issue", at(2, 10, 2024)),
            ("request", at(3, 10, 2024)),
            ("complete", at(20, 10, 2024)),
            ("send", at(1, 11, 2024)),
        ],
    )
    k.K8 = tell(
        caf=caf,
        opened=at(10, 5, 2024),
        steps=[
            *certified_path(at(10, 5, 2024), at(1, 6, 2024), at(9, 10, 2024)),
            ("assign", at(10, 3, 2025, 8, 30), s.bruno),
        ],
    )
    k.K10 = tell(
        caf=caf,
        opened=at(1, 2, 2024),
        steps=[*certified_path(at(1, 2, 2024), at(1, 3, 2024), at(6, 11, 2024)), ("assign", at(3, 3, 2025), s.bruno)],
    )
    k.K15 = tell(
        caf=caf,
        opened=at(1, 8, 2024),
        country=AFGHANISTAN,
        steps=certified_path(at(1, 8, 2024), at(1, 9, 2024), at(20, 11, 2024)),
    )
    k.K7 = tell(
        caf=caf,
        opened=at(1, 5, 2024),
        steps=[*certified_path(at(1, 5, 2024), at(20, 5, 2024), at(28, 8, 2024)), ("close_certified", at(2, 9, 2024))],
    )
    k.K9 = tell(
        caf=caf,
        opened=at(1, 6, 2024),
        steps=[*certified_path(at(1, 6, 2024), at(1, 7, 2024), at(8, 12, 2024)), ("close_certified", at(20, 12, 2024))],
    )
    k.K11 = tell(
        caf=caf,
        opened=at(1, 12, 2022),
        steps=[
            *certified_path(at(1, 12, 2022), at(10, 1, 2023), at(13, 2, 2024)),
            ("close_certified", at(20, 2, 2024)),
        ],
    )
    k.K14 = tell(
        caf=caf,
        opened=at(1, 7, 2024),
        country=AFGHANISTAN,
        steps=[*certified_path(at(1, 7, 2024), at(1, 8, 2024), at(30, 9, 2024)), ("close_certified", at(5, 10, 2024))],
    )
    k.K17 = tell(caf=caf, opened=at(3, 3, 2025, 0, 30), steps=[("close", at(5, 3, 2025, 10))])

    k.X1 = tell(caf=other_caf, opened=at(4, 3, 2025), steps=[("issue", at(5, 3, 2025))])
    k.X2 = tell(
        caf=other_caf, opened=at(1, 5, 2024), steps=certified_path(at(1, 5, 2024), at(1, 6, 2024), at(11, 6, 2024))
    )
    return s
