"""Demo data: the four demo caisses, one account per role and caisse, about 200 people and their cases; optional volume.

Running it again changes nothing in the demo set: caisses and accounts are found by code and username (and put back as
the demo expects them, password included), people by (CAF, beneficiary number), and a person who has a case keeps it.
``--people N`` is the exception: it *adds* N more people, each with a case, on every run, so that benchmarks can grow a
database step by step.
"""

import functools
import json
import random
import time
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, JSONField, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cafcases import demo_cases, demo_data
from cafcases.demo_cases import moment
from cafcases.identifiers import build_number
from cafcases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Identifier,
    IdentifierKind,
    IdentifierStatus,
    Organisation,
    Person,
    User,
)

# Long, not common, not numeric, unlike the usernames: Django's password validators accept it (a test checks it).
DEMO_PASSWORD = "Demo-cafcases-2026"  # noqa: S105 (published on purpose: it is printed at the end of every run)
DEMO_SEED = 2021
DEMO_PEOPLE = 200
# Demo people draw their beneficiary numbers below this floor, volume people count up from it: the two never meet.
VOLUME_FIRST_BENEFICIARY_NUMBER = 5_000_000
NIA_ORDERS = range(1, 1000)
INSERT_BATCH = 1000  # rows per INSERT where COPY is not available (SQLite)


class NumberAllocator:
    """Hands out numbers that are neither in the registry nor already handed out in this run, order by order."""

    def __init__(self):
        # 13-character bodies: the key follows from the body, so comparing bodies is enough.
        self.taken = {value[:13] for value in Identifier.objects.values_list("value", flat=True).iterator(10_000)}
        self._cursors = {}

    def allocate(self, *, sex, birth_year, birth_month, place, provisional, orders):
        """The next free number with these birth details and an order in orders, or None when all are taken."""
        parts = {"sex": sex, "birth_year": birth_year, "birth_month": birth_month, "place": place}
        cursor_key = (sex, birth_year, birth_month, place, provisional, orders.start)
        cursor = self._cursors.get(cursor_key)
        if cursor is None:
            # The first number of a prefix also tells the prefix: one build instead of two.
            first = build_number(**parts, order=orders.start, provisional=provisional)
            cursor = self._cursors[cursor_key] = [first.body[:10], orders.start + 1]
            if first.body not in self.taken:
                self.taken.add(first.body)
                return first.value
        prefix, order = cursor
        while order < orders.stop and f"{prefix}{order:03d}" in self.taken:
            order += 1
        cursor[1] = order + 1
        if order >= orders.stop:
            return None
        self.taken.add(f"{prefix}{order:03d}")
        return build_number(**parts, order=order, provisional=provisional).value

    def numbers_for(self, profile, *, waiting):
        """{kind: value} for the numbers the profile's category holds; moves the birth year back if one is exhausted."""
        low, high = settings.CAF_WAITING_ORDER_RANGE
        kinds = []
        if profile.category != demo_data.NO_NUMBER:
            kinds.append((IdentifierKind.NIA, True, NIA_ORDERS))
        if waiting and profile.category in (demo_data.WAITING, demo_data.CERTIFIED):
            kinds.append((IdentifierKind.CAF_WAITING, False, range(low, high + 1)))
        if profile.category == demo_data.CERTIFIED:
            # INSEE's orders for a definitive NIR stay below the range reserved for CAF waiting numbers.
            kinds.append((IdentifierKind.NIR, False, range(1, low)))
        for _attempt in range(20):
            values = {
                kind: self.allocate(
                    sex=profile.sex,
                    birth_year=profile.birth_year,
                    birth_month=profile.birth_month,
                    place=profile.country,
                    provisional=provisional,
                    orders=orders,
                )
                for kind, provisional, orders in kinds
            }
            if None not in values.values():
                return values
            # An order range is full for this birth date and country (999 NIAs, 100 waiting numbers): a year earlier.
            profile.birth_year -= 1
            if profile.birth_month == 2 and profile.birth_day == 29:
                profile.birth_day = 28
        raise CommandError(_("Plus aucun numéro libre pour générer les personnes de démonstration."))


