"""What the merge screen reads: two records side by side, with how much history each has.

Equality answers are special category data and this screen chooses between people's details, so
it only says whether each record has answers, never what they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Count, Field, IntegerField, Model, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.text import capfirst

from candidates.models import Candidate, EqualityMonitoring, choices
from candidates.selectors.duplicates import details_of
from candidates.services.merge import MERGE_FIELDS, relation_key

# Labels for relations whose model name does not read well on the screen.
HISTORY_LABELS = {
    "candidates.StageChange.candidate": "Stage changes",
    "candidates.ContactLog.candidate": "Contacts and notes",
    "candidates.ActionPlanItem.candidate": "Action plan items",
    "candidates.ActionPlanReview.candidate": "Action plan reviews",
    "candidates.Consent.candidate": "Consent records",
    "candidates.Document.candidate": "Documents",
    "candidates.CandidateBarrier.candidate": "Barriers",
    "candidates.SelectionResult.candidate": "Selection event results",
    "candidates.DataRequest.candidate": "Deletion requests",
    "candidates.Candidate.merged_into": "Records merged into this one earlier",
}
EQUALITY_KEY = f"{EqualityMonitoring._meta.label}.candidate"


@dataclass
class FieldRow:
    name: str
    label: str
    first: str
    second: str

    @property
    def differs(self) -> bool:
        return self.first != self.second


@dataclass
class HistoryRow:
    label: str
    first: int
    second: int


@dataclass
class MergeComparison:
    """Two current records of (probably) one person, field by field and history count by history count."""

    first: Candidate
    second: Candidate
    fields: list[FieldRow]
    history: list[HistoryRow]
    first_has_equality: bool
    second_has_equality: bool
    reasons: list[str]

    @property
    def differing_fields(self) -> list[FieldRow]:
        return [row for row in self.fields if row.differs]


def _history_annotations() -> dict[str, Any]:
    """A count of rows per relation to Candidate, each as a subquery so the two records load in one query."""
    annotations = {}
    for index, relation in enumerate(Candidate._meta.related_objects):
        model, field = cast(type[Model], relation.related_model), relation.field.name
        rows = (
            model._default_manager.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")
        )
        annotations[f"history_{index}"] = Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))
    return annotations


def _field(name: str) -> Field[Any, Any]:
    return cast(Field[Any, Any], Candidate._meta.get_field(name))


def _display(candidate: Candidate, name: str) -> str:
    """A field's value as staff read it; blank when not recorded."""
    value = getattr(candidate, name)
    if name == "stage":
        return candidate.stage.name
    if name == "owner":
        return value.get_full_name() if value else ""
    if name == "interests":
        labels = dict(choices.Interest.choices)
        return ", ".join(str(labels.get(code, code)) for code in value)
    if name == "date_of_birth":
        return value.strftime("%d/%m/%Y") if value else ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if _field(name).choices:
        return str(getattr(candidate, f"get_{name}_display")()) if value else ""
    return "" if value is None else str(value)


def candidate_merge_comparison(first: Candidate, second: Candidate) -> MergeComparison:
    """Both records with stage, owner, account and history counts, in one query."""
    loaded = {
        c.pk: c
        for c in Candidate.objects.filter(pk__in=[first.pk, second.pk])
        .select_related("stage", "owner", "user")
        .annotate(**_history_annotations())
    }
    first, second = loaded[first.pk], loaded[second.pk]
    history = []
    has_equality = (False, False)
    for index, relation in enumerate(Candidate._meta.related_objects):
        key = relation_key(relation)
        counts = (getattr(first, f"history_{index}"), getattr(second, f"history_{index}"))
        if key == EQUALITY_KEY:
            has_equality = (counts[0] > 0, counts[1] > 0)
            continue
        model = cast(type[Model], relation.related_model)
        label = HISTORY_LABELS.get(key) or capfirst(str(model._meta.verbose_name_plural))
        history.append(HistoryRow(label=label, first=counts[0], second=counts[1]))
    # The screen's order; relations added later (with no label here yet) come last.
    order = list(HISTORY_LABELS.values())
    history.sort(key=lambda row: order.index(row.label) if row.label in order else len(order))
    fields = [
        FieldRow(
            name=name,
            label=capfirst(str(_field(name).verbose_name)),
            first=_display(first, name),
            second=_display(second, name),
        )
        for name in MERGE_FIELDS
    ]
    return MergeComparison(
        first=first,
        second=second,
        fields=fields,
        history=history,
        first_has_equality=has_equality[0],
        second_has_equality=has_equality[1],
        reasons=details_of(first).reasons_to_match(details_of(second)),
    )
