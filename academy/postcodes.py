"""Postcodes: normalising what people type, finding a postcode's centroid, and loading the centroid table.

The table (academy.PostcodeCentroid) is loaded from a file the academy downloads for its area, the
ONS Postcode Directory (ONSPD) or OS Code-Point Open, by `manage.py load_postcodes`; the project ships
centroids for its demo and test areas in academy/data/postcodes_demo.csv. Nothing here calls the
network: a request costs at most two indexed queries (the postcode, then its district).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.db import transaction
from django.db.models import Avg, Count

from academy.models import PostcodeCentroid

DEMO_FILE = Path(__file__).resolve().parent / "data" / "postcodes_demo.csv"

# A full UK postcode without spaces (outward code 2-4 characters, inward code digit + two letters), and
# an outward code alone ("LS9", "SW1A").
FULL = re.compile(r"^(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?)(?P<inward>[0-9][A-Z]{2})$")
OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")

METRES_PER_MILE = 1609.344
BATCH_SIZE = 2000


def postcode_normalise(text: str) -> str:
    """Upper case without any spaces: " ls9  8ab" -> "LS98AB"."""
    return re.sub(r"\s+", "", text or "").upper()


def postcode_is_valid(text: str) -> bool:
    """Whether `text` is shaped like a full UK postcode (any spacing or case)."""
    return FULL.match(postcode_normalise(text)) is not None


def postcode_format(text: str) -> str:
    """The usual written form, "LS9 8AB", of a full postcode; other text comes back normalised."""
    match = FULL.match(postcode_normalise(text))
    if match is None:
        return postcode_normalise(text)
    return f"{match['outward']} {match['inward']}"


def postcode_outward(text: str) -> str:
    """The district ("LS9") of a full postcode or of an outward code alone; "" if it is neither."""
    normal = postcode_normalise(text)
    match = FULL.match(normal)
    if match:
        return match["outward"]
    return normal if OUTWARD.match(normal) else ""


@dataclass(frozen=True)
class Location:
    """A point on the British National Grid, and how it was found."""

    easting: int
    northing: int
    # "postcode": the postcode's own centroid; "district": the mean of its district's centroids.
    precision: str
    label: str

    @property
    def is_exact(self) -> bool:
        return self.precision == "postcode"


def postcode_locate(text: str) -> Location | None:
    """The centroid of a full postcode, else the mean of its district's (or of an outward code's), else None.

    At most two queries, both on indexes.
    """
    normal = postcode_normalise(text)
    if FULL.match(normal):
        row = PostcodeCentroid.objects.filter(postcode=normal).values_list("easting", "northing").first()
        if row is not None:
            return Location(row[0], row[1], "postcode", postcode_format(normal))
    outward = postcode_outward(normal)
    if not outward:
        return None
    district = PostcodeCentroid.objects.filter(outward=outward).aggregate(
        easting=Avg("easting"), northing=Avg("northing"), n=Count("pk")
    )
    if not district["n"]:
        return None
    return Location(round(district["easting"]), round(district["northing"]), "district", outward)


def miles_between(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Straight-line miles between two grid references (metres)."""
    return float(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5) / METRES_PER_MILE


# --- loading ----------------------------------------------------------------------------------------


class PostcodeFileError(ValueError):
    """The file is not an ONS Postcode Directory or Code-Point Open CSV (the message says why)."""


