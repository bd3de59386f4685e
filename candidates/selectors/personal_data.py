"""Every table that holds a person's data, as the apps declare them (`<app>/privacy.py`).

The merge, the "my data" download and anonymisation all read this one list, so a table is
handled by all three or by none; tests/candidates/test_privacy_declarations.py fails while a
relation to Candidate is missing from it.
"""

from __future__ import annotations

from typing import cast

from academy.discovery import app_hooks
from academy.personal_data import PersonalTable


def personal_tables() -> list[PersonalTable]:
    """Each app's PERSONAL_TABLES, bottom layer first, in the order each app lists them."""
    tables: list[PersonalTable] = []
    for declared in app_hooks("privacy", "PERSONAL_TABLES"):
        tables.extend(cast(list[PersonalTable], declared))
    return tables


def export_section_titles() -> dict[str, str]:
    """Section key -> title of every declared section of the download."""
    return {section.key: section.title for table in personal_tables() for section in table.export}