def person_row(profile, caf, beneficiary_number):
    """The person's column values by attribute name, search keys included."""
    row = {
        "birth_name": profile.birth_name,
        "usage_name": profile.usage_name,
        "first_names": profile.first_names,
        "sex": profile.sex,
        "birth_year": profile.birth_year,
        "birth_month": profile.birth_month,
        "birth_day": profile.birth_day,
        "birth_country_id": profile.country,
        "birth_place": profile.birth_place,
        "nationality_id": profile.country,
        "phone": profile.phone,  # already E.164, the storage format (PHONENUMBER_DB_FORMAT)
        "phone_alt": profile.phone_alt,
        "email": profile.email,
        "address": profile.address,
        "postcode": profile.postcode,
        "city": profile.city,
        "caf_id": caf.pk,
        "beneficiary_number": beneficiary_number,
        "preferred_language": profile.preferred_language,
        "protection_status": profile.protection_status,
    }
    # Bulk inserts skip save(), which keeps the search keys: run the model's own method on a stand-in holding the row
    # and take whatever it sets, so that the keys stay right when the model changes them.
    holder = SimpleNamespace(**row)
    Person.refresh_search_keys(holder)
    return {**row, **vars(holder)}


def identifier_rows(profile, person_id, values, team):
    """Rows for the numbers in values; after certification the NIA and the waiting number are superseded."""
    caf, cpam, caf_agent, cpam_agent = team
    certified = profile.certified_on is not None
    old = {
        "status": IdentifierStatus.SUPERSEDED if certified else IdentifierStatus.ACTIVE,
        "superseded_at": moment(profile.certified_on) if certified else None,
        "certified_on": None,
    }
    by_kind = {
        # Received from the CPAM's register in bulk: no agent recorded it.
        IdentifierKind.NIA: {**old, "issuing_organisation_id": cpam.pk, "recorded_by_id": None},
        IdentifierKind.CAF_WAITING: {**old, "issuing_organisation_id": caf.pk, "recorded_by_id": caf_agent.pk},
        # Issued by INSEE, which is no caisse: the CPAM agent who recorded it is the trace.
        IdentifierKind.NIR: {
            "status": IdentifierStatus.ACTIVE,
            "superseded_at": None,
            "certified_on": profile.certified_on,
            "issuing_organisation_id": None,
            "recorded_by_id": cpam_agent.pk,
        },
    }
    issued_on = {
        IdentifierKind.NIA: profile.nia_issued_on,
        IdentifierKind.CAF_WAITING: profile.waiting_issued_on,
        IdentifierKind.NIR: profile.certified_on,
    }
    return [
        {"person_id": person_id, "kind": kind, "value": value, "issued_on": issued_on[kind], **by_kind[kind]}
        for kind, value in values.items()
    ]


