"""The access log: every reveal and every export in clear writes a line; the lines never change nor go, but by purge."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cafcases import exports
from cafcases.audit.ip import client_ip
from cafcases.audit.models import AccessAction, AccessLog, AppendOnlyError
from cafcases.audit.services import access_log_record
from cafcases.models import User
from cafcases.services.access import RevealPurpose
from tests.factories import CaseFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return UserFactory()


@pytest.fixture
def case(agent):
    return CaseFactory(caf=agent.organisation)


def a_line(user, **kwargs):
    return access_log_record(action=AccessAction.REVEAL, purpose=RevealPurpose.LETTER, user=user, **kwargs)


def test_revealing_a_number_writes_who_whom_why_and_from_where(client, agent, case):
    nia = case.person.identifiers.get()
    client.force_login(agent)
    url = reverse("case_reveal", kwargs={"pk": case.pk, "identifier_pk": nia.pk})
    response = client.post(url, {"purpose": RevealPurpose.IDENTITY_CHECK}, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200
    [line] = AccessLog.objects.all()
    assert (line.action, line.purpose, line.user, line.person, line.ip_address, line.count) == (
        AccessAction.REVEAL,
        RevealPurpose.IDENTITY_CHECK,
        agent,
        case.person,
        "192.0.2.7",
        1,
    )
    assert nia.value not in line.detail and nia.formatted not in line.detail
    assert line.created_at <= timezone.now()


def test_a_refused_reveal_writes_nothing(client, agent, case):
    nia = case.person.identifiers.get()
    client.force_login(agent)
    url = reverse("case_reveal", kwargs={"pk": case.pk, "identifier_pk": nia.pk})
    assert client.post(url, {"purpose": "curiosité"}).status_code == 400
    assert not AccessLog.objects.exists()


def test_an_export_in_clear_writes_one_line_with_the_count(agent):
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4")
    request.user = agent
    line = exports.export_numbers_logged(user=agent, people_count=42, request=request, detail="tous")
    assert (line.action, line.user, line.count, line.ip_address, line.person) == (
        AccessAction.EXPORT,
        agent,
        42,
        "198.51.100.4",
        None,
    )


def test_the_user_comes_from_the_request_and_an_api_client_needs_no_user(agent):
    request = RequestFactory().post("/api/")
    request.user = agent
    assert access_log_record(action="reveal", purpose="letter", request=request).user == agent
    line = access_log_record(action=AccessAction.API, purpose="resolve", api_client_name="portail-caf")
    assert line.user is None and line.api_client_name == "portail-caf"


def test_a_line_says_who_read(db):
    with pytest.raises(DatabaseError), transaction.atomic():
        access_log_record(action=AccessAction.API, purpose="resolve")


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy trusted: the header is the client's word only
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the client wrote itself is on the left
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: not trusted
        (1, "n'importe quoi", None),
    ],
)
def test_the_client_address_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_line_cannot_be_changed_or_deleted_from_the_application(agent):
    line = a_line(agent)
    line.purpose = "other"
    with pytest.raises(AppendOnlyError):
        line.save()
    with pytest.raises(AppendOnlyError):
        line.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=line.pk).update(purpose="other")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=line.pk).delete()
    assert AccessLog.objects.get().purpose == RevealPurpose.LETTER


def test_the_reader_and_the_person_cannot_be_deleted_while_a_line_names_them(agent, case):
    from django.db.models import ProtectedError

    a_line(agent, person=case.person)
    with pytest.raises(ProtectedError):
        User.objects.filter(pk=agent.pk).delete()


def age(line, days):
    """Backdate a line: the test's own way around the append-only rule (a superuser's replica mode skips triggers)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "UPDATE audit_accesslog SET created_at = %s WHERE id = %s",
            [timezone.now() - datetime.timedelta(days=days), line.pk],
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def test_the_purge_deletes_only_the_lines_past_the_retention(agent, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 365
    old, last_year, recent = a_line(agent), a_line(agent), a_line(agent)
    age(old, 400)
    age(last_year, 300)
    out = io.StringIO()
    call_command("purge_access_log", stdout=out)
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {last_year.pk, recent.pk}
    assert "1 ligne(s)" in out.getvalue()


@pytest.mark.postgresql
def test_postgresql_refuses_update_and_delete_outside_the_purge(agent):
    line = a_line(agent)
    for statement in [
        "UPDATE audit_accesslog SET purpose = 'x' WHERE id = %s",
        "DELETE FROM audit_accesslog WHERE id = %s",
    ]:
        with pytest.raises(DatabaseError, match="journal des accès"), transaction.atomic(), connection.cursor() as c:
            c.execute(statement, [line.pk])
    assert AccessLog.objects.filter(pk=line.pk, purpose=RevealPurpose.LETTER).exists()


@pytest.mark.postgresql
def test_postgresql_keeps_young_lines_even_with_the_purge_flag(agent):
    line = a_line(agent)
    age(line, 100)  # past a retention of 30 days, but younger than the trigger's floor (180 days)
    with pytest.raises(DatabaseError, match="ne se purge pas"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL cafcases.access_log_purge = 'on'")
        cursor.execute("SET LOCAL cafcases.access_log_retention_days = '30'")
        cursor.execute("DELETE FROM audit_accesslog WHERE id = %s", [line.pk])
    assert AccessLog.objects.filter(pk=line.pk).exists()


@pytest.mark.postgresql
def test_postgresql_purge_flag_does_not_outlive_the_purge(agent):
    call_command("purge_access_log", stdout=io.StringIO())  # inside the test's transaction, like any caller's
    line = a_line(agent)
    age(line, 400)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslog WHERE id = %s", [line.pk])
    assert AccessLog.objects.filter(pk=line.pk).exists()


def test_national_admins_browse_the_log_and_nobody_edits_it(client, agent):
    line = a_line(agent, person=CaseFactory(caf=OrganisationFactory()).person)
    admin = UserFactory(national_admin=True)
    client.force_login(admin)
    changelist = reverse("admin:audit_accesslog_changelist")
    for query in ["", "?action__exact=reveal", "?purpose=letter", f"?created_at__year={line.created_at.year}"]:
        response = client.get(changelist + query)
        assert response.status_code == 200
        assert response.context["cl"].result_count == 1
    assert client.get(reverse("admin:audit_accesslog_change", args=[line.pk])).status_code == 200
    assert client.get(reverse("admin:audit_accesslog_add")).status_code == 403
    assert client.post(reverse("admin:audit_accesslog_delete", args=[line.pk])).status_code == 403
    client.force_login(UserFactory(supervisor=True))
    assert client.get(changelist).status_code == 403
