"""Writing new people: the person, their active NIA, an open case at ``nia_only`` and its opening event.

Two writers with the same interface, called chunk by chunk inside the caller's transaction:

- ``PostgresWriter``: the chunk is COPYed into a temporary staging table, then one set-based statement inserts the
  people, their NIAs, the cases and the events from it. ``ON CONFLICT DO NOTHING`` on the people and the numbers
  makes the statement safe against another writer that recorded the same NIA or beneficiary number since the rows
  were classified: such rows are left out whole and reported, and a re-run classifies them as present.
- ``OrmWriter`` (SQLite and any other database): ``bulk_create`` in batches, same values.

Both take the column values of the models: every concrete field the import does not set gets its default, so that a
field added to a model later does not break the import. The case's clocks and priority are those
``cafcases.clocks.refresh_clocks`` stores for a new case (computed here once per country and set of benefits).
"""

import datetime
import functools
import json
from types import SimpleNamespace

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from cafcases import clocks, workflow
from cafcases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Country,
    EventKind,
    Identifier,
    IdentifierKind,
    IdentifierStatus,
    Person,
)
from cafcases.models.cases import track_for_person
from cafcases.priority import compute_priority

from .files import Problem

INSERT_BATCH = 1000
STAGING = "import_people_staging"
# Person fields taken from the row as they are.
PERSON_FIELDS = (
    "birth_name",
    "usage_name",
    "first_names",
    "sex",
    "birth_year",
    "birth_month",
    "birth_day",
    "phone",
    "email",
    "address",
    "postcode",
    "city",
    "beneficiary_number",
    "birth_name_key",
    "first_names_key",
    "search_text",
)


class NewCases:
    """The values of a new case at ``nia_only`` (the NIA's issue date is unknown: no NIA clock)."""

    def __init__(self, caisse, cpam, today, comment):
        self.caisse, self.cpam, self.today, self.comment = caisse, cpam, today, comment
        self.status = CaseStatus.NIA_ONLY
        self.side = workflow.SIDE_OF_STATUS[self.status]
        # New people get the model's default protection status, hence its track.
        self.track = track_for_person(SimpleNamespace(protection_status=Person().protection_status))
        self.countries = Country.objects.in_bulk()
        self.observed = clocks.observed_median_delays(self.countries, today)
        self.summary = _("Dossier ouvert")
        self.clocks = functools.cache(self._clocks)

    def _clocks(self, country_code, benefits):
        """(benefits JSON, priority, forecast_certified_on, next_deadline) for a new case."""
        case = SimpleNamespace(
            status=self.status, papers_due_on=None, nia_valid_until=None, certification_expected_on=None
        )
        next_deadline = clocks.next_deadline(case)
        delay = clocks.forecast_delay_days(self.countries.get(country_code), self.track, self.observed)
        priority = compute_priority(
            benefits=benefits,
            track=self.track,
            unreachable=False,
            next_deadline=next_deadline,
            opened_on=self.today,
            today=self.today,
        )
        forecast = self.today + datetime.timedelta(days=delay)
        return json.dumps(list(benefits)), priority, forecast, next_deadline

    def case_values(self, row):
        benefits, priority, forecast, next_deadline = self.clocks(row.country, row.benefits)
        return {
            "caf_id": self.caisse.pk,
            "cpam_id": self.cpam.pk,
            "status": self.status,
            "side": self.side,
            "track": self.track,
            "benefits_at_risk": list(row.benefits),
            "priority": priority,
            "forecast_certified_on": forecast,
            "next_deadline": next_deadline,
        }


def race_problem(row):
    """A row whose NIA or beneficiary number another writer recorded after the row was classified."""
    reason = _("Ce NIA ou ce numéro allocataire vient d'être enregistré par un autre traitement : relancez l'import.")
    return Problem(row.line, row.beneficiary_number, "nia", reason)


class OrmWriter:
    def __init__(self, cases: NewCases):
        self.cases = cases

    def write(self, rows):
        """Insert the rows' people, NIAs, cases and events; return the problems of the rows left out (none here)."""
        if not rows:
            return []
        caisse, cpam = self.cases.caisse, self.cases.cpam
        people = Person.objects.bulk_create(
            [
                Person(
                    **{name: getattr(row, name) for name in PERSON_FIELDS},
                    birth_country_id=row.country,
                    caf_id=caisse.pk,
                )
                for row in rows
            ],
            batch_size=INSERT_BATCH,
        )
        Identifier.objects.bulk_create(
            [
                Identifier(
                    person_id=person.pk,
                    kind=IdentifierKind.NIA,
                    value=row.nia,
                    issuing_organisation_id=cpam.pk,
                    status=IdentifierStatus.ACTIVE,
                )
                for person, row in zip(people, rows, strict=True)
            ],
            batch_size=INSERT_BATCH,
        )
        cases = Case.objects.bulk_create(
            [
                Case(person_id=person.pk, **self.cases.case_values(row))
                for person, row in zip(people, rows, strict=True)
            ],
            batch_size=INSERT_BATCH,
        )
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(
                    case_id=case.pk, kind=EventKind.OPENED, summary=self.cases.summary, comment=self.cases.comment
                )
                for case in cases
            ],
            batch_size=INSERT_BATCH,
        )
        return []

    def close(self):
        pass


# Staging columns: (name, SQL type); person_id is drawn from the people's own sequence as rows arrive.
STAGING_COLUMNS = (
    ("line", "integer"),
    ("nia", "text"),
    ("birth_country_id", "text"),
    *((name, "smallint" if name in ("birth_year", "birth_month", "birth_day") else "text") for name in PERSON_FIELDS),
    ("benefits_at_risk", "jsonb"),
    ("priority", "smallint"),
    ("forecast_certified_on", "date"),
    ("next_deadline", "date"),
)


