"""A number belongs to one person forever: the database refuses to move it, rewrite it or change its kind."""

from django.db import migrations

from cafcases.db import postgresql_only, sqlite_only

MESSAGE = "Un numéro appartient à sa personne pour toujours : ni sa valeur, ni son type, ni sa personne ne changent."

POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION cafcases_identifier_immutable() RETURNS trigger AS $$
BEGIN
    IF NEW.person_id IS DISTINCT FROM OLD.person_id
       OR NEW.value IS DISTINCT FROM OLD.value
       OR NEW.kind IS DISTINCT FROM OLD.kind THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cafcases_identifier_immutable BEFORE UPDATE ON cafcases_identifier
    FOR EACH ROW EXECUTE FUNCTION cafcases_identifier_immutable();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS cafcases_identifier_immutable ON cafcases_identifier;
DROP FUNCTION IF EXISTS cafcases_identifier_immutable();
"""
SQLITE_FORWARD = f"""
CREATE TRIGGER cafcases_identifier_immutable BEFORE UPDATE OF person_id, value, kind ON cafcases_identifier
FOR EACH ROW WHEN NEW.person_id IS NOT OLD.person_id OR NEW.value IS NOT OLD.value OR NEW.kind IS NOT OLD.kind
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS cafcases_identifier_immutable;"


class Migration(migrations.Migration):
    dependencies = [("cafcases", "0002_countries_and_role_groups")]

    operations = [
        postgresql_only(POSTGRESQL_FORWARD, POSTGRESQL_REVERSE),
        sqlite_only(SQLITE_FORWARD, SQLITE_REVERSE),
    ]
