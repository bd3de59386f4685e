"""The guard: every table that points at a person says how it merges, what "my data" shows and
how erasure clears it, in its own app's `privacy.py`.

A table counts when it has a key to Candidate, or a key to a table that does (followed as far as
it goes: attendance -> enrolment -> candidate). A new table in placements or funding that holds
someone's data fails here until its app declares it.
"""

from __future__ import annotations

from collections import defaultdict, deque

import pytest
from django.apps import apps
from django.db.models import Model

from academy.personal_data import PersonalTable
from candidates.models import Candidate
from candidates.selectors.learner import learner_data_export
from candidates.selectors.personal_data import personal_tables

pytestmark = pytest.mark.django_db


def relations_to_person() -> dict[type[Model], set[str]]:
    """Each model holding a person's data -> its lookups to Candidate (nearest first; a model's own
    keys are followed once, so self-references such as merged_into or follows_referral end the walk)."""
    found: dict[type[Model], set[str]] = defaultdict(set)
    followed: set[type[Model]] = {Candidate}
    frontier: deque[tuple[type[Model], str]] = deque([(Candidate, "")])
    while frontier:
        target, path = frontier.popleft()
        for model in apps.get_models():
            for field in model._meta.get_fields():
                if not (field.is_relation and field.concrete and field.related_model is target):
                    continue
                lookup = f"{field.name}__{path}" if path else field.name
                found[model].add(lookup)
                if model not in followed:
                    followed.add(model)
                    frontier.append((model, lookup))
    return found


def undeclared(tables: list[PersonalTable]) -> list[str]:
    """What the declarations miss: every key straight to Candidate, and one lookup at least per other table."""
    declared: dict[type[Model], set[str]] = defaultdict(set)
    for table in tables:
        declared[table.model].add(table.person)
    missing = []
    for model, lookups in relations_to_person().items():
        direct = {lookup for lookup in lookups if "__" not in lookup}
        if direct:
            missing += [f"{model._meta.label}.{lookup}" for lookup in direct - declared[model]]
        elif not declared[model]:
            missing.append(f"{model._meta.label} (through {' or '.join(sorted(lookups))})")
    return sorted(missing)


def test_every_table_pointing_at_a_person_is_declared() -> None:
    """Declare it in the owning app's privacy.py (see academy/personal_data.py for the rules):
    otherwise a merge leaves that history on the hidden record, the learner's download misses it
    and erasure leaves it behind."""
    assert undeclared(personal_tables()) == []


def test_the_guard_reports_a_table_left_out() -> None:
    left_out = {"candidates.Consent.candidate", "courses.Attendance.enrolment__candidate"}
    tables = [table for table in personal_tables() if table.key not in left_out]
    assert undeclared(tables) == [
        "candidates.Consent.candidate",
        "courses.Attendance (through enrolment__candidate)",
    ]


def test_every_declaration_is_real_and_complete(candidate: Candidate) -> None:
    relations = relations_to_person()
    keys = [table.key for table in personal_tables()]
    assert len(keys) == len(set(keys)), "a table is declared twice"
    for table in personal_tables():
        assert table.person in relations.get(table.model, set()), f"{table.key} does not lead to a person"
        # A key straight to the person must say how a merge moves it; a table reached through another moves with it.
        assert (table.merge is not None) == table.is_direct, table.key
        assert table.export or table.not_exported, f"{table.key}: declare its sections or why it is left out"
        assert callable(table.anonymise), table.key
        assert table.rows(candidate).count() >= 0  # the lookup is a valid query


def test_every_declared_section_is_in_the_download(candidate: Candidate) -> None:
    export = learner_data_export(candidate)
    sections = [section.key for table in personal_tables() for section in table.export]
    assert len(sections) == len(set(sections)), "two tables declare the same section"
    assert set(sections) <= set(export)
