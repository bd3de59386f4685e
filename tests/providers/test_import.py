"""Importing providers from the CQC care directory CSV: all rows or none, updates by location ID."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from academy.models import AuditEntry, User
from providers.cqc_csv import read_cqc_csv
from providers.models import Provider
from providers.services import provider_import_cqc
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db

# The headers of the CQC's "care directory with filters" file, as downloaded.
CQC_HEADER = (
    "Name,Also known as,Address,Postcode,Phone number,Service's website (if available),Service types,"
    "Date of latest check,Specialisms/services,Provider name,Local authority,Region,Location URL,"
    "CQC Location (for office use only),CQC Provider ID (for office use only),Latest overall rating\n"
)


def _cqc_row(
    name: str, location_id: str, *, postcode: str = "LS9 8AB", services: str = "Homecare agencies", rating: str = "Good"
) -> str:
    return (
        f'"{name}",,"1 Street, Leeds",{postcode},0113 496 0000,,{services},2025-01-01,Dementia,Owner Ltd,Leeds,'
        f"Yorkshire,https://www.cqc.org.uk/location/{location_id},{location_id},1-999999999,{rating}\n"
    )


def _file(*rows: str, header: str = CQC_HEADER) -> bytes:
    return (header + "".join(rows)).encode("utf-8-sig")


def test_first_import_creates_providers_from_the_cqc_file(staff: User) -> None:
    data = _file(
        _cqc_row("Riverside Home Care", "1-101010101"),
        _cqc_row(
            "Oak House",
            "1-202020202",
            services="Care home service with nursing|Residential homes",
            rating="Requires improvement",
        ),
        _cqc_row("Hill View", "1-303030303", services="Supported living", rating=""),
    )
    result = provider_import_cqc(actor=staff, file_name="leeds.csv", data=data)
    assert (result.created, result.updated, result.unchanged, result.errors) == (3, 0, 0, [])
    oak = Provider.objects.get(cqc_location_id="1-202020202")
    assert oak.name == "Oak House"
    assert oak.kind == Provider.Kind.NURSING
    assert oak.cqc_rating == Provider.CqcRating.REQUIRES_IMPROVEMENT
    assert oak.cqc_service_types == "Care home service with nursing | Residential homes"
    assert oak.address == "1 Street, Leeds"
    assert Provider.objects.get(cqc_location_id="1-303030303").kind == Provider.Kind.SUPPORTED_LIVING
    assert Provider.objects.get(cqc_location_id="1-101010101").kind == Provider.Kind.HOME_CARE
    entry = AuditEntry.objects.get(action="provider_import.commit")
    assert entry.data["created"] == 3
    assert AuditEntry.objects.filter(action="provider.import_create", object_id=str(oak.pk)).exists()


def test_reimport_updates_by_location_id_and_keeps_the_academys_own_fields(staff: User) -> None:
    provider_import_cqc(
        actor=staff, file_name="a.csv", data=_file(_cqc_row("Oak House", "1-202020202"), _cqc_row("Ash", "1-404040404"))
    )
    oak = Provider.objects.get(cqc_location_id="1-202020202")
    oak.kind = Provider.Kind.DAY_SERVICES
    oak.contact_name = "Sam Cole"
    oak.agreement_status = Provider.Agreement.IN_DISCUSSION
    oak.save()

    result = provider_import_cqc(
        actor=staff,
        file_name="b.csv",
        data=_file(
            _cqc_row("Oak House Care Home", "1-202020202", rating="Outstanding"),
            _cqc_row("Ash", "1-404040404"),
            _cqc_row("Birch", "1-505050505"),
        ),
    )
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    oak.refresh_from_db()
    assert (oak.name, oak.cqc_rating) == ("Oak House Care Home", "outstanding")
    assert (oak.kind, oak.contact_name, oak.agreement_status) == ("day_services", "Sam Cole", "in_discussion")
    assert AuditEntry.objects.get(action="provider.import_update").data == {"changed": ["name", "cqc_rating"]}


def test_a_provider_recorded_by_hand_is_linked_by_name(staff: User) -> None:
    by_hand = ProviderFactory.create(name="Oak House", cqc_location_id="")
    result = provider_import_cqc(actor=staff, file_name="a.csv", data=_file(_cqc_row("Oak House", "1-202020202")))
    assert (result.created, result.updated) == (0, 1)
    by_hand.refresh_from_db()
    assert by_hand.cqc_location_id == "1-202020202"


def test_any_row_error_imports_nothing_and_lists_every_error(staff: User) -> None:
    ProviderFactory.create(name="Taken Name", cqc_location_id="1-909090909")
    data = _file(
        _cqc_row("Good Row", "1-101010101"),
        _cqc_row("Bad Id", "12345"),
        _cqc_row("", "1-202020202", postcode="NOPE"),
        _cqc_row("Repeat", "1-101010101", rating="Brilliant"),
        _cqc_row("Taken Name", "1-303030303"),
    )
    result = provider_import_cqc(actor=staff, file_name="bad.csv", data=data)
    assert not result.imported
    assert Provider.objects.count() == 1
    assert [(e["line"], e["column"]) for e in result.errors] == [
        (3, "Location ID"),
        (4, "Name"),
        (4, "Postcode"),
        (5, "Rating"),
        (5, "Location ID"),
        (6, "Name"),
    ]
    assert "is also on line 2" in result.errors[4]["message"]
    assert "already has CQC location ID 1-909090909" in result.errors[5]["message"]
    assert AuditEntry.objects.get(action="provider_import.refuse").data["errors"] == 6


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04rest-of-a-zip", "an Excel workbook"),
        (b"", "The file is empty."),
        (b"Name,Postcode\nOak,LS1 1AA\n", "The file has no Location ID column"),
        (CQC_HEADER.encode(), "no rows of data"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        read_cqc_csv(data)
    assert message in caught.value.messages[0]


def test_headers_are_matched_liberally_and_semicolons_and_windows_encoding_work() -> None:
    data = "location_id;LOCATION NAME;Location Postal Code;Town\n1-123456789;Café Care;ls1 4ap;Leeds\n".encode("cp1252")
    table = read_cqc_csv(data)
    assert table.rows == [
        {"line": 2, "location_id": "1-123456789", "name": "Café Care", "postcode": "ls1 4ap", "town": "Leeds"}
    ]


def test_too_many_rows_are_refused() -> None:
    rows = "".join(f"1-1000000{i:02d},Care {i}\n" for i in range(4))
    with pytest.raises(ValidationError, match="more than 3 rows"):
        read_cqc_csv(("Location ID,Name\n" + rows).encode(), max_rows=3)


def test_upload_page_shows_row_errors_with_line_and_column(staff: User, client_for) -> None:
    upload = SimpleUploadedFile("leeds.csv", _file(_cqc_row("Oak", "1-202020202", postcode="XX")), "text/csv")
    response = client_for("staff").post(reverse("providers:provider-import"), {"file": upload})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing was imported: 1 of 1 rows have errors." in body
    assert "“XX” is not a UK postcode" in body
    assert Provider.objects.count() == 0


def test_upload_page_imports_and_says_what_changed(staff: User, client_for) -> None:
    upload = SimpleUploadedFile("leeds.csv", _file(_cqc_row("Oak", "1-202020202")), "text/csv")
    client = client_for("staff")
    response = client.post(reverse("providers:provider-import"), {"file": upload}, follow=True)
    body = response.content.decode()
    assert "1 rows imported: 1 providers created, 0 updated, 0 unchanged." in body
    assert "These columns were not used: Also known as" in body


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("providers.xlsx", b"Location ID,Name\n", "The file must be a CSV file"),
        ("providers.csv", b"", "The submitted file is empty"),
    ],
)
def test_upload_checks_the_type_and_size(staff: User, client_for, settings, name, content, message) -> None:
    upload = SimpleUploadedFile(name, content, "text/csv")
    response = client_for("staff").post(reverse("providers:provider-import"), {"file": upload})
    assert message in response.content.decode()


def test_upload_refuses_a_file_over_the_size_limit(staff: User, client_for, settings) -> None:
    settings.DOCUMENT_MAX_UPLOAD_MB = 0
    upload = SimpleUploadedFile("providers.csv", b"Location ID,Name\n1-123456789,Oak\n", "text/csv")
    response = client_for("staff").post(reverse("providers:provider-import"), {"file": upload})
    assert "The file must be smaller than 0 MB" in response.content.decode()
    assert Provider.objects.count() == 0


def test_template_download_has_the_documented_headers(staff: User, client_for) -> None:
    response = client_for("staff").get(reverse("providers:provider-import-template"))
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header == "Location ID,Name,Address,Town,Postcode,Service types,Rating"
    table = read_cqc_csv(response.content)
    assert table.rows[0]["location_id"] == "1-123456789"


def test_import_page_lists_recent_imports(staff: User, client_for) -> None:
    provider_import_cqc(actor=staff, file_name="leeds-march.csv", data=_file(_cqc_row("Oak", "1-202020202")))
    provider_import_cqc(actor=staff, file_name="broken.csv", data=_file(_cqc_row("Ash", "nope")))
    body = client_for("staff").get(reverse("providers:provider-import")).content.decode()
    assert "leeds-march.csv" in body
    assert "1 created, 0 updated, 0 unchanged" in body
    assert "broken.csv" in body
    assert "Not imported</strong> 1 error" in body
