"""The seed_demo command: demo caisses, accounts, people and their cases; idempotence, refusal outside DEBUG, volume."""

import datetime
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from cafcases import clocks, workflow
from cafcases.demo_cases import FORECAST_COUNTRY
from cafcases.identifiers import parse_number
from cafcases.management.commands.seed_demo import DEMO_PASSWORD, VOLUME_FIRST_BENEFICIARY_NUMBER
from cafcases.models import (
    Authority,
    Case,
    CaseDocument,
    CaseEvent,
    CaseNote,
    CaseStatus,
    CertificationRequest,
    ClosingReason,
    ContactAttempt,
    DocumentStatus,
    EventKind,
    Identifier,
    IdentifierKind,
    IdentifierStatus,
    Organisation,
    OrganisationKind,
    Person,
    ProtectionStatus,
    RequestOutcome,
    Role,
    Side,
    Track,
    User,
)
from cafcases.models.people import FIRST_DIGITS, FRANCE_CODE
from cafcases.roles import ROLE_GROUP_NAMES
from cafcases.services import identifier_issue_waiting_number
from tests.factories import IdentifierFactory, PersonFactory, nia_for

pytestmark = pytest.mark.django_db

EXPECTED_USERS = {
    "agent.caf59": (Role.AGENT, "CAF-59"),
    "superviseur.caf59": (Role.SUPERVISOR, "CAF-59"),
    "agent.cpam59": (Role.AGENT, "CPAM-59"),
    "superviseur.cpam59": (Role.SUPERVISOR, "CPAM-59"),
    "agent.caf33": (Role.AGENT, "CAF-33"),
    "superviseur.caf33": (Role.SUPERVISOR, "CAF-33"),
    "agent.cpam33": (Role.AGENT, "CPAM-33"),
    "superviseur.cpam33": (Role.SUPERVISOR, "CPAM-33"),
    "admin.national": (Role.NATIONAL_ADMIN, None),
}


@pytest.fixture
def debug(settings):
    settings.DEBUG = True  # the command refuses to run otherwise, and the test settings turn DEBUG off


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def categories(people):
    """Count people by the numbers they hold now: certified NIR, CAF waiting number, NIA only, nothing."""
    active = defaultdict(set)
    for person_id, kind in Identifier.objects.active().filter(person__in=people).values_list("person_id", "kind"):
        active[person_id].add(kind)
    counts = Counter()
    for person_id in people.values_list("id", flat=True):
        kinds = active[person_id]
        if IdentifierKind.NIR in kinds:
            counts["certified"] += 1
        elif IdentifierKind.CAF_WAITING in kinds:
            counts["waiting"] += 1
        elif IdentifierKind.NIA in kinds:
            counts["nia"] += 1
        else:
            counts["none"] += 1
    return counts


def assert_numbers_match_their_people(people):
    low, high = django_settings.CAF_WAITING_ORDER_RANGE
    identifiers = Identifier.objects.filter(person__in=people).select_related("person")
    assert identifiers.exists()
    for identifier in identifiers:
        number = parse_number(identifier.value)  # raises on any invalid number
        person = identifier.person
        assert number.value == identifier.value
        assert identifier.value[0] in FIRST_DIGITS[identifier.kind]
        assert number.is_provisional == (identifier.kind == IdentifierKind.NIA)
        assert number.sex == person.sex
        assert int(number.birth_year) == person.birth_year % 100
        assert number.birth_month == person.birth_month  # None in both when the month is unknown
        assert number.country_code == person.birth_country_id
        if identifier.kind == IdentifierKind.CAF_WAITING:
            assert low <= int(number.order) <= high
        if identifier.kind == IdentifierKind.NIR:
            assert int(number.order) < low
            assert identifier.status == IdentifierStatus.ACTIVE
            assert identifier.certified_on is not None
        if identifier.status == IdentifierStatus.SUPERSEDED:
            assert identifier.superseded_at is not None
            assert identifier.kind != IdentifierKind.NIR
    # A certified person's older numbers are all superseded: NIA and waiting number.
    certified = people.filter(identifiers__kind=IdentifierKind.NIR)
    assert not Identifier.objects.active().filter(person__in=certified).exclude(kind=IdentifierKind.NIR).exists()


