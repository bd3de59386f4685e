"""Give each milestone its stage: the default stages by slug, then a stage named like it, else a new one.

Slugs never change, so the default stages (migration 0002) are found whatever managers renamed them.
Only "Completed course" had no default stage; it is added between "On course" and the next stage.
"""

from django.db import migrations

MILESTONES = [
    ("registered", "Registered", ("enquiry", "registered")),
    ("screened", "Screened", ("screening", "screened")),
    ("on_course", "On course", ("on_course",)),
    ("completed_course", "Completed course", ("completed_course", "completed")),
    ("dbs", "DBS", ("dbs",)),
    ("job_ready", "Job ready", ("job_search", "job_ready")),
    ("placed", "Placed", ("placement", "placed")),
    ("in_work", "In work", ("in_work",)),
    ("sustained", "Sustained", ("sustained",)),
    ("closed", "Closed", ("closed",)),
]


def set_milestones(apps, schema_editor):
    PipelineStage = apps.get_model("candidates", "PipelineStage")
    previous = None
    for milestone, name, slugs in MILESTONES:
        stage = PipelineStage.objects.filter(milestone=milestone).first()
        free = PipelineStage.objects.filter(milestone="")
        stage = stage or free.filter(slug__in=slugs).order_by("position").first()
        stage = stage or free.filter(name__iexact=name).first()
        if stage is None:
            after = previous.position if previous is not None else 0
            following = PipelineStage.objects.filter(position__gt=after).order_by("position").first()
            gap = (following.position - after) // 2 if following is not None else 10
            stage = PipelineStage.objects.create(
                name=_free_name(PipelineStage, name),
                slug=_free_slug(PipelineStage, milestone),
                position=after + max(gap, 1),
                is_closed=milestone == "closed",
                is_active=True,
            )
        stage.milestone = milestone
        stage.save(update_fields=["milestone"])
        previous = stage


def _free_name(PipelineStage, name):
    candidate, n = name, 2
    while PipelineStage.objects.filter(name__iexact=candidate).exists():
        candidate, n = f"{name} ({n})", n + 1
    return candidate


def _free_slug(PipelineStage, slug):
    candidate, n = slug, 2
    while PipelineStage.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}_{n}", n + 1
    return candidate


def clear_milestones(apps, schema_editor):
    apps.get_model("candidates", "PipelineStage").objects.update(milestone="")


class Migration(migrations.Migration):
    dependencies = [("candidates", "0013_pipelinestage_milestone")]

    operations = [migrations.RunPython(set_milestones, clear_milestones)]
