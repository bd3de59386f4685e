"""What placements does when academy's postcode table changes (found by `manage.py load_postcodes` through
academy.discovery): vacancies still open take their grid reference from the new centroids."""

from __future__ import annotations

from placements.services.vacancies import vacancies_relocate


def postcodes_loaded() -> str:
    """Re-place the vacancies that are not closed or filled; returns a line for the command's summary."""
    moved = vacancies_relocate()
    return f"{moved:,} vacanc{'y' if moved == 1 else 'ies'} given a new grid reference"
