from django.db import migrations

from courses.history_backfill import backfill_status_history


def backfill(apps, schema_editor):
    backfill_status_history(apps)


def remove(apps, schema_editor):
    apps.get_model("courses", "ApplicationStatusChange").objects.all().delete()
    apps.get_model("courses", "EnrolmentStatusChange").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0004_status_history"),
        ("academy", "0004_supportpayment_decision_reason"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(backfill, remove)]
