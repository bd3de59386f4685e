"""Every course is run by an academy; an existing installation's courses go to its one academy."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import academy.models


def courses_to_default_academy(apps, schema_editor):
    Academy = apps.get_model("academy", "Academy")
    Course = apps.get_model("courses", "Course")
    academy = Academy.objects.order_by("id").first()
    if academy is None:
        academy = Academy.objects.create(name=settings.SITE_NAME, slug="academy")
    Course.objects.filter(academy__isnull=True).update(academy=academy)


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0013_several_academies"),
        ("courses", "0009_funding_stream_fk_replaces_label"),
    ]

    operations = [
        migrations.AddField(
            model_name="course",
            name="academy",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="courses", to="academy.academy"
            ),
        ),
        migrations.RunPython(courses_to_default_academy, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="course",
            name="academy",
            field=models.ForeignKey(
                default=academy.models.default_academy_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="courses",
                to="academy.academy",
            ),
        ),
        migrations.AddField(
            model_name="course",
            name="shared_with_region",
            field=models.BooleanField(
                default=False,
                help_text="The academy that runs the course still manages its cohorts.",
                verbose_name="open to learners of the other academies in the region",
            ),
        ),
    ]
