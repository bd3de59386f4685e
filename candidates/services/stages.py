"""Managers configure the pipeline: add, rename, reorder, close or retire stages.

A stage that still holds people cannot be retired (made inactive): the services that move
people refuse inactive stages, so anyone left there could not be found by stage in the move
form and would be stuck. Managers move them first (bulk "move stage" on the candidate list),
then retire the stage. History rows that point at a retired stage stay as they are.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate, PipelineStage

STAGE_FIELDS = ("name", "position", "is_closed", "is_active")


def stage_slug_for(name: str) -> str:
    """The slug a new stage gets from its name (underscores, like the default stages)."""
    return slugify(name).replace("-", "_")[:40]


def _check_pipeline_still_opens(stage: PipelineStage) -> None:
    # New records go into the first active stage that is not closed: one must always exist.
    if stage.is_active and not stage.is_closed:
        return
    others = PipelineStage.objects.filter(is_active=True, is_closed=False).exclude(pk=stage.pk)
    if not others.exists():
        raise ValidationError(
            "At least one stage must be in use and not closed: new records start in the first such stage."
        )


@transaction.atomic
def stage_create(*, actor: User, name: str, position: int, is_closed: bool = False) -> PipelineStage:
    """Add a stage; its slug comes from the name and never changes (filters and links use it)."""
    name = name.strip()
    slug = stage_slug_for(name)
    if not slug:
        raise ValidationError({"name": "Enter a name with at least one letter or number."})
    if PipelineStage.objects.filter(name__iexact=name).exists() or PipelineStage.objects.filter(slug=slug).exists():
        raise ValidationError({"name": f"There is already a stage called {name}."})
    stage = PipelineStage.objects.create(name=name, slug=slug, position=position, is_closed=is_closed, is_active=True)
    audit_log(actor=actor, action="stage.create", obj=stage, data={"slug": slug})
    return stage


@transaction.atomic
def stage_update(
    *, stage: PipelineStage, actor: User, name: str, position: int, is_closed: bool, is_active: bool
) -> PipelineStage:
    """Rename, reorder, open or close a stage, or retire it once nobody is in it."""
    # Lock the row: on PostgreSQL a move into this stage that is under way (it holds a key-share lock
    # on the stage) finishes first, so the count below includes it.
    stage = PipelineStage.objects.select_for_update().get(pk=stage.pk)
    name = name.strip()
    if PipelineStage.objects.filter(name__iexact=name).exclude(pk=stage.pk).exists():
        raise ValidationError({"name": f"There is already a stage called {name}."})
    if stage.is_active and not is_active:
        count = Candidate.objects.current().filter(stage=stage).count()
        if count:
            people = "1 person is" if count == 1 else f"{count} people are"
            raise ValidationError(
                {
                    "is_active": f"{people} still in {stage.name}. Move them to another stage first, "
                    "then stop using this one."
                }
            )
    values = {"name": name, "position": position, "is_closed": is_closed, "is_active": is_active}
    changed = [field for field in STAGE_FIELDS if getattr(stage, field) != values[field]]
    for field in changed:
        setattr(stage, field, values[field])
    _check_pipeline_still_opens(stage)
    if changed:
        stage.save(update_fields=[*changed, "updated_at"])
        audit_log(actor=actor, action="stage.update", obj=stage, data={"changed": changed})
    return stage
