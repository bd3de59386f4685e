"""Screening questions get a UUID public_id, so URLs name them without sequential ids.

Existing rows each get their own UUID (a callable default in AddField would give them all the same one),
then the field becomes unique.
"""

import uuid

from django.db import migrations, models


def give_each_question_a_uuid(apps, schema_editor):
    ScreeningQuestion = apps.get_model("courses", "ScreeningQuestion")
    for question in ScreeningQuestion.objects.filter(public_id__isnull=True).only("pk"):
        question.public_id = uuid.uuid4()
        question.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_application_status_offer_expired"),
    ]

    operations = [
        migrations.AddField(
            model_name="screeningquestion",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_question_a_uuid, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="screeningquestion",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
