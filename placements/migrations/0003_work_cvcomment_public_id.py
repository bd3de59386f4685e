"""The CV comment gets a public id, so the learner can mark one resolved by a URL that is not a sequential id."""

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    CvComment = apps.get_model("placements", "CvComment")
    for comment in CvComment.objects.filter(public_id__isnull=True).only("pk"):
        comment.public_id = uuid.uuid4()
        comment.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [("placements", "0002_outcomes")]

    operations = [
        migrations.AddField(model_name="cvcomment", name="public_id", field=models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="cvcomment",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
