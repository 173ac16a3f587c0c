"""Demo cases: each demo person's case walked through the services, then backdated to tell a months-long story.

The services date what they record today, as they should. A demo caseload must look like months of work, so each
walk notes the day every step happened, and ``Journal.apply`` rewrites those dates in one place, then recomputes the
stored clocks and priorities. ``VolumeCases`` is the set-based counterpart for benchmark volumes: no documents, each
case at the stage its person's numbers show, its clocks and priority computed in Python.
"""

import bisect
import datetime
import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from cafcases import clocks, demo_data, services, workflow
from cafcases.models import (
    Authority,
    Benefit,
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    ClosingReason,
    ContactChannel,
    ContactOutcome,
    Country,
    DocumentKind,
    DocumentStatus,
    EventKind,
    Identifier,
    IdentifierKind,
    IdentifierStatus,
    Person,
    ProtectionStatus,
    Side,
    Track,
)
from cafcases.models.cases import track_for_person
from cafcases.priority import compute_priority
from cafcases.services.cases import document_checklist

S, R = CaseStatus, ClosingReason
DAY = datetime.timedelta(days=1)
# Where the demo cases stand (a closing reason stands for a case closed for it), as a caisse's caseload looks.
TARGET_WEIGHTS = {S.NIA_ONLY: 25, S.WAITING_NUMBER_ISSUED: 15, S.DOCUMENTS_REQUESTED: 15, S.DOCUMENTS_COMPLETE: 5}
TARGET_WEIGHTS |= {S.SENT_FOR_CERTIFICATION: 10, S.AWAITING_COUNTRY: 10, S.CERTIFIED: 8, R.CERTIFIED_AND_MIGRATED: 9}
TARGET_WEIGHTS |= {R.DUPLICATE: 1, R.LEFT_FRANCE: 1, R.ABANDONED: 1}
CERTIFIED_TARGETS = (S.CERTIFIED, R.CERTIFIED_AND_MIGRATED)
# The milestones of a journey, and how many of them each target passes before its certification or close.
JOURNEY = ("opened", "waiting", "requested", "complete", "sent", "awaiting")
PASSED = {S.NIA_ONLY: 1, R.DUPLICATE: 1, S.WAITING_NUMBER_ISSUED: 2, S.DOCUMENTS_REQUESTED: 3, R.LEFT_FRANCE: 3}
PASSED |= {R.ABANDONED: 3, S.DOCUMENTS_COMPLETE: 4, S.SENT_FOR_CERTIFICATION: 5, S.AWAITING_COUNTRY: 6}
# Enough certifications of one country within a year for its forecast to use the observed median (SANDIA's answers
# count, one per case): Algeria, the largest group in the demo population.
FORECAST_COUNTRY = "99352"
FORECAST_CASES = clocks.FORECAST_MIN_ANSWERS + 1
# (target, variant, how many): the few cases at the edge of a clock, or whose phone fails.
VARIANTS = [(S.DOCUMENTS_REQUESTED, "rejected", 3), (S.DOCUMENTS_REQUESTED, "overdue", 3)]  # rejected: by SANDIA
VARIANTS += [(S.SENT_FOR_CERTIFICATION, "overdue", 2), (S.AWAITING_COUNTRY, "overdue", 6)]  # chased
VARIANTS += [(S.NIA_ONLY, "expired", 3), (S.NIA_ONLY, "expiring", 3), (S.WAITING_NUMBER_ISSUED, "expiring", 3)]
VARIANTS += [(S.NIA_ONLY, "unreachable", 3), (S.DOCUMENTS_REQUESTED, "unreachable", 3)]
# Days from one milestone to the next; days spent at the last one (today minus its date), by target.
GAPS = {"waiting": (0, 3), "requested": (3, 20), "complete": (25, 60), "sent": (2, 15), "awaiting": (10, 40)}
GAPS |= {
    "rejected": (30, 70),
    "certified_sandia": (20, 60),
    "certified_country": (40, 110),
    "certified_ofpra": (30, 80),
}
CLOSING_GAPS = {
    R.CERTIFIED_AND_MIGRATED: (2, 20),
    R.DUPLICATE: (1, 30),
    R.LEFT_FRANCE: (30, 80),
    R.ABANDONED: (95, 130),
}
STAYS = {S.NIA_ONLY: (2, 110), S.WAITING_NUMBER_ISSUED: (1, 35), S.DOCUMENTS_REQUESTED: (5, 80)}
STAYS |= {S.DOCUMENTS_COMPLETE: (1, 14), S.CERTIFIED: (1, 25), R.CERTIFIED_AND_MIGRATED: (5, 240)}
STAYS |= {R.DUPLICATE: (10, 150), R.LEFT_FRANCE: (10, 120), R.ABANDONED: (5, 60)}
NIA_SAFE_AGE = 235  # days: an NIA this old still has more than a month to run
BENEFIT_WEIGHTS = {"rsa": 30, "aide_logement": 30, "prime_activite": 15, "prime_naissance": 10}
BENEFIT_WEIGHTS |= {"complement_mode_garde": 5, "prime_noel": 5, "autre": 5}
assert set(BENEFIT_WEIGHTS) <= set(Benefit.values)
BENEFIT_CODES, BENEFIT_CUM_WEIGHTS = list(BENEFIT_WEIGHTS), list(itertools.accumulate(BENEFIT_WEIGHTS.values()))

