"""Writing to the access log and purging it past the retention period."""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cafcases.audit.ip import client_ip
from cafcases.audit.models import AccessAction, AccessLog

# PostgreSQL settings the purge sets for its own transaction only; the trigger of migration 0002 reads them.
PURGE_FLAG = "cafcases.access_log_purge"
PURGE_RETENTION = "cafcases.access_log_retention_days"


def access_log_record(
    *,
    action,
    purpose,
    request=None,
    user=None,
    api_client_name="",
    person=None,
    count=1,
    detail="",
    ip_address=None,
) -> AccessLog:
    """Append one line to the access log: who read which person's numbers in clear, why, from where.

    ``detail`` never carries a number; ``ip_address`` is only for callers without a request.
    """
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    if request is not None:
        ip_address = client_ip(request)
    return AccessLog.objects.create(
        action=AccessAction(action),
        purpose=str(purpose)[:40],
        user=user,
        api_client_name=api_client_name[:100],
        person=person,
        ip_address=ip_address or None,
        count=count,
        detail=detail[:255],
    )


def retention_cutoff(now=None):
    """Lines older than this are past the retention period (settings.ACCESS_LOG_RETENTION_DAYS)."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)


@transaction.atomic
def access_log_purge() -> int:
    """Delete the lines past the retention period; return how many went.

    On PostgreSQL the trigger refuses any DELETE unless this transaction set the purge flag, and even then keeps the
    lines younger than the retention it is told (never less than its own floor).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_FLAG])
            cursor.execute(
                "SELECT set_config(%s, %s, true)", [PURGE_RETENTION, str(settings.ACCESS_LOG_RETENTION_DAYS)]
            )
            # The database's clock, as the trigger's: a skewed application server cannot purge a line too young.
            cursor.execute(
                f"DELETE FROM {AccessLog._meta.db_table} WHERE created_at < now() - make_interval(days => %s)",  # noqa: S608
                [settings.ACCESS_LOG_RETENTION_DAYS],
            )
            deleted = cursor.rowcount
            # SET LOCAL lasts until the outermost transaction ends: switched off at once, in case a caller wraps this.
            cursor.execute("SELECT set_config(%s, 'off', true)", [PURGE_FLAG])
            return deleted
        cursor.execute(f"DELETE FROM {AccessLog._meta.db_table} WHERE created_at < %s", [retention_cutoff()])  # noqa: S608
        return cursor.rowcount
