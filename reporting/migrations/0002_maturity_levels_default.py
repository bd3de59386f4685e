"""The academy model's default maturity scale: strategic, integrated, disruptive (managers may change it)."""

from django.db import migrations

DEFAULT_LEVELS = [
    (1, "Strategic", "The academy has a plan and partners for this area, and has started to deliver it."),
    (2, "Integrated", "The area is part of how the academy and its partners work every day."),
    (3, "Disruptive", "The academy changes how the local care sector works in this area."),
]


def add_default_levels(apps, schema_editor):
    MaturityLevel = apps.get_model("reporting", "MaturityLevel")
    for rank, name, description in DEFAULT_LEVELS:
        MaturityLevel.objects.get_or_create(name=name, defaults={"rank": rank, "description": description})


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_impact_reports")]

    operations = [migrations.RunPython(add_default_levels, migrations.RunPython.noop)]
