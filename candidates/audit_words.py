"""Pipeline moves in the audit log in words (the academy.audit_words hook): stage ids become stage names."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q

from academy.models import AuditEntry
from candidates.models import PipelineStage

STAGE_ACTIONS = ("candidate.stage", "candidate.bulk_stage")


def describe(entries: Sequence[AuditEntry]) -> dict[int, str]:
    """Sentences for stage changes, by entry id: "Stage changed from Screening to On course" (one query, or none)."""
    moves = [entry for entry in entries if entry.action in STAGE_ACTIONS]
    ids = {
        value
        for entry in moves
        for value in (entry.data.get("from"), entry.data.get("to"))
        if isinstance(value, int) and not isinstance(value, bool)
    }
    slugs = {entry.data["stage"] for entry in moves if isinstance(entry.data.get("stage"), str)}
    if not ids and not slugs:
        return {}
    by_id: dict[int, str] = {}
    by_slug: dict[str, str] = {}
    for pk, slug, name in PipelineStage.objects.filter(Q(pk__in=ids) | Q(slug__in=slugs)).values_list(
        "pk", "slug", "name"
    ):
        by_id[pk] = name
        by_slug[slug] = name
    sentences = {}
    for entry in moves:
        if entry.action == "candidate.bulk_stage":
            stage = by_slug.get(entry.data.get("stage", ""), "a stage that has since been removed")
            sentences[entry.pk] = f"Stage changed to {stage} for several people"
            continue
        before = by_id.get(entry.data.get("from"))
        after = by_id.get(entry.data.get("to"), "a stage that has since been removed")
        sentences[entry.pk] = f"Stage changed from {before} to {after}" if before else f"Stage set to {after}"
    return sentences
