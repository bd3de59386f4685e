from django.db import migrations

DEFAULT_STAGES = [
    ("enquiry", "Enquiry", False),
    ("screening", "Screening", False),
    ("on_course", "On course", False),
    ("dbs", "DBS", False),
    ("placement", "Placement", False),
    ("job_search", "Job search", False),
    ("in_work", "In work", False),
    ("sustained", "Sustained", False),
    ("closed", "Closed", True),
]


def add_stages(apps, schema_editor):
    PipelineStage = apps.get_model("candidates", "PipelineStage")
    for position, (slug, name, is_closed) in enumerate(DEFAULT_STAGES, start=1):
        PipelineStage.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position * 10, "is_closed": is_closed}
        )


class Migration(migrations.Migration):
    dependencies = [("candidates", "0001_candidate_record")]

    operations = [migrations.RunPython(add_stages, migrations.RunPython.noop)]
