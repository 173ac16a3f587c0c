"""factory_boy factories; traits give the usual shapes of people and numbers."""

import datetime
import itertools

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cafcases import services
from cafcases.identifiers import build_number
from cafcases.models import (
    Authority,
    Case,
    CaseDocument,
    CaseStatus,
    CertificationRequest,
    Channel,
    ClosingReason,
    Country,
    DocumentKind,
    DocumentStatus,
    Identifier,
    IdentifierKind,
    IdentifierStatus,
    Organisation,
    OrganisationKind,
    Person,
    ProtectionStatus,
    RequestOutcome,
    Role,
    Sex,
    Track,
    User,
)
from cafcases.models.cases import track_for_person

DEMO_PASSWORD = "mot-de-passe-de-test"  # noqa: S105 (tests only)

_departments = itertools.count(1)


def _department(n):
    # 01–95, skipping 20 (Corsica is 2A/2B): enough distinct departments for any test.
    number = (n % 94) + 1
    return f"{number + 1 if number >= 20 else number:02d}"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    kind = OrganisationKind.CAF
    department = factory.Sequence(_department)
    code = factory.LazyAttribute(lambda o: f"{o.kind}-{o.department}")
    name = factory.LazyAttribute(lambda o: f"{o.kind} du département {o.department}")

    class Params:
        cpam = factory.Trait(kind=OrganisationKind.CPAM)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@caisse.invalid")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.AGENT
    is_staff = True
    password = factory.django.Password(DEMO_PASSWORD)

    class Params:
        supervisor = factory.Trait(role=Role.SUPERVISOR)
        national_admin = factory.Trait(role=Role.NATIONAL_ADMIN, organisation=None)


def country(code):
    return Country.objects.get(code=code)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    birth_name = factory.Faker("last_name")
    first_names = factory.Faker("first_name")
    sex = Sex.FEMALE
    birth_year = 1990
    birth_month = 6
    birth_day = 15
    birth_country = factory.LazyFunction(lambda: country("99352"))  # Algeria
    caf = factory.SubFactory(OrganisationFactory)
    beneficiary_number = factory.Sequence(lambda n: f"{1000000 + n:07d}")
    protection_status = ProtectionStatus.NONE

    class Params:
        refugee = factory.Trait(
            protection_status=ProtectionStatus.REFUGEE, birth_country=factory.LazyFunction(lambda: country("99212"))
        )
        born_in_france = factory.Trait(birth_country=None, birth_commune_code="33063", birth_place="Bordeaux")


_orders = itertools.count(1)


def nia_for(person, order=None):
    """A valid NIA for the person (7/8, their birth year and month, their country)."""
    return build_number(
        sex=person.sex,
        birth_year=person.birth_year,
        birth_month=person.birth_month,
        place=person.birth_country_id or person.birth_commune_code,
        order=order or (next(_orders) % 899) + 1,
        provisional=True,
    ).value


class IdentifierFactory(DjangoModelFactory):
    class Meta:
        model = Identifier

    person = factory.SubFactory(PersonFactory)
    kind = IdentifierKind.NIA
    value = factory.LazyAttribute(lambda i: nia_for(i.person))
    status = IdentifierStatus.ACTIVE


_nir_orders = itertools.count(1)


def nir_for(person, order=None):
    """A valid definitive NIR for the person (1/2, their birth data), outside the waiting-number range (900–999)."""
    return build_number(
        sex=person.sex,
        birth_year=person.birth_year,
        birth_month=person.birth_month,
        place=person.birth_country_id or person.birth_commune_code,
        order=order or (next(_nir_orders) % 800) + 1,
    ).value