P, SMS, MAIL, LETTER = ContactChannel.PHONE, ContactChannel.SMS, ContactChannel.EMAIL, ContactChannel.LETTER
SENT = ContactOutcome.SENT
CONTACTS = {  # by the stage the case is at
    S.NIA_ONLY: (P, ContactOutcome.REACHED, "Rendez-vous fixé à l'accueil pour vérifier l'identité."),
    S.WAITING_NUMBER_ISSUED: (MAIL, SENT, "Numéro d'attente et marche à suivre pour se connecter envoyés."),
    S.DOCUMENTS_REQUESTED: (P, ContactOutcome.REACHED, "Pièces manquantes : l'acte est demandé au consulat."),
    S.DOCUMENTS_COMPLETE: (LETTER, SENT, "Dossier complet : il sera transmis pour certification."),
    S.SENT_FOR_CERTIFICATION: (P, ContactOutcome.REACHED, "Point sur le dossier : en certification."),
    S.AWAITING_COUNTRY: (LETTER, SENT, "Dossier en attente de l'état civil du pays de naissance."),
    S.CERTIFIED: (P, ContactOutcome.REACHED, "NIR définitif communiqué ; le compte CAF va basculer."),
}
REMINDER = (SMS, SENT, "Rappel du rendez-vous ou des pièces à fournir.")
UNREACHABLE_CALLS = [(P, ContactOutcome.NO_ANSWER, "Pas de réponse, messagerie pleine.")]
UNREACHABLE_CALLS += [(P, ContactOutcome.UNREACHABLE, "Numéro injoignable.")]
UNREACHABLE_CALLS += [(LETTER, SENT, "Courrier : merci de rappeler l'accueil ou de nous donner un autre numéro.")]
NOTES = [
    "Personne reçue à l'accueil : identité vérifiée sur le passeport.",
    "Acte de naissance demandé au consulat par la personne, délai annoncé de six semaines.",
    "Traduction en cours chez un traducteur assermenté (devis fourni).",
    "Prestation suspendue le mois dernier faute de numéro certifié : à traiter en priorité.",
    "Hébergée chez un tiers : écrire à l'adresse de domiciliation.",
    "La personne attend ce numéro pour signer son bail ; elle rappellera la semaine prochaine.",
]
REJECTIONS = {
    DocumentKind.BIRTH_CERTIFICATE: "Copie sans filiation : un extrait avec le nom des parents est nécessaire.",
    DocumentKind.SWORN_TRANSLATION: "Traduction faite par un traducteur non assermenté.",
    DocumentKind.IDENTITY_DOCUMENT: "Passeport expiré.",
    DocumentKind.RESIDENCE_PERMIT: "Récépissé expiré : fournir le titre de séjour en cours de validité.",
    DocumentKind.OFPRA_CERTIFICATE: "Copie illisible du certificat OFPRA.",
}
CLOSING_COMMENTS = {
    R.DUPLICATE: "Doublon : la personne a déjà un dossier sous son nom d'usage.",
    R.LEFT_FRANCE: "Courrier revenu « n'habite plus à l'adresse indiquée » : la personne a quitté la France.",
    R.ABANDONED: "Pièces non fournies plus de trois mois après la demande, malgré les relances.",
}
REFUSAL = "Acte de naissance illisible : un nouvel extrait est nécessaire."