def _q(name):
    return connection.ops.quote_name(name)


def _insert(model, values, *, source, now):
    """``INSERT INTO table (…) SELECT … FROM source``: values maps attnames to SQL expressions; every other concrete
    field gets its default as a named parameter, so that the statement follows the model."""
    columns, expressions, params = [], [], {}
    for field in model._meta.concrete_fields:
        if field.attname in values:
            expression = values[field.attname]
        elif field.primary_key:
            continue
        else:
            name = f"{model._meta.model_name}_{field.attname}"
            expression = f"%({name})s"
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                params[name] = now
            else:
                params[name] = field.get_db_prep_save(field.get_default(), connection)
        columns.append(_q(field.column))
        expressions.append(expression)
    sql = f"INSERT INTO {_q(model._meta.db_table)} ({', '.join(columns)}) SELECT {', '.join(expressions)} FROM {source}"
    return sql, params


class PostgresWriter:
    def __init__(self, cases: NewCases):
        self.cases = cases
        self.now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [Person._meta.db_table])
            sequence = cursor.fetchone()[0]
            columns = ", ".join(f"{_q(name)} {kind}" for name, kind in STAGING_COLUMNS)
            # Dropped at the end of the transaction: a killed run leaves nothing behind, not even this table.
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGING} ({columns}, person_id bigint NOT NULL "
                f"DEFAULT nextval('{sequence}'::regclass)) ON COMMIT DROP"
            )
        self.sql, self.params = self._statement()

    def _statement(self):
        caisse, cpam, now = self.cases.caisse, self.cases.cpam, self.now
        person_sql, person_params = _insert(
            Person,
            {"id": "s.person_id", "caf_id": "%(caf)s", **{name: f"s.{_q(name)}" for name in PERSON_FIELDS}}
            | {"birth_country_id": "s.birth_country_id"},
            source=f"{STAGING} s ORDER BY s.line",
            now=now,
        )
        number_sql, number_params = _insert(
            Identifier,
            {
                "person_id": "s.person_id",
                "kind": "%(kind)s",
                "value": "s.nia",
                "status": "%(active)s",
                "issuing_organisation_id": "%(cpam)s",
            },
            source=f"{STAGING} s JOIN people p ON p.id = s.person_id",
            now=now,
        )
        case_values = {"person_id": "s.person_id", "caf_id": "%(caf)s", "cpam_id": "%(cpam)s"}
        case_values |= {name: f"s.{name}" for name in ("benefits_at_risk", "priority", "forecast_certified_on")}
        case_values |= {"next_deadline": "s.next_deadline", "status": "%(status)s", "side": "%(side)s"}
        case_values |= {"track": "%(track)s"}
        case_sql, case_params = _insert(
            Case, case_values, source=f"{STAGING} s JOIN numbers n ON n.person_id = s.person_id", now=now
        )
        event_sql, event_params = _insert(
            CaseEvent,
            {"case_id": "c.id", "kind": "%(opened)s", "summary": "%(summary)s", "comment": "%(comment)s"},
            source="cases c",
            now=now,
        )
        sql = f"""
            WITH people AS ({person_sql} ON CONFLICT DO NOTHING RETURNING id),
            numbers AS ({number_sql} ON CONFLICT DO NOTHING RETURNING person_id),
            cases AS ({case_sql} RETURNING id),
            events AS ({event_sql})
            SELECT s.line, p.id FROM {STAGING} s LEFT JOIN people p ON p.id = s.person_id
            WHERE NOT EXISTS (SELECT 1 FROM numbers n WHERE n.person_id = s.person_id)
        """
        params = {
            **person_params,
            **number_params,
            **case_params,
            **event_params,
            "caf": caisse.pk,
            "cpam": cpam.pk,
            "kind": IdentifierKind.NIA.value,
            "active": IdentifierStatus.ACTIVE.value,
            "status": self.cases.status.value,
            "side": self.cases.side.value,
            "track": self.cases.track.value,
            "opened": EventKind.OPENED.value,
            "summary": str(self.cases.summary),
            "comment": self.cases.comment,
        }
        return sql, params

    def write(self, rows):
        if not rows:
            return []
        names = ", ".join(_q(name) for name, _kind in STAGING_COLUMNS)
        case_values = self.cases.clocks
        by_line = {}
        with connection.cursor() as cursor:
            with cursor.copy(f"COPY {STAGING} ({names}) FROM STDIN") as copy:
                for row in rows:
                    by_line[row.line] = row
                    benefits, priority, forecast, next_deadline = case_values(row.country, row.benefits)
                    copy.write_row(
                        (
                            row.line,
                            row.nia,
                            row.country,
                            *[getattr(row, name) for name in PERSON_FIELDS],
                            benefits,
                            priority,
                            forecast,
                            next_deadline,
                        )
                    )
            cursor.execute(self.sql, self.params)
            left_out = cursor.fetchall()
            orphans = [person_id for _line, person_id in left_out if person_id is not None]
            if orphans:  # inserted, but its NIA was taken meanwhile: a person must not stay without the number
                cursor.execute(f"DELETE FROM {_q(Person._meta.db_table)} WHERE id = ANY(%s)", [orphans])
            cursor.execute(f"TRUNCATE {STAGING}")
        return [race_problem(by_line[line]) for line, _person_id in sorted(left_out)]

    def close(self):
        # ON COMMIT DROP is enough for a command, which runs in its own transaction; inside a caller's transaction
        # (a test, a request) the table must go now, so that a second import in that transaction can create it.
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")


def writer_for(cases):
    return PostgresWriter(cases) if connection.vendor == "postgresql" else OrmWriter(cases)
