from django.db import migrations

from cafcases.countries_data import load_countries
from cafcases.roles import sync_role_groups


def load_insee_countries(apps, schema_editor):
    load_countries(apps.get_model("cafcases", "Country"))


class Migration(migrations.Migration):
    dependencies = [
        ("cafcases", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(load_insee_countries, migrations.RunPython.noop),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