def insert_rows(model, rows, *, returning_ids=False):
    """Insert rows (dicts by attribute name, all with the same keys); return their ids if asked, in order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = model.objects.bulk_create([model(**row) for row in rows], batch_size=INSERT_BATCH)
        # bulk_create stamps auto_now(_add) fields with the present: put back the dates the rows give.
        dated = [f.attname for f in model._meta.concrete_fields if f.attname in rows[0] and _is_auto_date(f)]
        if dated:
            for obj, row in zip(objects, rows, strict=True):
                for name in dated:
                    setattr(obj, name, row[name])
            model.objects.bulk_update(objects, dated, batch_size=INSERT_BATCH)
        return [obj.pk for obj in objects]
    # PostgreSQL: COPY is several times faster than INSERT, mostly because Django no longer prepares each value of
    # each row; the values here are already in their database form. Ids are drawn from the table's own sequence.
    table = model._meta.db_table
    ids = []
    if returning_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(rows)]
            )
            ids = [row[0] for row in cursor.fetchall()]
        for row, pk in zip(rows, ids, strict=True):
            row["id"] = pk
    given = list(rows[0])
    now = timezone.now()
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.attname in rows[0] or field.primary_key:
            continue
        # Columns the rows leave out (auto dates, fields other features add later) get the model's default.
        if _is_auto_date(field):
            defaults[field.column] = now
        else:
            defaults[field.column] = field.get_db_prep_save(field.get_default(), connection)
    columns = [model._meta.get_field(name).column for name in given] + list(defaults)
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    tail = list(defaults.values())
    # COPY writes text: a JSON column needs its JSON text, which psycopg would not make of a list.
    as_json = [name for name in given if isinstance(model._meta.get_field(name), JSONField)]
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy,
    ):
        for row in rows:
            values = [row[name] for name in given]
            for name in as_json:
                values[given.index(name)] = json.dumps(row[name])
            copy.write_row(values + tail)
    return ids


def _is_auto_date(field):
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


class Command(BaseCommand):
    help = _(
        "Crée les données de démonstration (refusé si DEBUG est faux) : deux CAF, deux CPAM, un agent et un "
        "superviseur par caisse, un administrateur national (mot de passe commun affiché à la fin) et environ "
        "200 personnes, chacune avec un dossier à une étape du parcours. Relancer la commande ne change rien. "
        "Avec --people N, ajoute N personnes et leurs dossiers à chaque exécution (volume pour les mesures de "
        "performance)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--people",
            type=int,
            default=0,
            metavar="N",
            help=_("Ajoute N personnes (numéros et dossier) au jeu de démonstration, N de plus à chaque exécution."),
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help=_("Personnes écrites par transaction avec --people (5000 par défaut)."),
        )

    def handle(self, *args, people, batch_size, **options):
        if not settings.DEBUG:
            raise CommandError(
                _(
                    "seed_demo crée des comptes dont le mot de passe est public : la commande ne s'exécute "
                    "qu'avec DEBUG=True, jamais sur une base de production."
                )
            )
        if people < 0 or batch_size < 1:
            raise CommandError(_("--people ne peut pas être négatif et --batch-size doit valoir au moins 1."))
        started = time.monotonic()
        with transaction.atomic():
            organisations = self.seed_organisations()
            users = self.seed_users(organisations)
        self.teams = {}  # department: its CAF, its CPAM and their agents
        for department in demo_data.DEPARTMENT_WEIGHTS:
            caf, cpam = organisations[f"CAF-{department}"], organisations[f"CPAM-{department}"]
            self.teams[department] = (caf, cpam, users[f"agent.caf{department}"], users[f"agent.cpam{department}"])
        created = self.seed_demo_people()
        self.stdout.write(
            _("Jeu de démonstration : %(created)s personne(s) créée(s), %(total)s personne(s) en base.")
            % {"created": created, "total": Person.objects.count()}
        )
        from cafcases.booking.demo import seed_booking_demo  # the booking app's own demo data

        seed_booking_demo(self.teams)
        if people:
            self.seed_volume(people, batch_size)
        self.print_cases()
        self.print_logins(users)
        self.stdout.write(_("Terminé en %(seconds).1f s.") % {"seconds": time.monotonic() - started})

    @functools.cached_property
    def allocator(self):
        # Loaded on first use: a second run of the demo, which creates nobody, reads no identifier at all.
        return NumberAllocator()

    def seed_organisations(self):
        organisations = {}
        for index, (code, name, address, mailbox) in enumerate(demo_data.ORGANISATIONS, start=1):
            kind, department = code.split("-")
            organisations[code], _created = Organisation.objects.update_or_create(
                code=code,
                defaults={
                    "kind": kind,
                    "department": department,
                    "name": name,
                    "address": address,
                    "phone": f"+33 1 99 00 {department} {index:02d}",  # ARCEP's range for fiction
                    "email": f"{mailbox}@caisse.invalid",
                },
            )
        return organisations

    def seed_users(self, organisations):
        # One hash for every account: hashing is deliberately slow, and this password is public anyway.
        password = make_password(DEMO_PASSWORD)
        users = {}
        for username, role, code, first_name, last_name in demo_data.USERS:
            # Not get_or_create: a new account can only be saved once its caisse is set (database constraint).
            user = User.objects.filter(username=username).first() or User(username=username)
            user.role = role
            user.organisation = organisations[code] if code else None
            user.first_name, user.last_name = first_name, last_name
            user.email = f"{username}@cafcases.invalid"
            user.is_staff, user.is_superuser, user.is_active = True, False, True
            user.password = password
            user.save()  # also puts the user in their role's group, which carries the permissions
            users[username] = user
        return users

    def seed_demo_people(self):
        """The demo people, each with a case walked through the services; one transaction, backdated at the end."""
        rng = random.Random(DEMO_SEED)
        today = timezone.localdate()
        profiles = demo_data.generate_profiles(rng, DEMO_PEOPLE, today)
        numbers = [f"{n:07d}" for n in rng.sample(range(1_000_000, VOLUME_FIRST_BENEFICIARY_NUMBER), DEMO_PEOPLE)]
        plans = demo_cases.plan_cases(rng, profiles, today)
        cafs = [team[0] for team in self.teams.values()]
        demo = Person.objects.filter(caf__in=cafs, beneficiary_number__in=numbers)
        existing = set(demo.values_list("caf_id", "beneficiary_number"))
        journal = demo_cases.Journal()
        created = 0
        with transaction.atomic():
            for index, (profile, number, plan) in enumerate(zip(profiles, numbers, plans, strict=True)):
                team = self.teams[profile.department]
                caf = team[0]
                if (caf.pk, number) in existing:
                    continue  # with the case it got when it was created, in the same transaction
                person = Person.objects.create(**person_row(profile, caf, number))
                demo_cases.CaseWalk(
                    journal=journal,
                    team=team,
                    plan=plan,
                    person=person,
                    numbers=self.allocator.numbers_for(profile, waiting=False),  # the service issues waiting numbers
                    rng=random.Random(f"{DEMO_SEED}:{index}"),  # the same story whichever people exist already
                    today=today,
                    taken=self.allocator.taken,
                ).run()
                created += 1
            journal.apply(today)
            # Demo or volume people from before the demo had cases: a case at the stage their numbers show.
            volume = Q(beneficiary_number__gte=f"{VOLUME_FIRST_BENEFICIARY_NUMBER}")
            older = Person.objects.filter(Q(pk__in=demo) | volume, caf__in=cafs, cases__isnull=True)
            self.insert_cases(demo_cases.VolumeCases.stand_ins(older), demo_cases.VolumeCases(today), rng)
        return created

    def insert_cases(self, batch, volume_cases, rng):
        cases, events = volume_cases.rows(batch, self.teams, rng)
        case_ids = insert_rows(Case, cases, returning_ids=True)
        insert_rows(
            CaseEvent, [{**row, "case_id": pk} for pk, rows in zip(case_ids, events, strict=True) for row in rows]
        )

    def _first_volume_numbers(self, count):
        """Per CAF, the first beneficiary number of this run: after the highest one in use, and never a demo one."""
        first = {}
        for caf, *_rest in self.teams.values():
            highest = Person.objects.filter(caf=caf, beneficiary_number__regex=r"^[0-9]{7}$").aggregate(
                highest=Max("beneficiary_number")
            )["highest"]
            first[caf.pk] = max(int(highest or 0) + 1, VOLUME_FIRST_BENEFICIARY_NUMBER)
            if first[caf.pk] + count > 10_000_000:
                raise CommandError(
                    _("Plus assez de numéros allocataires à 7 chiffres libres pour %(code)s.") % {"code": caf.code}
                )
        return first

    def seed_volume(self, count, batch_size):
        started = time.monotonic()
        # Seeded by the size of the registry: each run draws new people, the same ones on a fresh copy of the base.
        rng = random.Random(DEMO_SEED + Person.objects.count())
        today = timezone.localdate()
        next_number = self._first_volume_numbers(count)
        allocator = self.allocator
        volume_cases = demo_cases.VolumeCases(today)
        done = 0
        while done < count:
            profiles = demo_data.generate_profiles(rng, min(batch_size, count - done), today)
            people, numbers = [], []
            for profile in profiles:
                caf = self.teams[profile.department][0]
                numbers.append(allocator.numbers_for(profile, waiting=True))
                people.append(person_row(profile, caf, f"{next_number[caf.pk]:07d}"))
                next_number[caf.pk] += 1
            # One transaction per batch: an interrupted run leaves whole people, each with all their numbers.
            with transaction.atomic():
                ids = insert_rows(Person, people, returning_ids=True)
                rows = []
                for profile, person_id, values in zip(profiles, ids, numbers, strict=True):
                    rows += identifier_rows(profile, person_id, values, self.teams[profile.department])
                insert_rows(Identifier, rows)
                self.insert_cases(zip(profiles, ids, strict=True), volume_cases, rng)
            done += len(profiles)
            self.stdout.write(
                _("  %(done)s / %(count)s personnes et dossiers ajoutés (%(seconds).1f s)")
                % {"done": done, "count": count, "seconds": time.monotonic() - started}
            )
        self.stdout.write(
            _("%(count)s personnes et dossiers ajoutés en %(seconds).1f s.")
            % {"count": count, "seconds": time.monotonic() - started}
        )

    def print_cases(self):
        counts = dict(Case.objects.values_list("status").annotate(count=Count("id")).order_by())
        self.stdout.write(_("Dossiers par étape (%(total)s en base) :") % {"total": sum(counts.values())})
        for status in CaseStatus:
            self.stdout.write(f"  {status.label:<32} {counts.get(status.value, 0):>8}")

    def print_logins(self, users):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Comptes de démonstration (mot de passe commun : %s)") % DEMO_PASSWORD))
        headers = (_("Identifiant"), _("Rôle"), _("Caisse"))
        rows = [
            (user.username, str(user.get_role_display()), str(user.organisation) if user.organisation else "—")
            for user in users.values()
        ]
        widths = [max(len(row[column]) for row in (headers, *rows)) for column in range(2)]
        for row in (headers, *rows):
            self.stdout.write(f"  {row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}")