@functools.lru_cache(maxsize=4096)
def moment(day, minutes=630):
    """That day at a time of the office hours (10:30 unless told), Paris time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time())) + datetime.timedelta(minutes=minutes)


def pick_benefits(rng):
    """About 60 % of cases put a benefit at risk, sometimes two."""
    if rng.random() >= 0.62:
        return []
    return sorted(set(rng.choices(BENEFIT_CODES, cum_weights=BENEFIT_CUM_WEIGHTS, k=1 if rng.random() < 0.7 else 2)))


@dataclass
class Plan:
    """Where one demo case ends, and the day of each milestone on the way."""

    target: str
    variant: str = ""
    via_country: bool = False
    benefits: list = field(default_factory=list)
    dates: dict = field(default_factory=dict)
    nia_issued_on: datetime.date | None = None


def _restricted(profile):
    # Asylum seekers cannot get online access yet, and a person without any number stays at the counter's stage.
    return profile.protection_status == ProtectionStatus.ASYLUM_SEEKER or profile.category == demo_data.NO_NUMBER


def _targets(rng, profiles):
    """One target per profile in the intended shares; the most constrained people choose first."""
    slots = demo_data.quota_sequence(rng, len(profiles), TARGET_WEIGHTS)
    forecast = [i for i, p in enumerate(profiles) if p.country == FORECAST_COUNTRY and not _restricted(p)]
    allowed = {i: [S.NIA_ONLY, R.DUPLICATE] for i, p in enumerate(profiles) if _restricted(p)}
    allowed |= dict.fromkeys(forecast[:FORECAST_CASES], CERTIFIED_TARGETS)
    refugees = [i for i, p in enumerate(profiles) if p.protection_status == ProtectionStatus.REFUGEE]
    allowed |= {i: [t for t in TARGET_WEIGHTS if t != S.AWAITING_COUNTRY] for i in refugees if i not in allowed}
    targets = {}
    for i in [*allowed, *(i for i in range(len(profiles)) if i not in allowed)]:
        targets[i] = next(slot for slot in slots if i not in allowed or slot in allowed[i])
        slots.remove(targets[i])
    return [targets[i] for i in range(len(profiles))]


def plan_cases(rng, profiles, today):
    """A plan per profile; sets each profile's category to the numbers drawn for it. Reads only the countries."""
    countries = Country.objects.in_bulk({profile.country for profile in profiles})
    plans = [Plan(target) for target in _targets(rng, profiles)]
    for target, variant, count in VARIANTS:
        eligible = [
            i
            for i, plan in enumerate(plans)
            if plan.target == target
            and not plan.variant
            and (variant not in ("expired", "expiring") or profiles[i].category != demo_data.NO_NUMBER)
            and (variant != "unreachable" or profiles[i].phone)
        ]
        for i in rng.sample(eligible, min(count, len(eligible))):
            plans[i].variant = variant
    for plan, profile in zip(plans, profiles, strict=True):
        track = track_for_person(profile)
        plan.via_country = track == Track.STANDARD and rng.random() < 0.5
        plan.benefits = pick_benefits(rng)
        _schedule(rng, plan, profile, clocks.reference_delay_days(countries.get(profile.country), track), today)
        if plan.target in CERTIFIED_TARGETS:
            profile.category = demo_data.CERTIFIED  # its NIR is drawn with its NIA; the service records it
        elif profile.category != demo_data.NO_NUMBER:
            profile.category = demo_data.NIA_ONLY  # the waiting number comes from the service
    return plans


