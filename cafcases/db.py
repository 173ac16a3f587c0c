"""Migration operations that only run on one database vendor.

PostgreSQL-only features (triggers, exclusion constraints, materialized views) live here so that the same
migrations pass on SQLite, which gets its own equivalent where one exists.
"""

from django.db import migrations


class VendorSQL(migrations.RunSQL):
    """RunSQL that runs only when the connection's vendor is ``vendor`` ("postgresql" or "sqlite")."""

    def __init__(self, vendor, sql, reverse_sql=None, **kwargs):
        self.vendor = vendor
        super().__init__(sql, reverse_sql=reverse_sql or migrations.RunSQL.noop, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"SQL propre à {self.vendor}"


def postgresql_only(sql, reverse_sql=None):
    return VendorSQL("postgresql", sql, reverse_sql)


def sqlite_only(sql, reverse_sql=None):
    return VendorSQL("sqlite", sql, reverse_sql)