class CaseFactory(DjangoModelFactory):
    """An open case at ``nia_only``, created through ``case_open`` (opening event, clocks and priority set).

    The person holds an active NIA issued on ``nia_issued_on`` (today by default; ``None`` for no NIA); the CPAM is
    the one of the CAF's department, so that the CAF and its CPAM share a department as ``case_open`` expects. To get
    a case at a later stage, use ``case_in_status``: it drives the case there through the services.
    """

    class Meta:
        model = Case

    caf = factory.SubFactory(OrganisationFactory)
    cpam = factory.LazyAttribute(lambda o: OrganisationFactory(cpam=True, department=o.caf.department))
    person = factory.SubFactory(PersonFactory, caf=factory.SelfAttribute("..caf"))
    track = None  # None: from the person's protection status (track_for_person)
    benefits_at_risk = ()
    by = None
    nia_issued_on = factory.LazyFunction(timezone.localdate)

    _SERVICE_ARGUMENTS = ("person", "caf", "cpam", "track", "benefits_at_risk", "by")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        nia_issued_on = kwargs.pop("nia_issued_on")
        unexpected = set(kwargs) - set(cls._SERVICE_ARGUMENTS)
        if args or unexpected:
            raise TypeError(f"CaseFactory opens cases through case_open; use case_in_status() for {unexpected}")
        person = kwargs["person"]
        if nia_issued_on is not None and not person.identifiers.filter(kind=IdentifierKind.NIA).active().exists():
            IdentifierFactory(person=person, issued_on=nia_issued_on)
        return services.case_open(**kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("nia_issued_on")
        kwargs.pop("by")
        track = kwargs.pop("track") or track_for_person(kwargs["person"])
        benefits = sorted(set(kwargs.pop("benefits_at_risk")))
        return model_class(*args, track=track, benefits_at_risk=benefits, **kwargs)


# The path of a standard case through the table; a refugee's skips awaiting_country (OFPRA certifies).
CASE_PATH = [
    CaseStatus.NIA_ONLY,
    CaseStatus.WAITING_NUMBER_ISSUED,
    CaseStatus.DOCUMENTS_REQUESTED,
    CaseStatus.DOCUMENTS_COMPLETE,
    CaseStatus.SENT_FOR_CERTIFICATION,
    CaseStatus.AWAITING_COUNTRY,
    CaseStatus.CERTIFIED,
]


def verify_all_documents(case, by=None):
    """Mark every document of the case verified, through the service (one DOCUMENT event each)."""
    for document in case.documents.exclude(status=DocumentStatus.VERIFIED):
        services.document_set_status(document=document, status=DocumentStatus.VERIFIED, by=by)


def _advance(case, status, *, by, nir):
    if status == CaseStatus.WAITING_NUMBER_ISSUED:
        services.case_issue_waiting_number(case=case, by=by)
    elif status == CaseStatus.DOCUMENTS_REQUESTED:
        services.case_request_documents(case=case, by=by)
    elif status == CaseStatus.DOCUMENTS_COMPLETE:
        verify_all_documents(case, by=by)
        services.case_mark_documents_complete(case=case, by=by)
    elif status == CaseStatus.SENT_FOR_CERTIFICATION:
        services.case_send_for_certification(case=case, by=by)
    elif status == CaseStatus.AWAITING_COUNTRY:
        services.case_mark_awaiting_country(case=case, by=by)
    elif status == CaseStatus.CERTIFIED:
        services.case_record_certified_nir(case=case, nir=nir or nir_for(case.person), by=by)


def case_in_status(status, *, by=None, nir=None, closed_from=CaseStatus.NIA_ONLY, **kwargs):
    """A fresh case (CaseFactory kwargs) driven to ``status`` through the services, one move at a time.

    Its documents, certification requests and identifiers are those the moves record. A closed case is closed from
    ``closed_from`` (``nia_only`` by default) with the reason "abandoned", or by ``close_certified`` from certified.
    """
    case = CaseFactory(**kwargs)
    target = closed_from if status == CaseStatus.CLOSED else status
    path = [step for step in CASE_PATH if not (case.track == Track.REFUGEE and step == CaseStatus.AWAITING_COUNTRY)]
    if target not in path:
        raise ValueError(f"{target} is not on the path of a {case.track} case")
    for step in path[1 : path.index(target) + 1]:
        _advance(case, step, by=by, nir=nir)
    if status == CaseStatus.CLOSED:
        if closed_from == CaseStatus.CERTIFIED:
            services.case_close_certified(case=case, by=by)
        else:
            services.case_close(case=case, by=by, reason=ClosingReason.ABANDONED, comment="Sans nouvelles")
    assert case.status == status, (case.status, status)
    return case


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = CaseDocument

    case = factory.SubFactory(CaseFactory)
    kind = DocumentKind.BIRTH_CERTIFICATE
    status = DocumentStatus.REQUESTED
    requested_on = factory.LazyFunction(timezone.localdate)


class CertificationRequestFactory(DjangoModelFactory):
    """A request sent on ``sent_on``, expected after the country's reference delay; ``answered_after`` answers it."""

    class Meta:
        model = CertificationRequest

    class Params:
        answered_after = None  # days between sending and the answer
        outcome_if_answered = RequestOutcome.CONFIRMED

    case = factory.SubFactory(CaseFactory)
    authority = Authority.SANDIA
    country = factory.LazyAttribute(lambda o: o.case.person.birth_country)
    channel = Channel.PORTAL
    sent_on = factory.LazyFunction(timezone.localdate)
    expected_on = factory.LazyAttribute(
        lambda o: o.sent_on + datetime.timedelta(days=o.country.certification_delay_days if o.country else 120)
    )
    answered_on = factory.LazyAttribute(
        lambda o: None if o.answered_after is None else o.sent_on + datetime.timedelta(days=o.answered_after)
    )
    outcome = factory.LazyAttribute(lambda o: "" if o.answered_after is None else o.outcome_if_answered)