def _schedule(rng, plan, profile, delay, today):
    """Milestone dates counted back from today, and the NIA's issue date before the case opened."""
    if plan.variant == "rejected":
        path = [*JOURNEY[:5], "rejected"]
    elif plan.target in CERTIFIED_TARGETS:
        path = [*JOURNEY[: 5 + plan.via_country], "certified"]
    else:
        path = list(JOURNEY[: PASSED[plan.target]])
    path += ["closed"] if plan.target in R.values else []
    certified = "certified_country" if plan.via_country else "certified_sandia"
    if profile.protection_status == ProtectionStatus.REFUGEE:
        certified = "certified_ofpra"
    ranges = GAPS | {"certified": GAPS[certified], "closed": CLOSING_GAPS.get(plan.target)}
    gaps = {step: rng.randint(*ranges[step]) for step in path[1:]}
    if plan.variant == "overdue":  # awaiting the country: its request is late, SANDIA's too
        stay = {S.DOCUMENTS_REQUESTED: (95, 125), S.SENT_FOR_CERTIFICATION: (delay + 5, delay + 40)}
        stay = stay.get(plan.target, (delay + 5, delay + 35))
    elif plan.variant == "rejected":
        stay = (5, 60)
    elif plan.target == S.SENT_FOR_CERTIFICATION:
        stay = (5, max(5, min(100, delay - 10)))
    elif plan.target == S.AWAITING_COUNTRY:  # SANDIA's request, sent earlier, is not late yet either
        stay = (5, max(5, min(90, delay - gaps["awaiting"] - 5)))
    else:
        stay = STAYS[plan.target]
    day = today - rng.randint(*stay) * DAY
    for milestone in reversed(path):
        plan.dates[milestone] = day
        day -= gaps.get(milestone, 0) * DAY
    opened_ago = (today - plan.dates["opened"]).days
    if profile.category == demo_data.NO_NUMBER:
        return
    if plan.variant in ("expiring", "expired"):
        age = max(opened_ago, rng.randint(245, 268) if plan.variant == "expiring" else rng.randint(280, 330))
    else:
        age = opened_ago + rng.randint(3, 45)
        if plan.target in S.values and plan.target != S.CERTIFIED and age > NIA_SAFE_AGE:
            age = max(opened_ago, NIA_SAFE_AGE)
    plan.nia_issued_on = today - age * DAY


class Journal:
    """The real dates of what the walks recorded, written in one place once every walk is done."""

    def __init__(self):
        self.updates = defaultdict(dict)  # model: {pk: {field: value}}

    def set(self, model, pk, **values):
        self.updates[model].setdefault(pk, {}).update(values)

    def apply(self, today):
        """Backdate every row, then recompute the cases' clocks and priorities from the backdated history."""
        case_values = self.updates.pop(Case, {})
        for model, rows in self.updates.items():
            write_rows(model, rows)
        self.updates.clear()
        cases = list(Case.objects.filter(pk__in=case_values).select_related("person"))
        for case in cases:
            for name, value in case_values[case.pk].items():
                setattr(case, name, value)
        clocks.refresh_clocks(cases, today)
        fields = [*clocks.CLOCK_FIELDS, "opened_at", "closed_at", "last_event_at", "papers_due_on"]
        write_rows(Case, {case.pk: {name: getattr(case, name) for name in fields} for case in cases})


def write_rows(model, rows):
    """Plain UPDATEs ({pk: {field: value}}), grouped by the fields they set: cheaper than bulk_update's CASE."""
    by_fields = defaultdict(list)
    for pk, values in rows.items():
        by_fields[tuple(sorted(values))].append((pk, values))
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for names, items in by_fields.items():
            fields = [model._meta.get_field(name) for name in names]
            assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
            sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"
            params = [[f.get_db_prep_save(values[f.name], connection) for f in fields] + [pk] for pk, values in items]
            cursor.executemany(sql, params)


