"""How an app declares its tables that hold a person's data: merge, "my data" export and erasure.

Each app lists the tables it owns that point at a person (candidates.Candidate, directly or
through another of its tables) as PERSONAL_TABLES in its own `<app>/privacy.py`. The candidates
app collects them through academy.discovery and drives the merge, the learner's download and
anonymisation from them, so no app lists another app's tables. A guard test
(tests/candidates/test_privacy_declarations.py) fails while any relation to Candidate is
undeclared. This module knows nothing of Candidate, so every layer can declare its tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Model, OuterRef, QuerySet

# What a merge rule returns: rows moved to the survivor, rows left with the merged record.
Moved = tuple[int, int]


@dataclass(frozen=True)
class ExportSection:
    """One section of the "my data" download: `rows(person, account)` gives a list of dicts (or one dict, or None)."""

    key: str
    title: str
    rows: Callable[[Any, Any], Any]


@dataclass(frozen=True)
class PersonalTable:
    """One table holding a person's data and what happens to its rows in a merge, an export and an erasure.

    `person` is the lookup from a row to the person: "candidate" for a key to Candidate, or a path
    through another declared table ("enrolment__candidate"), whose rows move with their parent in a
    merge (`merge` is None). `export` lists the download's sections; a table left out of the
    download says why in `not_exported`. `anonymise` receives the person's rows of this table.
    """

    model: type[Model]
    person: str
    label: str
    merge: Callable[[PersonalTable, Any, Any, Any], Moved] | None
    anonymise: Callable[[QuerySet[Any]], object]
    export: tuple[ExportSection, ...] = ()
    not_exported: str = ""

    @property
    def key(self) -> str:
        """ "<app_label>.<Model>.<lookup>", e.g. "courses.Enrolment.candidate"."""
        return f"{self.model._meta.label}.{self.person}"

    @property
    def is_direct(self) -> bool:
        return "__" not in self.person

    def rows(self, person: Any) -> QuerySet[Any]:
        """This table's rows that belong to `person`."""
        return self.model._default_manager.filter(**{self.person: person})


# --- export helpers ----------------------------------------------------------------------------


def label(obj: Model, name: str) -> Any:
    """A field's value as the learner would read it: choice labels rather than codes."""
    value = getattr(obj, name)
    choices = dict(obj._meta.get_field(name).flatchoices)  # type: ignore[union-attr]
    return choices.get(value, value) if value != "" else ""


def who(user: Any, you: Any) -> str:
    """Who did something, as the learner reads it: "You", a member of staff's name, or the academy."""
    if user is None:
        return "The academy"
    if you is not None and user.pk == you.pk:
        return "You"
    return str(user.get_full_name())


# --- merge rules -------------------------------------------------------------------------------


def move_all(table: PersonalTable, survivor: Any, duplicate: Any, actor: Any) -> Moved:
    """History rows with no uniqueness rule: every one moves to the survivor."""
    return table.rows(duplicate).update(**{table.person: survivor}), 0


def move_unless_taken(*keys: str) -> Callable[[PersonalTable, Any, Any, Any], Moved]:
    """Rows unique per person and `keys` (no keys: one row per person): where the survivor already has
    a row with the same keys, the survivor's counts and the duplicate's stays with the merged record."""

    def rule(table: PersonalTable, survivor: Any, duplicate: Any, actor: Any) -> Moved:
        taken = Exists(table.rows(survivor).filter(**{key: OuterRef(key) for key in keys}))
        rows = table.rows(duplicate)
        stayed = rows.filter(taken).count()
        return rows.exclude(taken).update(**{table.person: survivor}), stayed

    return rule


# --- anonymisation rules -----------------------------------------------------------------------


def clear(**values: Any) -> Callable[[QuerySet[Any]], object]:
    """Overwrite the fields that identify the person or tell their story; the row stays for the figures."""

    def rule(rows: QuerySet[Any]) -> object:
        return rows.update(**values)

    return rule


def delete(rows: QuerySet[Any]) -> object:
    """Rows that are wholly personal and count in no figure."""
    return rows.delete()


def keep(reason: str) -> Callable[[QuerySet[Any]], object]:
    """Rows that hold nothing identifying (only codes, numbers and dates); `reason` says so for the reader."""

    def rule(rows: QuerySet[Any]) -> object:
        return None

    rule.__doc__ = reason
    return rule
