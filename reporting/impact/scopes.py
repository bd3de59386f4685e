"""A report's scope as stored (filters JSON and a key) and back as a `ReportScope`: one rule, used everywhere."""

from __future__ import annotations

from typing import Any

from academy.models import Academy, FundingStream, Region
from academy.periods import Quarter
from reporting.scope import ReportScope


def report_filters(
    *, academy: Academy | None = None, region: Region | None = None, stream: FundingStream | None = None
) -> dict[str, Any]:
    """The filters stored on a report: whose figures (one academy, a region's academies, or every academy)
    and the funding stream, with names kept for the page (they stay right if a stream is renamed later)."""
    filters: dict[str, Any] = {"academy_ids": None}
    if academy is not None:
        filters.update(academy_ids=[academy.pk], academy_name=academy.name)
    elif region is not None:
        filters.update(
            academy_ids=sorted(region.academies.values_list("pk", flat=True)),
            region_id=region.pk,
            region_name=region.name,
        )
    if stream is not None:
        filters.update(stream_id=stream.pk, stream_code=stream.code, stream_name=stream.name)
    return filters


def scope_key(*, academy: Academy | None, region: Region | None, stream: FundingStream | None) -> str:
    """The same string for the same scope: versions are numbered, and the schedule runs once, per key."""
    parts = [f"academy:{academy.pk}" if academy else f"region:{region.pk}" if region else "all"]
    if stream is not None:
        parts.append(f"stream:{stream.pk}")
    return "|".join(parts)


def scope_of(filters: dict[str, Any], quarter: Quarter) -> ReportScope:
    """The `ReportScope` the figures are computed for."""
    ids = filters.get("academy_ids")
    return ReportScope(
        start=quarter.start,
        end=quarter.end,
        academy_ids=tuple(ids) if ids is not None else None,
        stream_id=filters.get("stream_id"),
    )


def filters_description(filters: dict[str, Any]) -> str:
    """The scope in words, for the cover and the reports page."""
    if filters.get("academy_name"):
        whose = str(filters["academy_name"])
    elif filters.get("region_name"):
        whose = f"Every academy in {filters['region_name']}"
    else:
        whose = "Every academy"
    if filters.get("stream_name"):
        return f"{whose}, funding stream {filters['stream_name']} ({filters['stream_code']})"
    return f"{whose}, all funding streams"