class CaseWalk:
    """Runs one planned case through the services in date order, noting the real date of each row in the journal."""

    def __init__(self, *, journal, team, plan, person, numbers, rng, today, taken):
        self.journal, self.plan, self.person, self.numbers, self.rng = journal, plan, person, numbers, rng
        self.caf, self.cpam, self.caf_agent, self.cpam_agent = team
        self.today, self.taken = today, taken  # taken: the command's allocator, kept aware of the waiting numbers
        self.actions, self.requests, self.docs, self.marks = [], {}, {}, []
        self.case = self.clock = self.papers_from = None

    def at(self, day, action, *args):
        self.actions.append((day, len(self.actions), action, args))

    def between(self, low, high):
        return low + self.rng.randint(0, max(0, (high - low).days)) * DAY

    def agent(self):
        return self.caf_agent if self.case.side == Side.CAF else self.cpam_agent

    def run(self):
        plan, dates = self.plan, self.plan.dates
        if IdentifierKind.NIA in self.numbers:  # received from the CPAM's register before the case opened
            nia = Identifier.objects.create(
                person=self.person,
                kind=IdentifierKind.NIA,
                value=self.numbers[IdentifierKind.NIA],
                issued_on=plan.nia_issued_on,
                issuing_organisation=self.cpam,
            )
            self.journal.set(Identifier, nia.pk, created_at=moment(plan.nia_issued_on))
        for milestone in (*JOURNEY, "rejected", "certified", "closed"):
            if milestone in dates:
                self.at(dates[milestone], getattr(self, milestone))
        if "requested" in dates:
            end = dates.get("complete") or dates.get("closed") or self.today
            self.schedule_documents(dates["requested"], end - DAY, complete="complete" in dates)
        # Contacts and notes: at the stage the case is at, or before its close at the stage it was closed from.
        ordered = sorted(dates.values())
        window, stage = (ordered[-1], self.today - DAY), plan.target
        if plan.target in R.values:
            window = (ordered[-2] if len(ordered) > 1 else ordered[0], dates["closed"] - DAY)
            stage = {R.DUPLICATE: S.NIA_ONLY, R.CERTIFIED_AND_MIGRATED: S.CERTIFIED}.get(
                plan.target, S.DOCUMENTS_REQUESTED
            )
        if plan.variant == "unreachable":  # two failed calls flag the phone, then a letter
            days = sorted(self.between(*window) for _call in UNREACHABLE_CALLS)
            for day, contact in zip(days, UNREACHABLE_CALLS, strict=True):
                self.at(day, self.contact, *contact)
        elif self.rng.random() < 0.35:
            self.at(self.between(*window), self.contact, *(CONTACTS[stage] if self.rng.random() < 0.7 else REMINDER))
        if self.rng.random() < 0.2:
            self.at(self.between(*window), self.note, self.rng.choice(NOTES))
        self.schedule_chases()
        if plan.target in S.values and self.rng.random() < 0.3:
            self.at(self.between(ordered[-1], self.today - DAY), self.assign)
        for day, _seq, action, args in sorted(self.actions, key=lambda item: item[:2]):
            self.step(day, action, *args)
        self.date_events()
        papers_due = clocks.papers_due(self.papers_from) if self.papers_from else None
        self.journal.set(Case, self.case.pk, last_event_at=self.clock, papers_due_on=papers_due)
        self.journal.set(Person, self.person.pk, created_at=moment(min(ordered[0], plan.nia_issued_on or ordered[0])))
        return self.case

    def schedule_documents(self, start, end, *, complete):
        """Papers arrive over the weeks; most are checked as they come (one step), some wait to be checked."""
        kinds = document_checklist(SimpleNamespace(track=track_for_person(self.person), person=self.person))
        rejected = self.rng.choice(kinds) if complete and self.rng.random() < 0.2 else None
        if not complete and (self.rng.random() < 0.45 or self.plan.variant == "overdue"):
            rejected = self.rng.choice(kinds)
        for kind in kinds:
            if not complete and kind != rejected and self.rng.random() < 0.35:
                continue  # still awaited
            received = self.between(start + DAY, start + max(DAY, (end - start) * 0.6))
            if kind == rejected:
                refused = self.between(received, end)
                self.at(refused, self.document, kind, DocumentStatus.REJECTED, REJECTIONS[kind], received)
                if not complete:
                    continue
                received = self.between(refused, end)  # a better copy
            if not complete and self.rng.random() < 0.4:
                self.at(received, self.document, kind, DocumentStatus.RECEIVED)
            else:
                self.at(self.between(received, end), self.document, kind, DocumentStatus.VERIFIED, "", received)

    def schedule_chases(self):
        """Open requests past their due date get a reminder a week later, and another a month after that."""
        if self.plan.target not in (S.SENT_FOR_CERTIFICATION, S.AWAITING_COUNTRY):
            return
        delay = clocks.reference_delay_days(self.person.birth_country, track_for_person(self.person))
        for milestone in ("sent", "awaiting"):
            for extra in (7, 37) if milestone in self.plan.dates else ():
                if self.plan.dates[milestone] + (delay + extra) * DAY < self.today:
                    self.at(self.plan.dates[milestone] + (delay + extra) * DAY, self.chase, milestone, extra)

    def step(self, day, action, *args):
        # A steady clock through the case: from about 9:00 on a new day, a few minutes later at each step.
        if self.clock is None or timezone.localdate(self.clock) < day:
            self.clock = moment(day, 510 + self.rng.randint(0, 90))
        self.clock = min(self.clock + datetime.timedelta(minutes=self.rng.randint(4, 40)), timezone.now())
        self.marks.append((timezone.now(), self.clock))
        action(day, self.clock, *args)

    def date_events(self):
        """Each event gets the date of the step that recorded it: the last step begun before its creation."""
        started = [mark[0] for mark in self.marks]
        for pk, created in CaseEvent.objects.filter(case_id=self.case.pk).values_list("pk", "at"):
            self.journal.set(CaseEvent, pk, at=self.marks[max(0, bisect.bisect_right(started, created) - 1)][1])

    def opened(self, day, at):
        benefits = self.plan.benefits
        self.case = services.case_open(
            person=self.person, caf=self.caf, cpam=self.cpam, by=self.caf_agent, benefits_at_risk=benefits
        )
        self.journal.set(Case, self.case.pk, opened_at=at)

    def waiting(self, day, at):
        number = services.case_issue_waiting_number(case=self.case, by=self.caf_agent)
        self.taken.add(number.value[:13])
        self.journal.set(Identifier, number.pk, issued_on=day, created_at=at)

    def requested(self, day, at):
        services.case_request_documents(case=self.case, by=self.cpam_agent)
        self.docs = {document.kind: document for document in self.case.documents.all()}
        for document in self.docs.values():
            self.journal.set(type(document), document.pk, requested_on=day)
        self.papers_from = day

    def document(self, day, at, kind, status, reason="", received=None):
        document = self.docs[kind]
        services.document_set_status(document=document, status=status, by=self.cpam_agent, on=day, reason=reason)
        if received:  # checked (or refused) when it arrived
            self.journal.set(type(document), document.pk, received_on=received)

    def complete(self, day, at):
        services.case_mark_documents_complete(case=self.case, by=self.cpam_agent)

    def sent(self, day, at):
        reference = f"{day.year}-{self.rng.randint(10_000, 99_999)}"
        self.requests["sent"] = services.case_send_for_certification(
            case=self.case, by=self.cpam_agent, reference=reference, sent_on=day
        )

    def awaiting(self, day, at):
        channel = self.rng.choice([Channel.DIPLOMATIC, Channel.EMAIL, Channel.POST])
        self.requests["awaiting"] = services.case_mark_awaiting_country(
            case=self.case, by=self.cpam_agent, channel=channel, sent_on=day
        )

    def rejected(self, day, at):
        services.case_reject_certification(case=self.case, by=self.cpam_agent, comment=REFUSAL)
        for request in self.requests.values():
            self.journal.set(type(request), request.pk, answered_on=day)
        self.papers_from = day
        kind = DocumentKind.OFPRA_CERTIFICATE  # OFPRA's certificate stands for a refugee's birth certificate
        kind = kind if kind in self.docs else DocumentKind.BIRTH_CERTIFICATE
        self.document(day, at, kind, DocumentStatus.REJECTED, REFUSAL)

    def certified(self, day, at):
        nir = self.numbers[IdentifierKind.NIR]
        identifier = services.case_record_certified_nir(case=self.case, nir=nir, by=self.cpam_agent, certified_on=day)
        self.journal.set(Identifier, identifier.pk, created_at=at)
        superseded = Identifier.objects.filter(person=self.person, status=IdentifierStatus.SUPERSEDED)
        for pk in superseded.values_list("pk", flat=True):
            self.journal.set(Identifier, pk, superseded_at=at)

    def closed(self, day, at):
        if self.plan.target == R.CERTIFIED_AND_MIGRATED:
            services.case_close_certified(case=self.case, by=self.caf_agent)
        else:
            comment = CLOSING_COMMENTS[self.plan.target]
            services.case_close(case=self.case, by=self.agent(), reason=self.plan.target, comment=comment)
        self.journal.set(Case, self.case.pk, closed_at=at)

    def chase(self, day, at, milestone, extra):
        request = self.requests[milestone]
        channel = Channel.DIPLOMATIC if request.authority == Authority.COUNTRY_REGISTRY else Channel.EMAIL
        note = "Nouvelle relance, toujours sans réponse." if extra > 7 else ""
        services.chase_add(request=request, channel=channel, by=self.cpam_agent, sent_on=day, note=note)

    def contact(self, day, at, channel, outcome, note):
        if (channel in (P, SMS) and not self.person.phone) or (channel == MAIL and not self.person.email):
            channel, outcome = LETTER, SENT
        attempt = services.contact_record(case=self.case, channel=channel, outcome=outcome, by=self.agent(), note=note)
        self.journal.set(type(attempt), attempt.pk, at=at)

    def note(self, day, at, text):
        note = services.note_add(case=self.case, text=text, by=self.agent())
        self.journal.set(type(note), note.pk, at=at)

    def assign(self, day, at):
        services.case_assign(case=self.case, agent=self.agent(), by=self.agent())


