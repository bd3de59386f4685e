"""Postcode centroids: normalising, looking up with the district fallback, and the load command."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from academy.models import PostcodeCentroid
from academy.postcodes import (
    DEMO_FILE,
    PostcodeFileError,
    miles_between,
    postcode_format,
    postcode_locate,
    postcode_outward,
    postcodes_load,
)
from placements.models import Vacancy
from tests.placements.factories_vacancies import VacancyFactory, postcode_centroids  # noqa: F401

pytestmark = pytest.mark.django_db


def test_normalising_accepts_any_spacing_and_case() -> None:
    assert postcode_format(" ls9  8ab ") == "LS9 8AB"
    assert postcode_outward("sw1a1aa") == "SW1A"
    assert postcode_outward("LS9") == "LS9"
    assert postcode_outward("Leeds") == ""


@pytest.mark.usefixtures("postcode_centroids")
def test_lookup_finds_the_postcode_then_falls_back_to_its_district() -> None:
    exact = postcode_locate("ls9 8ab")
    assert exact is not None and exact.is_exact and (exact.easting, exact.northing) == (432300, 433400)
    district = postcode_locate("LS9 9ZZ")  # not in the table; LS9 is
    assert district is not None and district.precision == "district" and district.label == "LS9"
    rows = PostcodeCentroid.objects.filter(outward="LS9")
    assert district.easting == round(sum(r.easting for r in rows) / rows.count())
    assert postcode_locate("ZZ99 9ZZ") is None
    assert postcode_locate("Leeds") is None


@pytest.mark.usefixtures("postcode_centroids")
def test_demo_centroids_put_leeds_and_plymouth_about_right() -> None:
    leeds, plymouth = postcode_locate("LS1 1AA"), postcode_locate("PL1 2AB")
    assert leeds and plymouth
    # Leeds to Plymouth is about 260 miles in a straight line (53.80N 1.55W to 50.37N 4.14W).
    assert 250 < miles_between((leeds.easting, leeds.northing), (plymouth.easting, plymouth.northing)) < 270


def test_ons_file_skips_terminated_postcodes_and_removes_them() -> None:
    PostcodeCentroid.objects.create(postcode="LS99ZZ", outward="LS9", easting=1, northing=1)
    ons = (
        "pcd,pcds,dointr,doterm,oscty,oslaua,oseast1m,osnrth1m\n"
        "LS9 8AB,LS9 8AB,199801,,E99999999,E08000035,432300,433400\n"
        "LS9 9ZZ,LS9 9ZZ,199801,201001,E99999999,E08000035,432000,433000\n"
        "LS9 7QQ,LS9 7QQ,199801,,E99999999,E08000035,,\n"
    )
    report = postcodes_load(io.StringIO(ons))
    assert report.source == "ONS Postcode Directory"
    assert (report.loaded, report.created, report.terminated, report.removed, report.no_coordinates) == (1, 1, 1, 1, 1)
    row = PostcodeCentroid.objects.get(postcode="LS98AB")
    assert (row.outward, row.easting, row.local_authority) == ("LS9", 432300, "E08000035")
    assert not PostcodeCentroid.objects.filter(postcode="LS99ZZ").exists()


def test_codepoint_file_is_detected_and_loading_again_updates() -> None:
    codepoint = '"PL4 6QT",10,249600,55200,"E92000001","E19000002","E18000010","","E06000026","E05002077"\n'
    postcodes_load(io.StringIO(codepoint))
    report = postcodes_load(io.StringIO(codepoint.replace("249600", "249650")))
    assert report.source == "OS Code-Point Open"
    assert (report.loaded, report.created) == (1, 0)
    assert PostcodeCentroid.objects.get(postcode="PL46QT").easting == 249650


def test_a_wrong_file_is_refused_clearly() -> None:
    with pytest.raises(PostcodeFileError, match="neither an ONS Postcode Directory"):
        postcodes_load(io.StringIO("name,email\nAnn,ann@example.org\n"))
    with pytest.raises(PostcodeFileError, match="no pcds or pcd, oseast1m, osnrth1m column"):
        postcodes_load(io.StringIO("pcds,lat,long\nLS9 8AB,53.8,-1.5\n"))
    assert not PostcodeCentroid.objects.exists()


def test_command_loads_the_shipped_file_and_reports_counts(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("load_postcodes", str(DEMO_FILE), stdout=out)
    rows = sum(1 for _ in DEMO_FILE.open()) - 1
    assert f"{rows:,} postcodes loaded ({rows:,} new)" in out.getvalue()
    assert PostcodeCentroid.objects.count() == rows
    wrong = tmp_path / "people.csv"
    wrong.write_text("name,email\nAnn,ann@example.org\n")
    with pytest.raises(CommandError, match=r"people\.csv: This is neither"):
        call_command("load_postcodes", str(wrong), stdout=io.StringIO())
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_postcodes", str(tmp_path / "missing.csv"), stdout=io.StringIO())


def test_loading_centroids_places_open_vacancies_that_had_none() -> None:
    open_one = VacancyFactory.create(postcode="LS9 8AB", easting=None, northing=None)
    closed = VacancyFactory.create(postcode="LS9 8AB", easting=None, northing=None, status=Vacancy.Status.CLOSED)
    out = io.StringIO()
    call_command("load_postcodes", str(DEMO_FILE), stdout=out)
    assert "1 vacancy given a new grid reference" in out.getvalue()
    open_one.refresh_from_db()
    closed.refresh_from_db()
    assert (open_one.easting, open_one.northing) == (432300, 433400)
    assert closed.easting is None