@dataclass
class LoadReport:
    """What a load did, for the command's summary."""

    source: str = ""
    read: int = 0
    loaded: int = 0
    created: int = 0
    terminated: int = 0
    removed: int = 0
    no_coordinates: int = 0
    invalid: int = 0
    invalid_examples: list[str] = field(default_factory=list)

    def merge(self, other: LoadReport) -> None:
        for name in ("read", "loaded", "created", "terminated", "removed", "no_coordinates", "invalid"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.invalid_examples = (self.invalid_examples + other.invalid_examples)[:5]


# What a row of either format becomes: (postcode, easting, northing, local authority, terminated).
Row = tuple[str, str, str, str, bool]

ONS_POSTCODE_COLUMNS = ("pcds", "pcd", "pcd7", "pcd8")
ONS_REQUIRED = ("oseast1m", "osnrth1m")


def _ons_rows(header: list[str], reader: Iterator[list[str]]) -> Iterator[Row]:
    names = [name.strip().lower() for name in header]
    postcode_column = next((names.index(name) for name in ONS_POSTCODE_COLUMNS if name in names), None)
    missing = [name for name in ONS_REQUIRED if name not in names]
    if postcode_column is None or missing:
        wanted = ", ".join(["pcds or pcd", *ONS_REQUIRED])
        raise PostcodeFileError(f"This looks like the ONS Postcode Directory, but it has no {wanted} column.")
    east, north = names.index("oseast1m"), names.index("osnrth1m")
    doterm = names.index("doterm") if "doterm" in names else None
    authority = names.index("oslaua") if "oslaua" in names else (names.index("lad") if "lad" in names else None)
    width = max(postcode_column, east, north, doterm or 0, authority or 0) + 1
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        values = values + [""] * (width - len(values))
        yield (
            values[postcode_column],
            values[east],
            values[north],
            values[authority] if authority is not None else "",
            bool(doterm is not None and values[doterm].strip()),
        )


def _codepoint_rows(first: list[str], reader: Iterator[list[str]]) -> Iterator[Row]:
    # Code-Point Open: postcode, positional quality, easting, northing, country, NHS codes, county,
    # district (admin_district_code is column 9), ward. No header; terminated postcodes are not in it.
    for values in (first, *reader):
        if not any(v.strip() for v in values):
            continue
        if len(values) < 4:
            yield (values[0] if values else "", "", "", "", False)
            continue
        authority = values[8] if len(values) > 8 else ""
        # Quality 90 means "no coordinates" (the row carries 0, 0).
        if values[1].strip() == "90":
            yield (values[0], "", "", authority, False)
            continue
        yield (values[0], values[2], values[3], authority, False)


def _looks_like_codepoint(first: list[str]) -> bool:
    if len(first) < 4 or not postcode_is_valid(first[0]):
        return False
    return all(value.strip().lstrip("-").isdigit() for value in first[1:4])


def postcode_rows(stream: TextIO) -> tuple[str, Iterator[Row]]:
    """Detect the file's format from its first row; returns its name and the rows as tuples."""
    reader = csv.reader(stream)
    first = next(reader, None)
    if first is None:
        raise PostcodeFileError("The file is empty.")
    if first and first[0].startswith("\ufeff"):
        first[0] = first[0].removeprefix("\ufeff")
    names = {name.strip().lower() for name in first}
    if names & set(ONS_POSTCODE_COLUMNS) or names & set(ONS_REQUIRED):
        return "ONS Postcode Directory", _ons_rows(first, reader)
    if _looks_like_codepoint(first):
        return "OS Code-Point Open", _codepoint_rows(first, reader)
    raise PostcodeFileError(
        "This is neither an ONS Postcode Directory CSV (a header row with pcds, oseast1m, osnrth1m and doterm) "
        "nor an OS Code-Point Open CSV (no header; postcode, quality, easting, northing). "
        f"Its first row starts: {', '.join(first[:4])[:120]}"
    )


def _clean(row: Row, report: LoadReport) -> PostcodeCentroid | None:
    postcode, easting, northing, authority, terminated = row
    normal = postcode_normalise(postcode)
    report.read += 1
    if terminated:
        report.terminated += 1
        return None
    match = FULL.match(normal)
    if match is None:
        report.invalid += 1
        if len(report.invalid_examples) < 5:
            report.invalid_examples.append(f"row {report.read}: postcode {postcode!r}")
        return None
    if not easting.strip() or not northing.strip():
        report.no_coordinates += 1
        return None
    try:
        east, north = int(float(easting)), int(float(northing))
    except ValueError:
        report.invalid += 1
        if len(report.invalid_examples) < 5:
            report.invalid_examples.append(f"row {report.read}: grid reference {easting!r}, {northing!r}")
        return None
    # 0, 0 is ONSPD's "no grid reference"; the National Grid covers 0-700 km east and 0-1,300 km north.
    if (east, north) == (0, 0) or not (0 <= east <= 700_000 and 0 <= north <= 1_300_000):
        report.no_coordinates += 1
        return None
    return PostcodeCentroid(
        postcode=normal, outward=match["outward"], easting=east, northing=north, local_authority=authority.strip()[:9]
    )


def _upsert(batch: list[PostcodeCentroid], report: LoadReport) -> None:
    postcodes = [row.postcode for row in batch]
    existing = PostcodeCentroid.objects.filter(postcode__in=postcodes).count()
    PostcodeCentroid.objects.bulk_create(
        batch,
        update_conflicts=True,
        unique_fields=["postcode"],
        update_fields=["outward", "easting", "northing", "local_authority", "updated_at"],
    )
    report.loaded += len(batch)
    report.created += len(batch) - existing


def postcodes_load(stream: TextIO, *, batch_size: int = BATCH_SIZE) -> LoadReport:
    """Upsert every live postcode of an ONSPD or Code-Point Open CSV, in batches; terminated ones are removed.

    Each batch is its own transaction, so a national file (2.7 million rows) does not hold one huge
    transaction; loading the same file again changes nothing. Raises PostcodeFileError on a wrong file.
    """
    source, rows = postcode_rows(stream)
    report = LoadReport(source=source)
    batch: dict[str, PostcodeCentroid] = {}
    ended: list[str] = []
    for row in rows:
        centroid = _clean(row, report)
        if row[4]:
            ended.append(postcode_normalise(row[0]))
        if centroid is not None:
            # A file listing a postcode twice keeps its last row (one row per postcode in a batch).
            batch[centroid.postcode] = centroid
        if len(batch) >= batch_size:
            with transaction.atomic():
                _upsert(list(batch.values()), report)
            batch = {}
        if len(ended) >= batch_size:
            report.removed += _remove(ended)
            ended = []
    if batch:
        with transaction.atomic():
            _upsert(list(batch.values()), report)
    if ended:
        report.removed += _remove(ended)
    if report.read and not report.loaded and not report.terminated:
        raise PostcodeFileError(
            f"No postcode in the file could be loaded: {report.invalid} invalid, "
            f"{report.no_coordinates} without coordinates. {'; '.join(report.invalid_examples)}"
        )
    return report


def _remove(postcodes: list[str]) -> int:
    deleted, _ = PostcodeCentroid.objects.filter(postcode__in=postcodes).delete()
    return deleted


def postcodes_load_file(path: Path | str) -> LoadReport:
    """Load one CSV file (see `postcodes_load`)."""
    with open(path, newline="", encoding="utf-8-sig") as stream:
        return postcodes_load(stream)


def postcodes_load_demo() -> LoadReport:
    """The centroids shipped for the demo and test areas (academy/data/postcodes_demo.csv); idempotent."""
    return postcodes_load_file(DEMO_FILE)
