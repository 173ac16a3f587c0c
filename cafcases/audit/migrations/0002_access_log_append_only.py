"""The access log is append-only in the database too; national administrators get to read it (roles.py)."""

from django.db import migrations

from cafcases.db import postgresql_only
from cafcases.roles import sync_role_groups

# Rows younger than this are never deleted, whatever the purge is told: a floor against a retention set by mistake.
RETENTION_FLOOR_DAYS = 180

POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION audit_accesslog_append_only() RETURNS trigger AS $$
DECLARE
    retention_days integer;
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('cafcases.access_log_purge', true) = 'on' THEN
        retention_days := GREATEST(
            COALESCE(NULLIF(current_setting('cafcases.access_log_retention_days', true), '')::integer, 0),
            {RETENTION_FLOOR_DAYS}
        );
        IF OLD.created_at < now() - make_interval(days => retention_days) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'Journal des accès : une ligne de moins de % jours ne se purge pas.', retention_days
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RAISE EXCEPTION 'Le journal des accès ne se modifie pas et ne s''efface pas (seule la purge légale le fait).'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accesslog_append_only BEFORE UPDATE OR DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION audit_accesslog_append_only();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS audit_accesslog_append_only ON audit_accesslog;
DROP FUNCTION IF EXISTS audit_accesslog_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_access_log_and_history")]

    operations = [
        postgresql_only(POSTGRESQL_FORWARD, POSTGRESQL_REVERSE),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
