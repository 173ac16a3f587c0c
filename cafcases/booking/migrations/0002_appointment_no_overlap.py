"""No two appointments of a counter overlap in time: PostgreSQL refuses overlapping ranges, not only equal starts.

SQLite has no exclusion constraint; there the partial unique constraint on (counter, starts_at) is the guard, and
the slots all share one grid per counter, so equal starts are what a race produces.
"""

from django.db import migrations

from cafcases.db import postgresql_only


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [
        postgresql_only(
            """
            CREATE EXTENSION IF NOT EXISTS btree_gist;
            ALTER TABLE booking_appointment ADD CONSTRAINT booking_appointment_no_overlap
                EXCLUDE USING gist (counter_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
                WHERE (status <> 'cancelled');
            """,
            "ALTER TABLE booking_appointment DROP CONSTRAINT IF EXISTS booking_appointment_no_overlap;",
        ),
    ]
