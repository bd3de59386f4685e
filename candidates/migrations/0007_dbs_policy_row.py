from django.db import migrations


def create_policy(apps, schema_editor):
    apps.get_model("candidates", "DbsPolicy").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("candidates", "0006_dbs_checks")]

    operations = [migrations.RunPython(create_policy, migrations.RunPython.noop)]