def snapshot():
    """Everything the demo writes, in a comparable form."""
    return {
        "organisations": list(Organisation.objects.values_list("code", "kind", "department", "name", "phone", "email")),
        "users": list(
            User.objects.order_by("username").values_list(
                "username", "role", "organisation__code", "is_staff", "is_superuser", "is_active", "email"
            )
        ),
        "groups": sorted(User.groups.through.objects.values_list("user__username", "group__name")),
        "people": list(
            Person.objects.order_by("caf__code", "beneficiary_number").values_list(
                "caf__code", "beneficiary_number", "birth_name", "first_names", "birth_year", "birth_country_id"
            )
        ),
        "identifiers": list(
            Identifier.objects.order_by("value").values_list(
                "person__beneficiary_number", "kind", "value", "status", "issued_on", "certified_on", "superseded_at"
            )
        ),
        "cases": list(
            Case.objects.order_by("id").values_list(
                "person__beneficiary_number", "status", "side", "assigned_to__username", "priority", "next_deadline"
            )
        ),
        "events": CaseEvent.objects.count(),
        "documents": CaseDocument.objects.count(),
        "requests": CertificationRequest.objects.count(),
    }


def test_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=True"):
        seed()
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


@pytest.fixture(scope="class")
def demo_output(django_db_setup, django_db_blocker):
    """One demo seed for a whole class, in a transaction rolled back after it: each test's writes roll back too."""
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(DEBUG=True):
        yield seed()
        transaction.set_rollback(True)


def status_of_numbers(kinds):
    """The stage a person's active numbers show: NIA only (or nothing), waiting number, certified NIR."""
    if IdentifierKind.NIR in kinds:
        return CaseStatus.CERTIFIED
    return CaseStatus.WAITING_NUMBER_ISSUED if IdentifierKind.CAF_WAITING in kinds else CaseStatus.NIA_ONLY


def numbers_for_status(status):
    """What status_of_numbers should give for an open case at this stage."""
    if status in (CaseStatus.NIA_ONLY, CaseStatus.CERTIFIED):
        return status
    return CaseStatus.WAITING_NUMBER_ISSUED


def assert_transitions_chain(timeline, status):
    """The moves follow one another from nia_only to the case's stage."""
    current = CaseStatus.NIA_ONLY
    for event in timeline:
        if event.kind == EventKind.TRANSITION:
            assert event.from_status == current
            current = event.to_status
    assert current == status


def assert_stored_clocks_are_current(cases):
    cases = list(cases.select_related("person"))
    stored = [[getattr(case, name) for name in clocks.CLOCK_FIELDS] for case in cases]
    clocks.refresh_clocks(cases, timezone.localdate())
    assert stored == [[getattr(case, name) for name in clocks.CLOCK_FIELDS] for case in cases]


