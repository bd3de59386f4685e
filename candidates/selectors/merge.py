"""What the merge screen reads: two records side by side, with how much history each has.

Equality answers are special category data and this screen chooses between people's details, so
it only says whether each record has answers, never what they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Count, Field, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.text import capfirst

from academy.personal_data import PersonalTable
from candidates.models import Candidate, EqualityMonitoring, choices
from candidates.selectors.duplicates import details_of
from candidates.selectors.personal_data import personal_tables
from candidates.services.merge import MERGE_FIELDS

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


def _history_tables() -> list[PersonalTable]:
    """The declared tables that point straight at a record, in the order the apps declare them."""
    return [table for table in personal_tables() if table.is_direct]


def _history_annotations(tables: list[PersonalTable]) -> dict[str, Any]:
    """A count of rows per table, each as a subquery so the two records load in one query."""
    annotations = {}
    for index, table in enumerate(tables):
        rows = (
            table.model._default_manager.filter(**{table.person: OuterRef("pk")})
            .order_by()
            .values(table.person)
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
    tables = _history_tables()
    loaded = {
        c.pk: c
        for c in Candidate.objects.filter(pk__in=[first.pk, second.pk])
        .select_related("stage", "owner", "user")
        .annotate(**_history_annotations(tables))
    }
    first, second = loaded[first.pk], loaded[second.pk]
    history = []
    has_equality = (False, False)
    for index, table in enumerate(tables):
        counts = (getattr(first, f"history_{index}"), getattr(second, f"history_{index}"))
        if table.key == EQUALITY_KEY:
            has_equality = (counts[0] > 0, counts[1] > 0)
            continue
        history.append(HistoryRow(label=table.label, first=counts[0], second=counts[1]))
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
