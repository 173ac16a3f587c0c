"""Name search at national scale: a trigram index serves `search_text LIKE '% word%'` on PostgreSQL."""

from django.db import migrations

from cafcases.db import postgresql_only


class Migration(migrations.Migration):
    dependencies = [("cafcases", "0003_identifier_immutable_trigger")]

    operations = [
        postgresql_only(
            """
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            CREATE INDEX IF NOT EXISTS cafcases_person_search_text_trgm
                ON cafcases_person USING gin (search_text gin_trgm_ops);
            """,
            "DROP INDEX IF EXISTS cafcases_person_search_text_trgm;",
        ),
    ]