@pytest.mark.usefixtures("demo_output")
class TestDemo:
    def test_creates_the_caisses_and_the_accounts(self, demo_output):
        caisses = {organisation.code: organisation for organisation in Organisation.objects.all()}
        assert set(caisses) == {"CAF-59", "CPAM-59", "CAF-33", "CPAM-33"}
        for code, organisation in caisses.items():
            kind, department = code.split("-")
            assert (organisation.kind, organisation.department) == (kind, department)
            assert organisation.email.endswith(".invalid")
            assert organisation.phone.startswith("+33 1 99 00")
        assert caisses["CAF-59"].name == "CAF du Nord"
        assert caisses["CAF-33"].kind == OrganisationKind.CAF

        users = {user.username: user for user in User.objects.select_related("organisation").prefetch_related("groups")}
        assert set(users) == set(EXPECTED_USERS)
        for username, (role, code) in EXPECTED_USERS.items():
            user = users[username]
            assert user.role == role
            assert (user.organisation.code if user.organisation else None) == code
            assert [group.name for group in user.groups.all()] == [ROLE_GROUP_NAMES[role]]
            assert user.is_staff and user.is_active and not user.is_superuser
            assert user.check_password(DEMO_PASSWORD)
            validate_password(DEMO_PASSWORD, user)  # the project's validators accept the demo password
            assert username in demo_output
        assert users["admin.national"].has_perm("cafcases.change_identifier")
        assert users["agent.caf59"].has_perm("cafcases.view_person")
        assert not users["agent.caf59"].has_perm("cafcases.change_identifier")
        assert DEMO_PASSWORD in demo_output

    def test_creates_about_200_people_with_the_intended_mix(self):
        people = Person.objects.all()
        assert people.count() == 200
        counts = categories(people)
        # Their numbers follow their cases: waiting number from waiting_number_issued on, NIR once certified.
        assert 35 <= counts["nia"] <= 55
        assert 100 <= counts["waiting"] <= 125
        assert 30 <= counts["certified"] <= 40
        assert 5 <= counts["none"] <= 15
        assert_numbers_match_their_people(people)

        statuses = Counter(people.values_list("protection_status", flat=True))
        assert 20 <= statuses[ProtectionStatus.REFUGEE] <= 40
        assert 5 <= statuses[ProtectionStatus.ASYLUM_SEEKER] <= 15
        # Asylum seekers cannot get online access yet: none holds a waiting number.
        assert not Identifier.objects.filter(
            kind=IdentifierKind.CAF_WAITING, person__protection_status=ProtectionStatus.ASYLUM_SEEKER
        ).exists()
        assert 10 <= people.filter(preferred_language="en").count() <= 35
        assert people.filter(birth_month__isnull=True).exists()  # year only
        assert people.filter(birth_month__isnull=False, birth_day__isnull=True).exists()  # year and month
        assert len(set(people.values_list("birth_country_id", flat=True))) >= 15
        assert not people.filter(birth_country__isnull=True).exists()
        assert not people.filter(birth_country_id=FRANCE_CODE).exists()
        assert set(people.values_list("caf__code", flat=True)) == {"CAF-59", "CAF-33"}
        lille, bordeaux = {"Lille", "Roubaix", "Tourcoing"}, {"Bordeaux", "Mérignac", "Pessac"}
        assert set(people.filter(caf__code="CAF-59").values_list("city", flat=True)) <= lille
        assert set(people.filter(caf__code="CAF-33").values_list("city", flat=True)) <= bordeaux
        assert people.exclude(phone="").count() >= 150
        assert all(person.phone.is_valid() for person in people.exclude(phone=""))
        assert all(email.endswith(".invalid") for email in people.exclude(email="").values_list("email", flat=True))
        numbers = people.values_list("beneficiary_number", flat=True)
        assert all(len(number) == 7 and number.isdigit() for number in numbers)
        # The waiting numbers come from the service, recorded by the CAF's agent.
        waiting = Identifier.objects.filter(kind=IdentifierKind.CAF_WAITING).select_related(
            "recorded_by", "person__caf"
        )
        assert all(number.recorded_by.organisation == number.person.caf for number in waiting)

    def test_one_case_per_person_at_every_stage(self, demo_output):
        assert Case.objects.count() == 200
        assert set(Case.objects.values_list("person_id", flat=True)) == set(Person.objects.values_list("id", flat=True))
        statuses = Counter(Case.objects.values_list("status", flat=True))
        assert set(statuses) == set(CaseStatus.values)
        assert 40 <= statuses[CaseStatus.NIA_ONLY] <= 60  # ~25 %
        assert 15 <= statuses[CaseStatus.CLOSED] <= 35  # ~12 %
        reasons = Counter(Case.objects.closed().values_list("closing_reason", flat=True))
        assert reasons[ClosingReason.CERTIFIED_AND_MIGRATED] > sum(reasons.values()) / 2
        assert {ClosingReason.DUPLICATE, ClosingReason.LEFT_FRANCE, ClosingReason.ABANDONED} <= set(reasons)
        # Refugees follow OFPRA's track: never to their country; asylum seekers stay at the counter's stage.
        refugees = Case.objects.filter(track=Track.REFUGEE)
        assert refugees.exists()
        assert not refugees.filter(status=CaseStatus.AWAITING_COUNTRY).exists()
        assert not CertificationRequest.objects.filter(case__in=refugees).exclude(authority=Authority.OFPRA).exists()
        assert CertificationRequest.objects.filter(case__in=refugees, authority=Authority.OFPRA).exists()
        assert set(Case.objects.filter(track=Track.ASYLUM_SEEKER).values_list("status", flat=True)) <= {
            CaseStatus.NIA_ONLY,
            CaseStatus.CLOSED,
        }
        for status in CaseStatus:
            assert str(status.label) in demo_output  # the summary by stage

    def test_every_case_is_coherent(self):
        today = timezone.localdate()
        now = timezone.now()
        active = defaultdict(set)
        for person_id, kind in Identifier.objects.active().values_list("person_id", "kind"):
            active[person_id].add(kind)
        documents = defaultdict(list)
        for case_id, status in CaseDocument.objects.values_list("case_id", "status"):
            documents[case_id].append(status)
        requests = defaultdict(list)
        for request in CertificationRequest.objects.all():
            requests[request.case_id].append(request)
        events = defaultdict(list)
        for event in CaseEvent.objects.order_by("id"):
            events[event.case_id].append(event)
        journey = list(CaseStatus)
        for case in Case.objects.all():
            kinds, status = active[case.person_id], case.status
            if status == CaseStatus.CLOSED:
                assert case.side == Side.NONE and case.closed_at and case.closing_reason
                certified = case.closing_reason == ClosingReason.CERTIFIED_AND_MIGRATED
                assert (IdentifierKind.NIR in kinds) == certified
                if certified:
                    assert kinds == {IdentifierKind.NIR}
            else:
                assert case.side == workflow.SIDE_OF_STATUS[status] != Side.NONE
                assert status_of_numbers(kinds) == numbers_for_status(status)
                if status == CaseStatus.CERTIFIED:
                    assert kinds == {IdentifierKind.NIR}  # NIA and waiting number superseded
            reached_papers = journey.index(status) >= journey.index(CaseStatus.DOCUMENTS_REQUESTED)
            if status in (CaseStatus.NIA_ONLY, CaseStatus.WAITING_NUMBER_ISSUED):
                assert not documents[case.pk] and not requests[case.pk]
            elif reached_papers and status != CaseStatus.CLOSED:
                assert documents[case.pk]
                if status != CaseStatus.DOCUMENTS_REQUESTED:
                    assert set(documents[case.pk]) == {DocumentStatus.VERIFIED}
            open_requests = [request for request in requests[case.pk] if request.answered_on is None]
            if status in (CaseStatus.SENT_FOR_CERTIFICATION, CaseStatus.AWAITING_COUNTRY):
                assert open_requests
            else:
                assert not open_requests
            if status == CaseStatus.AWAITING_COUNTRY:
                assert any(request.authority == Authority.COUNTRY_REGISTRY for request in open_requests)
            if status == CaseStatus.CERTIFIED or case.closing_reason == ClosingReason.CERTIFIED_AND_MIGRATED:
                assert {request.outcome for request in requests[case.pk]} == {RequestOutcome.CONFIRMED}
            # A timeline that starts with the opening, in date order, and dates that have all happened.
            timeline = events[case.pk]
            assert timeline and timeline[0].kind == EventKind.OPENED and timeline[0].at == case.opened_at
            assert [event.at for event in timeline] == sorted(event.at for event in timeline)
            assert timeline[-1].at == case.last_event_at <= now
            assert_transitions_chain(timeline, status)
            assert today - datetime.timedelta(days=450) <= timezone.localdate(case.opened_at) < today
            for request in requests[case.pk]:
                assert request.sent_on < today and (request.answered_on or today) <= today
        assert not Case.objects.open().filter(side=Side.NONE).exists()
        assert_stored_clocks_are_current(Case.objects.all())

    def test_the_history_looks_like_months_of_work(self):
        today = timezone.localdate()
        open_cases = Case.objects.open()
        overdue = open_cases.overdue(today).count()
        assert 0 < overdue < open_cases.count() / 5  # a handful, not most
        # NIA validity: mostly ahead, a few expiring within 30 days, a few lapsed.
        running = open_cases.exclude(status=CaseStatus.CERTIFIED).exclude(nia_valid_until=None)
        soon = today + datetime.timedelta(days=30)
        assert running.filter(nia_valid_until__gt=soon).count() > 0.8 * running.count()
        assert running.filter(nia_valid_until__gte=today, nia_valid_until__lte=soon).exists()
        assert running.filter(nia_valid_until__lt=today).exists()
        issued = Identifier.objects.filter(kind=IdentifierKind.NIA).values_list("issued_on", flat=True)
        assert len({day.month for day in issued}) >= 6
        # Papers: some received or checked, some refused with a reason; late requests chased.
        papers = CaseDocument.objects.filter(case__status=CaseStatus.DOCUMENTS_REQUESTED)
        assert {DocumentStatus.REQUESTED, DocumentStatus.RECEIVED, DocumentStatus.VERIFIED} <= set(
            papers.values_list("status", flat=True)
        )
        assert papers.filter(status=DocumentStatus.REJECTED).exclude(rejection_reason="").exists()
        late = CertificationRequest.objects.overdue(today)
        assert late.exists() and late.filter(chases__isnull=False).exists()
        # Enough recent answers from one registry for its forecast to use the observed median.
        assert FORECAST_COUNTRY in clocks.observed_median_delays([FORECAST_COUNTRY], today)
        # Benefits at risk on about 60 %, contacts, two failed calls flagging a phone, notes.
        with_benefits = sum(1 for benefits in Case.objects.values_list("benefits_at_risk", flat=True) if benefits)
        assert 90 <= with_benefits <= 150
        assert ContactAttempt.objects.count() >= 40
        unreachable = Person.objects.filter(phone_unreachable=True)
        assert 3 <= unreachable.count() <= 15
        assert Person.objects.write_instead().exists()
        assert CaseNote.objects.exists()

    def test_every_demo_agent_has_cases_to_take_and_some_assigned(self):
        for code in ("CAF-59", "CPAM-59", "CAF-33", "CPAM-33"):
            organisation = Organisation.objects.get(code=code)
            assert Case.objects.to_take(organisation).exists(), code
            agent = User.objects.get(username=f"agent.{code.lower().replace('-', '')}")
            mine = Case.objects.filter(assigned_to=agent)
            assert mine.exists(), code
            assert set(mine.values_list("side", flat=True)) == {organisation.kind}
            assert not mine.exclude(**{organisation.kind.lower(): organisation}).exists()
        assert not Case.objects.closed().filter(assigned_to__isnull=False).exists()

    def test_a_second_run_changes_nothing(self):
        before = snapshot()
        User.objects.filter(username="agent.caf59").update(password="!")  # someone changed it: the demo puts it back

        with override_settings(DEBUG=True):
            output = seed()

        assert snapshot() == before
        assert User.objects.get(username="agent.caf59").check_password(DEMO_PASSWORD)
        assert "0 personne(s) créée(s)" in output

    def test_people_option_adds_volume_on_every_run(self):
        demo_ids = set(Person.objects.values_list("id", flat=True))

        with override_settings(DEBUG=True):
            seed("--people", "50", "--batch-size", "20")
        volume = Person.objects.exclude(id__in=demo_ids)
        assert volume.count() == 50
        assert_numbers_match_their_people(volume)
        assert categories(volume)["nia"] >= 15
        assert all(
            int(number) >= VOLUME_FIRST_BENEFICIARY_NUMBER
            for number in volume.values_list("beneficiary_number", flat=True)
        )
        for person in volume:
            # Bulk inserts skip save(): the search keys must still be what save() would write.
            stored = {field.attname: getattr(person, field.attname) for field in Person._meta.concrete_fields}
            person.refresh_search_keys()
            assert stored == {field.attname: getattr(person, field.attname) for field in Person._meta.concrete_fields}
        assert Person.objects.search_name(volume[0].birth_name).filter(pk=volume[0].pk).exists()

        with override_settings(DEBUG=True):
            seed("--people", "50")  # 50 more: new beneficiary numbers and new numbers, no collision
        assert Person.objects.count() == 300
        assert Case.objects.count() == 300
        assert Identifier.objects.values("value").distinct().count() == Identifier.objects.count()

    def test_people_option_opens_a_case_per_person_at_the_stage_of_their_numbers(self):
        demo_cases = set(Case.objects.values_list("id", flat=True))
        today = timezone.localdate()

        with override_settings(DEBUG=True):
            seed("--people", "30")

        cases = Case.objects.exclude(id__in=demo_cases).select_related("person")
        assert cases.count() == 30
        assert len({case.person_id for case in cases}) == 30
        active = defaultdict(set)
        for person_id, kind in Identifier.objects.active().values_list("person_id", "kind"):
            active[person_id].add(kind)
        for case in cases:
            expected = status_of_numbers(active[case.person_id])
            assert case.status == expected or (expected, case.status) == (CaseStatus.CERTIFIED, CaseStatus.CLOSED)
            assert case.side == workflow.SIDE_OF_STATUS[case.status]
            assert case.track == {"refugee": Track.REFUGEE, "asylum_seeker": Track.ASYLUM_SEEKER}.get(
                case.person.protection_status, Track.STANDARD
            )
            timeline = list(case.events.order_by("id"))
            assert timeline[0].kind == EventKind.OPENED and timeline[0].at == case.opened_at
            assert_transitions_chain(timeline, case.status)
            assert [event.at for event in timeline] == sorted(event.at for event in timeline)
            assert case.last_event_at == timeline[-1].at and case.version == len(timeline)
            assert 0 <= case.priority <= 100
        initial = cases.filter(status=CaseStatus.NIA_ONLY)
        assert initial.count() >= 10
        for case in initial:
            # The clocks computed in Python: the NIA's 9 months, no papers, a forecast from today.
            assert case.papers_due_on is None and case.certification_expected_on is None
            assert case.next_deadline == case.nia_valid_until
            assert case.forecast_certified_on > today
            assert timezone.localdate(case.opened_at) < today
        assert_stored_clocks_are_current(cases)

    def test_people_from_before_the_cases_get_one_at_the_stage_of_their_numbers(self):
        caf = Organisation.objects.get(code="CAF-59")
        older = PersonFactory(caf=caf, beneficiary_number=f"{VOLUME_FIRST_BENEFICIARY_NUMBER + 7}")
        issued_on = timezone.localdate() - datetime.timedelta(days=100)
        IdentifierFactory(person=older, value=nia_for(older, order=777), issued_on=issued_on)
        identifier_issue_waiting_number(person=older, organisation=caf, by=None)
        outsider = PersonFactory(caf=caf, beneficiary_number="")  # not the demo's: left alone

        with override_settings(DEBUG=True):
            seed()

        case = Case.objects.get(person=older)
        assert (case.status, case.side) == (CaseStatus.WAITING_NUMBER_ISSUED, Side.CPAM)
        assert case.nia_valid_until == clocks.nia_valid_until(issued_on)
        assert_transitions_chain(list(case.events.order_by("id")), case.status)
        assert_stored_clocks_are_current(Case.objects.filter(pk=case.pk))
        assert not Case.objects.filter(person=outsider).exists()
