from django.db import migrations

from cafcases.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [("cafcases", "0005_cases")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
