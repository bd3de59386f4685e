"""Take over academy's SupportPayment with its rows: the model enters courses' state on the existing
table (no copy), then the table is renamed to courses_supportpayment. The content type moves too, so
audit entries and permissions about payments keep pointing at them.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="academy", target="courses"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=target, model="supportpayment").exists():
        types.filter(app_label=source, model="supportpayment").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="courses", target="academy")


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0007_supportpayment_move_to_courses"),
        ("candidates", "0009_dbscheck_reminder_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("courses", "0003_screeningquestion_public_id"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SupportPayment",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("transport", "Transport"),
                                    ("childcare", "Childcare"),
                                    ("interview_clothes", "Interview clothes"),
                                    ("lunch", "Lunch vouchers"),
                                    ("attendance_bursary", "Attendance bursary"),
                                    ("other", "Other support"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("amount", models.DecimalField(decimal_places=2, max_digits=8)),
                        ("description", models.CharField(blank=True, max_length=200)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("requested", "Requested"),
                                    ("approved", "Approved"),
                                    ("paid", "Paid"),
                                    ("rejected", "Rejected"),
                                ],
                                default="requested",
                                max_length=10,
                            ),
                        ),
                        ("funding_stream", models.CharField(blank=True, max_length=120)),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        ("decision_reason", models.TextField(blank=True)),
                        ("paid_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "candidate",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="support_payments",
                                to="candidates.candidate",
                            ),
                        ),
                        (
                            "cohort",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="support_payments",
                                to="courses.cohort",
                            ),
                        ),
                        (
                            "decided_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "requested_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at"],
                        "db_table": "academy_supportpayment",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("amount__gt", 0)), name="academy_supportpayment_amount_positive"
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(
                                    ("kind", "attendance_bursary"), models.Q(("status", "rejected"), _negated=True)
                                ),
                                fields=("candidate", "cohort"),
                                name="academy_supportpayment_one_bursary_per_cohort",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="supportpayment", table=None),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=False),
    ]