CASE_COLUMNS = ("person_id", "caf_id", "cpam_id", "status", "side", "track", "benefits_at_risk", "priority")
CASE_COLUMNS += ("opened_at", "closed_at", "closing_reason", "version", "nia_valid_until", "forecast_certified_on")
CASE_COLUMNS += ("next_deadline", "last_event_at")
NUMBER_DATES = (("nia_issued", IdentifierKind.NIA), ("waiting_issued", IdentifierKind.CAF_WAITING))
NUMBER_DATES += (("certified", IdentifierKind.NIR),)
EVENT_COLUMNS = ("at", "by_id", "kind", "from_status", "to_status", "move", "summary", "comment")


class VolumeCases:
    """Rows for the cases of volume people: the clocks and priority ``clocks.refresh_clocks`` would store."""

    def __init__(self, today):
        self.today, self.now = today, timezone.now()
        countries = Country.objects.in_bulk(demo_data.COUNTRY_CODES)
        observed = clocks.observed_median_delays(countries, today)
        self.forecast = functools.cache(
            lambda code, track: clocks.forecast_delay_days(countries.get(code), track, observed)
        )
        self.track = functools.cache(lambda status: track_for_person(SimpleNamespace(protection_status=status)))
        self.valid_until = functools.cache(clocks.nia_valid_until)
        self.moment = functools.cache(lambda day, minutes: min(moment(day, minutes), self.now))  # never ahead
        self.labels = {name: str(move.label) for name, move in workflow.MOVES.items()} | {"": _("Dossier ouvert")}

    @staticmethod
    def stand_ins(people):
        """(profile-like, person_id) pairs for people already in the registry: what rows() reads of a profile."""
        dates = defaultdict(dict)
        numbers = (
            Identifier.objects.filter(person__in=people).exclude(status=IdentifierStatus.REVOKED).order_by("issued_on")
        )
        for person_id, kind, status, issued_on, certified_on in numbers.values_list(
            "person_id", "kind", "status", "issued_on", "certified_on"
        ):
            if kind == IdentifierKind.NIA or status == IdentifierStatus.ACTIVE:
                dates[person_id][kind] = certified_on or issued_on
        return [
            (
                SimpleNamespace(
                    department=person.caf.department,
                    protection_status=person.protection_status,
                    country=person.birth_country_id,
                    **{f"{name}_on": dates[person.pk].get(kind) for name, kind in NUMBER_DATES},
                ),
                person.pk,
            )
            for person in people.select_related("caf")
        ]

    def event(self, at, kind, old, new, move, by):
        values = (at, by, kind, old, new, move, self.labels[move], "")
        return dict(zip(EVENT_COLUMNS, values, strict=True))

    def rows(self, batch, teams, rng):
        """(case rows, event rows by case) for (profile, person_id) pairs; the event rows lack their case_id."""
        cases, events, today = [], [], self.today
        for profile, person_id in batch:
            caf, cpam, caf_agent, cpam_agent = (member.pk for member in teams[profile.department])
            track = self.track(profile.protection_status)
            if profile.waiting_issued_on:  # the number is issued at the counter the day the case opens
                opened_on = profile.waiting_issued_on
            else:
                nia_days = (today - profile.nia_issued_on).days if profile.nia_issued_on else 150
                opened_on = today - (1 + int(rng.random() * max(1, min(nia_days - 1, 150)))) * DAY
            moves = [(opened_on, S.WAITING_NUMBER_ISSUED, "issue_waiting_number", caf_agent)]
            moves = moves if profile.waiting_issued_on else []
            if profile.certified_on:
                moves.append((profile.certified_on, S.CERTIFIED, "record_certified_nir", cpam_agent))
                if (today - profile.certified_on).days > 30:  # long since migrated; a recent one awaits the CAF
                    closed_on = profile.certified_on + (2 + int(rng.random() * 19)) * DAY
                    moves.append((closed_on, S.CLOSED, "close_certified", caf_agent))
            rows, status = (
                [self.event(self.moment(opened_on, 600), EventKind.OPENED, "", "", "", caf_agent)],
                S.NIA_ONLY,
            )
            for index, (day, new, move, by) in enumerate(moves, start=1):
                rows.append(self.event(self.moment(day, 600 + 20 * index), EventKind.TRANSITION, status, new, move, by))
                status = new
            events.append(rows)
            nia_valid = self.valid_until(profile.nia_issued_on)
            stand_in = SimpleNamespace(
                status=status, papers_due_on=None, nia_valid_until=nia_valid, certification_expected_on=None
            )
            deadline = clocks.next_deadline(stand_in)
            benefits = pick_benefits(rng)
            priority = 0
            if status != S.CLOSED:
                priority = compute_priority(
                    benefits=benefits,
                    track=track,
                    unreachable=False,
                    next_deadline=deadline,
                    opened_on=opened_on,
                    today=today,
                )
            forecast = (
                None if status in (S.CERTIFIED, S.CLOSED) else today + self.forecast(profile.country, track) * DAY
            )
            closed = status == S.CLOSED
            values = (person_id, caf, cpam, status, workflow.SIDE_OF_STATUS[status], track, benefits, priority)
            opened_at, last_at = rows[0]["at"], rows[-1]["at"]
            values += (opened_at, last_at if closed else None, R.CERTIFIED_AND_MIGRATED if closed else "", len(rows))
            values += (nia_valid, forecast, deadline, last_at)
            cases.append(dict(zip(CASE_COLUMNS, values, strict=True)))
        return cases, events
