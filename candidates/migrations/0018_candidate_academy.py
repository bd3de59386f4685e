"""Every record belongs to an academy; an existing installation's records go to its one academy."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import academy.models


def records_to_default_academy(apps, schema_editor):
    Academy = apps.get_model("academy", "Academy")
    Candidate = apps.get_model("candidates", "Candidate")
    academy = Academy.objects.order_by("id").first()
    if academy is None:
        academy = Academy.objects.create(name=settings.SITE_NAME, slug="academy")
    Candidate.objects.filter(academy__isnull=True).update(academy=academy)


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0013_several_academies"),
        ("candidates", "0017_funding_eligibility"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="academy",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="candidates", to="academy.academy"
            ),
        ),
        migrations.RunPython(records_to_default_academy, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="candidate",
            name="academy",
            field=models.ForeignKey(
                default=academy.models.default_academy_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="candidates",
                to="academy.academy",
            ),
        ),
        migrations.CreateModel(
            name="AcademyTransfer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.CharField(blank=True, max_length=300)),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "candidate",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="academy_transfers",
                        to="candidates.candidate",
                    ),
                ),
                (
                    "changed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "from_academy",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="academy.academy"
                    ),
                ),
                (
                    "to_academy",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="academy.academy"
                    ),
                ),
            ],
            options={
                "ordering": ["-changed_at", "-id"],
                "indexes": [models.Index(fields=["candidate", "changed_at"], name="candidates_transfer_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("from_academy", models.F("to_academy")), _negated=True),
                        name="candidates_transfer_moves",
                    )
                ],
            },
        ),
    ]
